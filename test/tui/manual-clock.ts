// A clock for tests: time moves only when the test says, and repeating timers fire in order.
import type { Clock } from '../../src/tui/source.js';

export class ManualClock implements Clock {
  private timers: { id: number; every: number; due: number; fn: () => void }[] = [];
  private nextId = 1;

  constructor(public ms: number) {}

  now(): { tsSec: number; tsNsec: number } {
    const tsSec = Math.floor(this.ms / 1000);
    return { tsSec, tsNsec: Math.round((this.ms - tsSec * 1000) * 1e6) };
  }

  every(ms: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ id, every: ms, due: this.ms + ms, fn });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  /** Moves time forward, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.ms + ms;
    for (;;) {
      let next: (typeof this.timers)[number] | undefined;
      for (const t of this.timers) if (t.due <= end && (next === undefined || t.due < next.due)) next = t;
      if (next === undefined) break;
      this.ms = next.due;
      next.due += next.every;
      next.fn();
    }
    this.ms = end;
  }

  get pending(): number {
    return this.timers.length;
  }
}
