// A min-heap of deadlines with lazy deletion: each target keeps the deadline of its one live
// entry, and an entry whose deadline no longer matches is skipped when it surfaces. Moving a
// deadline later (every advert of a healthy master does) costs nothing.

export interface Timed {
  /** Deadline of the live heap entry for this target; Infinity when it has none. */
  heapDeadlineUs: number;
  /** Forgotten (evicted): its entries are dropped. */
  evicted: boolean;
}

export class DeadlineHeap<T extends Timed> {
  private at: number[] = [];
  private items: T[] = [];
  private compactAt: number;

  /** `liveBound`: how many live targets can exist at once; stale entries are swept beyond a few times that. */
  constructor(private readonly liveBound: number) {
    this.compactAt = 4 * liveBound + 1024;
  }

  get size(): number {
    return this.at.length;
  }

  /** The earliest deadline in the heap (maybe a stale one); Infinity when empty. */
  get firstUs(): number {
    return this.at.length > 0 ? (this.at[0] as number) : Infinity;
  }

  /** Make sure `item` is woken no later than `deadlineUs`. */
  schedule(item: T, deadlineUs: number): void {
    if (!(deadlineUs < item.heapDeadlineUs)) return;
    item.heapDeadlineUs = deadlineUs;
    if (this.at.length >= this.compactAt) this.compact();
    this.push(item, deadlineUs);
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

  /** Pops the next live item whose deadline is before `nowUs`, or null. */
  popDue(nowUs: number): T | null {
    while (this.at.length > 0) {
      const d = this.at[0] as number;
      if (!(d < nowUs)) return null;
      const item = this.items[0] as T;
      this.removeTop();
      if (item.heapDeadlineUs !== d || item.evicted) continue; // superseded, or forgotten
      item.heapDeadlineUs = Infinity;
      return item;
    }
    return null;
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

  /** Drops superseded and forgotten entries (a flood of short-lived targets leaves many). */
  private compact(): void {
    const at = this.at;
    const items = this.items;
    this.at = [];
    this.items = [];
    for (let i = 0; i < at.length; i++) {
      const item = items[i] as T;
      const d = at[i] as number;
      if (item.heapDeadlineUs === d && !item.evicted) this.push(item, d);
    }
    this.compactAt = Math.max(4 * this.liveBound + 1024, 2 * this.at.length);
  }
}
