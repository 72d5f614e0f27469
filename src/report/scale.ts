// Where a time goes on the report's timeline, and how times are written: UTC, with the offset
// from the capture's start. Pure.
//
// The scale is fixed: the whole capture fits the width, linearly. Short spans stay visible
// because the stylesheet gives every span a minimum width (a 3 s gap in a one-hour capture is
// about 1 px at 1400 px, drawn 3 px wide) and each failover gap carries its text; the page's
// small script zooms into any span on a click.

import { clockOf } from '../analysis/event-line.js';
import { durationText } from '../format/duration.js';
import { microsToSeconds, US_PER_SECOND } from '../time/timestamp.js';

// The contract's data-start/data-end (ISO 8601 UTC, microseconds) and the time of day, as every
// face writes them.
export { clockOf, isoOf } from '../analysis/event-line.js';

export interface Scale {
  startUs: number;
  endUs: number;
}

/** A scale covering `firstUs`..`lastUs`; one second wide at least, so a lone packet has room. */
export function scaleOf(firstUs: number, lastUs: number): Scale {
  if (!Number.isFinite(firstUs) || !Number.isFinite(lastUs) || lastUs < firstUs) return { startUs: 0, endUs: US_PER_SECOND };
  return { startUs: firstUs, endUs: Math.max(lastUs, firstUs + US_PER_SECOND) };
}

/** Position of `us` in percent of the width, clamped to the scale. */
export function percentAt(s: Scale, us: number): number {
  const p = ((us - s.startUs) / (s.endUs - s.startUs)) * 100;
  return p < 0 ? 0 : p > 100 ? 100 : p;
}

/** A percentage as CSS wants it, short: 4 decimals are 1/10,000 of a percent. */
export function cssPercent(p: number): string {
  return `${Number(p.toFixed(4))}%`;
}

/** A span's length: the analyzer's "3.610 s" below a minute, then "2 min 05.000 s", "1 h 02 min". */
export function lengthText(us: number): string {
  const s = microsToSeconds(Math.max(0, us));
  if (s < 60) return durationText(Math.max(0, us));
  if (s < 3600) return `${Math.floor(s / 60)} min ${(s % 60).toFixed(3).padStart(6, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Offset from the start: "+7.611 s", "+2:05.000", "+1:02:05". */
export function offsetText(s: Scale, us: number): string {
  const sec = microsToSeconds(Math.max(0, us - s.startUs));
  if (sec < 60) return `+${sec.toFixed(3)} s`;
  const m = Math.floor(sec / 60);
  if (sec < 3600) return `+${m}:${(sec % 60).toFixed(3).padStart(6, '0')}`;
  return `+${Math.floor(sec / 3600)}:${String(m % 60).padStart(2, '0')}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;
}

export interface Tick {
  percent: number;
  /** Offset from the start ("+30 s", "+2 min") and the UTC time of day ("09:21:31"). */
  offset: string;
  clock: string;
}

/** Tick steps a person counts in, in seconds. */
const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400];

function stepText(sec: number): string {
  if (sec < 60) return `+${Number(sec.toFixed(1))} s`;
  if (sec < 3600) return `+${Number((sec / 60).toFixed(2))} min`;
  const h = Math.floor(sec / 3600);
  const m = Math.round((sec % 3600) / 60);
  return m === 0 ? `+${h} h` : `+${h} h ${m} min`;
}

/** At most `max` ticks at a round step from the start. */
export function ticks(s: Scale, max = 12): Tick[] {
  const span = microsToSeconds(s.endUs - s.startUs);
  const step = STEPS.find((x) => span / x <= max) ?? span / max;
  const out: Tick[] = [];
  for (let k = 0; k * step <= span + 1e-9; k++) {
    const us = s.startUs + Math.round(k * step * US_PER_SECOND);
    out.push({ percent: percentAt(s, us), offset: stepText(k * step), clock: clockOf(us).slice(0, step < 1 ? 12 : 8) });
  }
  return out;
}
