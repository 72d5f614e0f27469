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

/**
 * Runs on every advert that changes a router (a flood of new routers makes that every advert),
 * so it compares in place and builds the sorted lists only when a condition opens.
 */
export function checkAgreement(out: EventSink, v: VridState, t: number): void {
  let interval: number | null = null;
  let auth: string | null = null;
  let vips: string | null = null;
  let intervalDiffers = false;
  let authDiffers = false;
  let vipsDiffer = false;
  let owners = 0;
  for (const r of v.routers.values()) {
    if (r.intervalCs < 0) continue;
    if (interval === null) interval = r.intervalCs;
    else if (r.intervalCs !== interval) intervalDiffers = true;
    if (r.priority === 255) owners++;
    if (!r.hasBody) continue;
    if (auth === null) auth = r.authKey;
    else if (r.authKey !== auth) authDiffers = true;
    if (vips === null) vips = r.vipKey;
    else if (r.vipKey !== vips) vipsDiffer = true;
  }
  // Nothing is allocated unless a condition opens or ends: this runs twice per advert of a flood.
  if (intervalDiffers !== (v.intervalMismatch !== null)) agree(out, v, 'intervalMismatch', intervalDiffers, t, intervalFields);
  if (authDiffers !== (v.authMismatch !== null)) agree(out, v, 'authMismatch', authDiffers, t, authFields);
  if (vipsDiffer !== (v.vipMismatch !== null)) agree(out, v, 'vipMismatch', vipsDiffer, t, vipFields);
  if (owners >= 2 !== (v.ownerConflict !== null)) agree(out, v, 'ownerConflict', owners >= 2, t, ownerFields);
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
