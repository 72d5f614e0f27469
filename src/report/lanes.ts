// The timeline's lanes: one per virtual router (segment, family, VRID), its spans placed on the
// scale, one colour per router (named in the legend), split brain in the one colour no router
// gets. Pure: the analyzer's timeline in, positions and texts out; no time is re-derived here.

import type { GarpBurst, Lane, Mark, RoleSpan, SplitBrainSpan } from '../analysis/timeline.js';
import type { Family, SegmentId } from '../analysis/types.js';
import { clockOf, cssPercent, lengthText, isoOf, offsetText, percentAt, type Scale } from './scale.js';

/**
 * Router colours (html.ts's c0..c7): distinct for colour-blind readers (Okabe-Ito, without its
 * vermilion, which is split brain's), then darker variants. Eight, the analyzer's default
 * number of routers per virtual router.
 */
export const COLOURS = 8;

/**
 * One colour per router, kept wherever the router appears. A router met for the first time gets
 * a colour no other router of its lane has (while there are any), the least used one overall:
 * the routers of one virtual router always differ, however many routers the capture holds.
 */
export class Palette {
  private readonly byRouter = new Map<string, number>();
  private readonly uses: number[] = new Array<number>(COLOURS).fill(0);

  /** Gives colours to the routers of one lane, in order of appearance. */
  lane(routers: Iterable<string>): void {
    const taken = new Set<number>();
    const fresh: string[] = [];
    for (const r of routers) {
      const c = this.byRouter.get(r);
      if (c === undefined) fresh.push(r);
      else taken.add(c);
    }
    for (const r of fresh) {
      if (this.byRouter.has(r)) continue;
      let best = -1;
      for (let c = 0; c < COLOURS; c++) {
        if (taken.has(c) && taken.size < COLOURS) continue;
        if (best < 0 || (this.uses[c] as number) < (this.uses[best] as number)) best = c;
      }
      this.byRouter.set(r, best);
      this.uses[best] = (this.uses[best] as number) + 1;
      taken.add(best);
    }
  }

  colour(router: string): number {
    return this.byRouter.get(router) ?? 0;
  }

  entries(): { router: string; colour: number }[] {
    return [...this.byRouter].map(([router, colour]) => ({ router, colour }));
  }
}

/** A span as drawn: its contract attributes, its place and its tooltip. */
export interface SpanView {
  kind: RoleSpan['kind'] | 'split-brain';
  /** data-router (master spans). */
  router: string | null;
  /** data-routers (split-brain and flapping spans). */
  routers: string[];
  start: string;
  end: string;
  left: string;
  width: string;
  /** Colour index (master spans). */
  colour: number;
  /** Shown inside the span when it is wide enough. */
  label: string;
  title: string;
}

export interface MarkView {
  type: Mark['type'];
  left: string;
  title: string;
  /** The event row it links to, when that event is shown. */
  eventId: string | null;
}

export interface BurstView {
  left: string;
  title: string;
}

/** A failover's gap written beside it. */
export interface GapNote {
  left: string;
  text: string;
}

export interface LaneView {
  id: string;
  vrid: number;
  family: Family;
  segment: SegmentId;
  label: string;
  spans: SpanView[];
  splits: SpanView[];
  marks: MarkView[];
  bursts: BurstView[];
  notes: GapNote[];
  /** Bounds the recorder hit, for one line under the lane; '' when none. */
  dropped: string;
}

function place(s: Scale, startUs: number, endUs: number): { left: string; width: string } {
  const a = percentAt(s, startUs);
  return { left: cssPercent(a), width: cssPercent(percentAt(s, endUs) - a) };
}

function when(s: Scale, startUs: number, endUs: number): string {
  return `${clockOf(startUs)} to ${clockOf(endUs)} UTC (${offsetText(s, startUs)}, for ${lengthText(endUs - startUs)})`;
}

function roleSpan(s: Scale, x: RoleSpan, palette: Palette): SpanView {
  const base = { start: isoOf(x.startUs), end: isoOf(x.endUs), ...place(s, x.startUs, x.endUs) };
  switch (x.kind) {
    case 'master':
      return { ...base, kind: 'master', router: x.router, routers: [], colour: palette.colour(x.router), label: x.router,
        title: `${x.router} master, ${when(s, x.startUs, x.endUs)}, ${x.adverts} adverts` };
    case 'no-master':
      return { ...base, kind: 'no-master', router: null, routers: [], colour: -1, label: '',
        title: `no master, ${when(s, x.startUs, x.endUs)}: after ${x.after}${x.before === null ? '; none took over before the capture ended' : `, until ${x.before}`}` };
    case 'flapping':
      return { ...base, kind: 'flapping', router: null, routers: x.routers, colour: -1, label: '',
        title: `the role moved ${x.changes} times among ${x.routers.join(', ') || 'the routers'}, ${when(s, x.startUs, x.endUs)} (merged to keep the report small)` };
  }
}

function splitSpan(s: Scale, x: SplitBrainSpan): SpanView {
  return {
    kind: 'split-brain', router: x.master, routers: x.routers, start: isoOf(x.startUs), end: isoOf(x.endUs), ...place(s, x.startUs, x.endUs), colour: -1,
    label: 'split brain',
    title: `split brain: ${x.routers.join(' and ')} both master, ${when(s, x.startUs, x.endUs)}${x.open ? ', still on when the capture ended' : ''}`,
  };
}

function burst(s: Scale, b: GarpBurst): BurstView {
  return { left: cssPercent(percentAt(s, b.startUs)), title: `${b.count} gratuitous ARP/NA for ${b.vip} from ${b.macs.join(', ')}, ${clockOf(b.startUs)} UTC (${offsetText(s, b.startUs)})` };
}

export function laneLabel(vrid: number, family: Family): string {
  return `VRID ${vrid} ${family === 'ipv4' ? 'IPv4' : 'IPv6'}`;
}

/**
 * The lane of one virtual router. `eventIdOf` finds the event row a mark links to (by type and
 * time), null when the event is not shown.
 */
export function laneView(id: string, s: Scale, lane: Lane, palette: Palette, eventIdOf: (type: string, timeUs: number) => string | null): LaneView {
  const spans = lane.spans.map((x) => roleSpan(s, x, palette));
  const notes: GapNote[] = [];
  const changes = lane.marks.filter((m) => m.type === 'master-change' || m.type === 'master-down');
  for (const x of lane.spans) {
    if (x.kind !== 'no-master') continue;
    // The gap's length, and its cause from the analyzer's master-change at the gap's end.
    const m = changes.find((c) => c.type === 'master-change' && c.timeUs === x.endUs);
    const why = m !== undefined ? m.why : x.before === null ? `${x.after} went silent` : '';
    notes.push({ left: cssPercent(percentAt(s, x.startUs)), text: `${lengthText(x.endUs - x.startUs)}${why === '' ? '' : `, ${why}`}` });
  }
  const d = lane.dropped;
  const dropped = [
    d.spansMerged > 0 ? `${d.spansMerged} short spans merged` : '',
    d.marks > 0 ? `${d.marks} marks thinned out` : '',
    d.splits > 0 ? `${d.splits} split brains not drawn` : '',
    d.bursts > 0 ? `${d.bursts} ARP bursts not drawn` : '',
  ].filter((x) => x !== '').join(', ');
  return {
    id,
    vrid: lane.vrid,
    family: lane.family,
    segment: lane.segment,
    label: laneLabel(lane.vrid, lane.family),
    spans,
    splits: lane.splits.map((x) => splitSpan(s, x)),
    marks: lane.marks.map((m) => ({ type: m.type, left: cssPercent(percentAt(s, m.timeUs)), title: `${clockOf(m.timeUs)} UTC (${offsetText(s, m.timeUs)}): ${m.text}`, eventId: eventIdOf(m.type, m.timeUs) })),
    bursts: lane.bursts.map((b) => burst(s, b)),
    notes,
    dropped,
  };
}
