// The table of virtual routers as lines: which columns, how wide, cut or left out to fit the
// screen. Pure.
import { clipLine, severityStyle, type Line, type Span } from './lines.js';
import type { Row } from './rows.js';
import { ageText, fit, fitList, listMinWidth } from './text.js';

interface Column {
  title: string;
  cell: (r: Row) => string;
  align: 'left' | 'right';
  /** Narrowest it may be cut to (with an ellipsis); without it the column is never cut. */
  min?: number;
  /** A list of addresses: shortened by whole items ("+N"), never through an address. */
  list?: true;
  /** When the screen is too narrow for every column at its narrowest, lowest goes first; 0 stays. */
  drop: number;
}

// In the order the table shows them.
const COLUMNS: readonly Column[] = [
  { title: 'SEGMENT', cell: (r) => r.segment, align: 'left', min: 6, drop: 6 },
  { title: 'VRID', cell: (r) => r.vridText, align: 'left', drop: 0 },
  { title: 'VER', cell: (r) => r.version, align: 'left', drop: 3 },
  // An address is never cut: the master keeps its whole width, lists lose whole items.
  { title: 'MASTER', cell: (r) => r.master, align: 'left', drop: 0 },
  { title: 'PRIO', cell: (r) => r.priority, align: 'right', drop: 5 },
  { title: 'OTHERS', cell: (r) => r.others, align: 'left', list: true, drop: 7 },
  { title: 'ADV', cell: (r) => r.advertised, align: 'right', drop: 4 },
  { title: 'MEAS', cell: (r) => r.measured, align: 'right', drop: 2 },
  { title: 'VIPS', cell: (r) => r.vips, align: 'left', list: true, drop: 8 },
  { title: 'AUTH', cell: (r) => r.auth, align: 'left', min: 8, drop: 1 },
  { title: 'AGE', cell: (r) => ageText(r.ageUs), align: 'right', drop: 0 },
  { title: 'STATUS', cell: (r) => r.status, align: 'left', min: 14, drop: 0 },
];

/** Who gets the width left over once every column has its narrowest: first served first. */
const GROW_ORDER = ['MASTER', 'STATUS', 'SEGMENT', 'VIPS', 'OTHERS', 'AUTH'];

/**
 * The table's header and rows in `width` columns: every column at its natural width when they
 * fit; otherwise the least useful columns leave (lowest `drop` first) until the rest fit at their
 * narrowest, which never cuts an address, and the width left is handed back in GROW_ORDER.
 */
export function tableLines(rows: readonly Row[], width: number): { header: Line; rows: Line[] } {
  // One segment everywhere (a single interface) is said once, in the header.
  const segments = new Set(rows.map((r) => r.segment));
  let cols = COLUMNS.filter((c) => c.title !== 'SEGMENT' || segments.size > 1);
  const natural = (c: Column): number => Math.max(c.title.length, ...rows.map((r) => c.cell(r).length));
  const naturalWidths = new Map(cols.map((c) => [c, natural(c)]));
  const nat = (c: Column): number => naturalWidths.get(c) as number;
  const listMins = new Map(cols.filter((c) => c.list).map((c) => [c, Math.max(0, ...rows.map((r) => listMinWidth(c.cell(r))))]));
  const narrowest = (c: Column): number => Math.min(nat(c), Math.max(c.title.length, c.list ? (listMins.get(c) as number) : (c.min ?? nat(c))));
  const sum = (f: (c: Column) => number, gap: number): number => cols.reduce((a, c) => a + f(c), 0) + gap * (cols.length - 1);
  const gap = sum(nat, 2) <= width ? 2 : 1;
  while (sum(narrowest, gap) > width) {
    const droppable = cols.filter((c) => c.drop > 0);
    if (droppable.length === 0) break;
    const leaving = droppable.reduce((a, b) => (b.drop < a.drop ? b : a));
    cols = cols.filter((c) => c !== leaving);
  }
  const widths = new Map(cols.map((c) => [c, narrowest(c)]));
  let room = width - sum(narrowest, gap);
  for (const title of GROW_ORDER) {
    const c = cols.find((x) => x.title === title);
    if (c === undefined || room <= 0) continue;
    const add = Math.min(room, nat(c) - (widths.get(c) as number));
    widths.set(c, (widths.get(c) as number) + add);
    room -= add;
  }
  const sep = ' '.repeat(gap);
  const line = (texts: string[], style: (c: Column) => Span['style']): Line => {
    const spans: Line = [];
    cols.forEach((c, i) => {
      if (i > 0) spans.push({ text: sep });
      spans.push({ text: (c.list ? fitList : fit)(texts[i] as string, widths.get(c) as number, c.align), style: style(c) });
    });
    return clipLine(spans, width);
  };
  return {
    header: line(cols.map((c) => c.title), () => 'heading'),
    rows: rows.map((r) => line(cols.map((c) => c.cell(r)), (c) => (c.title === 'STATUS' ? severityStyle(r.severity) : undefined))),
  };
}
