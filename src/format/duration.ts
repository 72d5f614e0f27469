// Durations for people, one home: "3.609 s" in the analyzer's sentences (microsecond captures),
// "3.6 s" in check's one-line summaries. Pure.
import { microsToSeconds } from '../time/timestamp.js';

/** A span of microseconds as seconds with `digits` decimals (3 by default): "3.609 s". */
export function durationText(us: number, digits = 3): string {
  return secondsText(microsToSeconds(us), digits);
}

/** Seconds with `digits` decimals: "3.6 s". */
export function secondsText(seconds: number, digits = 3): string {
  return `${seconds.toFixed(digits)} s`;
}

/** How long ago, in whole seconds so that it ticks once a second: 7s, 4m05s, 2h10m, 3d04h. */
export function ageText(us: number): string {
  if (!Number.isFinite(us)) return '-';
  const s = Math.max(0, Math.floor(microsToSeconds(us)));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
}
