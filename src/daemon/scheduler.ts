// One clock for every instance of the process (`daemon -f` runs hundreds): the machines'
// deadlines (adverts, Master_Down_Interval, preempt delay, GARP repeats) of all instances in one
// heap (deadline-heap.ts), one wake armed for the earliest, and at a wake every instance that is
// due, in deadline order, in one turn of the event loop. The wake comes from a timer thread to a
// fraction of a millisecond (live/wake-thread.ts), or, should the thread not start, from a
// setTimeout, to a millisecond or two. Between wakes, when the next deadline is far enough, it
// has the garbage collected (live/collector.ts), so that V8's own collections do not pause a
// burst of adverts. Edge code: run.ts gives it to each Daemon as its clock.
import { performance } from 'node:perf_hooks';
import { openCollector } from '../live/collector.js';
import { openWakeThread, type WakeThread } from '../live/wake-thread.js';
import { DeadlineHeap } from './deadline-heap.js';

/**
 * How late a wake may come and still be on time (the Daemon keeps an on-time timer's rhythm):
 * above what the wake source usually does (the thread: 90% within 0.2 ms on a busy machine;
 * setTimeout: up to 2 ms, its millisecond rounding and libuv's millisecond loop time), below
 * what is a stall.
 */
export const GRACE_SEC = { thread: 0.001, timeout: 0.002 } as const;

/**
 * When a collection runs between wakes: the next deadline at least `gapSec` away (a full
 * collection of the heap of 200 instances took 6 to 9 ms), and at most one per `everySec`, which is
 * shorter than the 8 s V8's memory reducer waits after a collection before it starts one of
 * its own.
 */
export const IDLE_COLLECTION = { gapSec: 0.05, everySec: 4 } as const;

/** Whether to collect now (`nowSec`), the next deadline at `nextSec`, the last collection at `lastSec`. */
export function collectNow(nowSec: number, nextSec: number, lastSec: number): boolean {
  return nextSec - nowSec >= IDLE_COLLECTION.gapSec && nowSec - lastSec >= IDLE_COLLECTION.everySec;
}

export class Scheduler {
  readonly #heap = new DeadlineHeap<() => void>();
  #thread: WakeThread | null;
  #timeout: ReturnType<typeof setTimeout> | null = null;
  /** The deadline the wake is armed for (Infinity: none). */
  #armedSec = Infinity;
  /** Whether the thread keeps the process alive (while a deadline is armed, as a pending setTimeout does). */
  #held = false;
  /** Running the due callbacks (see #wake). */
  #waking = false;
  #closed = false;
  /** A full garbage collection (null: none to be had, or not wanted), and when it last ran. */
  readonly #collect: (() => void) | null;
  #collectedSec = -Infinity;

  /**
   * `onFallback`: the timer thread could not start or stopped; setTimeout serves from then on.
   * `thread: false` uses setTimeout from the start (tests of the fallback). `collect`: the
   * collection to run between wakes (default: V8's, live/collector.ts; null: none).
   */
  constructor(onFallback: (why: string) => void, opts: { thread?: boolean; collect?: (() => void) | null } = {}) {
    this.#collect = opts.collect === undefined ? openCollector() : opts.collect;
    if (opts.thread === false) {
      this.#thread = null;
      return;
    }
    const t = openWakeThread(
      () => this.#wake(),
      (why) => {
        this.#thread = null;
        onFallback(`${why}: timers fall back to setTimeout, late by up to ${GRACE_SEC.timeout * 1000} ms`);
        this.#rearm(true);
      },
    );
    if (typeof t === 'string') onFallback(`${t}: timers use setTimeout, late by up to ${GRACE_SEC.timeout * 1000} ms`);
    this.#thread = typeof t === 'string' ? null : t;
  }

  /** Monotonic seconds (performance.now() / 1000): the machines' time scale. */
  nowSec(): number {
    return performance.now() / 1000;
  }

  get graceSec(): number {
    return this.#thread === null ? GRACE_SEC.timeout : GRACE_SEC.thread;
  }

  /** Calls `fn` once nowSec() >= dueSec, as soon after as the wake allows. Returns its cancel function. */
  at(dueSec: number, fn: () => void): () => void {
    const e = this.#heap.add(dueSec, fn);
    if (dueSec < this.#armedSec && !this.#waking) this.#rearm();
    return () => {
      // The wake armed for a cancelled deadline moves to the next one (a spurious wake costs more).
      if (this.#heap.remove(e) && e.dueSec === this.#armedSec && !this.#waking) this.#rearm();
    };
  }

  close(): void {
    this.#closed = true;
    this.#thread?.close();
    this.#thread = null;
    if (this.#timeout !== null) clearTimeout(this.#timeout);
    this.#timeout = null;
  }

  #wake(): void {
    this.#armedSec = Infinity;
    // The callbacks arm and cancel deadlines (each advert arms the next): the wake is armed once, after them.
    this.#waking = true;
    try {
      for (let e = this.#heap.takeDue(this.nowSec()); e !== null && !this.#closed; e = this.#heap.takeDue(this.nowSec())) e.value();
    } finally {
      this.#waking = false;
      this.#rearm();
    }
    this.#idle();
  }

  /** After a wake: the garbage collected, when the next deadline leaves the time (collectNow). */
  #idle(): void {
    if (this.#collect === null || this.#closed) return;
    const now = this.nowSec();
    if (!collectNow(now, this.#heap.nextSec, this.#collectedSec)) return;
    this.#collect();
    this.#collectedSec = this.nowSec();
  }

  #rearm(force = false): void {
    if (this.#closed) return;
    const next = this.#heap.nextSec;
    if (next === this.#armedSec && !force) return;
    this.#armedSec = next;
    if (this.#timeout !== null) clearTimeout(this.#timeout);
    this.#timeout = null;
    const t = this.#thread;
    if (t !== null) {
      if (next === Infinity) t.disarm();
      else t.arm(next * 1000);
      if (this.#held !== (next !== Infinity)) t.hold((this.#held = next !== Infinity));
      return;
    }
    // Rounded up: a setTimeout never fires before its deadline (an early wake just sleeps again).
    if (next !== Infinity) this.#timeout = setTimeout(() => this.#wake(), Math.max(0, Math.ceil((next - this.nowSec()) * 1000)));
  }
}
