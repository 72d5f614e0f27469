// The metrics mapping, from real analyses of hand-built frames: which series exist and their
// values, through a failover, a split brain and its end, and a flood that the tracker evicts.
import { describe, expect, it } from 'vitest';
import { EventHistory } from '../../src/service/history.js';
import { VRID_CONDITIONS, segmentLabel, watchMetrics, type MetricFamily } from '../../src/service/metrics.js';
import { A, B, Scenario, us } from '../analysis/scenario.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

/** The history is fed the scenario's events up to `endSeconds`, as the watcher's analyzer feeds it. */
const fed = new WeakMap<EventHistory, number>();

function metricsAt(s: Scenario, h: EventHistory, endSeconds: number): MetricFamily[] {
  s.flush();
  const a = s.analyzer.result(us(endSeconds));
  const events = s.events;
  for (let i = fed.get(h) ?? 0; i < events.length; i++) h.event(events[i]!);
  fed.set(h, events.length);
  h.prune(a.vrids);
  return watchMetrics({ analysis: a, history: h, nowUs: us(endSeconds), capture: { source: 'eth0', drops: { dropped: 3, ifDropped: 0 }, up: true }, hook: null, build: { version: '9.9.9', nodejs: '20.0.0' } });
}

function scenario(): { s: Scenario; h: EventHistory } {
  return { s: new Scenario(), h: new EventHistory() };
}

function value(fs: MetricFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const f = fs.find((x) => x.name === name);
  return f?.samples.find((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;
}

function series(fs: MetricFamily[], name: string): number {
  return fs.find((x) => x.name === name)?.samples.length ?? -1;
}

const V51 = { segment: '-', family: 'ipv4', vrid: '51' };

describe('watchMetrics', () => {
  it('a failover moves vrrpwatch_router_master from one router to the other and counts the change', () => {
    const { s, h } = scenario();
    s.adverts(0, 5, A).adverts(0, 1, B);
    let m = metricsAt(s, h, 4.5);
    expect(value(m, 'vrrpwatch_router_master', { ...V51, router: '192.0.2.11' })).toBe(1);
    expect(value(m, 'vrrpwatch_router_master', { ...V51, router: '192.0.2.12' })).toBe(0);
    expect(value(m, 'vrrpwatch_master_changes_total', V51)).toBe(0);
    // A's last advert at 4; B takes over after its Master_Down_Interval.
    s.adverts(7.61, 12, B);
    m = metricsAt(s, h, 12);
    expect(value(m, 'vrrpwatch_router_master', { ...V51, router: '192.0.2.11' })).toBe(0);
    expect(value(m, 'vrrpwatch_router_master', { ...V51, router: '192.0.2.12' })).toBe(1);
    expect(value(m, 'vrrpwatch_master_changes_total', V51)).toBe(1);
    expect(value(m, 'vrrpwatch_vrid_masters', V51)).toBe(1);
    expect(value(m, 'vrrpwatch_events_total', { type: 'master-change', severity: 'warning' })).toBe(1);
  });

  it('priority, adverts and the age of the last advert at the time asked', () => {
    const { s, h } = scenario();
    s.adverts(0, 5, A);
    const m = metricsAt(s, h, 6.5);
    expect(value(m, 'vrrpwatch_router_priority', { router: '192.0.2.11' })).toBe(150);
    expect(value(m, 'vrrpwatch_router_adverts_total', { router: '192.0.2.11' })).toBe(5);
    expect(value(m, 'vrrpwatch_router_last_advert_age_seconds', { router: '192.0.2.11' })).toBeCloseTo(2.5, 6);
  });

  it('a split brain: both routers 1, split_brain 1, masters 2, the condition 1; healed, back to one', () => {
    const { s, h } = scenario();
    s.adverts(0, 10, A).adverts(3.5, 10, B);
    let m = metricsAt(s, h, 9.5);
    expect(value(m, 'vrrpwatch_router_master', { router: '192.0.2.11' })).toBe(1);
    expect(value(m, 'vrrpwatch_router_master', { router: '192.0.2.12' })).toBe(1);
    expect(value(m, 'vrrpwatch_vrid_split_brain', V51)).toBe(1);
    expect(value(m, 'vrrpwatch_vrid_masters', V51)).toBe(2);
    expect(value(m, 'vrrpwatch_vrid_condition', { ...V51, condition: 'split-brain' })).toBe(1);
    s.adverts(10, 20, A).tick(20);
    m = metricsAt(s, h, 20);
    expect(value(m, 'vrrpwatch_vrid_split_brain', V51)).toBe(0);
    expect(value(m, 'vrrpwatch_vrid_masters', V51)).toBe(1);
    expect(value(m, 'vrrpwatch_vrid_condition', { ...V51, condition: 'split-brain' })).toBe(0);
    expect(value(m, 'vrrpwatch_router_master', { router: '192.0.2.12' })).toBe(0);
  });

  it('one vrrpwatch_vrid_condition series per condition type, whatever holds', () => {
    const { s, h } = scenario();
    s.adverts(0, 3, A);
    const m = metricsAt(s, h, 3);
    expect(m.find((f) => f.name === 'vrrpwatch_vrid_condition')?.samples.map((x) => x.labels.condition)).toEqual([...VRID_CONDITIONS]);
    expect(value(m, 'vrrpwatch_capture_drops_total', { where: 'kernel' })).toBe(3);
    expect(value(m, 'vrrpwatch_build_info', { version: '9.9.9' })).toBe(1);
  });

  it('a flood of random VRIDs and sources stays within the tracker bounds; evicted routers lose their series', () => {
    const h = new EventHistory();
    const s = new Scenario({ limits: { maxVrids: 16, maxRoutersPerVrid: 2 } });
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const vrid = 1 + rnd(255);
      const src = `198.51.100.${1 + rnd(250)}`;
      s.frame(i * 0.001, vrrpFrame({ vrid, src, srcMac: '02:00:00:00:00:01', priority: 100, auth: 'pass', authType: 1 }));
    }
    const m = metricsAt(s, h, 3);
    expect(series(m, 'vrrpwatch_vrid_masters')).toBeLessThanOrEqual(16);
    expect(series(m, 'vrrpwatch_router_master')).toBeLessThanOrEqual(32);
    expect(series(m, 'vrrpwatch_master_changes_total')).toBeLessThanOrEqual(16);
    expect(series(m, 'vrrpwatch_vrid_condition')).toBeLessThanOrEqual(16 * VRID_CONDITIONS.length);
    expect(value(m, 'vrrpwatch_evictions_total', { kind: 'vrids' })).toBeGreaterThan(0);
    expect(h.masterChanges.size).toBeLessThanOrEqual(16);
  });

  it('segment label: the interface, with VLANs as Linux names VLAN devices', () => {
    expect(segmentLabel({ interface: 'eth0', vlan: null, vlans: [] })).toBe('eth0');
    expect(segmentLabel({ interface: 'eth0', vlan: 30, vlans: [100, 30] })).toBe('eth0.100.30');
    expect(segmentLabel({ interface: null, vlan: null, vlans: [] })).toBe('-');
  });
});

describe('EventHistory', () => {
  it('asks to be pruned when it holds more VRIDs than any tracker keeps, and prune() forgets them', () => {
    const h = new EventHistory();
    const s = new Scenario();
    // Master changes on many VLANs: every one a distinct virtual router.
    for (let vlan = 1; vlan <= 8300; vlan++) {
      h.masterChanges.set(`eth0|${vlan}|ipv4|51`, 1);
    }
    expect(h.needsPrune).toBe(true);
    h.prune(s.analyzer.result().vrids);
    expect(h.masterChanges.size).toBe(0);
    expect(h.needsPrune).toBe(false);
  });

  it('keeps the last events, counting the ones it let go', () => {
    const h = new EventHistory(3);
    const s = new Scenario().adverts(0, 2, A).adverts(0, 2, B, { vrid: 52 }).adverts(0, 2, A, { vrid: 53 }).adverts(0, 2, A, { vrid: 54 });
    for (const e of s.events) h.event(e);
    expect(h.events().map((e) => e.vrid)).toEqual(s.events.slice(-3).map((e) => e.vrid));
    expect(h.dropped).toBe(s.events.length - 3);
  });
});
