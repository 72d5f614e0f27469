// Where a watch's frames come from: a live interface or a capture file replayed at its pace.
// Both give the same three things: frames (to a callback), the time now in packet time, and
// drop counts when there are any.
import type { Clock } from '../time/clock.js';
import { toMicros } from '../time/timestamp.js';

export type { Clock };

export function clockUs(clock: Clock): number {
  return toMicros(clock.now());
}

export interface Source {
  /** Now in packet time (µs since the epoch); -Infinity before a replay's first frame. */
  nowUs(): number;
  /** Kernel and interface drops, live only. */
  drops(): { dropped: number; ifDropped: number } | null;
  /** A replay's position, null when live. */
  replay(): { elapsedSeconds: number; done: boolean } | null;
  /** A replay stops delivering frames; a live capture cannot pause the wire (the view freezes instead). */
  pause(): void;
  resume(): void;
  /** Resolves when a file has been replayed to its end; rejects when a file is damaged or a live capture stops. */
  readonly finished: Promise<void>;
  close(): Promise<void>;
}
