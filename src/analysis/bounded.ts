// Bounded state: segments, virtual routers and routers per virtual router are capped
// (Limits); past a cap the least recently seen is forgotten, counted in Evictions, and its open
// conditions go without end events.

import { sameVlans } from '../decode/link.js';
import type { EventSink } from './conditions.js';
import { Doorkeeper } from './doorkeeper.js';
import { forgetRouter } from './discards.js';
import { bidsOver, eligible } from './election.js';
import { forgetMember } from './split-brain.js';
import { NO_VIPS, RouterState, Segment, VridState } from './state.js';
import type { Evictions, Family, Limits } from './types.js';
import type { VipClaims } from './vip-claims.js';

/** Eviction looks at this many of the oldest entries, sparing long-lived and recently seen ones. */
const SECOND_CHANCE = 8;
/**
 * Past the first SECOND_CHANCE, the look goes on, up to this many, while all are spared: the
 * regular ones cluster once a flood's between them are gone with their segments (300 VLANs of a
 * trunk side by side), and are moved back, so the next look starts past them.
 */
const MAX_LOOK = 1024;
const RECENT_US = 10_000_000;

export function segmentKey(vlans: readonly number[], iface: string | null): string {
  return vlans.length === 0 ? `${iface ?? ''}|` : `${iface ?? ''}|${vlans.join('.')}`;
}

/** A VRID's slot in its segment's table (Segment.vridSlots). */
function vridSlot(family: Family, vrid: number): number {
  return (family === 'ipv4' ? 0 : 256) + (vrid & 0xff);
}

export class Registry {
  readonly segments = new Map<string, Segment>();
  readonly vrids = new Map<string, VridState>();
  /** Routers seen before: one that comes back after a flood evicted it is spared over the flood's. */
  private readonly doorkeeper = new Doorkeeper();
  /** Virtual routers holding Limits.maxRoutersPerVrid routers: the only ones that turn a newcomer away. */
  fullVrids = 0;
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

  /** The segment of `vlans` on `iface` when there is one (nothing is made). */
  knownSegment(vlans: readonly number[], iface: string | null): Segment | null {
    const last = this.lastSegment;
    if (last !== null && last.id.interface === iface && sameVlans(last.id.vlans, vlans)) return last;
    const s = this.segments.get(segmentKey(vlans, iface));
    return s === undefined ? null : (this.lastSegment = s);
  }

  segmentFor(vlans: readonly number[], iface: string | null, t: number): Segment {
    let s = this.knownSegment(vlans, iface);
    if (s !== null) return s;
    const key = segmentKey(vlans, iface);
    if (this.segments.size >= this.limits.maxSegments) {
      const victim = pickVictim(this.segments, t);
      if (victim !== undefined) this.dropSegment(victim, t);
    }
    s = new Segment(key, { interface: iface, vlan: vlans.length > 0 ? (vlans[vlans.length - 1] as number) : null, vlans: [...vlans] });
    this.segments.set(key, s);
    return (this.lastSegment = s);
  }

  /** The virtual router `vrid` of `family` on `seg` when there is one (nothing is made). */
  knownVrid(seg: Segment, family: Family, vrid: number): VridState | null {
    return seg.vridSlots[vridSlot(family, vrid)] ?? null;
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

  /**
   * Whether `v` turns the router `address`, new to it, away (newRouter() below says when), with
   * an advert bidding `priority` (null: routers drop it); counted in Evictions.unadmitted when so.
   * Also asked for an advert that was not decoded (Tracker.turnAway).
   */
  turnsAway(v: VridState, address: string, priority: number | null, t: number): boolean {
    if (!this.closed(v, priority, t) || this.doorkeeper.seen(v, address)) return false;
    this.evictions.unadmitted++;
    return true;
  }

  /** turnsAway() of the IPv4 router whose address is `word` (decode/address.ts ipv4Word), not in `v`. */
  turnsAwayIpv4(v: VridState, word: number, priority: number | null, t: number): boolean {
    if (!this.closed(v, priority, t) || this.doorkeeper.seenIpv4(v, word)) return false;
    this.evictions.unadmitted++;
    return true;
  }

  /** Whether `v` admits only a returning router with an advert bidding `priority` (null: dropped). */
  private closed(v: VridState, priority: number | null, t: number): boolean {
    if (v.routers.size < this.limits.maxRoutersPerVrid) return false;
    const m = v.master;
    return m !== null && eligible(m, t) && !bidsOver(priority, m);
  }

  /**
   * State for the router `address`, new to `v`, whose advert is accepted with `priority` (null
   * when routers drop it); null when it is not admitted. A full virtual router
   * (Limits.maxRoutersPerVrid) admits a newcomer only when:
   * - its master is gone or silent: the newcomer may be the backup taking over (a backup's first
   *   advert always finds a crashed master ineligible, election.ts);
   * - its advert bids a higher priority than the master's: it takes the role (preemption);
   * - or the doorkeeper saw it before: it came back.
   * Any other newcomer is one advert from a router nobody heard before that changes nothing, into
   * a virtual router a flood has filled: it is counted (Evictions.unadmitted), gets state from its
   * second advert, and the routers already there keep theirs. Without this, every advert of a flood
   * made a router and forgot another, with their VIPs, conditions and timers.
   */
  newRouter(v: VridState, address: string, priority: number | null, t: number): RouterState | null {
    if (this.turnsAway(v, address, priority, t)) return null;
    // Asked already when the VRID is closed, the doorkeeper gives the same answer again: it
    // remembers only a router it had not seen.
    const returning = this.doorkeeper.seen(v, address);
    const evicted = v.routers.size >= this.limits.maxRoutersPerVrid ? this.evictRouter(v, t) : null;
    // The evicted router's object is the new one's: nothing else holds it any more (evictRouter).
    let r: RouterState;
    if (evicted === null) r = new RouterState(address, v);
    else {
      r = evicted;
      r.reset(address);
    }
    r.firstSeenUs = t;
    if (returning) v.returning = v.segment.returning = true;
    v.routers.set(address, r);
    if (r.ipv4 >= 0) v.ipv4s.push(r.ipv4);
    // Full from now on: routers leave a full VRID only to make room for another, or with it.
    if (evicted === null && v.routers.size === this.limits.maxRoutersPerVrid) this.fullVrids++;
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
    if (v.routers.size >= this.limits.maxRoutersPerVrid) this.fullVrids--;
    this.out.quiet++;
    for (const r of v.routers.values()) {
      r.evicted = true;
      this.vips.setVips(r, NO_VIPS, t);
      this.onForget(r);
    }
    this.out.quiet--;
    v.evicted = true;
    v.segment.vrids.delete(v);
    v.segment.vridSlots[vridSlot(v.family, v.vrid)] = null;
    this.vrids.delete(v.key);
    this.evictions.vrids++;
  }

  /** Forgets the least recently seen router of `v` but its master; returns it, or null when only the master is left. */
  private evictRouter(v: VridState, t: number): RouterState | null {
    let victim: RouterState | null = null;
    for (const r of v.routers.values()) {
      if (r === v.master) continue;
      if (victim === null || r.lastSeenUs < victim.lastSeenUs) victim = r;
    }
    if (victim === null) return null;
    this.out.quiet++;
    victim.evicted = true;
    this.vips.setVips(victim, NO_VIPS, t);
    v.routers.delete(victim.address);
    const i = victim.ipv4 < 0 ? -1 : v.ipv4s.indexOf(victim.ipv4);
    if (i >= 0) {
      v.ipv4s[i] = v.ipv4s[v.ipv4s.length - 1] as number;
      v.ipv4s.pop();
    }
    if (v.lastMaster === victim) v.lastMaster = null;
    forgetMember(v, victim);
    forgetRouter(victim);
    // Fewer routers can only agree more: with a disagreement open, it may end (quietly), which
    // the new router's checkAgreement() sees to in the same pass as its own.
    if (v.intervalMismatch !== null || v.authMismatch !== null || v.vipMismatch !== null || v.ownerConflict !== null) v.forgot = true;
    this.out.quiet--;
    this.onForget(victim);
    this.evictions.routers++;
    return victim;
  }
}

/** Advertises regularly, or came back and keeps coming (a flood's false positive soon does not). */
function isSpared(x: { lastSeenUs: number; established: boolean; returning: boolean }, t: number): boolean {
  return x.established || (x.returning && t - x.lastSeenUs <= RECENT_US);
}

/**
 * Among the oldest entries: the first that never advertised regularly nor came back and was not
 * seen recently, else the first of those (a flood's), else the first that never advertised
 * regularly (one that came back: a pair starting), else the first not seen recently, else the
 * oldest. Those passed over move to the back.
 */
function pickVictim<T extends { key: string; lastSeenUs: number; established: boolean; returning: boolean }>(map: Map<string, T>, t: number): T | undefined {
  const looked: T[] = [];
  let victim: T | undefined;
  let unspared = false;
  for (const x of map.values()) {
    const spared = isSpared(x, t);
    if (!spared && t - x.lastSeenUs > RECENT_US) {
      victim = x;
      break;
    }
    unspared ||= !spared;
    looked.push(x);
    if (looked.length >= (unspared ? SECOND_CHANCE : MAX_LOOK)) break;
  }
  victim ??= looked.find((x) => !isSpared(x, t)) ?? looked.find((x) => !x.established) ?? looked.find((x) => t - x.lastSeenUs > RECENT_US) ?? looked[0];
  // Those passed over for the victim get their second chance; those after it were not judged.
  for (const x of looked) {
    if (x === victim) break;
    map.delete(x.key);
    map.set(x.key, x);
  }
  return victim;
}
