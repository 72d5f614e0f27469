// The tracker's state: segments, virtual routers (VRIDs) and the routers that advertise for them.
// Plain mutable records; the decision files (election, split-brain, mismatches, vip-claims,
// discards, bounded) own the transitions, tracker.ts dispatches to them.

import { addressRank, ipv4Word } from '../decode/address.js';
import type { ChecksumForm } from '../decode/types.js';
import type { DiscardReason } from '../rules/receive.js';
import type { Timed } from './deadlines.js';
import type { AnalysisEvent, ConditionFields, Family, SegmentId } from './types.js';

type Fields<T extends ConditionFields['type']> = Extract<ConditionFields, { type: T }>;

/** An open condition: when it started, what its start event said, and its latest evidence. */
export interface Open<F extends ConditionFields = ConditionFields> {
  startUs: number;
  fields: F;
  /** The start event as emitted (null when it started while state was being evicted). */
  start: AnalysisEvent | null;
  /** The latest packet that showed it (held conditions and ARP claims keep this current). */
  lastUs: number;
  /** How many packets showed it. */
  count: number;
  /** Its start was held back as part of a flood (src/analysis/flood.ts): it gets no end event. */
  untold: boolean;
}

/** A malformed VRRP packet with no virtual router to file it under (no valid VRID or version). */
export type SourceCondition = Open<Fields<'malformed'>> & { vrid: number | null; family: Family | null; limitUs: number };

export class Segment implements Timed {
  queuedDeadlineUs = Infinity;
  lastSeenUs = -Infinity;
  /** A router here advertised regularly (three adverts, each within its silence limit): evicted last. */
  established = false;
  /** A router here advertised again after its state was forgotten (doorkeeper.ts): evicted after a flood's. */
  returning = false;
  evicted = false;
  readonly vrids = new Set<VridState>();
  /** The same, by family and VRID (IPv4 VRIDs at 0-255, IPv6 at 256-511): found without building a key. */
  readonly vridSlots: (VridState | null)[] = new Array<VridState | null>(512).fill(null);
  /** Every VIP advertised on the segment, for vip-conflict and vip-arp-conflict. */
  readonly vips = new Map<string, VipEntry>();
  /** Sources of malformed VRRP packets that belong to no virtual router, while the condition holds. */
  readonly malformed = new Map<string, SourceCondition>();

  constructor(
    readonly key: string,
    readonly id: SegmentId,
  ) {}
}

export interface Claim {
  lastUs: number;
}

/**
 * How many routers of each VRID advertise a VIP, in the order the VRIDs came (a map's order).
 * Nearly every VIP has one VRID: it is held inline, and a map is made only for a second one (a
 * flood makes and forgets a VIP with nearly every advert, and a map apiece was a third of what it
 * kept alive).
 */
export class VridCounts {
  private one: VridState | null = null;
  private oneCount = 0;
  /** The VRIDs after `one`, or all of them once `one` went while these remained. */
  private more: Map<VridState, number> | null = null;

  get size(): number {
    return (this.one === null ? 0 : 1) + (this.more === null ? 0 : this.more.size);
  }

  get(v: VridState): number | undefined {
    return v === this.one ? this.oneCount : this.more?.get(v);
  }

  set(v: VridState, n: number): void {
    if (v === this.one) this.oneCount = n;
    else if (this.one === null && (this.more === null || this.more.size === 0)) {
      this.one = v;
      this.oneCount = n;
    } else (this.more ??= new Map()).set(v, n);
  }

  delete(v: VridState): void {
    if (v === this.one) {
      this.one = null;
      this.oneCount = 0;
    } else this.more?.delete(v);
  }

  keys(): VridState[] {
    const out: VridState[] = this.one === null ? [] : [this.one];
    if (this.more !== null) for (const v of this.more.keys()) out.push(v);
    return out;
  }
}

export class VipEntry implements Timed {
  queuedDeadlineUs = Infinity;
  evicted = false;
  /** How many routers of each VRID advertise this VIP. */
  readonly vrids = new VridCounts();
  conflict: Open<Fields<'vip-conflict'>> | null = null;
  /** Last gratuitous ARP / reply / neighbour advert per MAC claiming the VIP; null until the first (most VIPs of a flood never get one). */
  claims: Map<string, Claim> | null = null;
  arpConflict: Open<Fields<'vip-arp-conflict'>> | null = null;
  /** The last claim that conflicted. */
  lastConflictUs = -Infinity;

  /** The VIP, its family and segment: set again when the entry is reused for another (vip-claims.ts). */
  constructor(
    public vip: string,
    public family: Family,
    public segment: Segment,
  ) {}
}

export interface SplitBrain extends Open<Fields<'split-brain'>> {
  members: Set<RouterState>;
  /** `fields.routers` no longer lists `members`: split-brain.ts's splitRouters() rebuilds it. */
  routersStale: boolean;
}

export class VridState implements Timed {
  queuedDeadlineUs = Infinity;
  evicted = false;
  readonly routers = new Map<string, RouterState>();
  /**
   * The IPv4 addresses of `routers` as numbers (RouterState.ipv4), in no order: whether a flood's
   * advert read in place comes from one of them is asked without text, and without iterating the
   * map. Kept by the registry (bounded.ts), which alone adds and removes routers.
   */
  readonly ipv4s: number[] = [];
  /** The router the RFC election gives the role to, from the adverts peers accept. */
  master: RouterState | null = null;
  /** The master before the current one, or the one that released or went silent. */
  lastMaster: RouterState | null = null;
  down: Open<Fields<'master-down'>> | null = null;
  split: SplitBrain | null = null;
  intervalMismatch: Open | null = null;
  authMismatch: Open | null = null;
  vipMismatch: Open | null = null;
  ownerConflict: Open | null = null;
  /** Routers with a held packet condition (bad checksum, bad TTL, malformed): their ends are timers. */
  held = 0;
  lastSeenUs = -Infinity;
  /** As Segment.established. */
  established = false;
  /** As Segment.returning. */
  returning = false;
  /** Version of the most recent advert. */
  lastVersion = 0;
  /** A router was forgotten while a disagreement was open: the next checkAgreement() ends what it alone disagreed on. */
  forgot = false;
  /** The doorkeeper's hashes of `key` (doorkeeper.ts). */
  keyHash1 = 0;
  keyHash2 = 0;

  constructor(
    readonly key: string,
    readonly segment: Segment,
    readonly family: Family,
    readonly vrid: number,
  ) {}
}

/** Fed no held condition (most routers, always): one shared empty list, never pushed to. */
export const FEEDS_NOTHING: Open[] = [];

/** No VIP (a router before its first whole advert, or forgotten): shared, never pushed to. */
export const NO_VIPS: string[] = [];

/**
 * One router of a virtual router. A flood's new router takes over the object of the router it
 * evicts in the same VRID (bounded.ts): reset() sets every field back to its default here (a test
 * holds the two equal), so that a flood allocates no router per advert, and the routers, long-lived
 * objects, are not copied by every scavenge of the young generation.
 */
export class RouterState {
  address: string;
  /** The address as a 32-bit unsigned integer when it is IPv4, else -1 (decode/address.ts ipv4Word). */
  ipv4: number;
  // The last advert, whatever peers make of it.
  mac: string | null = null;
  version = 0;
  priority = -1;
  intervalCs = -1;
  authType: number | null = null;
  /** Simple-text password (type 1), else null. */
  authData: string | null = null;
  /** Auth type and the raw 8 bytes, for comparing routers; '' until a whole advert was seen. */
  authKey = '';
  /** Never changed in place: replaced by vip-claims.ts's setVips(). */
  vips: string[] = NO_VIPS;
  /** Sorted VIPs joined, for comparing routers; '' until a whole advert was seen. */
  vipKey = '';
  /** A complete (not truncated) advert was seen. */
  hasBody = false;
  ttl = 0;
  checksumForm: ChecksumForm | null = null;
  /** Peers accept the last advert (src/rules/receive.ts: RFC 3768/5798 7.1). */
  accepted = false;
  /** Why peers drop the last advert; null when they accept it. */
  discard: DiscardReason | null = null;
  /** Adverts peers drop, since the router was first seen. */
  discarded = 0;
  /** How long it may stay silent (the silence limit of its version and interval, src/rules/timers.ts). */
  limitUs = 0;
  /** Three of its intervals: silent longer, it has lost the role to any router that advertises. */
  missedUs = 0;

  packets = 0;
  firstSeenUs = -Infinity;
  lastSeenUs = -Infinity;
  intervalCount = 0;
  intervalSumUs = 0;
  intervalMinUs = Infinity;
  intervalMaxUs = 0;

  // The election, from accepted adverts only.
  acceptedPriority = 0;
  lastAcceptedUs = -Infinity;
  /** First accepted advert of the current run (a run ends with a silence past limitUs or priority 0). */
  runStartUs = -Infinity;
  /** The accepted advert before the last one, within the current run. */
  prevInRunUs = -Infinity;

  /** A member of its VRID's open split brain. */
  inSplit = false;

  // Packet conditions: open while such adverts keep coming, for up to limitUs after the last one.
  badChecksum: Open<Fields<'bad-checksum'>> | null = null;
  badTtl: Open<Fields<'bad-ttl'>> | null = null;
  malformed: Open<Fields<'malformed'>> | null = null;
  /** The held conditions the last advert fed (repeats of it feed the same ones). */
  feeding: Open[] = FEEDS_NOTHING;

  /**
   * Bumped whenever a decoded advert updates the router: the frame memo is valid only for its own
   * stamp. Kept across reset(), so a stamp is never met twice.
   */
  stamp = 0;
  /** The frame memo's entry remembering its last advert, -1 for none (frame-memo.ts). */
  memoEntry = -1;
  evicted = false;
  /** rank's value once asked for (most of a flood's routers never are). */
  private rankText: string | null = null;

  constructor(
    address: string,
    readonly vrid: VridState,
  ) {
    this.address = address;
    this.ipv4 = ipv4Word(address);
  }

  /** The address's rank (decode/address.ts): within a family it compares as the unsigned big-endian integer (RFC 5798 6.4.3). */
  get rank(): string {
    return (this.rankText ??= addressRank(this.address));
  }

  /** Becomes a router never heard from, at `address` (of the same VRID). */
  reset(address: string): void {
    this.address = address;
    this.ipv4 = ipv4Word(address);
    this.mac = null;
    this.version = 0;
    this.priority = -1;
    this.intervalCs = -1;
    this.authType = null;
    this.authData = null;
    this.authKey = '';
    this.vips = NO_VIPS;
    this.vipKey = '';
    this.hasBody = false;
    this.ttl = 0;
    this.checksumForm = null;
    this.accepted = false;
    this.discard = null;
    this.discarded = 0;
    this.limitUs = 0;
    this.missedUs = 0;
    this.packets = 0;
    this.firstSeenUs = -Infinity;
    this.lastSeenUs = -Infinity;
    this.intervalCount = 0;
    this.intervalSumUs = 0;
    this.intervalMinUs = Infinity;
    this.intervalMaxUs = 0;
    this.acceptedPriority = 0;
    this.lastAcceptedUs = -Infinity;
    this.runStartUs = -Infinity;
    this.prevInRunUs = -Infinity;
    this.inSplit = false;
    this.badChecksum = null;
    this.badTtl = null;
    this.malformed = null;
    this.feeding = FEEDS_NOTHING;
    this.memoEntry = -1;
    this.evicted = false;
    this.rankText = null;
  }
}
