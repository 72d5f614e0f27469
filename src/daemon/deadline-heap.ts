// The deadlines of every instance of a process in one binary min-heap: the scheduler
// (scheduler.ts) keeps one wake for the earliest instead of a timer per instance. Pure: the
// caller says what time it is. Ties go in the order they were added, so two instances due at the
// same moment send in the order they were armed, as two timers of one loop would fire.

/** One deadline in the heap; `index` is -1 once it was taken or removed. */
export interface DeadlineEntry<T> {
  readonly dueSec: number;
  readonly value: T;
  /** The order of adding, for ties. */
  readonly seq: number;
  index: number;
}

export class DeadlineHeap<T> {
  readonly #items: DeadlineEntry<T>[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  /** The earliest deadline, or Infinity when there is none. */
  get nextSec(): number {
    return this.#items[0]?.dueSec ?? Infinity;
  }

  add(dueSec: number, value: T): DeadlineEntry<T> {
    const e: DeadlineEntry<T> = { dueSec, value, seq: this.#seq++, index: this.#items.length };
    this.#items.push(e);
    this.#up(e.index);
    return e;
  }

  /** Takes `e` out; false when it was no longer in (taken already, or removed). */
  remove(e: DeadlineEntry<T>): boolean {
    const i = e.index;
    if (i < 0 || this.#items[i] !== e) return false;
    e.index = -1;
    const last = this.#items.pop() as DeadlineEntry<T>;
    if (last !== e) {
      this.#items[i] = last;
      last.index = i;
      this.#down(i);
      this.#up(last.index);
    }
    return true;
  }

  /** Removes and returns the earliest entry due at or before `nowSec`, or null. */
  takeDue(nowSec: number): DeadlineEntry<T> | null {
    const top = this.#items[0];
    if (top === undefined || top.dueSec > nowSec) return null;
    this.remove(top);
    return top;
  }

  #before(a: DeadlineEntry<T>, b: DeadlineEntry<T>): boolean {
    return a.dueSec < b.dueSec || (a.dueSec === b.dueSec && a.seq < b.seq);
  }

  #up(i: number): void {
    const items = this.#items;
    const e = items[i] as DeadlineEntry<T>;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as DeadlineEntry<T>;
      if (!this.#before(e, parent)) break;
      items[i] = parent;
      parent.index = i;
      i = p;
    }
    items[i] = e;
    e.index = i;
  }

  #down(i: number): void {
    const items = this.#items;
    const n = items.length;
    const e = items[i] as DeadlineEntry<T>;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#before(items[r] as DeadlineEntry<T>, items[l] as DeadlineEntry<T>) ? r : l;
      const child = items[c] as DeadlineEntry<T>;
      if (!this.#before(child, e)) break;
      items[i] = child;
      child.index = i;
      i = c;
    }
    items[i] = e;
    e.index = i;
  }
}
