// Where a flood is summed up. Spoofed adverts with random sources, VRIDs, priorities, intervals,
// checksums or TTLs make a new router each, and each new router its own events (router-seen,
// bad-ttl, split-brain, master-change, vip-conflict...): one line apiece would bury the real
// events and cost a message each. Per kind of event, the first REPORTED of a window are reported
// one by one; the rest are counted and told in one summary when the window ends: `router-flood`
// for new routers, `event-flood` (with `eventType`) for the other kinds.
//
// What is never held back: events caused by a router that advertises regularly (heard three times
// within its silence limit: the FloodGate's `regular`, set by the tracker), the ends of conditions
// whose start was told, and the summaries themselves. Events on a VRID where such a router
// advertises (`scope`) have a quota of their own per kind, so a pair that starts during a flood,
// or whose backup takes over, is told whatever the flood beside it used up.

import type { EventType, SegmentId } from './types.js';

/** Events of one kind reported one by one per window. */
export const ROUTERS_REPORTED = 50;
/** The window: long enough for a whole cluster to start (keepalived's adverts are 1 s apart). */
export const FLOOD_WINDOW_US = 20_000_000;

export interface FloodSummary {
  /** When the window began (its first event of the kind). */
  startUs: number;
  endUs: number;
  /** Events of the kind in the window, the reported ones included. */
  count: number;
  /** Those not reported one by one. */
  unreported: number;
  /** Of those, new routers given no state (bounded.ts: one advert into a full virtual router). */
  untracked: number;
  /** The segment of the first unreported one. */
  segment: SegmentId;
}

/** One kind's window: the first ROUTERS_REPORTED pass, the rest are counted. */
export class FloodWindow {
  /** `type`: the kind of event counted. */
  constructor(readonly type: string = 'router-seen') {}

  private startUs = -Infinity;
  private count = 0;
  private unreported = 0;
  private untracked = 0;
  private segment: SegmentId | null = null;

  /**
   * One more event of the kind at `t`: true when it is to be reported one by one. `tracked`
   * false: a new router given no state, counted and never reported one by one.
   */
  admit(t: number, segment: SegmentId, tracked = true): boolean {
    // The caller close()s an ended window before admitting into the next.
    if (t >= this.startUs + FLOOD_WINDOW_US) {
      this.startUs = t;
      this.count = 0;
    }
    this.count++;
    if (tracked && this.count <= ROUTERS_REPORTED) return true;
    if (this.unreported === 0) this.segment = segment;
    this.unreported++;
    if (!tracked) this.untracked++;
    this.closesUs = this.startUs + FLOOD_WINDOW_US;
    return false;
  }

  /**
   * When the window ends, if unreported events wait for it; else Infinity. A field, not a getter,
   * so that the tracker's repeat() reads it without a call (read only, outside this class).
   */
  closesUs = Infinity;

  /** The summary of a window with unreported events that has ended by `t` (or now, `force`), once. */
  close(t: number, force = false): FloodSummary | null {
    if (this.unreported === 0 || (!force && t < this.startUs + FLOOD_WINDOW_US)) return null;
    const s: FloodSummary = {
      startUs: this.startUs,
      endUs: Math.min(t, this.startUs + FLOOD_WINDOW_US),
      count: this.count,
      unreported: this.unreported,
      untracked: this.untracked,
      segment: this.segment as SegmentId,
    };
    this.unreported = 0;
    this.untracked = 0;
    this.count = 0;
    this.startUs = -Infinity;
    this.segment = null;
    this.closesUs = Infinity;
    return s;
  }
}

/** New routers: their own window and summary (`router-flood`). */
export class NewRouterWindow extends FloodWindow {}

/** Kinds never held back: the summaries, and what has a window of its own. */
const UNGATED: ReadonlySet<string> = new Set<EventType>(['router-seen', 'router-flood', 'event-flood']);

const NO_SUMMARIES: readonly { type: EventType; summary: FloodSummary }[] = [];

/** The windows of every other kind of event; the EventSink asks it before handing an event on. */
export class FloodGate {
  /** Set by the tracker for the work at hand: its router advertises regularly, so its events always pass. */
  regular = false;
  /** Set by the tracker: the key of the VRID at hand when a router advertised regularly there (its own quota), else null. */
  scope: string | null = null;
  private readonly windows = new Map<string, FloodWindow>();
  /** The earliest end of a window with unreported events (asked at every frame, so kept). */
  private nextUs = Infinity;
  /** Windows that ended before an event was admitted past them (timers and out-of-order frames come before close()). */
  private readonly ended: { type: EventType; summary: FloodSummary }[] = [];
  /**
   * From when close() has summaries to give (-Infinity: now); Infinity while none is due. A
   * field, so that the tracker's repeat() reads it without a call (read only, outside this class).
   */
  dueUs = Infinity;

  /** An event of `type` at `t`: true when it is to be reported. */
  admit(type: EventType, t: number, segment: SegmentId): boolean {
    if (this.regular || UNGATED.has(type)) return true;
    // At most the kinds times the VRIDs (Limits.maxVrids) that ever advertised regularly.
    const key = this.scope === null ? type : `${type}|${this.scope}`;
    let w = this.windows.get(key);
    if (w === undefined) {
      w = new FloodWindow(type);
      this.windows.set(key, w);
    }
    if (w.closesUs <= t) {
      const s = w.close(t);
      if (s !== null) {
        this.ended.push({ type, summary: s });
        this.dueUs = -Infinity;
      }
    }
    if (w.admit(t, segment)) return true;
    if (w.closesUs < this.nextUs) this.nextUs = w.closesUs;
    if (this.nextUs < this.dueUs) this.dueUs = this.nextUs;
    return false;
  }

  /** The summaries of the windows that ended by `t` (or now, `force`), by kind. */
  close(t: number, force: boolean): readonly { type: EventType; summary: FloodSummary }[] {
    if (this.ended.length === 0 && (this.nextUs === Infinity || (!force && t < this.nextUs))) return NO_SUMMARIES; // every frame asks
    const out = this.ended.splice(0);
    let next = Infinity;
    for (const w of this.windows.values()) {
      const s = w.close(t, force);
      if (s !== null) out.push({ type: w.type as EventType, summary: s });
      else if (w.closesUs < next) next = w.closesUs;
    }
    this.nextUs = next;
    this.dueUs = next;
    return out;
  }
}
