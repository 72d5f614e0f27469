// A watch run as a service: the metrics and status server, the events file and the event hook,
// fed by the watch's analyzer. runWatch (src/tui/run.ts) makes one when any of --metrics,
// --events, --on-event is given, hands it every event, and closes it at the end.
import type { Analyzer } from '../analysis/analyzer.js';
import { eventJson } from '../analysis/report.js';
import type { AnalysisEvent } from '../analysis/types.js';
import { VERSION } from '../version.js';
import type { ListenAddress } from './address.js';
import { EventHistory } from './history.js';
import type { LogPriority } from './journal.js';
import { EventSinks, type ServiceIo, type SinkOptions } from './sinks.js';
import { watchMetrics, type CaptureFacts } from './metrics.js';
import { MetricsRegistry } from './registry.js';
import { startServer, type RunningServer } from './server.js';
import { statusJson } from './status.js';

export interface ServiceOptions extends SinkOptions {
  /** --metrics: where to serve /metrics and /status. */
  metrics: ListenAddress | null;
}

export function wantsService(o: ServiceOptions): boolean {
  return o.metrics !== null || o.events !== null || o.onEvent !== null;
}

/** What the watch gives the service once its source is open. */
export interface WatchedState {
  analyzer: Analyzer;
  /** The analysis's now (packet time, µs); not finite before a replay's first frame. */
  nowUs(): number;
  capture(): CaptureFacts;
}

export class WatchService {
  readonly history = new EventHistory();
  private readonly sinks: EventSinks;
  private server: RunningServer | null = null;
  private state: WatchedState | null = null;
  private sinceUs = NaN;
  private pruning = false;

  private constructor(private readonly o: ServiceOptions, io: ServiceIo) {
    this.sinks = new EventSinks(o, io);
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
        hook: this.sinks.hookCounts,
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

  /** Log lines on stderr (with syslog priorities on the journal). */
  log(priority: LogPriority, text: string): void {
    this.sinks.log(priority, text);
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
    // Without scrapes (no --metrics, or a long pause), forget evicted VRIDs here; after the
    // analyzer's turn, not in the middle of the event it is emitting.
    if (this.history.needsPrune && !this.pruning && this.state !== null) {
      const state = this.state;
      this.pruning = true;
      setImmediate(() => {
        this.pruning = false;
        this.history.prune(state.analyzer.result().vrids);
      });
    }
    if (!Number.isFinite(this.sinceUs)) this.sinceUs = e.timeUs;
    if (this.sinks.wanted) this.sinks.write(eventJson(e));
  }

  async close(): Promise<void> {
    await this.server?.close();
    await this.sinks.close();
  }
}
