// Who held each virtual router when: the spans the report draws, recorded while the tracker
// decides, so that the picture shows the analyzer's own times and never re-derives them. Pure
// and bounded: the tracker calls a few hooks (marked `// timeline:` there), time comes with them.
//
// - A master span runs from a router's first advert as master to its last one (the advert that
//   releases the role included).
// - What follows a master span until the next master's first advert is a no-master span; so is
//   the time after the last master span when the capture ends with no master.
// - A split-brain span runs from the analyzer's start of the split brain to its last evidence
//   (the second-latest advert of its members: the last moment two of them were advertising),
//   also when it is still open when the capture ends; once over, to its start plus the duration
//   its split-brain-end event gives.
// - Priority changes, releases, failovers and master-downs are marks; gratuitous ARPs (and
//   replies, neighbour adverts) for a VIP within BURST_GAP_US of each other are one burst.
//
// Bounds: lanes (virtual routers) up to maxLanes, later ones counted. Spans, marks, bursts and
// split-brain spans each have a total that the lanes share evenly: a lane over its share of
// spans merges its shortest runs of spans into `flapping` spans (the long spans, the ones a
// post-mortem reads, stay exact); marks thin out (every other one dropped, and from then on
// only every other one kept); bursts and split-brain spans beyond the share are counted.

import { secondsToMicros } from '../time/timestamp.js';
import type { RouterState, Segment, VridState } from './state.js';
import type { AnalysisEvent, Family, SegmentId } from './types.js';
import { vridKey } from './labels.js';
import { splitLastUs, splitRouters } from './split-brain.js';

export interface MasterSpan {
  kind: 'master';
  router: string;
  startUs: number;
  endUs: number;
  /** Adverts it sent as master during the span. */
  adverts: number;
}

export interface NoMasterSpan {
  kind: 'no-master';
  startUs: number;
  endUs: number;
  /** The master before the gap. */
  after: string;
  /** The master after it; null when the capture ends first. */
  before: string | null;
}

/** Several short spans merged to stay within the bounds: the role moved `changes` times. */
export interface FlappingSpan {
  kind: 'flapping';
  startUs: number;
  endUs: number;
  routers: string[];
  changes: number;
}

export type RoleSpan = MasterSpan | NoMasterSpan | FlappingSpan;

export interface SplitBrainSpan {
  kind: 'split-brain';
  routers: string[];
  /** The master the election gave when the split brain started (the others claim it too). */
  master: string | null;
  startUs: number;
  endUs: number;
  /** Still open when the recording ended. */
  open: boolean;
}

export type MarkType = 'master-change' | 'priority-change' | 'release' | 'master-down';

export interface Mark {
  type: MarkType;
  timeUs: number;
  /** The router the mark is about (the new master for a master-change). */
  router: string;
  /** What to write beside it: "3.610 s, 192.0.2.11 went silent", "192.0.2.11 priority 150 -> 100". */
  text: string;
  /** A failover's cause alone: "192.0.2.11 went silent", "192.0.2.11 outranked 192.0.2.12". */
  why: string;
}

export interface GarpBurst {
  vip: string;
  startUs: number;
  endUs: number;
  count: number;
  macs: string[];
}

export interface LaneDrops {
  /** Spans merged into flapping spans. */
  spansMerged: number;
  splits: number;
  marks: number;
  bursts: number;
}

/** One virtual router (segment, family, VRID) over time. */
export interface Lane {
  segment: SegmentId;
  family: Family;
  vrid: number;
  /** Master, no-master and flapping spans in time order, never overlapping. */
  spans: RoleSpan[];
  splits: SplitBrainSpan[];
  marks: Mark[];
  bursts: GarpBurst[];
  dropped: LaneDrops;
}

export interface Timeline {
  /** First and last time the recorder saw (µs since the epoch); -Infinity and Infinity when empty. */
  startUs: number;
  endUs: number;
  /** In the tracker's snapshot order is not kept here: by first activity. */
  lanes: Lane[];
  droppedLanes: number;
}

/** Totals over all lanes: each lane gets an even share of each, at least MIN_SHARE. */
export interface TimelineLimits {
  maxLanes: number;
  maxSpans: number;
  maxMarks: number;
  maxBursts: number;
  maxSplits: number;
}

export const DEFAULT_TIMELINE_LIMITS: Readonly<TimelineLimits> = {
  maxLanes: 512,
  maxSpans: 6000,
  maxMarks: 3000,
  maxBursts: 2000,
  maxSplits: 1000,
};

const MIN_SHARE = 8;
/** Claims for one VIP closer than this are one burst (keepalived sends 5 at once, 5 s apart). */
const BURST_GAP_US = 1_000_000;
const MAX_BURST_MACS = 4;

class LaneRecorder {
  readonly lane: Lane;
  /** The open master span's router run (RouterState.runStartUs), to tell a new run from the same one. */
  private runStartUs = NaN;
  private current: MasterSpan | null = null;
  private lastMaster: MasterSpan | null = null;
  private markStride = 1;
  private markSeq = 0;
  /** Split brains a newer one followed before their end event came (both in one frame). */
  private ending: SplitBrainSpan[] = [];

  /** The tracker's state of this virtual router: a new one when the tracker forgot it and met it again. */
  constructor(public state: VridState) {
    this.lane = {
      segment: state.segment.id,
      family: state.family,
      vrid: state.vrid,
      spans: [],
      splits: [],
      marks: [],
      bursts: [],
      dropped: { spansMerged: 0, splits: 0, marks: 0, bursts: 0 },
    };
  }

  /** `r` advertised at `t` as master. Returns whether a span was added. */
  master(r: RouterState, t: number): boolean {
    const c = this.current;
    if (c !== null && c.router === r.address && this.runStartUs === r.runStartUs) {
      c.endUs = t;
      c.adverts++;
      return false;
    }
    const spans = this.lane.spans;
    const prev = this.lastMaster;
    if (prev !== null && prev.endUs < t) spans.push({ kind: 'no-master', startUs: prev.endUs, endUs: t, after: prev.router, before: r.address });
    const s: MasterSpan = { kind: 'master', router: r.address, startUs: t, endUs: t, adverts: 1 };
    spans.push(s);
    this.current = s;
    this.lastMaster = s;
    this.runStartUs = r.runStartUs;
    return true;
  }

  /** The role left the master at some point after its last advert: its span is closed. */
  closeMaster(): void {
    this.current = null;
  }

  split(startUs: number, routers: readonly string[], endUs: number, open: boolean, max: number): void {
    const master = this.state.master?.address ?? null;
    const splits = this.lane.splits;
    const last = splits[splits.length - 1];
    if (last !== undefined && last.startUs === startUs) {
      if (endUs > last.endUs || !open) last.endUs = Math.max(last.startUs, endUs);
      last.routers = [...routers];
      last.open = open;
      return;
    }
    if (last !== undefined && last.open) {
      // One split brain at a time: the one before is over, its end event still to come.
      last.open = false;
      this.ending.push(last);
    }
    if (splits.length >= max) {
      this.lane.dropped.splits++;
      return;
    }
    splits.push({ kind: 'split-brain', routers: [...routers], master, startUs, endUs: Math.max(startUs, endUs), open });
  }

  /** The open split brain is over: it lasted `durationUs` from its start. */
  splitEnded(durationUs: number): void {
    const last = this.lane.splits[this.lane.splits.length - 1];
    const s = this.ending.shift() ?? (last !== undefined && last.open ? last : undefined);
    if (s === undefined) return;
    s.endUs = s.startUs + durationUs;
    s.open = false;
  }

  mark(m: Mark, max: number): void {
    if (this.markSeq++ % this.markStride !== 0) {
      this.lane.dropped.marks++;
      return;
    }
    this.lane.marks.push(m);
    this.thinMarks(max);
  }

  /** Over `max`: keep every other mark, and from now on every other one that comes. */
  thinMarks(max: number): void {
    while (this.lane.marks.length > max) {
      const marks = this.lane.marks;
      const kept = marks.filter((_, i) => i % 2 === 0);
      this.lane.dropped.marks += marks.length - kept.length;
      this.lane.marks = kept;
      this.markStride *= 2;
    }
  }

  /** Lanes met after this one shrank its shares: trim it to them. */
  trim(spans: number, marks: number, bursts: number, splits: number): void {
    if (this.lane.spans.length > spans) this.compact(spans);
    this.thinMarks(marks);
    const d = this.lane.dropped;
    if (this.lane.bursts.length > bursts) {
      d.bursts += this.lane.bursts.length - bursts;
      this.lane.bursts = this.lane.bursts.slice(0, bursts);
    }
    if (this.lane.splits.length > splits) {
      d.splits += this.lane.splits.length - splits;
      this.lane.splits = this.lane.splits.slice(0, splits);
    }
  }

  claim(vip: string, mac: string, t: number, max: number): void {
    const bursts = this.lane.bursts;
    for (let i = bursts.length - 1; i >= 0 && i >= bursts.length - 8; i--) {
      const b = bursts[i] as GarpBurst;
      if (b.vip !== vip || t - b.endUs > BURST_GAP_US) continue;
      b.endUs = t;
      b.count++;
      if (!b.macs.includes(mac) && b.macs.length < MAX_BURST_MACS) b.macs.push(mac);
      return;
    }
    if (bursts.length >= max) {
      this.lane.dropped.bursts++;
      return;
    }
    bursts.push({ vip, startUs: t, endUs: t, count: 1, macs: [mac] });
  }

  /**
   * Merges the shortest runs of spans (all but the last two, which may still grow) into
   * flapping spans until the lane holds at most `share` / 2 spans.
   */
  compact(share: number): void {
    const spans = this.lane.spans;
    const target = Math.max(4, share >> 1);
    let threshold = 1;
    const tail = spans.length - 2;
    let out = spans;
    while (out.length > target && threshold < Number.MAX_SAFE_INTEGER) {
      threshold *= 4;
      out = [];
      for (let i = 0; i < spans.length; i++) {
        const s = spans[i] as RoleSpan;
        const short = i < tail && s.endUs - s.startUs < threshold;
        const prev = out[out.length - 1];
        if (short && prev !== undefined && prev.kind === 'flapping') {
          prev.endUs = Math.max(prev.endUs, s.endUs);
          prev.changes++;
          if (s.kind === 'master' && !prev.routers.includes(s.router)) prev.routers.push(s.router);
        } else if (short) {
          out.push({ kind: 'flapping', startUs: s.startUs, endUs: s.endUs, routers: s.kind === 'master' ? [s.router] : s.kind === 'flapping' ? [...s.routers] : [], changes: s.kind === 'flapping' ? s.changes : 1 });
        } else {
          out.push(s.kind === 'flapping' ? { ...s, routers: [...s.routers] } : s);
        }
      }
    }
    if (out !== spans) {
      this.lane.dropped.spansMerged += spans.length - out.length;
      this.lane.spans = out;
    }
  }

  /** The capture ended at `endUs`: a lane left with no master gets its closing no-master span. */
  finish(endUs: number): Lane {
    const v = this.state;
    const prev = this.lastMaster;
    const lane = { ...this.lane, spans: [...this.lane.spans], splits: this.lane.splits.map((s) => ({ ...s, routers: [...s.routers] })) };
    if (prev !== null && (v.master === null || v.master.address !== prev.router || v.evicted) && prev.endUs < endUs) {
      lane.spans.push({ kind: 'no-master', startUs: prev.endUs, endUs, after: prev.router, before: null });
    }
    return lane;
  }
}

/** The recorder the tracker feeds when a timeline is wanted (Analyzer option `timeline`). */
export class TimelineRecorder {
  readonly limits: TimelineLimits;
  private readonly lanes = new Map<string, LaneRecorder>();
  /** Each lane under its current state only, so that this stays as small as the lanes. */
  private readonly byState = new Map<VridState, LaneRecorder>();
  /** Virtual routers met when the lanes were full, each counted once. */
  private readonly unlaned = new WeakSet<VridState>();
  private droppedLanes = 0;
  private firstUs = Infinity;
  private lastUs = -Infinity;

  constructor(limits: Partial<TimelineLimits> = {}) {
    this.limits = { ...DEFAULT_TIMELINE_LIMITS, ...limits };
  }

  private laneOf(v: VridState): LaneRecorder | null {
    let l = this.byState.get(v);
    if (l !== undefined) return l;
    const key = vridKey(v.segment.id, v.family, v.vrid);
    l = this.lanes.get(key);
    if (l === undefined) {
      if (this.lanes.size >= this.limits.maxLanes) {
        if (!this.unlaned.has(v)) {
          this.unlaned.add(v);
          this.droppedLanes++;
        }
        return null;
      }
      l = new LaneRecorder(v);
      this.lanes.set(key, l);
    } else {
      // A virtual router the tracker forgot and met again keeps its lane.
      this.byState.delete(l.state);
      l.state = v;
    }
    this.byState.set(v, l);
    return l;
  }

  /** A lane's share of a total: lanes met later shrink it, and fuller lanes trim at their next entry. */
  private share(total: number): number {
    return Math.max(MIN_SHARE, Math.floor(total / Math.max(1, this.lanes.size)));
  }

  private seen(t: number): void {
    if (t < this.firstUs) this.firstUs = t;
    if (t > this.lastUs) this.lastUs = t;
  }

  /**
   * Hook: an accepted advert from `r` at `t`, after the election and split-brain checks ran;
   * `masterBefore` is the VRID's master before this advert.
   */
  advert(r: RouterState, masterBefore: RouterState | null, t: number): void {
    const v = r.vrid;
    this.seen(t);
    if (v.master !== r && masterBefore !== r && v.split === null) return;
    const l = this.laneOf(v);
    if (l === null) return;
    if (v.master === r || masterBefore === r) {
      if (l.master(r, t)) {
        const share = this.share(this.limits.maxSpans);
        if (l.lane.spans.length > share) l.compact(share);
      }
      if (v.master !== r) l.closeMaster();
    }
    const s = v.split;
    if (s !== null && r.inSplit) l.split(s.startUs, splitRouters(s), splitLastUs(s), true, this.share(this.limits.maxSplits));
  }

  /** Hook: a gratuitous ARP (or reply, or neighbour advert) from `mac` for `vip` on `seg`. */
  claim(seg: Segment, vip: string, mac: string, t: number): void {
    const e = seg.vips.get(vip);
    if (e === undefined) return;
    this.seen(t);
    // Every virtual router that advertises the VIP.
    for (const v of e.vrids.keys()) this.laneOf(v)?.claim(vip, mac, t, this.share(this.limits.maxBursts));
  }

  /** Every event of the analysis: a split brain's end closes its span; marks become marks. */
  event(e: AnalysisEvent): void {
    let m: Mark | null = null;
    switch (e.type) {
      case 'split-brain-end':
        this.lanes.get(vridKey(e.segment, e.family, e.vrid))?.splitEnded(secondsToMicros(e.durationSeconds));
        return;
      case 'master-change': {
        const from = e.from ?? '?';
        const why = e.cause === 'silent' ? `${from} went silent` : e.cause === 'released' ? `${from} released` : `${e.to} outranked ${from}`;
        m = { type: e.type, timeUs: e.timeUs, router: e.to, text: e.gapSeconds > 0 ? `${e.gapSeconds.toFixed(3)} s, ${why}` : `${why}; ${e.to} was already advertising`, why };
        break;
      }
      case 'priority-change':
        m = { type: e.type, timeUs: e.timeUs, router: e.router, text: `${e.router} priority ${e.from} -> ${e.to}`, why: '' };
        break;
      case 'release':
        m = { type: e.type, timeUs: e.timeUs, router: e.router, text: `${e.router} released (priority 0)`, why: '' };
        break;
      case 'master-down':
        m = { type: e.type, timeUs: e.timeUs, router: e.router, text: `${e.router} silent ${e.silentSeconds.toFixed(3)} s, no backup took over`, why: `${e.router} went silent` };
        break;
      default:
        return;
    }
    const l = this.lanes.get(vridKey(e.segment, e.family, e.vrid));
    if (l !== undefined) l.mark(m, this.share(this.limits.maxMarks));
  }

  /** The timeline so far; `endUs` (the capture's end) closes a lane that ends with no master. */
  result(endUs?: number): Timeline {
    const end = endUs ?? this.lastUs;
    const L = this.limits;
    for (const l of this.lanes.values()) l.trim(this.share(L.maxSpans), this.share(L.maxMarks), this.share(L.maxBursts), this.share(L.maxSplits));
    const lanes = [...this.lanes.values()].map((l) => l.finish(end));
    return { startUs: this.firstUs === Infinity ? -Infinity : this.firstUs, endUs: Math.max(end, this.lastUs), lanes, droppedLanes: this.droppedLanes };
  }
}
