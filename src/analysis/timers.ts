// The RFC timers, in microseconds. Pure arithmetic, no rounding beyond the microsecond.

/** RFC 5798 8.1.1 default, used when an advert carries interval 0 (which every receiver rejects). */
const DEFAULT_INTERVAL_CS = 100;

function effectiveIntervalCs(intervalCs: number): number {
  return intervalCs > 0 ? intervalCs : DEFAULT_INTERVAL_CS;
}

/**
 * Skew_Time. RFC 3768 6.1 (v2): (256 - Priority) / 256 seconds, whatever the interval.
 * RFC 5798 6.1 (v3): ((256 - priority) * Master_Adver_Interval) / 256.
 */
export function skewTimeUs(version: number, intervalCs: number, priority: number): number {
  if (version === 3) return Math.round(((256 - priority) * effectiveIntervalCs(intervalCs) * 10_000) / 256);
  return Math.round(((256 - priority) * 1_000_000) / 256);
}

/** Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time (RFC 3768 6.1, RFC 5798 6.1). */
export function masterDownIntervalUs(version: number, intervalCs: number, priority: number): number {
  return 3 * effectiveIntervalCs(intervalCs) * 10_000 + skewTimeUs(version, intervalCs, priority);
}

/**
 * How long a router may be silent before the analyzer calls it gone: the Master_Down_Interval
 * with the skew of priority 0, one full interval (v3) or one second (v2). Every backup
 * (priority 1-254) takes over sooner, so a normal failover is never reported as master-down.
 */
export function silenceLimitUs(version: number, intervalCs: number): number {
  return masterDownIntervalUs(version, intervalCs, 0);
}

/** Three advertisement intervals: no backup's Master_Down_Timer fires sooner (RFC 3768 6.1). */
export function missedAdvertsUs(intervalCs: number): number {
  return 3 * effectiveIntervalCs(intervalCs) * 10_000;
}
