// The detail view's timeline: one strip per router over the last minutes, scaled to the
// terminal's width, telling the story the report draws (src/report): master, master in a split
// brain, backup heard (advertising, not master), silent. Pure: snapshot, events and time in.
//
// The strips come from the analyzer's own events, anchored on the snapshot's master now:
// master-change (the old master held the role until its last advert, gapSeconds before; the new
// one from the event), master-down and its end, split-brain and its end (start plus its
// duration). A router that lost the role by going silent is silent until an event names it
// again; otherwise it is heard between its first and last advert.
import type { AnalysisEvent, VridSnapshot } from '../../analysis/types.js';
import { secondsToMicros } from '../../time/timestamp.js';
import type { Line, Span, Style } from './lines.js';
import { clip } from './text.js';

export type StripState = 'master' | 'split' | 'heard' | 'silent';

export interface Strips {
  fromUs: number;
  cellUs: number;
  routers: { router: string; cells: StripState[] }[];
}

interface Interval {
  router: string;
  startUs: number;
  endUs: number;
}

/** How far back the strips look, at most. */
export const STRIP_WINDOW_US = 5 * 60 * 1_000_000;
const MIN_WINDOW_US = 10 * 1_000_000;

const CELL: Readonly<Record<StripState, { text: string; style: Style | undefined }>> = {
  master: { text: '█', style: 'ok' },
  split: { text: '█', style: 'critical' },
  heard: { text: '▒', style: undefined },
  silent: { text: '·', style: 'dim' },
};

/** Who was master when: replayed backwards from the master now. */
function masterIntervals(v: VridSnapshot, events: readonly AnalysisEvent[], nowUs: number): Interval[] {
  const out: Interval[] = [];
  let cur = v.master;
  let end = nowUs;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as AnalysisEvent;
    if (e.type === 'master-change') {
      out.push({ router: e.to, startUs: e.timeUs, endUs: end });
      cur = e.from;
      end = e.timeUs - secondsToMicros(e.gapSeconds);
    } else if (e.type === 'master-down') {
      cur = e.router;
      end = e.timeUs - secondsToMicros(e.silentSeconds);
    } else if (e.type === 'master-down-end') {
      if (cur !== null) out.push({ router: cur, startUs: e.timeUs, endUs: end });
      cur = null;
    }
  }
  if (cur !== null) out.push({ router: cur, startUs: -Infinity, endUs: end });
  return out;
}

function splitIntervals(events: readonly AnalysisEvent[], nowUs: number): Interval[] {
  const out: Interval[] = [];
  const open = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'split-brain') for (const r of e.routers) open.set(r, e.timeUs);
    else if (e.type === 'split-brain-end') {
      for (const r of e.routers) {
        const start = open.get(r) ?? e.timeUs - secondsToMicros(e.durationSeconds);
        out.push({ router: r, startUs: start, endUs: start + secondsToMicros(e.durationSeconds) });
        open.delete(r);
      }
    }
  }
  for (const [router, startUs] of open) out.push({ router, startUs, endUs: nowUs });
  return out;
}

/** From losing the role by silence until an event names the router again. */
function silentIntervals(events: readonly AnalysisEvent[]): Interval[] {
  const out: Interval[] = [];
  const names = (e: AnalysisEvent, r: string): boolean =>
    (e.type === 'master-change' && e.to === r) || ((e.type === 'priority-change' || e.type === 'release' || e.type === 'router-seen') && e.router === r) ||
    (e.type === 'split-brain' && e.routers.includes(r));
  events.forEach((e, i) => {
    let router: string | null = null;
    let from = 0;
    if (e.type === 'master-change' && e.cause === 'silent' && e.from !== null) {
      router = e.from;
      from = e.timeUs - secondsToMicros(e.gapSeconds);
    } else if (e.type === 'master-down') {
      router = e.router;
      from = e.timeUs - secondsToMicros(e.silentSeconds);
    }
    if (router === null) return;
    const back = events.slice(i + 1).find((x) => names(x, router as string));
    out.push({ router, startUs: from, endUs: back?.timeUs ?? Infinity });
  });
  return out;
}

function overlaps(list: readonly Interval[], router: string, a: number, b: number): boolean {
  return list.some((x) => x.router === router && x.startUs < b && x.endUs >= a);
}

/** The strips of every router of `v` in `cells` columns, ending now. */
export function routerStrips(v: VridSnapshot, events: readonly AnalysisEvent[], nowUs: number, cells: number): Strips {
  const first = Math.min(...v.routers.map((r) => r.firstSeenUs));
  const fromUs = Math.min(nowUs - MIN_WINDOW_US, Math.max(nowUs - STRIP_WINDOW_US, Number.isFinite(first) ? first : nowUs));
  const n = Math.max(1, cells);
  const cellUs = (nowUs - fromUs) / n;
  const masters = masterIntervals(v, events, nowUs);
  const splits = splitIntervals(events, nowUs);
  const silent = silentIntervals(events);
  const routers = v.routers.map((r) => {
    const out: StripState[] = [];
    for (let i = 0; i < n; i++) {
      const a = fromUs + i * cellUs;
      const b = a + cellUs;
      if (overlaps(splits, r.address, a, b)) out.push('split');
      else if (r.firstSeenUs < b && overlaps(masters, r.address, a, b)) out.push('master');
      else if (r.firstSeenUs < b && r.lastSeenUs >= a && !overlaps(silent, r.address, a, b)) out.push('heard');
      else out.push('silent');
    }
    return { router: r.address, cells: out };
  });
  return { fromUs, cellUs, routers };
}

function spanText(us: number): string {
  const s = us / 1e6;
  return s < 60 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`;
}

/** The section: a title with the scale, a strip per router, and the key. */
export function stripLines(v: VridSnapshot, events: readonly AnalysisEvent[], nowUs: number, width: number): Line[] {
  const label = Math.max(6, ...v.routers.map((r) => r.address.length));
  const cells = Math.max(10, width - label - 4);
  const s = routerStrips(v, events, nowUs, cells);
  const per = s.cellUs / 1e6;
  const out: Line[] = [[{ text: clip(`Timeline, the last ${spanText(nowUs - s.fromUs)} to now (one column ${per < 10 ? per.toFixed(2) : per.toFixed(0)} s)`, width), style: 'section' }]];
  for (const r of s.routers) {
    const line: Span[] = [{ text: `  ${r.router.padEnd(label)}  ` }];
    // Runs of one state are one span.
    let i = 0;
    while (i < r.cells.length) {
      const state = r.cells[i] as StripState;
      let j = i;
      while (j < r.cells.length && r.cells[j] === state) j++;
      line.push({ text: CELL[state].text.repeat(j - i), style: CELL[state].style });
      i = j;
    }
    out.push(line);
  }
  out.push([
    { text: '  ' },
    { text: '█', style: 'ok' }, { text: ' master  ' },
    { text: '█', style: 'critical' }, { text: ' split brain  ' },
    { text: '▒ backup heard  ' },
    { text: '·', style: 'dim' }, { text: ' silent' },
  ]);
  return out;
}
