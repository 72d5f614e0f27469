// The report as data: header, verdict, the timeline of every segment, and per virtual router its
// routers and events. Pure: the analysis, its timeline and check's verdict in; the HTML renderer
// (html.ts) only writes this out. Bounded: a capture of any size gives at most MAX_SECTIONS
// virtual routers in full and MAX_EVENTS_PER_VRID / MAX_EVENTS event rows; the rest is counted.

import type { Analysis } from '../analysis/analyzer.js';
import { authText, interval, segmentText } from '../analysis/messages.js';
import type { Lane, Timeline } from '../analysis/timeline.js';
import { vridKey } from '../analysis/labels.js';
import type { AnalysisEvent, EventSeverity, VridSnapshot } from '../analysis/types.js';
import { verdictLine } from '../check/output.js';
import type { Verdict } from '../check/verdict.js';
import { laneLabel, laneView, Palette, type LaneView } from './lanes.js';
import { clockOf, lengthText, isoOf, offsetText, scaleOf, ticks, type Scale, type Tick } from './scale.js';

export const MAX_SECTIONS = 256;
export const MAX_EVENTS_PER_VRID = 200;
export const MAX_EVENTS = 2000;

export interface ReportInput {
  /** The capture as the user named it ('-' is standard input). */
  file: string;
  analysis: Analysis;
  timeline: Timeline;
  verdict: Verdict;
  /** First and last frame of the capture (µs since the epoch); -Infinity/Infinity when empty. */
  firstUs: number;
  lastUs: number;
  /** Where the file was damaged, if it was: the report covers what came before. */
  damage: string | null;
}

export interface RouterRow {
  address: string;
  colour: number;
  master: boolean;
  mac: string;
  priority: string;
  advertised: string;
  measured: string;
  packets: string;
  auth: string;
  vips: string;
  firstSeen: string;
  lastSeen: string;
}

export interface EventRow {
  id: string;
  severity: EventSeverity;
  time: string;
  offset: string;
  message: string;
  /** The lane it belongs to, and where on it (CSS percent), for the link to the timeline. */
  lane: string | null;
  at: string;
}

export interface VridSection {
  id: string;
  title: string;
  lane: string | null;
  status: string;
  master: string;
  routers: RouterRow[];
  events: EventRow[];
  /** Events of this virtual router not listed (beyond the caps). */
  moreEvents: number;
}

export interface SegmentView {
  title: string;
  lanes: LaneView[];
}

export interface ReportModel {
  title: string;
  file: string;
  verdictState: Verdict['state'];
  verdictLine: string;
  worst: string;
  facts: { label: string; value: string }[];
  ticks: Tick[];
  segments: SegmentView[];
  legend: { router: string; colour: number }[];
  sections: VridSection[];
  /** Events of no virtual router (a malformed packet whose VRID could not be read). */
  otherEvents: EventRow[];
  notes: string[];
}

function measuredText(v: VridSnapshot['routers'][number]): string {
  const m = v.measured;
  if (m === null) return '-';
  return `${m.minSeconds.toFixed(3)} / ${m.meanSeconds.toFixed(3)} / ${m.maxSeconds.toFixed(3)} s (${m.count})`;
}

function when(s: Scale, us: number): string {
  return Number.isFinite(us) ? `${clockOf(us)} (${offsetText(s, us)})` : '-';
}

function segmentTitle(v: { segment: VridSnapshot['segment'] }): string {
  const t = segmentText(v.segment);
  return t === '' ? 'Segment: untagged' : `Segment: ${t}`;
}

const STATUS_WORDS: Readonly<Record<string, string>> = { ok: 'ok', 'no-master': 'no master' };

/** With no problem by check's rules, the analyzer's most severe event says what was worst. */
function worstEvent(a: Analysis): string {
  const e = a.worst === null || a.worst === 'info' ? undefined : a.events.find((x) => x.severity === a.worst);
  return e === undefined ? 'none' : `${e.severity}: ${e.message}`;
}

export function buildReport(input: ReportInput): ReportModel {
  const a = input.analysis;
  const t = input.timeline;
  const first = Math.min(input.firstUs, t.startUs);
  const last = Math.max(input.lastUs, Number.isFinite(t.endUs) ? t.endUs : -Infinity);
  const s = scaleOf(first, last);
  const palette = new Palette();

  const lanesByKey = new Map<string, Lane>(t.lanes.map((l) => [vridKey(l.segment, l.family, l.vrid), l]));
  // Virtual routers in the analyzer's order; lanes of ones it has forgotten after them.
  const keys: { key: string; snap: VridSnapshot | null; lane: Lane | null }[] = a.vrids.map((v) => {
    const key = vridKey(v.segment, v.family, v.vrid);
    return { key, snap: v, lane: lanesByKey.get(key) ?? null };
  });
  const known = new Set(keys.map((k) => k.key));
  for (const [key, lane] of lanesByKey) if (!known.has(key)) keys.push({ key, snap: null, lane });
  const shown = keys.slice(0, MAX_SECTIONS);
  const ids = new Map(shown.map((k, i) => [k.key, `v${i + 1}`]));

  // Events, grouped by virtual router, within the caps.
  const eventsOf = new Map<string, EventRow[]>();
  const more = new Map<string, number>();
  const otherEvents: EventRow[] = [];
  const eventIds = new Map<string, string>();
  let listed = 0;
  a.events.forEach((e: AnalysisEvent, i) => {
    const key = e.vrid === null ? null : vridKey(e.segment, e.family, e.vrid);
    const laneId = key === null ? null : ids.get(key) ?? null;
    const rows = key === null ? otherEvents : eventsOf.get(key) ?? [];
    if (key !== null && !eventsOf.has(key)) eventsOf.set(key, rows);
    if (listed >= MAX_EVENTS || rows.length >= MAX_EVENTS_PER_VRID || (key !== null && laneId === null)) {
      if (key !== null) more.set(key, (more.get(key) ?? 0) + 1);
      return;
    }
    listed++;
    const id = `e${i + 1}`;
    if (laneId !== null) eventIds.set(`${laneId}|${e.type}|${e.timeUs}`, id);
    const at = ((e.timeUs - s.startUs) / (s.endUs - s.startUs)) * 100;
    rows.push({ id, severity: e.severity, time: isoOf(e.timeUs), offset: offsetText(s, e.timeUs), message: e.message, lane: laneId, at: `${Number(Math.min(100, Math.max(0, at)).toFixed(4))}%` });
  });

  const masters = new Set(t.lanes.flatMap((l) => l.spans.map((x) => (x.kind === 'master' ? x.router : ''))));
  const segments = new Map<string, SegmentView>();
  const sections: VridSection[] = [];
  for (const k of shown) {
    const id = ids.get(k.key) as string;
    const lane: Lane = k.lane ?? {
      segment: k.snap!.segment, family: k.snap!.family, vrid: k.snap!.vrid, spans: [], splits: [], marks: [], bursts: [],
      dropped: { spansMerged: 0, splits: 0, marks: 0, bursts: 0 },
    };
    const v = k.snap;
    palette.lane([...lane.spans.flatMap((x) => (x.kind === 'master' ? [x.router] : [])), ...(v?.routers.map((r) => r.address) ?? [])]);
    const view = laneView(id, s, lane, palette, (type, timeUs) => eventIds.get(`${id}|${type}|${timeUs}`) ?? null);
    const segTitle = segmentTitle(lane);
    const seg = segments.get(segTitle) ?? { title: segTitle, lanes: [] };
    segments.set(segTitle, seg);
    seg.lanes.push(view);
    sections.push({
      id,
      title: `${laneLabel(lane.vrid, lane.family)}${segmentText(lane.segment) === '' ? '' : ` on ${segmentText(lane.segment)}`}${v === null ? '' : `, VRRPv${v.version}`}`,
      lane: id,
      status: v === null ? 'forgotten by the analyzer (limits)' : v.conditions.length === 0 ? 'ok' : v.conditions.map((c) => STATUS_WORDS[c] ?? c.replace(/-/g, ' ')).join(', '),
      master: v?.master ?? 'none',
      routers: (v?.routers ?? []).map((r) => ({
        address: r.address,
        colour: palette.colour(r.address),
        master: r.address === v?.master,
        mac: r.mac ?? '-',
        priority: String(r.priority),
        advertised: interval(r.advertIntervalCs),
        measured: measuredText(r),
        packets: String(r.packets),
        auth: authText(r.authType, r.authData),
        vips: r.vips.join(', ') || '-',
        firstSeen: when(s, r.firstSeenUs),
        lastSeen: when(s, r.lastSeenUs),
      })),
      events: eventsOf.get(k.key) ?? [],
      moreEvents: more.get(k.key) ?? 0,
    });
  }

  const notes: string[] = [];
  if (input.damage !== null) notes.push(`The capture is damaged: ${input.damage}. The report covers what came before.`);
  if (keys.length > shown.length) notes.push(`${keys.length - shown.length} more virtual routers are not drawn, to keep the report small; vrrpwatch analyze lists them all.`);
  if (t.droppedLanes > 0) notes.push(`${t.droppedLanes} virtual routers had no lane: the timeline's limit was reached.`);
  if (a.droppedEvents > 0) notes.push(`${a.droppedEvents} events were counted but not kept by the analyzer.`);
  const unlisted = [...more.values()].reduce((x, y) => x + y, 0);
  if (unlisted > 0) notes.push(`${unlisted} events are not listed here (at most ${MAX_EVENTS_PER_VRID} per virtual router, ${MAX_EVENTS} in all); vrrpwatch analyze --json has every one.`);

  const v = input.verdict;
  const top = v.problems[0];
  const span = Number.isFinite(first) ? `${isoOf(s.startUs)} to ${isoOf(last)} (${lengthText(last - s.startUs)})` : 'no packets';
  return {
    title: `vrrpwatch report: ${input.file === '-' ? 'standard input' : input.file}`,
    file: input.file === '-' ? 'standard input' : input.file,
    verdictState: v.state,
    verdictLine: verdictLine(v),
    worst: top !== undefined ? `${top.state.toLowerCase()}: ${top.summary}${top.ongoing ? ' (still so at the end)' : ''}` : worstEvent(a),
    facts: [
      { label: 'File', value: input.file === '-' ? 'standard input' : input.file },
      { label: 'Time span (UTC)', value: span },
      { label: 'Packets', value: `${a.packets.total} frames, ${a.packets.vrrp} VRRP, ${a.packets.malformed} malformed` },
      { label: 'Virtual routers', value: String(a.vrids.length) },
      { label: 'Events', value: `${a.severities.critical} critical, ${a.severities.warning} warnings, ${a.severities.info} info` },
    ],
    ticks: ticks(s),
    segments: [...segments.values()],
    // Routers that were master somewhere: the others have a colour only in their tables.
    legend: palette.entries().filter((e) => masters.has(e.router)),
    sections,
    otherEvents,
    notes,
  };
}
