// The one shape of a clock. Pure code never reads the time: it takes a Clock. The real one lives at
// the edge (src/live/clock.ts realClock); tests pass a manual one that implements the same shape.
import type { Timestamp } from './timestamp.js';

export interface Clock {
  /** Now, in the packets' unit (the kernel stamps captured frames with the same wall clock). */
  now(): Timestamp;
  /** Calls fn every `ms` milliseconds until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}
