// The scheduler's heap of deadlines (deadline-heap.ts) against a plain sorted list: whatever is
// added, removed and taken, it hands out the earliest due entry first, ties in the order added.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap, type DeadlineEntry } from '../../src/daemon/deadline-heap.js';

describe('DeadlineHeap', () => {
  it('takes what is due, earliest first, ties in the order added; nothing before its deadline', () => {
    const h = new DeadlineHeap<string>();
    h.add(2, 'b1');
    h.add(1, 'a');
    h.add(2, 'b2');
    h.add(3, 'c');
    expect(h.nextSec).toBe(1);
    expect(h.takeDue(0.999)).toBeNull();
    const taken: string[] = [];
    for (let e = h.takeDue(2); e !== null; e = h.takeDue(2)) taken.push(e.value);
    expect(taken).toEqual(['a', 'b1', 'b2']);
    expect(h.size).toBe(1);
    expect(h.nextSec).toBe(3);
  });

  it('a removed entry is never taken, and removing it twice (or after it was taken) is refused', () => {
    const h = new DeadlineHeap<string>();
    const a = h.add(1, 'a');
    const b = h.add(2, 'b');
    expect(h.remove(a)).toBe(true);
    expect(h.remove(a)).toBe(false);
    expect(h.takeDue(5)?.value).toBe('b');
    expect(h.remove(b)).toBe(false);
    expect(h.nextSec).toBe(Infinity);
  });

  it('any sequence of adds, removes and takes agrees with a sorted list', () => {
    type Op = { op: 'add'; due: number } | { op: 'remove'; pick: number } | { op: 'take'; now: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('add' as const), due: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('take' as const), now: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const h = new DeadlineHeap<number>();
        const live: DeadlineEntry<number>[] = [];
        let n = 0;
        for (const o of ops) {
          if (o.op === 'add') live.push(h.add(o.due, n++));
          else if (o.op === 'remove' && live.length > 0) {
            const [e] = live.splice(o.pick % live.length, 1);
            expect(h.remove(e!)).toBe(true);
          } else if (o.op === 'take') {
            const due = live.filter((e) => e.dueSec <= o.now).sort((x, y) => x.dueSec - y.dueSec || x.value - y.value)[0];
            const got = h.takeDue(o.now);
            expect(got?.value ?? null).toBe(due?.value ?? null);
            if (due !== undefined) live.splice(live.indexOf(due), 1);
          }
          expect(h.size).toBe(live.length);
          expect(h.nextSec).toBe(Math.min(Infinity, ...live.map((e) => e.dueSec)));
        }
      }),
    );
  });
});
