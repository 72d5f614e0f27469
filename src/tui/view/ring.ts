// A fixed-size ring with sequence numbers: the newest `capacity` items are kept, older ones are
// only counted. The event log lives in one, so memory stays flat however long the watch runs.

export class Ring<T> {
  private readonly items: (T | undefined)[];
  private pushed = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity ${capacity}: a positive integer`);
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.pushed % this.capacity] = item;
    this.pushed++;
  }

  /** Items ever pushed; the next item's sequence number. */
  get total(): number {
    return this.pushed;
  }

  /** Items kept. */
  get size(): number {
    return Math.min(this.pushed, this.capacity);
  }

  /** Items pushed but no longer kept. */
  get forgotten(): number {
    return this.pushed - this.size;
  }

  /**
   * Up to `max` of the newest kept items with a sequence number below `before` that satisfy
   * `keep`, oldest first.
   */
  newest(max: number, before = this.pushed, keep: (item: T) => boolean = () => true): T[] {
    const out: T[] = [];
    const first = this.pushed - this.size;
    for (let seq = Math.min(before, this.pushed) - 1; seq >= first && out.length < max; seq--) {
      const item = this.items[seq % this.capacity] as T;
      if (keep(item)) out.push(item);
    }
    return out.reverse();
  }

  /** How many kept items with a sequence number below `before` satisfy `keep`. */
  count(before = this.pushed, keep: (item: T) => boolean = () => true): number {
    let n = 0;
    const first = this.pushed - this.size;
    for (let seq = Math.min(before, this.pushed) - 1; seq >= first; seq--) if (keep(this.items[seq % this.capacity] as T)) n++;
    return n;
  }
}
