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
export const NS_PER_SECOND = 1_000_000_000;

/**
 * Microseconds since the epoch from a capture's seconds and nanoseconds (rounded down). The
 * nanoseconds are 0..999,999,999 (Timestamp), a 32-bit integer, so truncating is rounding down:
 * `| 0` lets the JIT divide as integers (a multiply), which every analysed frame does.
 */
export function microsOf(tsSec: number, tsNsec: number): number {
  return tsSec * US_PER_SECOND + ((tsNsec / 1000) | 0);
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

export const NS_PER_US = 1000;
export const MS_PER_SECOND = 1000;

/** The whole microseconds within the second of a capture timestamp (pcap's fraction; rounded down). */
export function microsWithinSecond(tsNsec: number): number {
  return Math.floor(tsNsec / NS_PER_US);
}

/** Nanoseconds of a count of microseconds within a second (libpcap's tv_usec into tsNsec). */
export function nanosOfMicros(us: number): number {
  return us * NS_PER_US;
}

/** The timestamp of a wall time in (fractional) milliseconds since the epoch, as Date.now() gives. */
export function fromMillis(ms: number): Timestamp {
  const tsSec = Math.floor(ms / MS_PER_SECOND);
  return { tsSec, tsNsec: Math.min(999_999_999, Math.round((ms - tsSec * MS_PER_SECOND) * 1e6)) };
}

/** Microseconds since the epoch as milliseconds (what timers and Date take). */
export function microsToMillis(us: number): number {
  return us / NS_PER_US;
}

/** The Date of a capture's whole second (UTC fields for formatting; not a clock read). */
export function dateOfSecond(tsSec: number): Date {
  return new Date(tsSec * MS_PER_SECOND);
}
