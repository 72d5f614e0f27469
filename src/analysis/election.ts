// Who is master: the RFC election over the adverts peers accept, master changes, releases
// (priority 0) and master-down. Pure functions over the tracker's state; events go to the sink.

import { masterDownIntervalUs } from '../rules/timers.js';
import { microsToSeconds } from '../time/timestamp.js';
import type { EventSink } from './conditions.js';
import { message, vridText } from './messages.js';
import type { RouterState, VridState } from './state.js';

export type ChangeCause = 'preempted' | 'released' | 'silent';

export function label(v: VridState): string {
  return vridText(v.segment.id, v.family, v.vrid);
}

/** Still advertising: silent no longer than its silence limit. Runs and split brains use this. */
export function active(r: RouterState, t: number): boolean {
  return r.acceptedPriority > 0 && t - r.lastAcceptedUs <= r.limitUs;
}

/**
 * A candidate in the election: it advertised within the last three intervals. A backup starts
 * advertising only after its Master_Down_Timer (3 intervals + Skew_Time) ran out, so its first
 * advert always finds a crashed master ineligible.
 */
export function eligible(r: RouterState, t: number): boolean {
  return r.acceptedPriority > 0 && t - r.lastAcceptedUs <= r.missedUs;
}

/** RFC 5798 6.4.3: the higher priority wins; on equal priority, the higher primary address. */
export function outranks(a: RouterState, b: RouterState): boolean {
  return a.acceptedPriority > b.acceptedPriority || (a.acceptedPriority === b.acceptedPriority && a.rank > b.rank);
}

/**
 * Whether an advert accepted with `priority` (null: dropped) from a router not yet known takes
 * the role from master `m`: a higher priority does (outranks()); on an equal one, the address
 * would decide, which this does not judge (bounded.ts admits such a router at its next advert).
 */
export function bidsOver(priority: number | null, m: RouterState): boolean {
  return priority !== null && priority > m.acceptedPriority;
}

/** Every advert from `r` heard at `t`, decoded or repeated: counts, intervals, last seen. */
export function heard(r: RouterState, t: number): void {
  const v = r.vrid;
  v.lastSeenUs = t;
  v.lastVersion = r.version;
  v.segment.lastSeenUs = t;
  const gap = t - r.lastSeenUs; // -Infinity before the first: +Infinity, no interval
  if (gap <= r.limitUs) {
    r.intervalCount++;
    r.intervalSumUs += gap;
    if (gap < r.intervalMinUs) r.intervalMinUs = gap;
    if (gap > r.intervalMaxUs) r.intervalMaxUs = gap;
    // Regular adverts: long-lived state, which a flood of one-advert sources must not evict.
    if (r.intervalCount >= 2 && !v.established) v.established = v.segment.established = true;
  }
  r.lastSeenUs = t;
  r.packets++;
}

/** An advert from `r` that peers accept, at `t`: its run and priority in the election. Returns whether the priority changed. */
export function accept(r: RouterState, t: number): boolean {
  if (active(r, t)) {
    r.prevInRunUs = r.lastAcceptedUs;
  } else {
    r.runStartUs = t;
    r.prevInRunUs = -Infinity;
  }
  const changed = r.priority !== r.acceptedPriority;
  r.acceptedPriority = r.priority;
  r.lastAcceptedUs = t;
  return changed;
}

/** The router that wins the election at `t`, leaving out `exclude`. */
export function best(v: VridState, t: number, exclude: RouterState | null): RouterState | null {
  let b: RouterState | null = null;
  for (const o of v.routers.values()) {
    if (o === exclude || !eligible(o, t)) continue;
    if (b === null || outranks(o, b)) b = o;
  }
  return b;
}

export function elect(out: EventSink, v: VridState, t: number): void {
  const b = best(v, t, null);
  const m = v.master;
  if (b === m || b === null) return;
  // RFC 3768 6.4.3: a higher-priority advert (or an equal one from a higher address) takes over;
  // 6.4.2: so does any advert once the master stopped (the backup's Master_Down_Timer fired).
  if (m === null) takeOver(out, v, b, t);
  else changeMaster(out, v, m, b, t, eligible(m, t) ? 'preempted' : 'silent');
}

/** `r` becomes master of a VRID that had none. */
export function takeOver(out: EventSink, v: VridState, r: RouterState, t: number): void {
  const prev = v.lastMaster;
  v.master = r;
  if (v.down !== null) {
    const d = v.down;
    v.down = null;
    out.emit(t, v.segment.id, v.family, v.vrid, { type: 'master-down-end', router: d.fields.router, silentSeconds: d.fields.silentSeconds, durationSeconds: microsToSeconds(t - d.startUs) },
      message.masterDownEnd(label(v), r.address, t - d.startUs));
  }
  if (prev !== null && prev !== r) announceChange(out, v, prev, r, t, prev.acceptedPriority === 0 ? 'released' : 'silent');
}

export function changeMaster(out: EventSink, v: VridState, old: RouterState, r: RouterState, t: number, cause: ChangeCause): void {
  v.lastMaster = old;
  v.master = r;
  announceChange(out, v, old, r, t, cause);
}

function announceChange(out: EventSink, v: VridState, old: RouterState, r: RouterState, t: number, cause: ChangeCause): void {
  // The gap runs from the old master's last advert to the first advert of the new master's run;
  // a router that was already advertising (split brain) took over with no gap.
  const gapUs = r.runStartUs >= old.lastAcceptedUs ? r.runStartUs - old.lastAcceptedUs : 0;
  const expected = cause === 'silent' ? masterDownIntervalUs({ version: r.version, priority: r.acceptedPriority, advertIntervalCs: old.intervalCs }) : null;
  out.emit(t, v.segment.id, v.family, v.vrid, { type: 'master-change', from: old.address, to: r.address, gapSeconds: microsToSeconds(gapUs), cause },
    message.masterChange(label(v), old.address, r.address, r.acceptedPriority, gapUs, cause, expected));
}

/** RFC 3768 6.4.2: priority 0 from the master sets the backups' timers to Skew_Time. */
export function released(out: EventSink, v: VridState, r: RouterState, t: number): void {
  if (v.master !== r) return;
  v.master = null;
  v.lastMaster = r;
  const b = best(v, t, r);
  if (b !== null) takeOver(out, v, b, t);
}

/** The master's Master_Down_Interval ran out at `when`. */
export function masterSilent(out: EventSink, v: VridState, m: RouterState, when: number): void {
  const b = best(v, when, m);
  if (b !== null) {
    changeMaster(out, v, m, b, when, 'silent');
    return;
  }
  v.master = null;
  v.lastMaster = m;
  startDown(out, v, m, when);
}

export function startDown(out: EventSink, v: VridState, m: RouterState, when: number): void {
  const fields = { type: 'master-down' as const, router: m.address, silentSeconds: microsToSeconds(when - m.lastAcceptedUs) };
  v.down = out.open(when, v.segment.id, v.family, v.vrid, fields, message.masterDown(label(v), m.address, when - m.lastAcceptedUs, m.acceptedPriority === 0, m.vips));
}
