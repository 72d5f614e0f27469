// A watch from start to end: open the source, feed the monitor, tick it with the clock, and show
// the result as the terminal UI or as event lines. Time: frames carry their own timestamps; a
// timer every 100 ms moves the analyzer to the source's "now" (the real clock live, the replay's
// position for a file) so that master-down and split-brain-end appear when nothing arrives.
import type { LoadedConfigs } from '../cli/config-option.js';
import type { AnalysisEvent } from '../analysis/types.js';
import { escapeControl, safeJson } from '../format/escape.js';
import { microsToMillis, microsToSeconds } from '../time/timestamp.js';
import type { Readable, Writable } from 'node:stream';
import { eventJson, eventLine } from '../analysis/report.js';
import type { CaptureRecord } from '../capture/types.js';
import { CliError, Exit } from '../errors.js';
import { Output } from '../cli/output.js';
import { Monitor } from './monitor.js';
import { DEFAULT_RECENT_BYTES, saveFileName, type RecentFrames } from './recent.js';
import { clockUs, type Clock, type Source } from './source.js';
import type { App } from './app.js';
import type { Snapshot, SourceInfo } from './view/model.js';
import type { ServiceOptions, WatchService } from '../service/watch-service.js';
import { formatListenAddress } from '../service/address.js';

export interface WatchOptions {
  iface?: string;
  file?: string;
  filter?: string;
  write?: string;
  /** Replay speed (files): 1 recorded pace, 0 at once. */
  speed: number;
  /** The terminal UI; otherwise event lines. */
  tui: boolean;
  json: boolean;
  /** --config: the nodes' keepalived.conf files, held against the wire (src/intent/). */
  configs?: LoadedConfigs;
  /** --metrics, --events, --on-event: run as a service too. */
  service?: ServiceOptions;
}

export interface WatchDeps {
  clock: Clock;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Tests: the terminal UI, once it is up. */
  onApp?: (app: App) => void;
  /** Tests: the source has ended (a replay read to its end, or failed) and the view knows it. */
  onSourceEnd?: () => void;
}

const TICK_MS = 100;
/** --config is judged every this many ticks (a second), and once more when a replay ends. */
const CONFIG_TICKS = 10;

/** The configs' lint findings, once, before the events: `file:line: severity: message [code]`. */
function configLintLines(c: LoadedConfigs): string[] {
  return c.lint.findings.map((f) => `vrrpwatch: ${escapeControl(f.file)}:${f.line}: ${f.severity}: ${escapeControl(f.message)} [${f.code}]\n`);
}
/** Live: how often the kernel's drop counter is checked in line mode. */
const DROP_CHECK_TICKS = 10;


/** An event as `analyze` prints it in its timeline. */

function sourceInfo(opts: WatchOptions): SourceInfo {
  if (opts.file !== undefined) return { kind: 'file', name: opts.file === '-' ? '<stdin>' : opts.file, filter: '', speed: opts.speed, savingTo: null };
  return { kind: 'live', name: opts.iface ?? '', filter: opts.filter ?? null, speed: null, savingTo: opts.write ?? null };
}

/** `pace`: the output's backpressure, which a replay waits for (a live capture cannot). */
async function openSource(opts: WatchOptions, deps: WatchDeps, onRecord: (rec: CaptureRecord) => void, pace?: () => Promise<void> | null): Promise<Source & { saver?: { frames: number } | null }> {
  if (opts.file !== undefined) {
    const { openReplay } = await import('./replay.js');
    return openReplay({ path: opts.file, speed: opts.speed, clock: deps.clock, onRecord, stdin: deps.stdin, pace });
  }
  const { openLive } = await import('./live-source.js');
  return openLive({ iface: opts.iface as string, filter: opts.filter, savePath: opts.write, clock: deps.clock, onRecord });
}

function summary(monitor: Monitor, source: Source, iface: string): string {
  const c = monitor.analyzer.counter;
  const d = source.drops();
  const drops = d === null ? '' : `; dropped by the kernel ${d.dropped}, by the interface ${d.ifDropped}`;
  return `vrrpwatch: ${c.frames} packets (${c.vrrp} VRRP) on ${iface}${drops}\n`;
}

/** Writes the kept frames next to the user, under a name that is not taken yet. */
async function saveRecent(recent: RecentFrames, tsSec: number): Promise<string> {
  const base = saveFileName(tsSec);
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : base.replace(/\.pcap$/, `-${n}.pcap`);
    try {
      const frames = await recent.save(name);
      const older = recent.forgotten > 0 ? `; ${recent.forgotten} older frames were not kept (-w keeps everything)` : '';
      return `saved the last ${frames} frames to ${name}${older}`;
    } catch (e) {
      const code = ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code !== 'EEXIST' || n >= 100) throw e;
    }
  }
}

export async function runWatch(opts: WatchOptions, deps: WatchDeps): Promise<number> {
  return opts.tui ? runTui(opts, deps) : runLines(opts, deps);
}

/** The service parts (metrics, events file, hook) when any is asked for; loaded only then. */
async function createService(opts: WatchOptions, deps: WatchDeps): Promise<WatchService | null> {
  const o = opts.service;
  if (o === undefined) return null;
  const { WatchService: Service, wantsService } = await import('../service/watch-service.js');
  return wantsService(o) ? Service.create(o, deps) : null;
}

/** Serve the watch's state; on failure (the port is taken) the source is closed. */
async function attachService(service: WatchService | null, monitor: Monitor, source: Source, opts: WatchOptions): Promise<void> {
  if (service === null) return;
  let failed = false;
  source.finished.catch(() => { failed = true; });
  const name = opts.iface ?? opts.file ?? '';
  try {
    await service.attach({ analyzer: monitor.analyzer, nowUs: () => source.nowUs(), capture: () => ({ source: name, drops: source.drops(), up: !failed }) }, name);
  } catch (e) {
    await source.close().catch(() => undefined);
    await service.close();
    throw e;
  }
}

async function runLines(opts: WatchOptions, deps: WatchDeps): Promise<number> {
  const out = new Output(deps.stdout);
  // On the systemd journal, each line carries its syslog priority.
  const { isJournalStream, logWriter } = await import('../service/journal.js');
  const log = logWriter(deps.stderr, isJournalStream(deps.env, 2) && deps.stderr === process.stderr);
  let flushing = false;
  const service = await createService(opts, deps);
  const intent = opts.configs?.watch ?? null;
  const emit = (e: AnalysisEvent): void => {
      service?.event(e);
      out.write(opts.json ? `${safeJson(eventJson(e))}\n` : eventLine(e));
      // Events leave within the same turn of the event loop, however many come in it.
      if (!flushing) {
        flushing = true;
        setImmediate(() => {
          flushing = false;
          out.flush();
        });
      }
  };
  const monitor = new Monitor({ onEvent: (e) => emit(intent === null ? e : intent.observe(e)) });
  const judgeConfigs = (final: boolean): void => {
    const t = source.nowUs();
    if (intent !== null && Number.isFinite(t)) for (const e of intent.evaluate(monitor.analyzer.tracker.snapshot(), t, final)) emit(e);
  };
  if (opts.configs !== undefined) for (const l of configLintLines(opts.configs)) log('info', l);
  // A stalled reader of stdout (`watch -r FILE --no-tui | sleep 999`) holds the replay back: memory stays flat.
  const source = await openSource(opts, deps, monitor.record, () => out.ready());
  await attachService(service, monitor, source, opts);
  if (service?.address) service.log('info', `vrrpwatch: serving /metrics and /status on http://${formatListenAddress(service.address)}\n`);
  let ticks = 0;
  let reportedDrops = 0;
  const stopTicks = deps.clock.every(TICK_MS, () => {
    const t = source.nowUs();
    if (Number.isFinite(t)) monitor.tick(t);
    if (ticks % CONFIG_TICKS === 0) judgeConfigs(false);
    if (++ticks % DROP_CHECK_TICKS !== 0) return;
    const d = source.drops();
    if (d !== null && d.dropped > reportedDrops) {
      log('warning', `vrrpwatch: the kernel dropped ${d.dropped - reportedDrops} packets (${d.dropped} in all): this machine cannot keep up, events may be missing\n`);
      reportedDrops = d.dropped;
    }
  });
  let stop = (): void => undefined;
  const signals = new Promise<void>((resolve) => {
    stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const failure = await Promise.race([source.finished, signals]).then(() => null, (e: Error) => e);
  stop(); // a replay that ended leaves no handler behind
  stopTicks();
  const t = source.nowUs();
  if (Number.isFinite(t)) monitor.tick(t);
  judgeConfigs(opts.file !== undefined);
  const closeError = await source.close().then(() => null, (e: Error) => e);
  await service?.close();
  await out.end();
  if (opts.iface !== undefined) log('info', summary(monitor, source, opts.iface));
  const err = failure ?? closeError;
  if (err !== null) {
    log('error', `vrrpwatch: ${err.message}\n`);
    return err instanceof CliError ? err.exitCode : Exit.INPUT;
  }
  return Exit.OK;
}

async function runTui(opts: WatchOptions, deps: WatchDeps): Promise<number> {
  // The terminal library loads only when a screen is wanted.
  const [{ App }, { ViewModel }, { usableTerminal, onAnyExit }] = await Promise.all([
    import('./app.js'),
    import('./view/model.js'),
    import('./terminal.js'),
  ]);
  const view = new ViewModel(sourceInfo(opts));
  let app: InstanceType<typeof App> | null = null;
  const service = await createService(opts, deps);
  const intent = opts.configs?.watch ?? null;
  const show = (e: AnalysisEvent): void => {
    service?.event(e);
    view.event(e);
    app?.invalidate();
  };
  const monitor = new Monitor({
    onEvent: (e) => show(intent === null ? e : intent.observe(e)),
    keepPackets: true,
    recentBytes: opts.write === undefined ? DEFAULT_RECENT_BYTES : 0,
  });
  const source = await openSource(opts, deps, (rec) => {
    monitor.record(rec);
    app?.invalidate();
  });
  await attachService(service, monitor, source, opts);
  const startUs = clockUs(deps.clock);
  const nowMs = (): number => microsToMillis(clockUs(deps.clock));
  const snapshot = (): Snapshot => {
    const now = source.nowUs();
    const drops = source.drops();
    const c = monitor.analyzer.counter;
    return {
      nowUs: Number.isFinite(now) ? now : clockUs(deps.clock),
      runningSeconds: microsToSeconds(clockUs(deps.clock) - startUs),
      counters: { packets: c.frames, vrrp: c.vrrp, malformed: c.malformed, dropped: drops?.dropped ?? null, ifDropped: drops?.ifDropped ?? null },
      vrids: monitor.analyzer.tracker.snapshot(),
      replay: source.replay(),
      packet: (key, router) => monitor.packets?.get(key, router),
    };
  };

  return new Promise<number>((resolve) => {
    let ended = false;
    let stopTicks = (): void => undefined;
    let unhook = (): void => undefined;
    const end = (code: number, message?: string): void => {
      if (ended) return;
      ended = true;
      stopTicks();
      app?.destroy();
      unhook();
      if (message !== undefined) deps.stderr.write(message);
      void source
        .close()
        .catch((e: Error) => {
          deps.stderr.write(`vrrpwatch: ${e.message}\n`);
          code = code === Exit.OK ? Exit.INPUT : code;
        })
        .then(() => service?.close())
        .then(() => {
          if (opts.iface !== undefined) deps.stderr.write(summary(monitor, source, opts.iface));
          resolve(code);
        });
    };
    const save = (): void => {
      const saver = 'saver' in source ? source.saver : null;
      if (saver) {
        view.notify(`every frame is being saved to ${opts.write} (${saver.frames} so far)`);
      } else if (monitor.recent !== null) {
        const recent = monitor.recent;
        view.notify('saving...');
        saveRecent(recent, deps.clock.now().tsSec).then(
          (text) => view.notify(text),
          (e: Error) => view.notify(e.message, 'critical'),
        ).finally(() => app?.invalidate());
      }
    };
    app = new App({
      view,
      snapshot,
      nowMs,
      input: deps.stdin,
      output: deps.stdout,
      terminal: usableTerminal(deps.env.TERM),
      color: deps.env.NO_COLOR === undefined || deps.env.NO_COLOR === '',
      onEffect: (effect) => {
        switch (effect) {
          case 'quit': end(Exit.OK); break;
          case 'save': save(); break;
          case 'pause': source.pause(); break;
          case 'resume': source.resume(); break;
        }
      },
    });
    deps.onApp?.(app);
    unhook = onAnyExit(
      () => app?.destroy(),
      ({ error }) => {
        if (error === undefined) end(Exit.OK);
        else end(1, `vrrpwatch: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      },
    );
    let ticks = 0;
    stopTicks = deps.clock.every(TICK_MS, () => {
      const t = source.nowUs();
      if (Number.isFinite(t)) monitor.tick(t);
      if (intent !== null && Number.isFinite(t) && ticks++ % CONFIG_TICKS === 0) for (const e of intent.evaluate(monitor.analyzer.tracker.snapshot(), t, false)) show(e);
      app?.tick();
    });
    source.finished.then(
      () => {
        const t = source.nowUs();
        if (Number.isFinite(t)) monitor.tick(t);
        app?.invalidate();
        deps.onSourceEnd?.();
      },
      (e: Error) => {
        view.notify(e.message, 'critical');
        app?.invalidate();
        deps.onSourceEnd?.();
      },
    );
  });
}
