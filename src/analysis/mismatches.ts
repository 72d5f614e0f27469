// Where routers of one VRID disagree: interval-mismatch, auth-mismatch, vip-mismatch and
// owner-conflict, compared over every router seen in the VRID (a backup's wrong config shows as
// soon as it has advertised once). Each opens when the routers start to differ and ends when
// they agree again.

import type { EventSink } from './conditions.js';
import { label } from './election.js';
import { message } from './messages.js';
import { byAddress } from './split-brain.js';
import type { Open, RouterState, VridState } from './state.js';
import type { ConditionFields, MismatchEntry } from './types.js';

type Agreement = 'intervalMismatch' | 'authMismatch' | 'vipMismatch' | 'ownerConflict';

/** What the routers compared so far advertise, and whether they differ. */
const seen = { interval: -1, auth: '', vips: '', bodies: 0, intervalDiffers: false, authDiffers: false, vipsDiffer: false, owners: 0 };

/** Compares `r` with the routers before it; a difference once found is not looked for again (strings compared cost most). */
function compare(r: RouterState): void {
  const s = seen;
  if (r.intervalCs < 0) return;
  if (s.interval < 0) s.interval = r.intervalCs;
  else if (!s.intervalDiffers && r.intervalCs !== s.interval) s.intervalDiffers = true;
  if (r.priority === 255) s.owners++;
  if (!r.hasBody) return;
  if (s.bodies++ === 0) {
    s.auth = r.authKey;
    s.vips = r.vipKey;
  } else {
    if (!s.authDiffers && r.authKey !== s.auth) s.authDiffers = true;
    if (!s.vipsDiffer && r.vipKey !== s.vips) s.vipsDiffer = true;
  }
}

/**
 * Runs on every advert that changes a router (a flood of new routers makes that every advert),
 * so it compares in place and builds the sorted lists only when a condition opens.
 *
 * `newcomer`: the router just added, when it took the place of one forgotten (bounded.ts sets
 * `v.forgot`): what only the forgotten one disagreed on ends without an end event, as state that
 * is forgotten does, and then the newcomer is compared; one pass over the routers serves both.
 */
export function checkAgreement(out: EventSink, v: VridState, t: number, newcomer: RouterState | null = null): void {
  const s = seen;
  s.interval = -1;
  s.bodies = 0;
  s.intervalDiffers = s.authDiffers = s.vipsDiffer = false;
  s.owners = 0;
  for (const r of v.routers.values()) if (r !== newcomer) compare(r);
  if (v.forgot) {
    v.forgot = false;
    out.quiet++;
    if (!s.intervalDiffers && v.intervalMismatch !== null) agree(out, v, 'intervalMismatch', false, t, intervalFields);
    if (!s.authDiffers && v.authMismatch !== null) agree(out, v, 'authMismatch', false, t, authFields);
    if (!s.vipsDiffer && v.vipMismatch !== null) agree(out, v, 'vipMismatch', false, t, vipFields);
    if (s.owners < 2 && v.ownerConflict !== null) agree(out, v, 'ownerConflict', false, t, ownerFields);
    out.quiet--;
  }
  if (newcomer !== null) compare(newcomer);
  // Nothing is allocated unless a condition opens or ends.
  if (s.intervalDiffers !== (v.intervalMismatch !== null)) agree(out, v, 'intervalMismatch', s.intervalDiffers, t, intervalFields);
  if (s.authDiffers !== (v.authMismatch !== null)) agree(out, v, 'authMismatch', s.authDiffers, t, authFields);
  if (s.vipsDiffer !== (v.vipMismatch !== null)) agree(out, v, 'vipMismatch', s.vipsDiffer, t, vipFields);
  if (s.owners >= 2 !== (v.ownerConflict !== null)) agree(out, v, 'ownerConflict', s.owners >= 2, t, ownerFields);
}

/** The routers that advertised, by address. */
function rs(v: VridState): RouterState[] {
  return [...v.routers.values()].filter((r) => r.intervalCs >= 0).sort(byAddress);
}

/** Those of them a whole advert was seen from. */
function withBody(v: VridState): RouterState[] {
  return rs(v).filter((r) => r.hasBody);
}

function intervalFields(v: VridState): [ConditionFields, string] {
  const routers = rs(v).map((r): MismatchEntry => ({ address: r.address, advertInterval: r.intervalCs / 100 }));
  return [{ type: 'interval-mismatch', routers }, message.intervalMismatch(label(v), routers)];
}

function authFields(v: VridState): [ConditionFields, string] {
  const routers = withBody(v).map((r): MismatchEntry => ({ address: r.address, authType: r.authType, authData: r.authData }));
  return [{ type: 'auth-mismatch', routers }, message.authMismatch(label(v), routers)];
}

function vipFields(v: VridState): [ConditionFields, string] {
  const routers = withBody(v).map((r): MismatchEntry => ({ address: r.address, vips: [...r.vips] }));
  return [{ type: 'vip-mismatch', routers }, message.vipMismatch(label(v), routers)];
}

function ownerFields(v: VridState): [ConditionFields, string] {
  const addresses = rs(v).filter((r) => r.priority === 255).map((r) => r.address);
  return [{ type: 'owner-conflict', routers: addresses }, message.ownerConflict(label(v), addresses)];
}

function agree(out: EventSink, v: VridState, slot: Agreement, on: boolean, t: number, make: (v: VridState) => [ConditionFields, string]): void {
  const cur: Open | null = v[slot];
  if (on && cur === null) {
    const [fields, text] = make(v);
    v[slot] = out.open(t, v.segment.id, v.family, v.vrid, fields, text);
  } else if (!on && cur !== null) {
    out.close(t, v.segment.id, v.family, v.vrid, cur);
    v[slot] = null;
  }
}
