// The metrics and status server: GET /metrics (Prometheus text), GET /status (JSON). One small
// node:http server, nothing else listens. A handler's failure is a 500 with its reason, never a
// crash of the watcher.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError, Exit } from '../errors.js';
import { formatListenAddress, type ListenAddress } from './address.js';

export interface ServiceHandlers {
  metrics(): Promise<string>;
  metricsContentType: string;
  status(): unknown;
}

export interface RunningServer {
  /** Where it listens (the real port when 0 was asked). */
  address: ListenAddress;
  close(): Promise<void>;
}

const INDEX = 'vrrpwatch: /metrics (Prometheus), /status (the analyze --json document of the state now)\n';

export async function startServer(at: ListenAddress, h: ServiceHandlers): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (code: number, type: string, body: string): void => {
      res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'text/plain', 'only GET\n');
    if (path === '/metrics') {
      h.metrics().then((text) => reply(200, h.metricsContentType, text), (e: Error) => reply(500, 'text/plain', `cannot collect the metrics: ${e.message}\n`));
    } else if (path === '/status') {
      try {
        reply(200, 'application/json', `${JSON.stringify(h.status())}\n`);
      } catch (e) {
        reply(500, 'text/plain', `cannot build the status: ${(e as Error).message}\n`);
      }
    } else if (path === '/') reply(200, 'text/plain', INDEX);
    else reply(404, 'text/plain', `no ${path} here: ${INDEX}`);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the port is taken (another watcher?)' : e.code === 'EADDRNOTAVAIL' ? 'no such local address' : e.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : e.message;
      reject(new CliError(`--metrics ${formatListenAddress(at)}: cannot listen: ${why}`, Exit.UNAVAILABLE));
    });
    server.listen(at.port, at.host, () => resolve());
  });
  // Scrapers hold connections open: do not let them keep the process alive at exit.
  server.unref();
  const bound = server.address() as AddressInfo;
  return {
    address: { host: at.host, port: bound.port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
