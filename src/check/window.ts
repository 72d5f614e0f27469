// How long `check -i` listens when --duration is not given. Pure: the live edge asks again each
// time the analyzer learns a slower advertisement interval.

/** Never less: three adverts at the common 1 s interval, plus margin for jitter and skew. */
export const MIN_WINDOW_SECONDS = 3.5;
/** After the third advert is due, for scheduling jitter (keepalived's timers, the kernel's). */
const MARGIN_SECONDS = 0.5;
/** Default -t/--timeout: "a sane default is probably 30 seconds" (Monitoring Plugins guidelines). */
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** `check --from`: how much of the watcher's history is judged unless --window says. */
export const DEFAULT_FROM_WINDOW_SECONDS = 300;
/** Kept free before the timeout to judge, print and exit. */
export const TIMEOUT_RESERVE_SECONDS = 0.5;

/**
 * Long enough to see three adverts of the slowest interval seen so far (null: none seen yet),
 * never less than MIN_WINDOW_SECONDS, never more than `maxSeconds` (what the timeout leaves).
 */
export function listenSeconds(slowestIntervalCs: number | null, maxSeconds: number): number {
  const wanted = slowestIntervalCs === null ? MIN_WINDOW_SECONDS : Math.max(MIN_WINDOW_SECONDS, (3 * slowestIntervalCs) / 100 + MARGIN_SECONDS);
  return Math.min(wanted, maxSeconds);
}
