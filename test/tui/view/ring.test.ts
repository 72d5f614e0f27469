// The event log's ring: newest kept, older counted, filtered reads, bounded whatever is pushed.
import { describe, expect, it } from 'vitest';
import { Ring } from '../../../src/tui/view/ring.js';

describe('Ring', () => {
  it('keeps the newest items and counts the rest', () => {
    const r = new Ring<number>(3);
    for (let i = 0; i < 5; i++) r.push(i);
    expect(r.total).toBe(5);
    expect(r.size).toBe(3);
    expect(r.forgotten).toBe(2);
    expect(r.newest(10)).toEqual([2, 3, 4]);
    expect(r.newest(2)).toEqual([3, 4]);
  });

  it('reads up to a sequence number (a paused log) and through a filter', () => {
    const r = new Ring<number>(10);
    for (let i = 0; i < 8; i++) r.push(i);
    expect(r.newest(10, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(r.newest(2, 5, (x) => x % 2 === 0)).toEqual([2, 4]);
    expect(r.newest(10, 100)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('stays at its capacity after a million pushes', () => {
    const r = new Ring<{ n: number }>(1000);
    for (let i = 0; i < 1_000_000; i++) r.push({ n: i });
    expect(r.size).toBe(1000);
    expect(r.newest(1)).toEqual([{ n: 999_999 }]);
    expect(r.newest(2000)).toHaveLength(1000);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
  });
});
