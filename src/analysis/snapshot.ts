// What the tracker shows of its state: every virtual router with its status and routers, and
// the conditions still open. Pure functions of the state and the time of the snapshot.

import { microsToSeconds } from '../time/timestamp.js';
import { byAddress, splitLastUs } from './split-brain.js';
import type { Open, RouterState, Segment, VridState } from './state.js';
import type { IntervalStats, OpenCondition, RouterSnapshot, VridSnapshot, VridStatus } from './types.js';

/** Most severe first: the first open one is the virtual router's status. */
const STATUS_ORDER: readonly VridStatus[] = [
  'master-down',
  'split-brain',
  'vip-arp-conflict',
  'no-master',
  'owner-conflict',
  'auth-mismatch',
  'interval-mismatch',
  'vip-mismatch',
  'vip-conflict',
  'bad-checksum',
  'bad-ttl',
  'malformed',
];

/** Sort key: interface (none first), VLANs, family, VRID. */
export function snapshotKey(v: VridState): string {
  const seg = v.segment.id;
  const vlans = seg.vlans.map((x) => String(x).padStart(4, '0')).join('.');
  return `${seg.interface === null ? '0' : `1${seg.interface}`}\u0000${vlans}\u0000${v.family}${String(v.vrid).padStart(3, '0')}`;
}

export function vridSnapshot(v: VridState, nowUs: number): VridSnapshot {
  const conds = new Set<VridStatus>();
  if (v.down !== null) conds.add('master-down');
  else if (v.master === null) conds.add('no-master');
  if (v.split !== null) conds.add('split-brain');
  if (v.ownerConflict !== null) conds.add('owner-conflict');
  if (v.authMismatch !== null) conds.add('auth-mismatch');
  if (v.intervalMismatch !== null) conds.add('interval-mismatch');
  if (v.vipMismatch !== null) conds.add('vip-mismatch');
  for (const r of v.routers.values()) {
    if (r.badChecksum !== null) conds.add('bad-checksum');
    if (r.badTtl !== null) conds.add('bad-ttl');
    if (r.malformed !== null) conds.add('malformed');
    for (const vip of r.vips) {
      const e = v.segment.vips.get(vip);
      if (e?.conflict) conds.add('vip-conflict');
      if (e?.arpConflict) conds.add('vip-arp-conflict');
    }
  }
  const conditions = STATUS_ORDER.filter((c) => conds.has(c));
  const routers = [...v.routers.values()].sort((a, b) => {
    if (a === v.master) return -1;
    if (b === v.master) return 1;
    return b.priority - a.priority || byAddress(a, b);
  });
  return {
    segment: v.segment.id,
    family: v.family,
    vrid: v.vrid,
    version: v.master?.version ?? v.lastVersion,
    master: v.master?.address ?? null,
    status: conditions[0] ?? 'ok',
    conditions,
    routers: routers.map((r) => routerSnapshot(r, nowUs)),
  };
}

function routerSnapshot(r: RouterState, nowUs: number): RouterSnapshot {
  const measured: IntervalStats | null =
    r.intervalCount === 0
      ? null
      : {
          count: r.intervalCount,
          minSeconds: microsToSeconds(r.intervalMinUs),
          meanSeconds: microsToSeconds(r.intervalSumUs / r.intervalCount),
          maxSeconds: microsToSeconds(r.intervalMaxUs),
        };
  const ageUs = Math.max(0, nowUs - r.lastSeenUs);
  return {
    address: r.address,
    mac: r.mac,
    version: r.version,
    priority: r.priority,
    advertIntervalCs: r.intervalCs,
    authType: r.authType,
    authData: r.authData,
    vips: [...r.vips],
    ttl: r.ttl,
    checksumForm: r.checksumForm,
    packets: r.packets,
    firstSeenUs: r.firstSeenUs,
    lastSeenUs: r.lastSeenUs,
    measured,
    discarded: r.discarded,
    discardReason: r.discard,
    silent: ageUs > r.limitUs,
    ageSeconds: microsToSeconds(ageUs),
  };
}

/** Every condition still open at `nowUs`, in the order they started. */
export function openConditions(vrids: Iterable<VridState>, segments: Iterable<Segment>, nowUs: number): OpenCondition[] {
  const out: OpenCondition[] = [];
  const add = (o: Open | null, lastUs: number): void => {
    if (o === null || o.start === null) return;
    const last = Math.max(o.startUs, Math.min(lastUs, nowUs));
    out.push({ ...(o.start as OpenCondition), sinceUs: o.startUs, lastEvidenceUs: last, durationSeconds: microsToSeconds(last - o.startUs), count: o.count });
  };
  const vips = new Set<Open>();
  for (const v of vrids) {
    // A silence is evidence of itself up to now.
    add(v.down, nowUs);
    if (v.split !== null) add(v.split, splitLastUs(v.split));
    for (const o of [v.intervalMismatch, v.authMismatch, v.vipMismatch, v.ownerConflict]) add(o, v.lastSeenUs);
    for (const r of v.routers.values()) {
      for (const o of [r.badChecksum, r.badTtl, r.malformed]) add(o, o?.lastUs ?? nowUs);
      for (const vip of r.vips) {
        const e = v.segment.vips.get(vip);
        if (e?.conflict && !vips.has(e.conflict)) { vips.add(e.conflict); add(e.conflict, v.lastSeenUs); }
        if (e?.arpConflict && !vips.has(e.arpConflict)) { vips.add(e.arpConflict); add(e.arpConflict, e.lastConflictUs); }
      }
    }
  }
  for (const s of segments) for (const m of s.malformed.values()) add(m, m.lastUs);
  out.sort((a, b) => a.sinceUs - b.sinceUs);
  return out;
}
