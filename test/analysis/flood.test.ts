// A flood's events are summed up per kind (src/analysis/flood.ts): the first 50 of a 20 s window
// one by one, the rest in one event-flood; a pair that advertises regularly keeps all its events.
import { describe, expect, it } from 'vitest';
import { A, B, Scenario } from './scenario.js';

const spoofed = (i: number) => ({ src: `10.0.${i >> 8}.${i & 255}`, srcMac: '02:00:00:00:aa:aa', priority: 1 + (i % 200) });

/** `n` spoofed one-advert routers from `from` s, 100 a second, each with TTL 64 on a VRID of 100 to 199. */
function ttlFlood(s: Scenario, n: number, from: number): Scenario {
  for (let i = 0; i < n; i++) s.advert(from + i / 100, spoofed(i), { vrid: 100 + (i % 100), ttl: 64, addresses: [`198.51.100.${i % 100}`] });
  return s;
}

describe('flood summaries per kind of event', () => {
  it('3,000 spoofed bad-TTL adverts in 30 s: 50 bad-ttl events per 20 s window, the rest in one event-flood each, no end for what was not told', () => {
    const s = ttlFlood(new Scenario(), 3000, 0).tick(40);
    const told = s.of('bad-ttl');
    const floods = s.of('event-flood').filter((e) => e.eventType === 'bad-ttl');
    expect(told.length).toBe(100); // two windows
    expect(floods.map((e) => [e.events, e.unreported, e.windowSeconds])).toEqual([[2000, 1950, 20], [1000, 950, 20]]);
    expect(floods[0]!.severity).toBe('warning');
    expect(floods[0]!.message).toMatch(/^2000 bad-ttl events in 20 s, from routers not heard regularly; the first 50 are listed, 1950 more are not: a flood/);
    // Ends only for the starts that were told.
    expect(s.of('bad-ttl-end').length).toBe(100);
    const r = s.result(40);
    expect(r.openConditions.filter((o) => o.type === 'bad-ttl')).toEqual([]);
  });

  it('a pair that advertises regularly keeps every event during the flood: its failover and the backup\'s takeover', () => {
    const s = new Scenario();
    s.adverts(0, 15, A, { vrid: 51 });
    s.adverts(18.7, 30, B, { vrid: 51 }); // A crashed after 14 s; B takes over
    ttlFlood(s, 3000, 1);
    for (let i = 0; i < 3000; i++) s.advert(1 + i / 100 + 0.005, spoofed(i), { vrid: 100 + (i % 100), addresses: [`198.51.100.${i % 100}`] });
    s.tick(30);
    const mine = s.events.filter((e) => e.vrid === 51).map((e) => e.type);
    expect(mine).toContain('master-change');
    expect(s.of('master-change').find((e) => e.vrid === 51)).toMatchObject({ from: A.src, to: B.src, cause: 'silent' });
    // The flood's own master changes were summed up, the pair's is not among them.
    expect(s.of('event-flood').some((e) => e.eventType === 'master-change')).toBe(true);
    expect(s.of('master-change').length).toBeLessThanOrEqual(51 * 2);
  });
});
