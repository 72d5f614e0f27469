// Small pure text helpers for the screen: durations, fitting text into columns, wrapping.
import { microsToSeconds } from '../../time/timestamp.js';

/** A running time: 0:00:07, 12:03:59, 3d 04:00:00. */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return d > 0 ? `${d}d ${hms.padStart(8, '0')}` : hms;
}

/** How long ago: 7s, 4m05s, 2h10m, 3d04h (one home: src/format/duration.ts). */
export { ageText } from '../../format/duration.js';

/** Exactly `width` columns: cut with an ellipsis, or padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/**
 * A comma-separated list of addresses in exactly `width` columns, never cutting one: as many
 * whole items as fit, then "+N" for the rest; padded like fit(). Cut like fit() only when even the
 * first item and its "+N" do not fit (the table gives list columns at least that much).
 */
export function fitList(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (text.length <= width) return fit(text, width, align);
  const items = text.split(', ');
  for (let n = items.length - 1; n >= 1; n--) {
    const shown = `${items.slice(0, n).join(', ')} +${items.length - n}`;
    if (shown.length <= width) return fit(shown, width, align);
  }
  return fit(text, width, align);
}

/** The narrowest fitList() can make `text` without cutting an address: its first item and "+N". */
export function listMinWidth(text: string): number {
  const items = text.split(', ');
  return items.length === 1 ? text.length : (items[0] as string).length + ` +${items.length - 1}`.length;
}

/** Cut to at most `width` columns (no padding). */
export function clip(text: string, width: number): string {
  return text.length > width ? fit(text, width) : text;
}

/** Word-wrap to `width`, continuation lines indented by `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const lead = out.length === 0 ? '' : indent;
    if (line !== '' && lead.length + line.length + 1 + word.length > width) {
      out.push(lead + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  out.push((out.length === 0 ? '' : indent) + line);
  return out.map((l) => clip(l, width));
}
