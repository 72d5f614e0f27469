// Deadline bookkeeping for the machine's timers. Pure: the caller says what time it is. The live
// edge keeps one real setTimeout for next(); tests advance a manual clock and fire what is due.
import { TIMERS, type Effect, type TimerName } from './machine.js';

export interface DueTimer {
  timer: TimerName;
  dueSec: number;
}

export class TimerTable {
  readonly #due = new Map<TimerName, number>();

  /** Apply the set-timer / cancel-timer effects of one handle() call made at `nowSec`. */
  apply(effects: readonly Effect[], nowSec: number): void {
    for (const e of effects) {
      if (e.type === 'set-timer') this.#due.set(e.timer, nowSec + e.delayCs / 100);
      else if (e.type === 'cancel-timer') this.#due.delete(e.timer);
    }
  }

  /** The earliest running timer (ties in TIMERS order), or null when none runs. */
  next(): DueTimer | null {
    let best: DueTimer | null = null;
    for (const timer of TIMERS) {
      const dueSec = this.#due.get(timer);
      if (dueSec !== undefined && (best === null || dueSec < best.dueSec)) best = { timer, dueSec };
    }
    return best;
  }

  /**
   * Remove and return the earliest timer due at or before `nowSec`. Take one at a time: handling
   * it may arm or cancel others.
   */
  take(nowSec: number): DueTimer | null {
    const n = this.next();
    if (n === null || n.dueSec > nowSec) return null;
    this.#due.delete(n.timer);
    return n;
  }
}
