// The metric families (metrics.ts) through prom-client: a registry of our own (no default
// process metrics), refilled from the state at every scrape, so that values such as an advert's
// age are computed when Prometheus asks and series of forgotten routers disappear.
import { Counter, Gauge, Registry } from 'prom-client';
import type { MetricFamily } from './metrics.js';

export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly metrics = new Map<string, Gauge | Counter>();

  /** `families` is called once per scrape. */
  constructor(private readonly families: () => MetricFamily[]) {}

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text of the state now. */
  async scrape(): Promise<string> {
    for (const f of this.families()) {
      const m = this.metric(f);
      m.reset();
      if (m instanceof Counter) for (const s of f.samples) m.inc(s.labels, s.value);
      else for (const s of f.samples) m.set(s.labels, s.value);
    }
    return this.registry.metrics();
  }

  private metric(f: MetricFamily): Gauge | Counter {
    let m = this.metrics.get(f.name);
    if (m === undefined) {
      const config = { name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [this.registry] };
      m = f.type === 'counter' ? new Counter(config) : new Gauge(config);
      this.metrics.set(f.name, m);
    }
    return m;
  }
}
