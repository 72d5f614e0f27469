// A flood's events are summed up per kind (src/analysis/flood.ts): the first 50 of a 20 s window
// one by one, the rest in one event-flood; a pair that advertises regularly keeps all its events.
import { describe, expect, it } from 'vitest';
import { A, B, Scenario, sec } from './scenario.js';

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

  it('a flood into the pair\'s own VRID fills it; the takeovers are still seen at their first advert', () => {
    const s = new Scenario();
    s.adverts(0, 15, A, { vrid: 51 });
    s.adverts(18.7, 30, B, { vrid: 51 }); // A crashed after 14 s; B, never heard before, takes over
    for (let i = 0; i < 3000; i++) s.advert(1 + i / 100 + 0.005, spoofed(i), { vrid: 51, priority: 1 + ((i * 7919) % 99), addresses: [`198.51.100.${i % 100}`] });
    s.tick(30);
    const r = s.result(30);
    expect(r.evictions.unadmitted).toBeGreaterThan(2900);
    // A falls silent at 17 s: the next spoofed advert takes the role (a real backup hearing it
    // would not take over either), spoofed ones of higher priority take it in turn, and B, above
    // them all, takes it at its first advert and keeps it.
    const changes = s.of('master-change').filter((e) => e.vrid === 51).map((e) => [sec(e.timeUs), e.from, e.to, e.cause]);
    expect(changes[0]).toEqual([17.005, A.src, '10.0.6.64', 'silent']);
    expect(changes.filter((c) => c[2] === B.src)).toEqual([[18.7, expect.stringMatching(/^10\.0\./), B.src, 'preempted']]);
    expect(changes.at(-1)![2]).toBe(B.src);
    expect(r.vrids.find((v) => v.vrid === 51)!.master).toBe(B.src);
    // The flood's untracked adverts are told in the new routers' summary.
    const floods = s.of('router-flood');
    expect(floods.reduce((a, e) => a + e.untracked, 0)).toBe(r.evictions.unadmitted);
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
