// Styled text, as the view hands it to the terminal edge: lines of spans. Pure.
import type { AnalysisEvent, EventSeverity } from '../../analysis/types.js';
import { clockOf, severityColumn } from '../../analysis/event-line.js';
import type { RowSeverity } from './rows.js';
import { clip, wrap } from './text.js';

export type Style = 'ok' | 'warning' | 'critical' | 'title' | 'section' | 'heading' | 'dim' | 'key';

export interface Span {
  text: string;
  style?: Style | undefined;
  /** Reverse video: the selected row, the cursor. */
  inverse?: boolean;
}

export type Line = Span[];

export function severityStyle(s: RowSeverity | EventSeverity): Style | undefined {
  return s === 'ok' ? 'ok' : s === 'info' ? undefined : s;
}

/** The plain text of a line (tests, and terminals without colour). */
export function lineText(line: Line): string {
  let s = '';
  for (const x of line) s += x.text;
  return s;
}

/** Where an event's sentence starts: time 14, severity 8, gap 2. */
const MESSAGE_COLUMN = 24;

/**
 * An event in the log: time of day (UTC, milliseconds), severity, and the whole sentence,
 * wrapped under its own column, each line after `indent`.
 */
export function eventLines(e: AnalysisEvent, width: number, indent = ''): Line[] {
  const stamp = clockOf(e.timeUs);
  const room = width - indent.length - MESSAGE_COLUMN;
  const [first = '', ...rest] = room >= 20 ? wrap(e.message, room) : [e.message];
  const out: Line[] = [
    [{ text: indent }, { text: `${stamp}  `, style: 'dim' }, { text: severityColumn(e), style: severityStyle(e.severity) }, { text: `  ${first}` }],
    ...rest.map((l): Line => [{ text: `${indent}${' '.repeat(MESSAGE_COLUMN)}${l}` }]),
  ];
  return out.map((l) => clipLine(l, width));
}

/** Cut a line of spans to `width` columns. */
export function clipLine(spans: Line, width: number): Line {
  const out: Line = [];
  let room = width;
  for (const s of spans) {
    if (room <= 0) break;
    const text = clip(s.text, room);
    out.push({ ...s, text });
    room -= text.length;
  }
  return out;
}
