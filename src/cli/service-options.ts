// The options that run a long-lived command (watch, daemon) as a service: --metrics, --events,
// --on-event, --on-event-timeout. One definition, so that both commands spell and check them alike.
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_METRICS_PORT, parseListenAddress, type ListenAddress } from '../service/address.js';

export type { ListenAddress };

/** Default --on-event-timeout, seconds. */
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 10;
/** Events waiting for the --on-event command; more are dropped (and counted). */
export const DEFAULT_HOOK_QUEUE = 1000;

function listenAddress(text: string): ListenAddress {
  const a = parseListenAddress(text);
  if ('error' in a) throw new InvalidArgumentError(a.error);
  return a;
}

function seconds(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number of seconds > 0, e.g. 10 or 0.5');
  return n;
}

export function serviceOptions(cmd: Command): Command {
  return cmd
    .option('--metrics <addr:port>', `serve Prometheus metrics on /metrics and the state as JSON on /status (a port alone binds 127.0.0.1; e.g. ${DEFAULT_METRICS_PORT} or 0.0.0.0:${DEFAULT_METRICS_PORT})`, listenAddress)
    .option('--events <file>', 'append every event to this file as a JSON line (- for standard output); reopened on SIGHUP, for logrotate')
    .option('--on-event <cmd>', 'run this shell command for every event, with the event as a JSON line on its standard input (one at a time, in order)')
    .option('--on-event-timeout <s>', 'kill an --on-event run after this many seconds', seconds, DEFAULT_HOOK_TIMEOUT_SECONDS);
}

export const SERVICE_HELP = `
As a service: --metrics for Prometheus (and \`vrrpwatch check --from URL\` for
Nagios/Icinga), --events for a JSON-lines log, --on-event to act on events.
Example: vrrpwatch watch -i eth0 --no-tui --metrics ${DEFAULT_METRICS_PORT} \\
           --events /var/log/vrrpwatch/eth0.jsonl
`;
