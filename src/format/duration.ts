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

/** A short age: "35 s", "4 min 10 s", "2 h 5 min" (whole seconds). */
export function ageText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 === 0 ? '' : ` ${s % 60} s`}`;
  const m = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${m === 0 ? '' : ` ${m} min`}`;
}
