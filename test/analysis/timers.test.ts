// The RFC timers against the worked examples in research/implementations.md 1.1.
import { describe, expect, it } from 'vitest';
import { masterDownIntervalUs, missedAdvertsUs, silenceLimitUs, skewTimeUs } from '../../src/analysis/timers.js';
import { DeadlineHeap, type Timed } from '../../src/analysis/heap.js';

describe('RFC timers', () => {
  it('VRRPv2: the skew ignores the interval (RFC 3768 6.1)', () => {
    expect(masterDownIntervalUs(2, 100, 254)).toBe(3_007_813); // 3.0078 s
    expect(masterDownIntervalUs(2, 100, 100)).toBe(3_609_375); // 3.609 s
    expect(masterDownIntervalUs(2, 100, 1)).toBe(3_996_094); // 3.996 s
    expect(skewTimeUs(2, 300, 100)).toBe(609_375);
    expect(masterDownIntervalUs(2, 300, 100)).toBe(9_609_375); // the interval-mismatch lab's 9.609 s
  });

  it('VRRPv3: the skew scales with the interval (RFC 5798 6.1), in microseconds', () => {
    expect(skewTimeUs(3, 100, 200)).toBe(218_750); // 21.875 cs, not FRR's truncated 21
    expect(masterDownIntervalUs(3, 50, 150)).toBe(1_707_031); // the v3-ipv4 lab: 1.70703125 s
    expect(masterDownIntervalUs(3, 50, 100)).toBe(1_804_688);
  });

  it('the silence limit exceeds every backup\'s Master_Down_Interval; three intervals are below all of them', () => {
    for (const [version, cs] of [[2, 100], [2, 300], [3, 50], [3, 4095]] as const) {
      const longest = masterDownIntervalUs(version, cs, 1);
      const shortest = masterDownIntervalUs(version, cs, 254);
      expect(silenceLimitUs(version, cs)).toBeGreaterThan(longest);
      expect(missedAdvertsUs(cs)).toBeLessThan(shortest);
    }
    expect(silenceLimitUs(2, 100)).toBe(4_000_000);
    expect(silenceLimitUs(3, 50)).toBe(2_000_000);
  });

  it('an interval of 0 (invalid) falls back to the 1 s default instead of expiring at once', () => {
    expect(silenceLimitUs(3, 0)).toBe(4_000_000);
  });
});

describe('DeadlineHeap', () => {
  const item = (): Timed & { id: number } => ({ heapDeadlineUs: Infinity, evicted: false, id: Math.random() });

  it('pops due items in deadline order and only their latest deadline', () => {
    const h = new DeadlineHeap<ReturnType<typeof item>>(10);
    const a = item(), b = item(), c = item();
    h.schedule(a, 30);
    h.schedule(b, 10);
    h.schedule(c, 20);
    h.schedule(a, 5); // earlier: supersedes 30
    h.schedule(b, 50); // later: ignored, b stays at 10
    const order: number[] = [];
    for (let x = h.popDue(100); x !== null; x = h.popDue(100)) order.push(x === a ? 1 : x === b ? 2 : 3);
    expect(order).toEqual([1, 2, 3]);
    expect(h.popDue(1000)).toBeNull();
  });

  it('pops nothing at or after now, and skips evicted items', () => {
    const h = new DeadlineHeap<ReturnType<typeof item>>(10);
    const a = item(), b = item();
    h.schedule(a, 10);
    h.schedule(b, 11);
    expect(h.popDue(10)).toBeNull();
    b.evicted = true;
    expect(h.popDue(12)).toBe(a);
    expect(h.popDue(12)).toBeNull();
  });

  it('stays bounded when items are rescheduled earlier again and again', () => {
    const h = new DeadlineHeap<ReturnType<typeof item>>(4);
    const items = [item(), item(), item(), item()];
    for (let d = 1_000_000; d > 0; d--) h.schedule(items[d % 4]!, d);
    expect(h.size).toBeLessThanOrEqual(4 * 4 + 1024 + 1);
  });
});
