// The metric families (metrics.ts) through prom-client: a registry of our own (no default
// process metrics), whose metrics are computed from the state at every scrape, so that values
// such as an advert's age are those of the moment Prometheus asks, and series of forgotten
// routers disappear.
//
// Speed: a watcher of 1,000 VRIDs has ~27,000 series. The usual Gauge.set() per series hashes
// every label set again at each scrape, and the registry's generic formatter builds several
// arrays per line; together they cost ~80 ms of CPU a scrape, over the 50 ms budget. So each
// family is registered as a collector handing over its samples as they are, and the registry
// formats those collectors' lines itself, in the same text (test/service/registry.test.ts holds
// it to prom-client's own formatter); anything else registered goes through prom-client's.
import { Registry, type Metric } from 'prom-client';
import type { MetricFamily, Sample } from './metrics.js';

/** Marks our collectors, and holds their samples for this scrape. */
const SAMPLES = Symbol('samples');

interface Collector {
  name: string;
  help: string;
  type: string;
  labelNames: readonly string[];
  [SAMPLES]: () => readonly Sample[];
}

type Formatter = (this: Registry, metric: unknown) => Promise<string>;
const base = (Registry.prototype as unknown as { getMetricsAsString: Formatter }).getMetricsAsString;

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabel(s: string): string {
  return /[\\\n"]/.test(s) ? escapeHelp(s).replace(/"/g, '\\"') : s;
}

function valueText(v: number): string {
  return Number.isNaN(v) ? 'Nan' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : `${v}`;
}

/**
 * One family in the Prometheus text format, as prom-client's registry writes it. The labels in
 * the order of `labelNames` (every sample of a family has those, in that order: metrics.ts).
 */
export function familyText(name: string, help: string, type: string, labelNames: readonly string[], samples: readonly Sample[]): string {
  const lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
  for (const s of samples) {
    let labels = '';
    for (const k of labelNames) {
      const v = s.labels[k];
      if (v !== undefined) labels += `${labels === '' ? '' : ','}${k}="${escapeLabel(v)}"`;
    }
    lines.push(`${name}${labels === '' ? '' : `{${labels}}`} ${valueText(s.value)}`);
  }
  return lines.join('\n');
}

class SampleRegistry extends Registry {
  async getMetricsAsString(metric: unknown): Promise<string> {
    const c = metric as Partial<Collector>;
    const samples = c[SAMPLES];
    if (samples === undefined) return base.call(this, metric);
    return familyText(c.name as string, c.help as string, c.type as string, c.labelNames ?? [], samples());
  }
}

export class MetricsRegistry {
  readonly registry: Registry = new SampleRegistry();
  /** This scrape's families, by name. */
  private current = new Map<string, MetricFamily>();

  /** `families` is called once per scrape. */
  constructor(private readonly families: () => MetricFamily[]) {}

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text of the state now. */
  async scrape(): Promise<string> {
    const fams = this.families();
    this.current = new Map(fams.map((f) => [f.name, f]));
    for (const f of fams) if (this.registry.getSingleMetric(f.name) === undefined) this.registry.registerMetric(this.collector(f));
    return this.registry.metrics();
  }

  private collector(f: MetricFamily): Metric {
    const { name, help, type } = f;
    const samples = (): readonly Sample[] => this.current.get(name)?.samples ?? [];
    // get() is what prom-client's other readers (getMetricsAsJSON) use.
    const get = async () => ({ name, help, type, aggregator: 'sum', values: samples() });
    const c = { name, help, type, get, reset: () => undefined, labelNames: [...f.labelNames], [SAMPLES]: samples };
    return c as unknown as Metric;
  }
}
