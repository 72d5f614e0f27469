// Where routers of one VRID disagree: interval-mismatch, auth-mismatch, vip-mismatch and
// owner-conflict, compared over every router seen in the VRID (a backup's wrong config shows as
// soon as it has advertised once). Each opens when the routers start to differ and ends when
// they agree again.

import type { EventSink } from './conditions.js';
import { label } from './election.js';
import { message } from './messages.js';
import { byAddress } from './split-brain.js';
import type { Open, VridState } from './state.js';
import type { ConditionFields, MismatchEntry } from './types.js';

type Agreement = 'intervalMismatch' | 'authMismatch' | 'vipMismatch' | 'ownerConflict';

function differ(values: readonly string[]): boolean {
  return new Set(values).size > 1;
}

export function checkAgreement(out: EventSink, v: VridState, t: number): void {
  const rs = [...v.routers.values()].filter((r) => r.intervalCs >= 0).sort(byAddress);
  const withBody = rs.filter((r) => r.hasBody);
  agree(out, v, 'intervalMismatch', differ(rs.map((r) => String(r.intervalCs))), t, () => {
    const routers = rs.map((r): MismatchEntry => ({ address: r.address, advertInterval: r.intervalCs / 100 }));
    return [{ type: 'interval-mismatch', routers }, message.intervalMismatch(label(v), routers)];
  });
  agree(out, v, 'authMismatch', differ(withBody.map((r) => r.authKey)), t, () => {
    const routers = withBody.map((r): MismatchEntry => ({ address: r.address, authType: r.authType, authData: r.authData }));
    return [{ type: 'auth-mismatch', routers }, message.authMismatch(label(v), routers)];
  });
  agree(out, v, 'vipMismatch', differ(withBody.map((r) => r.vipKey)), t, () => {
    const routers = withBody.map((r): MismatchEntry => ({ address: r.address, vips: [...r.vips] }));
    return [{ type: 'vip-mismatch', routers }, message.vipMismatch(label(v), routers)];
  });
  const owners = rs.filter((r) => r.priority === 255).map((r) => r.address);
  agree(out, v, 'ownerConflict', owners.length >= 2, t, () => [{ type: 'owner-conflict', routers: owners }, message.ownerConflict(label(v), owners)]);
}

function agree(out: EventSink, v: VridState, slot: Agreement, on: boolean, t: number, make: () => [ConditionFields, string]): void {
  const cur: Open | null = v[slot];
  if (on && cur === null) {
    const [fields, text] = make();
    v[slot] = out.open(t, v.segment.id, v.family, v.vrid, fields, text);
  } else if (!on && cur !== null) {
    out.close(t, v.segment.id, v.family, v.vrid, cur);
    v[slot] = null;
  }
}
