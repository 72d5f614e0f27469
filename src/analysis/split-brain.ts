// Where split brain is decided: two routers of one VRID advertising as master at once.
//
// - Lasting: `r` and another router each sent at least two adverts since the other's run began.
//   A preemption is not one: the old master sends at most one advert after the new master's
//   first, so it never has two.
// - Transient: `r` starts advertising while a router that outranks it is alive (heard within
//   three of its intervals, sooner than any backup's Master_Down_Interval runs out). A backup
//   only advertises once it stopped hearing the master, so `r` did not hear it: a split brain,
//   even for one advert (keepalived with a mismatched advert_int does this every few seconds).
//   A router that outranks the master taking over is a preemption, a master-change.
// It ends when fewer than two members are still advertising, and lasted to the last advert of
// the member that stopped.

import type { EventSink } from './conditions.js';
import { active, eligible, label, outranks } from './election.js';
import { message } from './messages.js';
import type { RouterState, SplitBrain, VridState } from './state.js';

export function byAddress(a: RouterState, b: RouterState): number {
  return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0;
}

/** After an accepted advert from `r` (priority > 0) at `t`. */
export function checkSplit(out: EventSink, v: VridState, r: RouterState, t: number): void {
  if (v.routers.size < 2) return;
  const s = v.split;
  if (s !== null && r.inSplit) return;
  let partners: RouterState[] | null = null;
  const firstOfRun = r.runStartUs === t;
  let transient = false;
  let joined = false;
  for (const o of v.routers.values()) {
    if (o === r || !active(o, t)) continue;
    const concurrent = r.prevInRunUs >= o.runStartUs && o.prevInRunUs >= r.runStartUs;
    if (!concurrent && !(firstOfRun && eligible(o, t) && outranks(o, r))) continue;
    if (!concurrent) transient = true;
    if (s !== null) {
      // The open split brain takes them in at once (a flood's new routers join it one by one).
      // inSplit is membership of v.split: most partners are members already.
      if (!o.inSplit) {
        s.members.add(o);
        o.inSplit = true;
      }
      joined = true;
    } else {
      (partners ??= []).push(o);
    }
  }
  if (joined) joinSplit(out, v, r, NO_PARTNERS, t, transient);
  else if (partners !== null) joinSplit(out, v, r, partners, t, transient);
}

const NO_PARTNERS: readonly RouterState[] = [];

/** `r` and `partners` advertise concurrently: a split brain starts, or they join the open one. */
function joinSplit(out: EventSink, v: VridState, r: RouterState, partners: readonly RouterState[], t: number, transient: boolean): void {
  const s = v.split;
  if (s !== null) {
    // `partners` are members already (checkSplit added them); `r` joins them.
    s.members.add(r);
    r.inSplit = true;
    // The sorted list is built when read (splitRouters): in a flood a new member joins with
    // nearly every advert, and sorting them each time cost more than the rest of the advert.
    s.routersStale = true;
    out.evidence(s, t);
    return;
  }
  const members = new Set([r, ...partners]);
  for (const o of members) o.inSplit = true;
  const routers = [...members].sort(byAddress).map((o) => o.address);
  const text = transient && partners.length === 1
    ? message.splitBrainTransient(label(v), (partners[0] as RouterState).address, r.address)
    : message.splitBrain(label(v), routers);
  const o = out.open(t, v.segment.id, v.family, v.vrid, { type: 'split-brain', routers }, text);
  v.split = { startUs: o.startUs, fields: { type: 'split-brain', routers: [...routers] }, start: o.start, lastUs: o.lastUs, count: o.count, untold: o.untold, members, routersStale: false };
}

/** Every router that took part in `s` (still remembered), by address: the end event and the timeline name them. */
export function splitRouters(s: SplitBrain): string[] {
  if (s.routersStale) {
    s.fields.routers = [...s.members].sort(byAddress).map((o) => o.address);
    s.routersStale = false;
  }
  return s.fields.routers;
}

/** A member released the role (priority 0): the split brain may be over. */
export function memberReleased(out: EventSink, v: VridState, r: RouterState, t: number): void {
  const s = v.split;
  if (s === null || !r.inSplit) return;
  let n = 0;
  for (const o of s.members) if (active(o, t)) n++;
  if (n < 2) endSplit(out, v, t);
}

/** The last advert of the member that would be second to last: when it lasted to. */
export function splitLastUs(s: SplitBrain): number {
  let a = -Infinity;
  let b = -Infinity;
  for (const o of s.members) {
    if (o.lastAcceptedUs > a) { b = a; a = o.lastAcceptedUs; } else if (o.lastAcceptedUs > b) b = o.lastAcceptedUs;
  }
  return b;
}

export function endSplit(out: EventSink, v: VridState, when: number): void {
  const s = v.split;
  if (s === null) return;
  v.split = null;
  splitRouters(s);
  for (const o of s.members) o.inSplit = false;
  out.close(when, v.segment.id, v.family, v.vrid, s, Math.max(0, splitLastUs(s) - s.startUs));
}

/** When the split brain ends: the expiry of the member that would be second to last to stop. */
export function splitEndUs(s: SplitBrain): number {
  let a = -Infinity;
  let b = -Infinity;
  for (const o of s.members) {
    if (o.acceptedPriority === 0 || o.evicted) continue;
    const e = o.lastAcceptedUs + o.limitUs;
    if (e > a) { b = a; a = e; } else if (e > b) b = e;
  }
  return b;
}

/** A member was forgotten (state limits): the split brain goes without an end event when too few remain. */
export function forgetMember(v: VridState, r: RouterState): void {
  const s = v.split;
  if (s !== null && s.members.delete(r) && s.members.size < 2) {
    for (const o of s.members) o.inSplit = false;
    v.split = null;
  }
}
