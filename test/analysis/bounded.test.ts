// A hostile flood of random VRIDs, sources, VIPs and VLANs must not grow the state without limit:
// everything stays within the limits, and what was forgotten is counted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { RouterState } from '../../src/analysis/state.js';
import { Tracker } from '../../src/analysis/tracker.js';
import { decodeFrame } from '../../src/decode/frame.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/analysis/types.js';
import { arpFrame, vrrpFrame } from '../support/vrrp-frames.js';
import { us } from './scenario.js';

const SMALL: Limits = { maxSegments: 3, maxVrids: 12, maxRoutersPerVrid: 3, maxVips: 20, maxMalformedSources: 4 };

const ip = (n: number) => `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const mac = (n: number) => `02:00:${[n >>> 24, n >>> 16, n >>> 8, n].map((x) => (x & 255).toString(16).padStart(2, '0')).join(':')}`;

const packet = fc.record({
  vrid: fc.integer({ min: 1, max: 255 }),
  src: fc.integer({ min: 1, max: 1 << 20 }),
  priority: fc.integer({ min: 0, max: 255 }),
  interval: fc.integer({ min: 1, max: 5 }),
  vips: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 4 }),
  vlan: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  iface: fc.constantFrom(null, 'eth0', 'eth1'),
  kind: fc.constantFrom('advert', 'advert', 'advert', 'garp', 'cut'),
  dt: fc.integer({ min: 0, max: 3_000_000 }),
});

function check(a: Analyzer, limits: Limits): void {
  const s = a.tracker.sizes();
  expect(s.segments).toBeLessThanOrEqual(limits.maxSegments);
  expect(s.vrids).toBeLessThanOrEqual(limits.maxVrids);
  expect(s.routers).toBeLessThanOrEqual(limits.maxVrids * limits.maxRoutersPerVrid);
  expect(s.vips).toBeLessThanOrEqual(limits.maxVips);
  expect(s.timers).toBeLessThanOrEqual(4 * (limits.maxVrids + limits.maxVips) + 1024 + 1);
  // The count that lets frames be read in place for a turn-away (Analyzer) follows the VRIDs.
  expect(s.fullVridsCounted).toBe(s.fullVrids);
  expect(a.tracker.mayTurnAway).toBe(s.fullVrids > 0);
  for (const v of a.result().vrids) expect(v.routers.length).toBeLessThanOrEqual(limits.maxRoutersPerVrid);
}

/** An analyzer, a seeded random source, a pair's adverts on VRID 61 (untagged), and whether the analyzer still has it. */
function pairOfVrid61(seed: number) {
  const a = new Analyzer({ maxEvents: 100_000 });
  const rnd = (() => { let x = seed; return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0); })();
  const master = vrrpFrame({ vrid: 61, src: '192.0.2.1', priority: 200 });
  const backup = vrrpFrame({ vrid: 61, src: '192.0.2.2', priority: 100 });
  const seen = (): boolean => a.tracker.snapshot().some((v) => v.vrid === 61 && v.segment.vlan === null);
  return { a, rnd, master, backup, seen };
}

describe('bounded state', () => {
  it('random floods stay within small limits (property)', () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 150 }), fc.boolean(), (packets, fastPath) => {
        const a = new Analyzer({ limits: SMALL, fastPath, maxEvents: 50 });
        let t = us(0);
        for (const p of packets) {
          t += p.dt;
          const vlans = p.vlan === undefined ? [] : [p.vlan];
          const addresses = p.vips.map((v) => `192.0.2.${v}`);
          const frame =
            p.kind === 'garp' ? arpFrame(addresses[0]!, mac(p.src))
            : vrrpFrame({ vrid: p.vrid, src: ip(p.src), srcMac: mac(p.src), priority: p.priority, interval: p.interval, addresses, vlans, snap: p.kind === 'cut' ? 44 : undefined });
          a.frame(1, frame, t, p.iface);
          check(a, SMALL);
        }
        const r = a.result(t + 60_000_000);
        check(a, SMALL);
        expect(r.events.length).toBeLessThanOrEqual(50);
      }),
      { numRuns: 300 },
    );
  });

  it('100,000 adverts from random VRIDs and sources keep the default limits and count what was forgotten', () => {
    const a = new Analyzer({ maxEvents: 200 });
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 100_000; i++) {
      const n = rnd();
      a.frame(1, vrrpFrame({ vrid: (n % 255) + 1, src: ip(rnd() & 0xffffff), vlans: [rnd() % 4000, rnd() % 4000], addresses: [`198.51.${rnd() & 255}.${rnd() & 255}`] }), us(i / 1000), null);
    }
    check(a, DEFAULT_LIMITS);
    const r = a.result();
    expect(r.evictions.segments).toBeGreaterThan(0);
    expect(r.evictions.vrids).toBeGreaterThan(0);
    expect(r.droppedEvents).toBeGreaterThan(0);
    expect(r.events).toHaveLength(200);
    expect(r.severities.info + r.severities.warning + r.severities.critical).toBe(r.events.length + r.droppedEvents);
  });

  it('a real pair that advertises regularly survives a later flood of adverts with random VLAN tags at 1,000 a second, and its crash takeover is seen', () => {
    const { a, rnd, master, backup, seen } = pairOfVrid61(61);
    for (let ms = 0; ms < 60_000; ms++) {
      // The master advertises every second until it crashes at 40 s; the backup takes over 3.6 s later.
      if (ms % 1000 === 0 && ms < 40_000) a.frame(1, master, us(ms / 1000), null);
      if (ms % 1000 === 600 && ms > 43_000) a.frame(1, backup, us(ms / 1000), null);
      // The flood starts once the pair has advertised regularly (one that starts first: not done).
      if (ms >= 5000) a.frame(1, vrrpFrame({ vrid: 1 + (rnd() % 255), src: ip(rnd() & 0xffffff), vlans: [1 + (rnd() % 4000)] }), us(ms / 1000 + 0.0005), null);
      // Once it has advertised regularly (three adverts), it is kept.
      if (ms % 1000 === 999 && ms > 5000) expect(seen(), `at ${ms} ms`).toBe(true);
    }
    const r = a.result();
    expect(r.evictions.segments + r.evictions.vrids).toBeGreaterThan(1000);
    const changes = r.events.filter((e) => e.type === 'master-change' && e.vrid === 61 && e.segment.vlan === null);
    expect(changes.map((e) => e.type === 'master-change' && [e.from, e.to])).toEqual([[null, '192.0.2.1'], ['192.0.2.1', '192.0.2.2']].slice(changes.length === 2 ? 0 : 1));
    expect(changes.some((e) => e.type === 'master-change' && e.to === '192.0.2.2')).toBe(true);
  });

  it('a pair that starts during a flood of adverts with random VLAN tags at 1,000 a second is kept after a few adverts, and its crash takeover is seen', () => {
    const { a, rnd, master, backup, seen } = pairOfVrid61(62);
    let kept = 0;
    for (let ms = 0; ms < 60_000; ms++) {
      // The flood runs from the start; the master starts at 5 s and crashes at 40 s; the backup takes over 3.6 s later.
      a.frame(1, vrrpFrame({ vrid: 1 + (rnd() % 255), src: ip(rnd() & 0xffffff), vlans: [1 + (rnd() % 4000)] }), us(ms / 1000 + 0.0005), null);
      if (ms % 1000 === 0 && ms >= 5000 && ms < 40_000) a.frame(1, master, us(ms / 1000), null);
      if (ms % 1000 === 600 && ms > 43_000) a.frame(1, backup, us(ms / 1000), null);
      // From its fourth advert on (the second makes it one that came back, the fourth regular), it is kept.
      if (ms % 1000 === 999 && ms > 8000) {
        expect(seen(), `at ${ms} ms`).toBe(true);
        kept++;
      }
    }
    expect(kept).toBe(52);
    const r = a.result();
    expect(r.evictions.segments + r.evictions.vrids).toBeGreaterThan(1000);
    const changes = r.events.filter((e) => e.type === 'master-change' && e.vrid === 61 && e.segment.vlan === null);
    expect(changes.map((e) => e.type === 'master-change' && [e.from, e.to, e.cause])).toEqual([['192.0.2.1', '192.0.2.2', 'silent']]);
    expect(r.events.filter((e) => e.type === 'router-seen' && e.vrid === 61 && e.segment.vlan === null).length).toBeLessThanOrEqual(3);
  });

  it('a trunk of 300 VLANs, each with a master advertising every second, is served whole beside a flood of random VLAN tags', () => {
    const a = new Analyzer({ maxEvents: 100_000 });
    const rnd = (() => { let x = 63; return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0); })();
    const masters = Array.from({ length: 300 }, (_, i) => vrrpFrame({ vrid: 10, src: '192.0.2.1', priority: 200, vlans: [100 + i] }));
    for (let ms = 0; ms < 30_000; ms++) {
      a.frame(1, vrrpFrame({ vrid: 1 + (rnd() % 255), src: ip(rnd() & 0xffffff), vlans: [1 + (rnd() % 4000)] }), us(ms / 1000 + 0.0005), null);
      // VLAN 100 + i advertises at i ms of every second... and the next 2 ms (300 in 1 s).
      if (ms % 1000 < 300) a.frame(1, masters[ms % 1000]!, us(ms / 1000), null);
      if (ms % 1000 === 999 && ms > 5000) {
        const vlans = new Set(a.tracker.snapshot().filter((v) => v.vrid === 10 && v.routers.some((r) => r.address === '192.0.2.1')).map((v) => v.segment.vlan));
        expect(vlans.size, `at ${ms} ms`).toBe(300);
      }
    }
    const r = a.result();
    // Each VLAN's master was seen once: its state was never forgotten and made again.
    expect(r.events.filter((e) => e.type === 'router-seen' && e.vrid === 10 && e.router === '192.0.2.1' && e.segment.vlan !== null && e.segment.vlan >= 100 && e.segment.vlan < 400).length).toBeLessThanOrEqual(300);
    expect(r.events.filter((e) => e.type === 'master-down' && e.vrid === 10)).toEqual([]);
  });

  it('a full VRID whose master advertises counts a newcomer\'s first advert and admits it when it comes back, evicting the oldest non-master', () => {
    const a = new Analyzer();
    const master = vrrpFrame({ src: ip(1), priority: 250 });
    for (let i = 0; i < 1000; i++) {
      if (i % 50 === 0) a.frame(1, master, us(i / 100), null);
      a.frame(1, vrrpFrame({ src: ip(i + 2), priority: 100 }), us(i / 100 + 0.001), null);
    }
    let [v] = a.result().vrids;
    // The first 7 newcomers fill the VRID; the 993 after them advertised once, into a full VRID.
    expect(v!.routers.map((r) => r.address)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map(ip));
    expect(a.result().evictions).toMatchObject({ routers: 0, unadmitted: 993 });
    // Those that come back are admitted, each in place of the least recently seen non-master.
    a.frame(1, master, us(19.85), null);
    for (let i = 990; i < 1000; i++) a.frame(1, vrrpFrame({ src: ip(i + 2), priority: 100 }), us(10 + i / 100), null);
    [v] = a.result().vrids;
    expect(v!.routers).toHaveLength(DEFAULT_LIMITS.maxRoutersPerVrid);
    expect(v!.master).toBe('10.0.0.1');
    expect(v!.routers.map((r) => r.address).sort()).toEqual(['10.0.0.1', ...[995, 996, 997, 998, 999, 1000, 1001].map(ip)].sort());
    expect(a.result().evictions).toMatchObject({ routers: 10, unadmitted: 993 });
  });

  it('a full VRID whose master is silent admits a newcomer at once: the backup taking over', () => {
    const a = new Analyzer({ limits: { maxRoutersPerVrid: 2 } });
    a.frame(1, vrrpFrame({ src: '192.0.2.1', priority: 200 }), us(0), null);
    a.frame(1, vrrpFrame({ src: '192.0.2.2', priority: 100 }), us(0.1), null);
    // A third, once, while the master advertises: not admitted.
    a.frame(1, vrrpFrame({ src: '192.0.2.3', priority: 150 }), us(0.2), null);
    expect(a.result().evictions).toMatchObject({ routers: 0, unadmitted: 1 });
    // The master falls silent (3 intervals); a fourth advertises: admitted, in place of .2.
    a.frame(1, vrrpFrame({ src: '192.0.2.4', priority: 150 }), us(3.7), null);
    const [v] = a.result().vrids;
    expect(v!.routers.map((r) => r.address).sort()).toEqual(['192.0.2.1', '192.0.2.4']);
    expect(v!.master).toBe('192.0.2.4');
    expect(a.result().events.filter((e) => e.type === 'master-change').map((e) => [e.timeUs, e.to])).toEqual([[us(3.7), '192.0.2.4']]);
    expect(a.result().evictions).toMatchObject({ routers: 1, unadmitted: 1 });
  });

  it('a disagreement only an evicted router had ends with it, without an end event; its replacement that differs again opens a new one', () => {
    const a = new Analyzer({ limits: { maxRoutersPerVrid: 2 } });
    // The master (1 s) and a backup at 2 s disagree; the backup is evicted by a third router at 1 s
    // (admitted when it comes back), which agrees with the master: the mismatch ends quietly. A
    // fourth at 3 s evicts the third: a new one.
    a.frame(1, vrrpFrame({ src: '192.0.2.1', priority: 200, interval: 1 }), us(0), null);
    a.frame(1, vrrpFrame({ src: '192.0.2.2', priority: 100, interval: 2 }), us(0.1), null);
    a.frame(1, vrrpFrame({ src: '192.0.2.3', priority: 100, interval: 1 }), us(0.2), null);
    a.frame(1, vrrpFrame({ src: '192.0.2.3', priority: 100, interval: 1 }), us(0.25), null);
    expect(a.result().openConditions.filter((c) => c.type === 'interval-mismatch')).toHaveLength(0);
    a.frame(1, vrrpFrame({ src: '192.0.2.4', priority: 100, interval: 3 }), us(0.3), null);
    a.frame(1, vrrpFrame({ src: '192.0.2.4', priority: 100, interval: 3 }), us(0.35), null);
    const types = a.result().events.map((e) => e.type).filter((x) => x.startsWith('interval-mismatch'));
    expect(types).toEqual(['interval-mismatch', 'interval-mismatch']);
    const open = a.result().openConditions.filter((c) => c.type === 'interval-mismatch');
    expect(open).toHaveLength(1);
    expect(open[0]!.sinceUs).toBe(us(0.35));
    expect(a.result().evictions).toMatchObject({ routers: 2, unadmitted: 2 });
  });

  it('a flood\'s new routers take over the objects of the routers they evict: no more router objects than the bound', () => {
    const objects = new Set<RouterState>();
    const t = new Tracker({ onForget: (r) => objects.add(r) });
    for (let i = 0; i < 5000; i++) {
      const f = decodeFrame(1, vrrpFrame({ vrid: 1 + (i % 10), src: ip(i + 1), srcMac: mac(i + 1), priority: 1 + (i % 200), addresses: [`198.51.100.${i % 250}`] }));
      // Twice: a newcomer into a full VRID whose master advertises is admitted when it comes back.
      for (const dt of [0, 0.0001]) {
        const r = t.frame(f, us(i / 1000 + dt), null);
        if (r !== null) objects.add(r);
      }
    }
    expect(t.evictions.routers).toBe(5000 - 10 * DEFAULT_LIMITS.maxRoutersPerVrid);
    expect(objects.size).toBe(10 * DEFAULT_LIMITS.maxRoutersPerVrid);
    expect(t.sizes().vips).toBeLessThanOrEqual(10 * DEFAULT_LIMITS.maxRoutersPerVrid);
  });
});

