// The RFC timers, one home for the analyzer and the daemon. Exact in centiseconds (VRRPv3's unit;
// v2 seconds are * 100), and in microseconds rounded once (src/time/timestamp.ts). Each takes a
// named object, never positional numbers.
import { secondsToMicros } from '../time/timestamp.js';

/** What Skew_Time and Master_Down_Interval depend on. */
export interface TimerBasis {
  /** VRRP version: 3 scales the skew with the interval, 2 does not. */
  version: number;
  /** The priority of the router whose timer it is (the backup's own). */
  priority: number;
  /** Master_Adver_Interval (v3) or Advertisement_Interval (v2), in centiseconds. */
  advertIntervalCs: number;
}

/** RFC 5798 8.1.1 default, used when an advert carries interval 0 (which every receiver rejects). */
export const DEFAULT_INTERVAL_CS = 100;

function effectiveCs(advertIntervalCs: number): number {
  return advertIntervalCs > 0 ? advertIntervalCs : DEFAULT_INTERVAL_CS;
}

function csToMicros(cs: number): number {
  return secondsToMicros(cs / 100);
}

/**
 * Skew_Time, exact. RFC 3768 6.1 (v2): (256 - Priority) / 256 seconds, whatever the interval.
 * RFC 5798 6.1 (v3): ((256 - priority) * Master_Adver_Interval) / 256.
 */
export function skewTimeCs(b: TimerBasis): number {
  return b.version === 3 ? ((256 - b.priority) * effectiveCs(b.advertIntervalCs)) / 256 : ((256 - b.priority) * 100) / 256;
}

/** Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time (RFC 3768 6.1, RFC 5798 6.1), exact. */
export function masterDownIntervalCs(b: TimerBasis): number {
  return 3 * effectiveCs(b.advertIntervalCs) + skewTimeCs(b);
}

export function skewTimeUs(b: TimerBasis): number {
  return csToMicros(skewTimeCs(b));
}

export function masterDownIntervalUs(b: TimerBasis): number {
  return csToMicros(masterDownIntervalCs(b));
}

/**
 * How long a router may be silent before a monitor calls it gone: its Master_Down_Interval with
 * the skew of priority 0, one full interval (v3) or one second (v2) more than three intervals.
 * Every backup (priority 1-254) takes over sooner, so a normal failover is never a master-down.
 */
export function silenceLimitUs(b: Omit<TimerBasis, 'priority'>): number {
  // A literal, not a spread of `b`: every new router of a flood comes through here.
  return masterDownIntervalUs({ version: b.version, priority: 0, advertIntervalCs: b.advertIntervalCs });
}

/** Three advertisement intervals: no backup's Master_Down_Timer fires sooner (RFC 3768 6.1). */
export function missedAdvertsUs(b: Pick<TimerBasis, 'advertIntervalCs'>): number {
  return csToMicros(3 * effectiveCs(b.advertIntervalCs));
}
