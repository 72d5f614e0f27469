// The tracker's timers: a priority queue of deadlines with lazy deletion. Each target keeps the
// deadline of its one live entry; an entry whose deadline no longer matches is skipped when it
// surfaces. Moving a deadline later (every advert of a healthy master does) costs nothing then:
// when the entry surfaces, the queue asks the target for its current deadline and, if that is
// still ahead, files the entry again instead of waking the target.
//
// Deadlines are mostly filed in time order (a master's next deadline is its last advert plus a
// fixed limit), so the queue is a run kept in order, a ring appended to at its back and popped
// at its front in O(1), plus a binary heap for the deadlines that arrive out of order.

export interface Timed {
  /** Deadline of the live entry for this target; Infinity when it has none. */
  queuedDeadlineUs: number;
  /** Forgotten (evicted): its entries are dropped. */
  evicted: boolean;
}

/** Below this many entries the queue is never swept. */
const COMPACT_FLOOR = 1024;

export class DeadlineQueue<T extends Timed> {
  // The run: `runCount` deadlines in non-decreasing order from `runHead`, in a ring whose
  // capacity is a power of two.
  private runAt = new Float64Array(64);
  private runItems: (T | null)[] = new Array<T | null>(64).fill(null);
  private runHead = 0;
  private runCount = 0;
  // The heap: the rest.
  private at: number[] = [];
  private items: T[] = [];
  private compactAt: number;
  /** The earliest deadline of either, kept: every packet reads it. */
  private first = Infinity;

  /**
   * `deadlineOf`: when the target must be woken now (Infinity: never), which may be later than
   * its entry says. Stale entries are swept once they could outnumber the live ones.
   */
  constructor(
    private readonly deadlineOf: (item: T) => number,
  ) {
    this.compactAt = COMPACT_FLOOR;
  }

  /** Entries, stale ones included. */
  get size(): number {
    return this.runCount + this.at.length;
  }

  /** The earliest deadline in the queue (maybe a stale one); Infinity when empty. */
  get firstUs(): number {
    return this.first;
  }

  /** Make sure `item` is woken no later than `deadlineUs`. */
  schedule(item: T, deadlineUs: number): void {
    if (deadlineUs < item.queuedDeadlineUs) this.file(item, deadlineUs);
  }

  /** Pops the next live item whose deadline is before `nowUs`, or null. */
  popDue(nowUs: number): T | null {
    while (this.first < nowUs) {
      const d = this.first;
      // The entry with the earliest deadline, from the run or the heap (in line: every timer of a
      // healthy master comes through here, and the JIT takes a while to inline a call).
      let item: T;
      if (this.runCount > 0 && this.runAt[this.runHead] === d) {
        item = this.runItems[this.runHead] as T;
        this.runItems[this.runHead] = null;
        this.runHead = (this.runHead + 1) & (this.runAt.length - 1);
        this.runCount--;
      } else {
        item = this.items[0] as T;
        this.removeTop();
      }
      this.refresh();
      if (item.queuedDeadlineUs !== d || item.evicted) continue; // superseded, or forgotten
      item.queuedDeadlineUs = Infinity;
      const next = this.deadlineOf(item);
      if (next < nowUs) return item;
      if (next !== Infinity) this.file(item, next); // moved later, still ahead
    }
    return null;
  }

  /**
   * Whether a live item must be woken before `nowUs`, without waking it: entries met on the way
   * that are stale are dropped, and those whose target moved later are filed again, as popDue
   * does; the one found due is filed back as it was.
   */
  dueBefore(nowUs: number): boolean {
    const item = this.popDue(nowUs);
    if (item === null) return false;
    this.file(item, this.deadlineOf(item));
    return true;
  }

  private file(item: T, deadlineUs: number): void {
    item.queuedDeadlineUs = deadlineUs;
    if (this.size >= this.compactAt) this.compact();
    const mask = this.runAt.length - 1;
    if (this.runCount === 0 || deadlineUs >= (this.runAt[(this.runHead + this.runCount - 1) & mask] as number)) {
      if (this.runCount === this.runAt.length) this.grow();
      const at = (this.runHead + this.runCount) & (this.runAt.length - 1);
      this.runAt[at] = deadlineUs;
      this.runItems[at] = item;
      this.runCount++;
    } else {
      this.push(item, deadlineUs);
    }
    this.refresh();
  }

  /** Doubles the ring, its entries moved to the front. */
  private grow(): void {
    const n = this.runAt.length;
    const at = new Float64Array(2 * n);
    const items = new Array<T | null>(2 * n).fill(null);
    for (let i = 0; i < n; i++) {
      at[i] = this.runAt[(this.runHead + i) & (n - 1)] as number;
      items[i] = this.runItems[(this.runHead + i) & (n - 1)] as T;
    }
    this.runAt = at;
    this.runItems = items;
    this.runHead = 0;
  }

  private refresh(): void {
    const run = this.runCount > 0 ? (this.runAt[this.runHead] as number) : Infinity;
    const heap = this.at.length > 0 ? (this.at[0] as number) : Infinity;
    this.first = run < heap ? run : heap;
  }

  private push(item: T, deadlineUs: number): void {
    const at = this.at;
    const items = this.items;
    let i = at.length;
    at.push(deadlineUs);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pd = at[parent] as number;
      if (pd <= deadlineUs) break;
      at[i] = pd;
      items[i] = items[parent] as T;
      i = parent;
    }
    at[i] = deadlineUs;
    items[i] = item;
  }

  private removeTop(): void {
    const at = this.at;
    const items = this.items;
    const lastD = at.pop() as number;
    const lastItem = items.pop() as T;
    const n = at.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (at[r] as number) < (at[l] as number) ? r : l;
      if ((at[c] as number) >= lastD) break;
      at[i] = at[c] as number;
      items[i] = items[c] as T;
      i = c;
    }
    at[i] = lastD;
    items[i] = lastItem;
  }

  /** Drops superseded and forgotten entries (a flood of short-lived targets leaves many): all live ones make the run. */
  private compact(): void {
    const live: { item: T; d: number }[] = [];
    const keep = (item: T, d: number): void => {
      if (item.queuedDeadlineUs === d && !item.evicted) live.push({ item, d });
    };
    const mask = this.runAt.length - 1;
    for (let i = 0; i < this.runCount; i++) keep(this.runItems[(this.runHead + i) & mask] as T, this.runAt[(this.runHead + i) & mask] as number);
    for (let i = 0; i < this.at.length; i++) keep(this.items[i] as T, this.at[i] as number);
    live.sort((a, b) => a.d - b.d);
    let capacity = 64;
    while (capacity < live.length) capacity *= 2;
    this.runAt = new Float64Array(capacity);
    this.runItems = new Array<T | null>(capacity).fill(null);
    live.forEach((x, i) => {
      this.runAt[i] = x.d;
      this.runItems[i] = x.item;
    });
    this.runHead = 0;
    this.runCount = live.length;
    this.at = [];
    this.items = [];
    // Sweep again once stale entries could equal the live ones: an evicted target stays
    // reachable from the queue for at most that many filings.
    this.compactAt = Math.max(COMPACT_FLOOR, 2 * live.length);
    this.refresh();
  }
}
