// Adverts that routers drop (src/rules/receive.ts), reported and counted, never elected:
// bad-checksum (VRRP or IPv4 header), bad-ttl, malformed (incomplete, interval 0, no address).
// Such a condition holds while such packets keep coming: it ends once none came for the sender's
// Master_Down_Interval, so a router that sends every other advert with TTL 64 is one condition
// with a count, not one per advert. Packets of no virtual router (an unknown VRRP version or
// type, VRID 0, undecodable) are filed under their source on the segment, and create none.

import { discardBit, DISCARD_REASONS, type Discard, type DiscardReason } from '../rules/receive.js';
import { silenceLimitUs } from '../rules/timers.js';
import type { EventSink } from './conditions.js';
import { label } from './election.js';
import { message, vridText } from './messages.js';
import { FEEDS_NOTHING, type Open, type RouterState, type Segment, type SourceCondition, type VridState } from './state.js';
import type { DecodedFrame } from '../decode/types.js';
import type { Evictions, Family, Limits } from './types.js';

type VrrpFrame = Extract<DecodedFrame, { kind: 'vrrp' }>;

/** Sources of no known interval: VRRPv2 at 1 s. */
export const SOURCE_LIMIT_US = silenceLimitUs({ version: 2, advertIntervalCs: 100 });

/** Discard reasons that leave no virtual router to file the advert under. */
export function createsNoRouter(reason: DiscardReason): boolean {
  return reason === 'version' || reason === 'type' || reason === 'vrid-zero';
}

/** The same reasons as bits of a discardMask(). */
export const NO_ROUTER_MASK = DISCARD_REASONS.filter(createsNoRouter).reduce((m, r) => m | discardBit(r), 0);

/**
 * A decoded advert from `r` at `t`, with every rule it breaks (`ds`, empty: accepted). Opens or
 * feeds the conditions it shows; a good advert ends none (their ends are timers).
 */
export function packetConditions(out: EventSink, r: RouterState, f: VrrpFrame, ds: readonly Discard[], t: number): void {
  r.feeding = ds.length === 0 ? FEEDS_NOTHING : [];
  const v = r.vrid;
  const p = f.vrrp;
  let checksumSeen = false;
  let malformedSeen = false;
  for (const d of ds) {
    switch (d.reason) {
      case 'checksum':
      case 'ip-checksum': {
        if (checksumSeen) break;
        checksumSeen = true;
        const ipv4 = d.reason === 'ip-checksum';
        const checksum = ipv4 && f.ip.family === 4 ? f.ip.headerChecksum : p.checksum;
        const expected = ipv4 ? null : f.checksum.expected;
        const layer = ipv4 ? 'ipv4' : 'vrrp';
        r.badChecksum = feed(out, v, r.badChecksum, t, () =>
          out.open(t, v.segment.id, v.family, v.vrid, { type: 'bad-checksum', router: r.address, checksum, expected, layer }, message.badChecksum(label(v), r.address, checksum, expected, layer)));
        r.feeding.push(r.badChecksum);
        break;
      }
      case 'ttl':
        r.badTtl = feed(out, v, r.badTtl, t, () =>
          out.open(t, v.segment.id, v.family, v.vrid, { type: 'bad-ttl', router: r.address, ttl: r.ttl }, message.badTtl(label(v), r.address, r.ttl)));
        r.feeding.push(r.badTtl);
        break;
      default: {
        if (malformedSeen) break;
        malformedSeen = true;
        const reason = d.cutByCapture ? `the capture kept ${p.capturedLength} of its ${p.length} bytes` : d.what;
        r.malformed = feed(out, v, r.malformed, t, () =>
          out.open(t, v.segment.id, v.family, v.vrid, { type: 'malformed', router: r.address, reason }, message.malformed(label(v), r.address, reason, !d.cutByCapture)));
        r.feeding.push(r.malformed);
      }
    }
  }
}


function feed<O extends Open>(out: EventSink, v: VridState, cur: O | null, t: number, make: () => O): O {
  if (cur !== null) {
    out.evidence(cur, t);
    return cur;
  }
  v.held++;
  return make();
}

/** When the first of `r`'s packet conditions ends, unless more such packets come. */
export function routerHeldEndUs(r: RouterState): number {
  let d = Infinity;
  if (r.badChecksum !== null) d = Math.min(d, r.badChecksum.lastUs + r.limitUs);
  if (r.badTtl !== null) d = Math.min(d, r.badTtl.lastUs + r.limitUs);
  if (r.malformed !== null) d = Math.min(d, r.malformed.lastUs + r.limitUs);
  return d;
}

/** Ends `r`'s packet conditions whose time ran out before `t`. */
export function expireRouter(out: EventSink, r: RouterState, t: number): void {
  const v = r.vrid;
  const end = (o: Open | null): boolean => {
    if (o === null || o.lastUs + r.limitUs >= t) return false;
    out.close(o.lastUs + r.limitUs, v.segment.id, v.family, v.vrid, o);
    r.feeding = FEEDS_NOTHING;
    v.held--;
    return true;
  };
  if (end(r.badChecksum)) r.badChecksum = null;
  if (end(r.badTtl)) r.badTtl = null;
  if (end(r.malformed)) r.malformed = null;
}

/** A router is forgotten (state limits): its conditions go without end events. */
export function forgetRouter(r: RouterState): void {
  if (r.badChecksum !== null) r.vrid.held--;
  if (r.badTtl !== null) r.vrid.held--;
  if (r.malformed !== null) r.vrid.held--;
  r.badChecksum = r.badTtl = r.malformed = null;
  r.feeding = FEEDS_NOTHING;
}

/** A malformed VRRP packet of no virtual router, from `source` (null: no IP layer), at `t`. */
export function sourcePacket(
  out: EventSink, limits: Limits, evictions: Evictions, seg: Segment, source: string | null, vrid: number | null, family: Family | null, reason: string, t: number,
): void {
  const key = source ?? '';
  const cur = seg.malformed.get(key);
  if (cur !== undefined) {
    out.evidence(cur, t);
    return;
  }
  if (seg.malformed.size >= limits.maxMalformedSources) {
    const first = seg.malformed.keys().next();
    if (!first.done) seg.malformed.delete(first.value);
    evictions.malformedSources++;
  }
  const o = out.open(t, seg.id, family, vrid, { type: 'malformed', router: source, reason }, message.malformed(vridText(seg.id, family, vrid), source, reason, true));
  seg.malformed.set(key, { startUs: o.startUs, fields: o.fields, start: o.start, lastUs: o.lastUs, count: o.count, untold: o.untold, vrid, family, limitUs: SOURCE_LIMIT_US });
}

export function segmentDeadline(seg: Segment): number {
  let d = Infinity;
  for (const m of seg.malformed.values()) if (m.lastUs + m.limitUs < d) d = m.lastUs + m.limitUs;
  return d;
}

export function expireSegment(out: EventSink, seg: Segment, t: number): void {
  for (const [key, m] of seg.malformed) {
    const end = m.lastUs + m.limitUs;
    if (end >= t) continue;
    seg.malformed.delete(key);
    out.close(end, seg.id, m.family, m.vrid, m);
  }
}
