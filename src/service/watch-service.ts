// A watch run as a service: the metrics and status server, the events file and the event hook,
// fed by the watch's analyzer. runWatch (src/tui/run.ts) makes one when any of --metrics,
// --events, --on-event is given, hands it every event, and closes it at the end.
import type { Analyzer } from '../analysis/analyzer.js';
import { eventJson } from '../analysis/report.js';
import type { AnalysisEvent } from '../analysis/types.js';
import { VERSION } from '../version.js';
import type { ListenAddress } from './address.js';
import { EventLog } from './event-log.js';
import { EventHistory } from './history.js';
import { EventHook } from './hook.js';
import { isJournalStream, logWriter, type LogPriority } from './journal.js';
import { watchMetrics, type CaptureFacts } from './metrics.js';
import { MetricsRegistry } from './registry.js';
import { startServer, type RunningServer } from './server.js';
import { statusJson } from './status.js';

export interface ServiceOptions {
  /** --metrics: where to serve /metrics and /status. */
  metrics: ListenAddress | null;
  /** --events: a file to append JSON lines to, or '-' for standard output. */
  events: string | null;
  /** --on-event: a shell command fed each event on its standard input. */
  onEvent: string | null;
  hookTimeoutSeconds: number;
  hookQueue: number;
}

export function wantsService(o: ServiceOptions): boolean {
  return o.metrics !== null || o.events !== null || o.onEvent !== null;
}

export interface ServiceIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** What the watch gives the service once its source is open. */
export interface WatchedState {
  analyzer: Analyzer;
  /** The analysis's now (packet time, µs); not finite before a replay's first frame. */
  nowUs(): number;
  capture(): CaptureFacts;
}

const HOOK_CLOSE_GRACE_MS = 5000;

export class WatchService {
  readonly history = new EventHistory();
  readonly log: (priority: LogPriority, text: string) => void;
  private readonly events: EventLog | null;
  private readonly hook: EventHook | null;
  private server: RunningServer | null = null;
  private state: WatchedState | null = null;
  private sinceUs = NaN;
  private readonly onHup = (): void => this.events?.reopen();

  private constructor(private readonly o: ServiceOptions, io: ServiceIo) {
    this.log = logWriter(io.stderr, isJournalStream(io.env, 2));
    this.events = o.events === null ? null : new EventLog(o.events, io.stdout, this.log);
    this.hook = o.onEvent === null ? null : new EventHook({ command: o.onEvent, timeoutSeconds: o.hookTimeoutSeconds, maxQueue: o.hookQueue, env: io.env, log: this.log });
    if (this.events !== null && o.events !== '-') process.on('SIGHUP', this.onHup);
  }

  /** Opens the events file; the server starts in attach(), once there is a state to serve. */
  static create(o: ServiceOptions, io: ServiceIo): WatchService {
    return new WatchService(o, io);
  }

  /** The watch's source is open: serve its state. */
  async attach(state: WatchedState, source: string): Promise<void> {
    this.state = state;
    const metrics = new MetricsRegistry(() => {
      const a = state.analyzer.result();
      this.history.prune(a.vrids);
      return watchMetrics({
        analysis: a,
        history: this.history,
        nowUs: this.now(),
        capture: state.capture(),
        hook: this.hook?.counts ?? null,
        build: { version: VERSION, nodejs: process.versions.node },
      });
    });
    if (this.o.metrics !== null) {
      this.server = await startServer(this.o.metrics, {
        metrics: () => metrics.scrape(),
        metricsContentType: metrics.contentType,
        status: () => {
          const a = state.analyzer.result();
          this.history.prune(a.vrids);
          const now = this.now();
          return statusJson({ analysis: a, history: this.history, nowUs: now, startedUs: Number.isFinite(this.sinceUs) ? this.sinceUs : now, source });
        },
      });
    }
    this.now();
  }

  /** Where the server listens, null without --metrics. */
  get address(): ListenAddress | null {
    return this.server?.address ?? null;
  }

  private now(): number {
    const t = this.state?.nowUs() ?? NaN;
    if (Number.isFinite(t) && !Number.isFinite(this.sinceUs)) this.sinceUs = t;
    return Number.isFinite(t) ? t : 0;
  }

  /** Every event of the analyzer, as it happens. */
  event(e: AnalysisEvent): void {
    this.history.event(e);
    if (!Number.isFinite(this.sinceUs)) this.sinceUs = e.timeUs;
    if (this.events === null && this.hook === null) return;
    const line = `${JSON.stringify(eventJson(e))}\n`;
    this.events?.write(line);
    this.hook?.push(line);
  }

  async close(): Promise<void> {
    process.off('SIGHUP', this.onHup);
    await this.server?.close();
    await this.hook?.close(HOOK_CLOSE_GRACE_MS);
    this.events?.close();
  }
}
