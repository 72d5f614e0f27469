// `vrrpwatch [watch] (-i IFACE | -r FILE)`, the default command: every virtual router on the LAN
// and every event as it happens, in a terminal UI, or as event lines (text or JSON) when the
// output is not a terminal. The work is in src/tui/; this file checks the options and loads it.
import { Command, InvalidArgumentError } from 'commander';
import { CliError, Exit } from '../errors.js';
import { collectConfig, CONFIG_FLAGS, CONFIG_HELP, loadConfigs, type ConfigArg } from './config-option.js';
import { DEFAULT_HOOK_QUEUE, serviceOptions, SERVICE_HELP, type ListenAddress } from './service-options.js';

interface WatchCliOptions {
  interface?: string;
  read?: string;
  filter?: string;
  write?: string;
  speed: number;
  tui: boolean;
  json?: boolean;
  config?: ConfigArg[];
  metrics?: ListenAddress;
  events?: string;
  onEvent?: string;
  onEventTimeout: number;
}

function parseSpeed(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError('a number >= 0: 1 is the recorded pace, 10 ten times faster, 0 as fast as possible.');
  }
  return n;
}

function usage(message: string): CliError {
  return new CliError(message, Exit.USAGE);
}

export function makeWatchCommand(): Command {
  const cmd = new Command('watch')
    .description('watch every virtual router live (-i) or replay a capture (-r): a terminal UI, or event lines when the output is not a terminal (the default command)')
    .option('-i, --interface <iface>', 'capture live on this interface (`vrrpwatch interfaces` lists them; `any` for all)')
    .option('-r, --read <file>', 'replay a pcap or pcapng file (- for standard input) at its recorded pace')
    .option('-f, --filter <expr>', 'capture filter (pcap-filter syntax) instead of the default: VRRP, ARP and IPv6 neighbour adverts, with or without VLAN tags')
    .option('-w, --write <file>', 'save every captured frame to this pcap file')
    .option('--speed <n>', 'replay speed: 1 the recorded pace, 10 ten times faster, 0 as fast as possible', parseSpeed, 1)
    .option('--no-tui', 'print event lines instead of the terminal UI (the default when the output is not a terminal)')
    .option('--json', 'print events as JSON lines (implies --no-tui)')
    .option(CONFIG_FLAGS, CONFIG_HELP, collectConfig);
  serviceOptions(cmd)
    .addHelpText('after', SERVICE_HELP)
    .action(async (opts: WatchCliOptions) => {
      if (opts.interface === undefined && opts.read === undefined) {
        throw usage('say what to watch: -i IFACE for a live capture (`vrrpwatch interfaces` lists them) or -r FILE to replay a capture');
      }
      if (opts.interface !== undefined && opts.read !== undefined) throw usage('-i and -r exclude each other: watch an interface or replay a file');
      if (opts.read !== undefined && opts.filter !== undefined) {
        throw usage("-f filters a live capture; to filter a file: tcpdump -r FILE -w - 'EXPR' | vrrpwatch -r -");
      }
      if (opts.read !== undefined && opts.write !== undefined) throw usage('-w saves a live capture (-i); a replayed file is already saved');
      if (opts.interface !== undefined && cmd.getOptionValueSource('speed') === 'cli') throw usage('--speed sets the pace of a replay (-r); a live capture runs in real time');
      const tui = opts.tui && opts.json !== true && process.stdout.isTTY === true && process.stdin.isTTY === true;
      if (tui && opts.events === '-') throw usage('--events - writes to standard output, which the terminal UI uses: give a file, or add --no-tui');
      const live = opts.interface !== undefined;
      const [{ runWatch }, { realClock }] = await Promise.all([import('../tui/run.js'), import('../live/clock.js')]);
      const code = await runWatch(
        {
          iface: opts.interface,
          file: opts.read,
          filter: opts.filter,
          write: opts.write,
          speed: opts.speed,
          tui,
          json: opts.json === true,
          configs: opts.config === undefined ? undefined : loadConfigs(opts.config, { wholeInput: false }),
          service: { metrics: opts.metrics ?? null, events: opts.events ?? null, onEvent: opts.onEvent ?? null, hookTimeoutSeconds: opts.onEventTimeout, hookQueue: DEFAULT_HOOK_QUEUE },
        },
        { clock: realClock, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
      );
      // A closed libpcap session keeps the event loop alive until its next packet (src/live/capture.ts).
      if (live) process.exit(code);
      process.exitCode = code;
    });
  return cmd;
}
