// The edge's clock: wall time stamped like packets (Unix seconds + nanoseconds), and a repeating
// timer. Pure code takes a clock as a parameter and never imports this file.
import { fromMillis } from '../time/timestamp.js';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../time/clock.js';

// Date.now() is wall time in whole milliseconds; performance.now() adds the fraction but is
// monotonic, so it drifts from the wall clock (NTP slews, steps). Use it only while it agrees with
// Date.now() to the millisecond, and re-anchor when it does not.
let anchorMs = Date.now() - performance.now();

function wallMs(): number {
  const wall = Date.now();
  const fine = anchorMs + performance.now();
  if (fine >= wall && fine < wall + 1) return fine;
  anchorMs = wall - performance.now();
  return wall;
}

export const realClock: Clock = {
  /** Now, in the packets' unit: the kernel stamps captured frames with the same wall clock. */
  now() {
    return fromMillis(wallMs());
  },

  /** Calls fn every `ms` milliseconds until the returned function is called. */
  every(ms: number, fn: () => void): () => void {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
};
