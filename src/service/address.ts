// `--metrics ADDR:PORT`: where the metrics and status server listens. Pure: text in, an address or
// a reason out. The default host is the loopback: exposing a watcher to the network is a choice.

export const DEFAULT_METRICS_HOST = '127.0.0.1';
/** The port the examples and the shipped units use. */
export const DEFAULT_METRICS_PORT = 9612;

export interface ListenAddress {
  host: string;
  port: number;
}

/** Port 0: any free port (the log line says which). "9612", "127.0.0.1:9612", "0.0.0.0:9612", "[::1]:9612", "[::]:9612". */
export function parseListenAddress(text: string): ListenAddress | { error: string } {
  const bad = (why: string) => ({ error: `"${text}" is not ADDR:PORT: ${why} (e.g. 127.0.0.1:${DEFAULT_METRICS_PORT}, 0.0.0.0:${DEFAULT_METRICS_PORT} for every address, [::1]:${DEFAULT_METRICS_PORT})` });
  const m = /^(?:\[([0-9a-fA-F:.%\w]+)\]|([^:[\]]*)):(\d+)$|^(\d+)$/.exec(text.trim());
  if (m === null) return bad('expected a port, or an address and a port');
  const portText = m[3] ?? m[4] ?? '';
  const port = Number(portText);
  if (!(port >= 0 && port <= 65535)) return bad(`port ${portText} is not 0-65535`);
  const host = m[1] ?? m[2];
  if (host === '') return bad('no address before ":" (give 0.0.0.0 to listen on every address)');
  return { host: host ?? DEFAULT_METRICS_HOST, port };
}

/** As a URL's authority: IPv6 in brackets. */
export function formatListenAddress(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
