// Bounded state: segments, virtual routers and routers per virtual router are capped
// (Limits); past a cap the least recently seen is forgotten, counted in Evictions, and its open
// conditions go without end events.

import { hexByte, hexWord, u32, writeIpv4, writeIpv6 } from '../decode/bytes.js';
import type { EventSink } from './conditions.js';
import { forgetRouter } from './discards.js';
import { checkAgreement } from './mismatches.js';
import { forgetMember } from './split-brain.js';
import { RouterState, Segment, VridState } from './state.js';
import type { Evictions, Family, Limits } from './types.js';
import type { VipClaims } from './vip-claims.js';

/** Eviction looks at this many of the oldest entries, sparing long-lived and recently seen ones. */
const SECOND_CHANCE = 8;
const RECENT_US = 10_000_000;

export function segmentKey(vlans: readonly number[], iface: string | null): string {
  return vlans.length === 0 ? `${iface ?? ''}|` : `${iface ?? ''}|${vlans.join('.')}`;
}

const rankBytes = new Uint8Array(16);

/**
 * Fixed-width hex of an address, so that string order is numeric order. Ranks are compared
 * within a virtual router, so within one family: IPv4's are 8 digits, IPv6's 32.
 */
function addressRank(address: string, family: Family): string {
  const b = rankBytes;
  if (family === 'ipv4') return writeIpv4(address, b, 0) ? hexWord(u32(b, 0)) : address;
  if (!writeIpv6(address, b, 0)) return address;
  let s = '';
  for (const x of b) s += hexByte(x);
  return s;
}

/** A VRID's slot in its segment's table (Segment.vridSlots). */
function vridSlot(family: Family, vrid: number): number {
  return (family === 'ipv4' ? 0 : 256) + (vrid & 0xff);
}

function sameVlans(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Registry {
  readonly segments = new Map<string, Segment>();
  readonly vrids = new Map<string, VridState>();
  /** The segment of the last packet: nearly every packet is on the same one as the one before. */
  private lastSegment: Segment | null = null;

  constructor(
    private readonly out: EventSink,
    private readonly limits: Limits,
    private readonly evictions: Evictions,
    private readonly vips: VipClaims,
    /** Told of every router forgotten, so that nothing else keeps it reachable (the frame memo). */
    private readonly onForget: (r: RouterState) => void = () => undefined,
  ) {}

  segmentFor(vlans: readonly number[], iface: string | null, t: number): Segment {
    const last = this.lastSegment;
    if (last !== null && last.id.interface === iface && sameVlans(last.id.vlans, vlans)) return last;
    const key = segmentKey(vlans, iface);
    let s = this.segments.get(key);
    if (s !== undefined) return (this.lastSegment = s);
    if (this.segments.size >= this.limits.maxSegments) {
      const victim = pickVictim(this.segments, t);
      if (victim !== undefined) this.dropSegment(victim, t);
    }
    s = new Segment(key, { interface: iface, vlan: vlans.length > 0 ? (vlans[vlans.length - 1] as number) : null, vlans: [...vlans] });
    this.segments.set(key, s);
    return (this.lastSegment = s);
  }

  vridFor(seg: Segment, family: Family, vrid: number, t: number): VridState {
    const slot = vridSlot(family, vrid);
    let v = seg.vridSlots[slot];
    if (v !== undefined && v !== null) return v;
    const key = `${seg.key}|${family}|${vrid}`;
    if (this.vrids.size >= this.limits.maxVrids) {
      const victim = pickVictim(this.vrids, t);
      if (victim !== undefined) this.dropVrid(victim, t);
    }
    v = new VridState(key, seg, family, vrid);
    this.vrids.set(key, v);
    seg.vrids.add(v);
    seg.vridSlots[slot] = v;
    return v;
  }

  newRouter(v: VridState, address: string, family: Family, t: number): RouterState {
    if (v.routers.size >= this.limits.maxRoutersPerVrid) this.evictRouter(v, t);
    const r = new RouterState(address, addressRank(address, family), v);
    r.firstSeenUs = t;
    v.routers.set(address, r);
    return r;
  }

  private dropSegment(s: Segment, t: number): void {
    for (const v of [...s.vrids]) this.dropVrid(v, t);
    this.vips.dropSegment(s);
    s.malformed.clear();
    s.evicted = true;
    if (this.lastSegment === s) this.lastSegment = null;
    this.segments.delete(s.key);
    this.evictions.segments++;
  }

  private dropVrid(v: VridState, t: number): void {
    this.out.quiet++;
    for (const r of v.routers.values()) {
      r.evicted = true;
      this.vips.setVips(r, [], t);
      this.onForget(r);
    }
    this.out.quiet--;
    v.evicted = true;
    v.segment.vrids.delete(v);
    v.segment.vridSlots[vridSlot(v.family, v.vrid)] = null;
    this.vrids.delete(v.key);
    this.evictions.vrids++;
  }

  private evictRouter(v: VridState, t: number): void {
    let victim: RouterState | null = null;
    for (const r of v.routers.values()) {
      if (r === v.master) continue;
      if (victim === null || r.lastSeenUs < victim.lastSeenUs) victim = r;
    }
    if (victim === null) return;
    this.out.quiet++;
    victim.evicted = true;
    this.vips.setVips(victim, [], t);
    v.routers.delete(victim.address);
    if (v.lastMaster === victim) v.lastMaster = null;
    forgetMember(v, victim);
    forgetRouter(victim);
    checkAgreement(this.out, v, t);
    this.out.quiet--;
    this.onForget(victim);
    this.evictions.routers++;
  }
}

/**
 * Among the oldest entries: the first that never advertised regularly and was not seen recently,
 * else the first that never advertised regularly (a flood's), else the first not seen recently,
 * else the oldest. The others looked at move to the back.
 */
function pickVictim<T extends { key: string; lastSeenUs: number; established: boolean }>(map: Map<string, T>, t: number): T | undefined {
  const looked: T[] = [];
  let victim: T | undefined;
  for (const x of map.values()) {
    if (!x.established && t - x.lastSeenUs > RECENT_US) {
      victim = x;
      break;
    }
    looked.push(x);
    if (looked.length >= SECOND_CHANCE) break;
  }
  victim ??= looked.find((x) => !x.established) ?? looked.find((x) => t - x.lastSeenUs > RECENT_US) ?? looked[0];
  for (const x of looked) {
    if (x === victim) continue;
    map.delete(x.key);
    map.set(x.key, x);
  }
  return victim;
}
