// Packet time, one home. Every timestamp in vrrpwatch is either a capture's (Unix seconds plus
// nanoseconds, as libpcap stamps frames) or microseconds since the epoch, which the analysis and
// the views use as one plain number. The conversion between them rounds one way, here: down to the
// microsecond. Durations are seconds as numbers. Pure: no clock is read here.

/** A capture timestamp: Unix seconds and the nanoseconds within that second (0..999,999,999). */
export interface Timestamp {
  tsSec: number;
  tsNsec: number;
}

export const US_PER_SECOND = 1_000_000;

/** Microseconds since the epoch from a capture's seconds and nanoseconds (rounded down). */
export function microsOf(tsSec: number, tsNsec: number): number {
  return tsSec * US_PER_SECOND + Math.floor(tsNsec / 1000);
}

/** Microseconds since the epoch of a timestamp (rounded down to the microsecond). */
export function toMicros(t: Timestamp): number {
  return microsOf(t.tsSec, t.tsNsec);
}

/** The timestamp of a time in microseconds since the epoch. */
export function fromMicros(us: number): Timestamp {
  const tsSec = Math.floor(us / US_PER_SECOND);
  return { tsSec, tsNsec: (us - tsSec * US_PER_SECOND) * 1000 };
}

/** A span in microseconds as seconds. */
export function microsToSeconds(us: number): number {
  return us / US_PER_SECOND;
}

/** A span in seconds as whole microseconds (rounded to the nearest). */
export function secondsToMicros(seconds: number): number {
  return Math.round(seconds * US_PER_SECOND);
}

/** Seconds as a number from a capture timestamp (enough precision for intervals and gaps). */
export function secondsOf(tsSec: number, tsNsec: number): number {
  return tsSec + tsNsec / 1e9;
}
