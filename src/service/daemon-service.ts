// The daemon run as a service: /metrics and /status (its instances), and its state changes as
// event lines to --events and --on-event. run.ts makes one when any of those options is given.
import type { Transition } from '../daemon/machine.js';
import { isoOfMicros } from '../format/time.js';
import { VERSION } from '../version.js';
import { daemonMetrics, transitionEvent, type InstanceFacts } from './daemon-metrics.js';
import { hookMetrics } from './metrics.js';
import { MetricsRegistry } from './registry.js';
import { startServer, type RunningServer } from './server.js';
import { EventSinks, type ServiceIo } from './sinks.js';
import type { ServiceOptions } from './watch-service.js';

export class DaemonService {
  private constructor(readonly sinks: EventSinks, private readonly server: RunningServer | null) {}

  static async start(o: ServiceOptions, io: ServiceIo, instances: () => InstanceFacts[]): Promise<DaemonService> {
    const sinks = new EventSinks(o, io);
    let server: RunningServer | null = null;
    if (o.metrics !== null) {
      const registry = new MetricsRegistry(() => {
        const hook = sinks.hookCounts;
        return [...daemonMetrics(instances(), { version: VERSION, nodejs: process.versions.node }), ...(hook === null ? [] : hookMetrics(hook))];
      });
      try {
        server = await startServer(o.metrics, { metrics: () => registry.scrape(), metricsContentType: registry.contentType, status: () => ({ instances: instances() }) });
      } catch (e) {
        await sinks.close();
        throw e;
      }
    }
    return new DaemonService(sinks, server);
  }

  /** Where the server listens, null without --metrics. */
  get address(): RunningServer['address'] | null {
    return this.server?.address ?? null;
  }

  /** A state change of instance `i`, at `atMs` (Unix milliseconds). */
  transition(i: InstanceFacts, t: Transition, atMs: number): void {
    this.sinks.write(transitionEvent(i, t, i.effectivePriority, isoOfMicros(Math.round(atMs * 1000))));
  }

  async close(): Promise<void> {
    await this.server?.close();
    await this.sinks.close();
  }
}
