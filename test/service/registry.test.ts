// The registry's own formatting of our families is prom-client's text, byte for byte (the
// registry formats them itself for speed; see registry.ts), escapes and special values included.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MetricsRegistry, familyText } from '../../src/service/registry.js';
import type { MetricFamily } from '../../src/service/metrics.js';

const FAMILIES: MetricFamily[] = [
  {
    name: 'vrrpwatch_test_gauge', help: 'A help with a \\ backslash\nand a newline.', type: 'gauge', labelNames: ['segment', 'router'],
    samples: [
      { labels: { segment: 'eth0.30', router: '192.0.2.11' }, value: 1 },
      { labels: { segment: 'we"ird\\name\n', router: 'fe80::1' }, value: 0.000123 },
      { labels: { segment: 'x', router: 'y' }, value: NaN },
      { labels: { segment: 'x', router: 'z' }, value: Infinity },
      { labels: { segment: 'x', router: 'w' }, value: -Infinity },
    ],
  },
  { name: 'vrrpwatch_test_total', help: 'A counter.', type: 'counter', labelNames: [], samples: [{ labels: {}, value: 12345678901 }] },
  { name: 'vrrpwatch_test_empty', help: 'No series now.', type: 'gauge', labelNames: ['vrid'], samples: [] },
];

describe('MetricsRegistry', () => {
  it('writes what prom-client\'s own formatter writes for the same values', async () => {
    const ours = await new MetricsRegistry(() => FAMILIES).scrape();
    const reference = new Registry();
    for (const f of FAMILIES) {
      reference.registerMetric({ name: f.name, help: f.help, type: f.type, labelNames: f.labelNames, reset: () => undefined, get: async () => ({ name: f.name, help: f.help, type: f.type, aggregator: 'sum', values: f.samples }) } as never);
    }
    expect(ours).toBe(await reference.metrics());
    expect(familyText('a', 'b', 'gauge', [], [])).toBe('# HELP a b\n# TYPE a gauge');
  });

  it('computes the families at every scrape; a family that vanishes keeps its HELP, without series', async () => {
    let n = 0;
    const r = new MetricsRegistry(() => (n++ === 0 ? FAMILIES : FAMILIES.slice(1)));
    expect(await r.scrape()).toContain('vrrpwatch_test_gauge{');
    const second = await r.scrape();
    expect(second).toContain('# TYPE vrrpwatch_test_gauge gauge');
    expect(second).not.toContain('vrrpwatch_test_gauge{');
  });
});
