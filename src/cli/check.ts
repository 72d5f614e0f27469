// `vrrpwatch check`: a Nagios/Icinga plugin that judges every VRID of a segment from the wire.
//
// The Monitoring Plugins guidelines, not the rest of the CLI, set its contract: exit 0 OK,
// 1 WARNING, 2 CRITICAL, 3 UNKNOWN; everything on stdout; -h, -V and every usage error exit 3.
// Commander's errors exit 1 and its help and version exit 0, so this command takes its
// arguments unparsed and hands them to a parser of its own whose errors it catches; and the
// root's -V, which commander consumes wherever it appears, is answered here for `check`
// (makeCheckCommand). Any failure to judge (no binding, no permission, no such interface or file,
// a file damaged before its first frame, the timeout) is one UNKNOWN line saying what to do; a
// file damaged later is judged up to the damage, which the first line names.
import { performance } from 'node:perf_hooks';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { VERSION } from '../version.js';
import { Analyzer, type Analysis } from '../analysis/analyzer.js';
import { readCaptureFile } from '../capture/file.js';
import { CaptureFileError } from '../capture/types.js';
import { listen, usOf } from '../check/listen.js';
import { isError, parseExpectMaster, parseSeconds, parseVrid, type ExpectedMaster, type Parsed } from '../check/options.js';
import { eventLines, routerLines, unknownText, verdictText } from '../check/output.js';
import { parseRange, type Range } from '../check/range.js';
import { EXIT_CODE, judge, type Verdict } from '../check/verdict.js';
import { DEFAULT_FROM_WINDOW_SECONDS, DEFAULT_TIMEOUT_SECONDS, MIN_WINDOW_SECONDS, TIMEOUT_RESERVE_SECONDS } from '../check/window.js';
import { eventsSince } from '../check/since.js';
import { isoOfMicros } from '../format/time.js';
import { parseStatus } from '../service/status.js';
import { realClock } from '../live/clock.js';
import { microsToSeconds, secondsToMicros } from '../time/timestamp.js';
import { CliError } from '../errors.js';
import { CONFIG_FLAGS, CONFIG_HELP, loadConfigs, parseConfigArg, type ConfigArg } from './config-option.js';
import { holdAnalysis, lastEvidenceUs } from '../intent/analysis.js';
import { escapeControl } from '../format/escape.js';
import { Output } from './output.js';

interface CheckArgs {
  iface: string | null;
  file: string | null;
  /** --from: a watcher's base URL. */
  from: string | null;
  windowSeconds: number;
  durationSeconds: number | null;
  vrids: number[];
  expectMasters: ExpectedMaster[];
  /** --config: the nodes' keepalived.conf files. */
  configs: ConfigArg[];
  warning: Range | null;
  critical: Range | null;
  timeoutSeconds: number;
  verbose: number;
}

const USAGE =
  '(-i IFACE [--duration S] | -r FILE\n' +
  '          | --from URL [--window S])\n' +
  '         [--vrid N]... [--expect-master VRID=ADDR]... [--config [ADDR=]FILE]...\n' +
  '         [-w RANGE] [-c RANGE]\n' +
  '         [-t SECONDS] [-v] [-V] [-h]';

const HELP_AFTER = `
Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad options, no capture,
timeout, -h, -V). Output goes to stdout only; the first line carries the state.

CRITICAL: split brain, a VIP claimed by two MACs, a --vrid not seen, a master
  silent with no takeover, a VRID without master, two address owners
  (priority 255), -c exceeded.
WARNING: interval, auth or VIP mismatch, one VIP in two VRIDs, bad checksum,
  TTL or packet, --expect-master not master, -w exceeded.
Problems count if seen at any moment of the window, even if over by its end.
A file damaged after its first frame is judged up to the damage.

--from URL asks a watcher (\`vrrpwatch watch -i IFACE --metrics ADDR:PORT\`)
  instead of listening: no root, an answer in milliseconds, its last --window
  (default 300 s) judged by the same rules, e.g. as the nagios user:
  vrrpwatch check --from http://127.0.0.1:9612 --vrid 51

Ranges (-w, -c, on master changes in the window): 10 (alert outside 0..10),
  10: (below 10), ~:10 (above 10), 10:20 (outside), @10:20 (inside).
Example: VRID 51 must be on eth0 with 192.0.2.11 as master; any master change
warns, more than two in the window are critical:
  vrrpwatch check -i eth0 --vrid 51 --expect-master 51=192.0.2.11 -w 0 -c 2
`;

/** One argument parser for commander: a parsed value, or commander's "invalid argument" error. */
function arg<T>(parse: (text: string) => Parsed<T>): (text: string) => T {
  return (text) => {
    const p = parse(text);
    if (isError(p)) throw new InvalidArgumentError(p.error);
    return p;
  };
}

/** A repeatable option; no default, so that help does not print "(default: [])". */
function many<T>(parse: (text: string) => Parsed<T>): (text: string, previous: T[] | undefined) => T[] {
  const one = arg(parse);
  return (text, previous) => [...(previous ?? []), one(text)];
}

/** The real parser: commander, with its exits turned into exceptions and its output kept. */
function parser(write: (s: string) => void): Command {
  return new Command('vrrpwatch check')
    .usage(USAGE)
    .description('Nagios/Icinga plugin: judge every VRRP virtual router on a segment, from the wire.')
    .helpOption('-h, --help', 'this help (exits 3, UNKNOWN, as plugins do)')
    .option('-V, --version', 'the version (exits 3)')
    .option('-i, --interface <iface>', 'listen on this interface (needs root or CAP_NET_RAW)')
    .option('-r, --read <file>', 'judge a capture file (pcap or pcapng; - for stdin)')
    .option('--from <url>', 'judge what a watcher started with --metrics saw (e.g. http://127.0.0.1:9612): no root, no listening')
    .option('--window <seconds>', `with --from: judge the watcher's last this many seconds (default ${DEFAULT_FROM_WINDOW_SECONDS})`, arg(parseSeconds))
    .option('--duration <seconds>', `listen this long (default: three adverts of the slowest interval seen, at least ${MIN_WINDOW_SECONDS} s)`, arg(parseSeconds))
    .option('--vrid <n>', 'a VRID that must be present (repeatable)', many(parseVrid))
    .option('--expect-master <vrid=address>', 'the router that should be master (repeatable)', many(parseExpectMaster))
    .option(CONFIG_FLAGS, `${CONFIG_HELP}; a config mismatch is WARNING`, (t: string, prev: ConfigArg[] | undefined) => {
      const c = parseConfigArg(t);
      if ('error' in c) throw new InvalidArgumentError(c.error);
      return [...(prev ?? []), c];
    })
    .option('-w, --warning <range>', 'WARNING when master changes fall outside this range', arg(parseRange))
    .option('-c, --critical <range>', 'CRITICAL when master changes fall outside this range', arg(parseRange))
    .option('-t, --timeout <seconds>', 'UNKNOWN when there is no verdict by then', arg(parseSeconds), DEFAULT_TIMEOUT_SECONDS)
    .option('-v, --verbose', 'more: -v the events, -vv every event, -vvv the routers', (_: string, n: number) => n + 1, 0)
    .addHelpText('after', HELP_AFTER)
    .configureHelp({ helpWidth: 80 })
    .configureOutput({ writeOut: write, writeErr: write, outputError: () => undefined })
    .exitOverride();
}

type Parse = { run: CheckArgs } | { text: string };

function usageError(message: string): { text: string } {
  return { text: unknownText(message, [`Usage: vrrpwatch check ${USAGE}`, "'vrrpwatch check -h' explains every option."]) };
}

export function parseCheckArgs(argv: readonly string[], version: string): Parse {
  let printed = '';
  const p = parser((s) => { printed += s; });
  try {
    p.parse([...argv], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return { text: printed };
    if (e.code === 'commander.excessArguments') return usageError(`unexpected argument '${p.args[0] ?? ''}': every value follows its option`);
    return usageError(e.message.replace(/^error: /, ''));
  }
  const o = p.opts<{
    version?: boolean; interface?: string; read?: string; from?: string; window?: number; duration?: number; vrid?: number[]; expectMaster?: ExpectedMaster[]; config?: ConfigArg[];
    warning?: Range; critical?: Range; timeout: number; verbose: number;
  }>();
  if (o.version) return { text: `vrrpwatch check ${version}\n` };
  const sources = [o.interface, o.read, o.from].filter((x) => x !== undefined).length;
  if (sources === 0) return usageError('give -i IFACE to listen, -r FILE to judge a capture, or --from URL to ask a watcher');
  if (sources > 1) return usageError('-i, -r and --from exclude each other: listen, read a file, or ask a watcher');
  if (o.window !== undefined && o.from === undefined) return usageError('--window is for --from: -i listens for --duration, a file is judged whole');
  if (o.duration !== undefined && o.from !== undefined) return usageError('--duration is for -i: with --from, --window says how much of the watcher\'s history to judge');
  if (o.from !== undefined && !/^https?:\/\/[^/]+/.test(o.from)) return usageError(`--from ${o.from}: not an http:// URL (e.g. http://127.0.0.1:9612, the watcher's --metrics address)`);
  if (o.duration !== undefined && o.read !== undefined) return usageError('--duration is for -i: a file is judged whole');
  const room = o.timeout - TIMEOUT_RESERVE_SECONDS;
  if (o.interface !== undefined && o.duration !== undefined && o.duration > room) {
    return usageError(`--duration ${o.duration} does not fit in the ${o.timeout} s timeout: give a longer -t`);
  }
  if (o.interface !== undefined && o.duration === undefined && room < MIN_WINDOW_SECONDS) {
    return usageError(`-t ${o.timeout} leaves less than the ${MIN_WINDOW_SECONDS} s minimum window: give a longer -t, or --duration`);
  }
  return {
    run: {
      iface: o.interface ?? null,
      file: o.read ?? null,
      from: o.from ?? null,
      windowSeconds: o.window ?? DEFAULT_FROM_WINDOW_SECONDS,
      durationSeconds: o.duration ?? null,
      vrids: o.vrid ?? [],
      expectMasters: o.expectMaster ?? [],
      configs: o.config ?? [],
      warning: o.warning ?? null,
      critical: o.critical ?? null,
      timeoutSeconds: o.timeout,
      verbose: o.verbose,
    },
  };
}

function helpText(): string {
  const p = parseCheckArgs(['-h'], VERSION);
  return 'text' in p ? p.text : '';
}

class Timeout extends Error {}

interface Judged {
  analysis: Analysis;
  windowSeconds: number | null;
  /** For -v: where the frames came from. */
  source: string;
  /** A file damaged part way: judged up to here. */
  damagedAt?: number;
}

async function judgeFile(file: string, deadlineMs: number): Promise<Judged> {
  const analyzer = new Analyzer();
  let firstUs = Infinity;
  let lastUs = -Infinity;
  let n = 0;
  let damagedAt: number | undefined;
  try {
    await readCaptureFile(file, (rec) => {
      const t = usOf(rec);
      if (t < firstUs) firstUs = t;
      if (t > lastUs) lastUs = t;
      analyzer.frame(rec.linkType, rec.data, t, rec.interfaceName);
      // A regular file is read synchronously: the timeout's timer cannot fire until it is done.
      if ((++n & 1023) === 0 && performance.now() > deadlineMs) throw new Timeout();
    });
  } catch (e) {
    // What `tcpdump -w` leaves when killed (a last record cut off): judge what was read.
    if (!(e instanceof CaptureFileError) || n === 0) throw e;
    damagedAt = e.offset;
  }
  const a = analyzer.result(lastUs === -Infinity ? undefined : lastUs);
  const windowSeconds = lastUs === -Infinity ? null : microsToSeconds(lastUs - firstUs);
  const damage = damagedAt === undefined ? '' : `; damaged at byte ${damagedAt}, judged up to there`;
  return { analysis: a, windowSeconds, source: `read ${file}: ${a.packets.total} frames, ${a.packets.vrrp} VRRP${damage}`, damagedAt };
}

async function judgeLive(iface: string, args: CheckArgs, deadlineMs: number): Promise<Judged> {
  // Loaded only here: the binding is optional, and reading files must never need it.
  const { openLiveCapture } = await import('../live/capture.js');
  const deadlineUs = usOf(realClock.now()) + (deadlineMs - TIMEOUT_RESERVE_SECONDS * 1000 - performance.now()) * 1000;
  const l = await listen((onRecord) => openLiveCapture({ iface }, onRecord), realClock, { durationSeconds: args.durationSeconds, deadlineUs });
  const p = l.analysis.packets;
  const how = args.durationSeconds !== null ? '--duration'
    : l.slowestIntervalCs === null ? 'no advert seen' : `slowest interval ${l.slowestIntervalCs / 100} s`;
  return {
    analysis: l.analysis,
    windowSeconds: l.windowSeconds,
    source: `listened ${l.windowSeconds.toFixed(1)} s on ${iface} (${how}): ${p.total} frames, ${p.vrrp} VRRP, ${l.stats.dropped} dropped by the kernel`,
  };
}

/** --from: the watcher's /status, its last --window judged. */
async function judgeFrom(base: string, args: CheckArgs, deadlineMs: number): Promise<Judged> {
  const url = `${base.replace(/\/+$/, '')}/status`;
  let doc: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, Math.floor(deadlineMs - TIMEOUT_RESERVE_SECONDS * 1000 - performance.now()))) });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    doc = await res.json();
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? 'no answer in time' : err.cause?.code ?? err.cause?.message ?? err.message;
    throw new CliError(`the watcher at ${url} does not answer (${why}): is \`vrrpwatch watch --metrics\` running there?`, EXIT_CODE.UNKNOWN);
  }
  const s = parseStatus(doc);
  if ('error' in s) throw new CliError(`${url}: ${s.error}`, EXIT_CODE.UNKNOWN);
  const startUs = Math.max(s.sinceUs, s.nowUs - secondsToMicros(args.windowSeconds));
  const analysis: Analysis = { ...s.analysis, events: eventsSince(s.analysis.events, startUs) };
  const p = analysis.packets;
  return {
    analysis,
    windowSeconds: microsToSeconds(s.nowUs - startUs),
    source: `asked ${url}: ${s.source} watched since ${isoOfMicros(s.sinceUs)}, ${p.total} frames, ${p.vrrp} VRRP`,
  };
}

export interface CheckRun {
  code: number;
  text: string;
  /** What the text says, as data (null when there is no verdict: UNKNOWN). */
  verdict: Verdict | null;
  /** A live capture keeps the event loop alive after close (see src/live/capture.ts): exit explicitly. */
  exitNow: boolean;
}

/** Everything `check` does after its arguments are split from the command line: never throws. */
export async function runCheck(argv: readonly string[], version: string): Promise<CheckRun> {
  let parsed: Parse;
  try {
    parsed = parseCheckArgs(argv, version);
  } catch (e) {
    return { code: EXIT_CODE.UNKNOWN, text: unknownText(`internal error parsing the options: ${(e as Error).message}`), verdict: null, exitNow: false };
  }
  if ('text' in parsed) return { code: EXIT_CODE.UNKNOWN, text: parsed.text, verdict: null, exitNow: false };
  const args = parsed.run;
  const deadlineMs = performance.now() + args.timeoutSeconds * 1000;
  const live = args.iface !== null;
  const what = live ? `listening on ${args.iface}` : args.from !== null ? `asking ${args.from}` : `reading ${args.file === '-' ? 'standard input' : args.file}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = live ? judgeLive(args.iface as string, args, deadlineMs)
      : args.from !== null ? judgeFrom(args.from, args, deadlineMs)
      : judgeFile(args.file as string, deadlineMs);
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout()), args.timeoutSeconds * 1000);
    });
    const j = await Promise.race([work, expiry]);
    // --config: the configs read (a file that cannot be read is a lint finding) and held against the window.
    const configs = args.configs.length === 0 ? null : loadConfigs(args.configs, { wholeInput: false });
    if (configs !== null) j.analysis = holdAnalysis(j.analysis, configs.watch, lastEvidenceUs(j.analysis));
    const verdict = judge(j.analysis, {
      expectVrids: args.vrids,
      expectMasters: args.expectMasters,
      warning: args.warning,
      critical: args.critical,
      windowSeconds: j.windowSeconds,
    });
    if (j.damagedAt !== undefined) verdict.summary += `; file damaged at byte ${j.damagedAt}`;
    const lintLines = configs === null ? [] : configs.lint.findings.map((f) => `${escapeControl(f.file)}:${f.line}: ${f.severity}: ${escapeControl(f.message)} [${f.code}]`);
    const extra = args.verbose >= 1 ? [j.source, ...lintLines, ...eventLines(j.analysis, args.verbose), ...(args.verbose >= 3 ? routerLines(j.analysis) : [])] : [];
    return { code: EXIT_CODE[verdict.state], text: verdictText(verdict, extra), verdict, exitNow: live };
  } catch (e) {
    if (e instanceof Timeout) {
      return { code: EXIT_CODE.UNKNOWN, text: unknownText(`no verdict within the ${args.timeoutSeconds} s timeout (-t) while ${what}`), verdict: null, exitNow: true };
    }
    // CliErrors (binding, permission, interface) and the file reader's errors are one sentence already.
    const message = e instanceof Error ? e.message : String(e);
    const known = e instanceof CliError || e instanceof CaptureFileError || message.startsWith('cannot ');
    return { code: EXIT_CODE.UNKNOWN, text: unknownText(known ? message : `internal error while ${what}: ${message}`), verdict: null, exitNow: live };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The `check` command. It parses its own options (the plugin guidelines' conventions differ from
 * commander's: usage errors, -h and -V all exit 3); program.ts leaves -V to it.
 */
export function makeCheckCommand(): Command {
  const check = new Command('check')
    .description('Nagios/Icinga plugin: judge every VRID on a segment from the wire (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; -h for options)')
    .usage(USAGE.replace(/\n\s+/g, ' '))
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]')
    .configureHelp({ formatHelp: () => helpText() }) // `vrrpwatch help check` shows the plugin's help
    .action(async (argv: string[]) => {
      const r = await runCheck(argv, VERSION);
      const out = new Output();
      out.write(r.text);
      await out.end();
      process.exitCode = r.code;
      if (r.exitNow) process.exit(r.code);
    });
  return check;
}
