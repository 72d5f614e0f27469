// One event as a line of text, one home for every face: analyze's timeline, watch's event lines,
// check -v, and the terminal UI's log (which styles the same parts). Pure: strings out.

import { isoOfMicros, TimeFormatter } from '../format/time.js';
import type { AnalysisEvent } from './types.js';

const time = new TimeFormatter();

/** ISO 8601 UTC with microseconds of a time in µs since the epoch. */
export const isoOf = isoOfMicros;

/** Time of day, UTC, to the millisecond: "10:00:00.123". */
export function clockOf(us: number): string {
  return time.clockOfMicros(us).slice(0, 12);
}

/** The severity word, padded so that the sentences line up. */
export function severityColumn(e: AnalysisEvent): string {
  return e.severity.padEnd(8);
}

/** `2026-11-22T10:00:00.123456Z  critical  VRID 51: split brain: ...` with its newline. */
export function eventLine(e: AnalysisEvent): string {
  return `${isoOf(e.timeUs)}  ${severityColumn(e)}  ${e.message}\n`;
}
