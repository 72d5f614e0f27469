// The RFC timers against the worked examples in research/implementations.md 1.1.
import { describe, expect, it } from 'vitest';
import { masterDownIntervalUs, missedAdvertsUs, silenceLimitUs, skewTimeUs } from '../../src/rules/timers.js';
import { DeadlineQueue, type Timed } from '../../src/analysis/deadlines.js';

describe('RFC timers', () => {
  it('VRRPv2: the skew ignores the interval (RFC 3768 6.1)', () => {
    expect(masterDownIntervalUs({ version: 2, advertIntervalCs: 100, priority: 254 })).toBe(3_007_813); // 3.0078 s
    expect(masterDownIntervalUs({ version: 2, advertIntervalCs: 100, priority: 100 })).toBe(3_609_375); // 3.609 s
    expect(masterDownIntervalUs({ version: 2, advertIntervalCs: 100, priority: 1 })).toBe(3_996_094); // 3.996 s
    expect(skewTimeUs({ version: 2, advertIntervalCs: 300, priority: 100 })).toBe(609_375);
    expect(masterDownIntervalUs({ version: 2, advertIntervalCs: 300, priority: 100 })).toBe(9_609_375); // the interval-mismatch lab's 9.609 s
  });

  it('VRRPv3: the skew scales with the interval (RFC 5798 6.1), in microseconds', () => {
    expect(skewTimeUs({ version: 3, advertIntervalCs: 100, priority: 200 })).toBe(218_750); // 21.875 cs, not FRR's truncated 21
    expect(masterDownIntervalUs({ version: 3, advertIntervalCs: 50, priority: 150 })).toBe(1_707_031); // the v3-ipv4 lab: 1.70703125 s
    expect(masterDownIntervalUs({ version: 3, advertIntervalCs: 50, priority: 100 })).toBe(1_804_688);
  });

  it('the silence limit exceeds every backup\'s Master_Down_Interval; three intervals are below all of them', () => {
    for (const [version, cs] of [[2, 100], [2, 300], [3, 50], [3, 4095]] as const) {
      const longest = masterDownIntervalUs({ version: version, advertIntervalCs: cs, priority: 1 });
      const shortest = masterDownIntervalUs({ version: version, advertIntervalCs: cs, priority: 254 });
      expect(silenceLimitUs({ version: version, advertIntervalCs: cs })).toBeGreaterThan(longest);
      expect(missedAdvertsUs({ advertIntervalCs: cs })).toBeLessThan(shortest);
    }
    expect(silenceLimitUs({ version: 2, advertIntervalCs: 100 })).toBe(4_000_000);
    expect(silenceLimitUs({ version: 3, advertIntervalCs: 50 })).toBe(2_000_000);
  });

  it('an interval of 0 (invalid) falls back to the 1 s default instead of expiring at once', () => {
    expect(silenceLimitUs({ version: 3, advertIntervalCs: 0 })).toBe(4_000_000);
  });
});

describe('DeadlineQueue', () => {
  /** A target whose true deadline is `dueUs` (what the tracker would compute from its state). */
  const item = (dueUs = Infinity): Timed & { dueUs: number } => ({ queuedDeadlineUs: Infinity, evicted: false, dueUs });
  type Item = ReturnType<typeof item>;
  const queue = (bound = 10) => new DeadlineQueue<Item>(bound, (x) => x.dueUs);
  const drain = (q: DeadlineQueue<Item>, now: number): Item[] => {
    const out: Item[] = [];
    for (let x = q.popDue(now); x !== null; x = q.popDue(now)) out.push(x);
    return out;
  };

  it('pops due items in deadline order, an earlier schedule superseding a later one', () => {
    const q = queue();
    const a = item(5), b = item(10), c = item(20);
    q.schedule(a, 30);
    q.schedule(b, 10);
    q.schedule(c, 20);
    q.schedule(a, 5); // earlier: supersedes 30
    q.schedule(b, 50); // later: ignored, b stays at 10
    expect(drain(q, 100)).toEqual([a, b, c]);
    expect(q.popDue(1000)).toBeNull();
    expect(q.size).toBe(0);
  });

  it('pops nothing at or after now, and skips evicted items', () => {
    const q = queue();
    const a = item(10), b = item(11);
    q.schedule(a, 10);
    q.schedule(b, 11);
    expect(q.popDue(10)).toBeNull();
    b.evicted = true;
    expect(q.popDue(12)).toBe(a);
    expect(q.popDue(12)).toBeNull();
  });

  it('files an item again, without waking it, when its deadline moved later', () => {
    const q = queue();
    const a = item(25), b = item(15);
    q.schedule(a, 10);
    q.schedule(b, 15);
    expect(q.popDue(20)).toBe(b); // a surfaced first, at 10, and was filed again at 25
    expect(q.popDue(20)).toBeNull();
    expect(q.size).toBe(1);
    expect(q.firstUs).toBe(25);
    a.dueUs = Infinity; // nothing pending any more: dropped, not woken
    expect(q.popDue(30)).toBeNull();
    expect(q.size).toBe(0);
  });

  it('keeps deadline order when deadlines arrive in and out of order', () => {
    const q = queue(1000);
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const all: Item[] = [];
    for (let i = 0; i < 1000; i++) {
      const d = i % 3 === 0 ? 1000 + i : Math.floor(random() * 3000); // a rising run, interleaved with noise
      const x = item(d);
      q.schedule(x, d);
      all.push(x);
    }
    const popped = drain(q, 5000).map((x) => x.dueUs);
    expect(popped).toEqual(all.map((x) => x.dueUs).sort((a, b) => a - b));
  });

  it('stays bounded when items are rescheduled earlier again and again', () => {
    const q = queue(4);
    const items = [item(), item(), item(), item()];
    for (let d = 1_000_000; d > 0; d--) q.schedule(items[d % 4]!, d);
    expect(q.size).toBeLessThanOrEqual(4 * 4 + 1024 + 1);
  });
});
