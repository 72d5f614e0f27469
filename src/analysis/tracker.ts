// The tracker: every virtual router of every segment, its routers, its master by the RFC's rules,
// and the events a person needs. Pure: frames and their capture times come in, events go out.
//
// Time comes only from the packets (or tick() for a live edge with nothing arriving). A time that
// goes backwards is taken as the latest time seen, so state never moves back.
//
// What the events mean where the RFCs leave it open:
// - Only adverts peers accept vote (7.1: checksum, TTL 255, version, type, VRID, length); the
//   others still show in the router table and raise bad-checksum, bad-ttl or malformed.
// - The silence limit of a router is its Master_Down_Interval with the skew of priority 0
//   (3 intervals + 1 s in v2, 4 intervals in v3): longer than any backup waits, so a normal
//   failover is never a master-down. A router silent for 3 intervals no longer holds the role
//   against one that advertises (no backup's timer fires sooner).
// - The first master of a VRID is only a router-seen; master-change is a move of the role.
// - Conditions (master-down, split-brain, mismatches, conflicts, bad packets) give one event when
//   they start and one `<type>-end` when they stop. Mismatches compare every router seen in the
//   VRID, so a backup's wrong config shows as soon as it has advertised once.

import { hexByte, writeIpv4, writeIpv6 } from '../decode/bytes.js';
import type { DecodedFrame, LinkInfo } from '../decode/types.js';
import { isMalformed, validateVrrp } from '../decode/validate.js';
import { DeadlineQueue } from './deadlines.js';
import { message, vridText } from './messages.js';
import { RouterState, Segment, VipEntry, VridState, type Open, type SplitBrain } from './state.js';
import { masterDownIntervalUs, missedAdvertsUs, silenceLimitUs } from './timers.js';
import type { TimelineRecorder } from './timeline.js'; // timeline:
import {
  DEFAULT_LIMITS,
  type AnalysisEvent,
  type ClaimEntry,
  type ConditionFields,
  type EventFields,
  type EventSeverity,
  type Evictions,
  type Family,
  type IntervalStats,
  type Limits,
  type MismatchEntry,
  type RouterSnapshot,
  type SegmentId,
  type VridSnapshot,
  type VridStatus,
} from './types.js';

type VrrpFrame = Extract<DecodedFrame, { kind: 'vrrp' }>;

/** RFC 3768/5798 7.1: receivers discard adverts with these findings, so they have no say in the election. */
const DISCARDED = new Set(['bad-checksum', 'bad-ttl', 'unknown-version', 'unknown-type', 'vrid-zero']);
/** Eviction looks at this many of the oldest entries and spares the recently seen ones. */
const SECOND_CHANCE = 8;
const RECENT_US = 10_000_000;
/** MACs remembered per VIP for vip-arp-conflict. */
const MAX_CLAIMS = 4;
/**
 * How long a conflicting ARP claim keeps the conflict open: Linux keeps a neighbour entry
 * reachable for 15-45 s (base_reachable_time 30 s), so a wrong claim misdirects traffic that
 * long, and keepalived repeats its claims 5 s apart (garp_master_delay).
 */
const ARP_HOLD_US = 30_000_000;
/** When no VRID says otherwise: VRRPv2 at 1 s. */
const DEFAULT_LIMIT_US = silenceLimitUs(2, 100);

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

const START_SEVERITY: Readonly<Record<ConditionFields['type'], EventSeverity>> = {
  'master-down': 'critical',
  'split-brain': 'critical',
  'vip-arp-conflict': 'critical',
  'interval-mismatch': 'warning',
  'auth-mismatch': 'warning',
  'vip-mismatch': 'warning',
  'vip-conflict': 'warning',
  'owner-conflict': 'warning',
  'bad-checksum': 'warning',
  'bad-ttl': 'warning',
  'malformed': 'warning',
};

type Agreement = 'intervalMismatch' | 'authMismatch' | 'vipMismatch' | 'ownerConflict';

export interface TrackerOptions {
  limits?: Partial<Limits>;
  /** Receives every event, in time order. */
  onEvent?: (e: AnalysisEvent) => void;
  /** Records who was master when, for the report (see timeline.ts). */
  timeline?: TimelineRecorder; // timeline:
}

function segmentKey(vlans: readonly number[], iface: string | null): string {
  return vlans.length === 0 ? `${iface ?? ''}|` : `${iface ?? ''}|${vlans.join('.')}`;
}

/** Fixed-width hex of an address, so that string order is numeric order. */
function addressRank(address: string, family: Family): string {
  const b = new Uint8Array(16);
  const ok = family === 'ipv4' ? writeIpv4(address, b, 12) : writeIpv6(address, b, 0);
  if (!ok) return address;
  let s = '';
  for (const x of b) s += hexByte(x);
  return s;
}

function authKey(f: VrrpFrame): string {
  const p = f.vrrp;
  if (p.version === 3 || p.authType === null) return 'none';
  const data = p.authData;
  if (p.authType === 0 && (data === null || data.every((x) => x === 0))) return 'none';
  let s = `${p.authType}:`;
  if (data !== null) for (const x of data) s += hexByte(x);
  return s;
}

function byAddress(a: RouterState, b: RouterState): number {
  return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0;
}

/** Still advertising: silent no longer than its silence limit. Runs and split brains use this. */
function active(r: RouterState, t: number): boolean {
  return r.acceptedPriority > 0 && t - r.lastAcceptedUs <= r.limitUs;
}

/**
 * A candidate in the election: it advertised within the last three intervals. A backup starts
 * advertising only after its Master_Down_Timer (3 intervals + Skew_Time) ran out, so its first
 * advert always finds a crashed master ineligible.
 */
function eligible(r: RouterState, t: number): boolean {
  return r.acceptedPriority > 0 && t - r.lastAcceptedUs <= r.missedUs;
}

/** RFC 5798 6.4.3: the higher priority wins; on equal priority, the higher primary address. */
function outranks(a: RouterState, b: RouterState): boolean {
  return a.acceptedPriority > b.acceptedPriority || (a.acceptedPriority === b.acceptedPriority && a.rank > b.rank);
}

/** Every advert from `r` heard at `t`, decoded or repeated: counts, intervals, last seen. */
function heard(r: RouterState, t: number): void {
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
  }
  r.lastSeenUs = t;
  r.packets++;
}

/** An advert from `r` that peers accept, at `t`: its run and priority in the election. Returns whether the priority changed. */
function accept(r: RouterState, t: number): boolean {
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

export class Tracker {
  readonly limits: Limits;
  readonly evictions: Evictions = { segments: 0, vrids: 0, routers: 0, vips: 0, malformedSources: 0 };
  private readonly segments = new Map<string, Segment>();
  private readonly vrids = new Map<string, VridState>();
  private readonly timers: DeadlineQueue<VridState | VipEntry>;
  private readonly onEvent: (e: AnalysisEvent) => void;
  private readonly timeline: TimelineRecorder | null; // timeline:
  private vipCount = 0;
  private nowUs = -Infinity;
  private batch: AnalysisEvent[] = [];
  /** Above 0 while evicting: forgotten state goes without end events. */
  private quiet = 0;

  constructor(opts: TrackerOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.timers = new DeadlineQueue(this.limits.maxVrids + this.limits.maxVips, (x) => (x instanceof VridState ? this.deadline(x) : this.claimsDeadline(x)));
    this.onEvent = opts.onEvent ?? (() => undefined);
    this.timeline = opts.timeline ?? null; // timeline:
  }

  /** The latest time seen (µs since the epoch); -Infinity before the first. */
  get nowMicros(): number {
    return this.nowUs;
  }

  /**
   * One decoded frame captured at `timeUs` on `interfaceName`. Returns the router a complete
   * VRRP advert updated: the frame memo may replay the same bytes through repeat().
   */
  frame(f: DecodedFrame, timeUs: number, interfaceName: string | null): RouterState | null {
    this.advance(timeUs);
    const t = this.nowUs;
    let r: RouterState | null = null;
    switch (f.kind) {
      case 'vrrp':
        r = this.advert(f, t, interfaceName);
        break;
      case 'arp':
        // keepalived's gratuitous ARPs are requests with sender IP = target IP; replies count too.
        if (f.arp.gratuitous || f.arp.operation === 2) this.claim(f.link, interfaceName, f.arp.senderIp, f.arp.senderMac, t);
        break;
      case 'neighbor-advert':
        this.claim(f.link, interfaceName, f.na.target, f.na.targetMac ?? f.link.srcMac, t);
        break;
      case 'malformed':
        if (f.layer === 'vrrp') {
          const seg = this.segmentFor(f.link?.vlans ?? [], interfaceName, t);
          const family: Family | null = f.ip === null ? null : f.ip.family === 4 ? 'ipv4' : 'ipv6';
          this.startMalformed(seg, f.ip?.src ?? null, null, family, `${f.reason} (byte ${f.offset})`, t);
        }
        break;
      default:
        break;
    }
    this.flush();
    return r;
  }

  /**
   * An advert whose bytes equal the last one `r` sent (the frame memo checked), captured at
   * `tsSec` s + `tsNsec` ns: only time moves. Returns false, doing nothing, when the advert must
   * be decoded after all (frame() gives what a repeat would not).
   *
   * Nearly every frame of a healthy capture comes through here, so it is kept short and flat:
   * it runs interpreted until the JIT has optimised it, and one function (heard() and accept()
   * are small enough to be taken in whole) is optimised sooner than a chain of calls. The time
   * comes as two small integers, so no number is boxed on the way in.
   */
  repeat(r: RouterState, tsSec: number, tsNsec: number): boolean {
    if (r.evicted) return false;
    const v = r.vrid;
    const m = v.segment.malformed;
    if (m.size > 0 && m.has(r.address)) return false;
    const timeUs = tsSec * 1_000_000 + ((tsNsec / 1000) | 0); // tsNsec < 1e9
    if (timeUs > this.nowUs) this.nowUs = timeUs;
    const t = this.nowUs;
    if (this.timers.firstUs < t) this.runTimers();
    heard(r, t);
    if (r.accepted) {
      const prioChanged = accept(r, t);
      // The lone master of a VRID repeating itself: neither the role nor a split brain can move,
      // and its deadline only moved later, so the timer stays as it is.
      if (prioChanged || r.acceptedPriority === 0 || v.master !== r || v.routers.size !== 1) this.vote(v, r, prioChanged, false);
      else if (this.timeline !== null) this.timeline.advert(r, r, t); // timeline: the lone master repeating
    }
    if (this.batch.length > 0) this.flush();
    return true;
  }

  /** Advance the clock without a packet: silences become master-down, split brains end. */
  tick(timeUs: number): void {
    this.advance(timeUs);
    this.flush();
  }

  /** Every virtual router: by interface (none first), VLANs, family, VRID. */
  snapshot(): VridSnapshot[] {
    const out: { key: string; s: VridSnapshot }[] = [];
    for (const v of this.vrids.values()) {
      const seg = v.segment.id;
      const vlans = seg.vlans.map((x) => String(x).padStart(4, '0')).join('.');
      out.push({ key: `${seg.interface === null ? '0' : `1${seg.interface}`}\u0000${vlans}\u0000${v.family}${String(v.vrid).padStart(3, '0')}`, s: this.vridSnapshot(v) });
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out.map((x) => x.s);
  }

  /** Sizes, for tests of the limits. */
  sizes(): { segments: number; vrids: number; routers: number; vips: number; timers: number } {
    let routers = 0;
    for (const v of this.vrids.values()) routers += v.routers.size;
    return { segments: this.segments.size, vrids: this.vrids.size, routers, vips: this.vipCount, timers: this.timers.size };
  }

  // ---- time ---------------------------------------------------------------------------------

  /** Moves the clock to `timeUs` (never back) and fires the timers that ran out before it. */
  private advance(timeUs: number): void {
    if (timeUs > this.nowUs) this.nowUs = timeUs;
    if (this.timers.firstUs < this.nowUs) this.runTimers();
  }

  private runTimers(): void {
    const t = this.nowUs;
    for (let x = this.timers.popDue(t); x !== null; x = this.timers.popDue(t)) {
      if (x instanceof VridState) this.expire(x, t);
      else this.expireClaims(x, t);
    }
  }

  /** Applies, in time order, every timer of `v` that ran out before `t`. */
  private expire(v: VridState, t: number): void {
    for (let guard = 0; guard <= v.routers.size + 2; guard++) {
      let when = Infinity;
      let what = 0;
      const m = v.master;
      if (m !== null) {
        const d = m.lastAcceptedUs + m.limitUs;
        if (d < t) { when = d; what = 1; }
      } else if (v.down === null && v.lastMaster !== null) {
        const d = v.lastMaster.lastAcceptedUs + v.lastMaster.limitUs;
        if (d < t) { when = d; what = 2; }
      }
      if (v.split !== null) {
        const d = Math.max(splitEndUs(v.split), v.split.startUs);
        if (d < t && d < when) { when = d; what = 3; }
      }
      if (what === 0) break;
      // RFC 3768 6.4.2: Master_Down_Timer fired, so a backup should be master by now.
      if (what === 1) this.masterSilent(v, m as RouterState, when);
      else if (what === 2) this.startDown(v, v.lastMaster as RouterState, when);
      else this.endSplit(v, when);
    }
    this.timers.schedule(v, this.deadline(v));
  }

  /** The earliest time something of `v` can run out. */
  private deadline(v: VridState): number {
    let d = Infinity;
    if (v.master !== null) d = v.master.lastAcceptedUs + v.master.limitUs;
    else if (v.down === null && v.lastMaster !== null) d = v.lastMaster.lastAcceptedUs + v.lastMaster.limitUs;
    if (v.split !== null) {
      const s = splitEndUs(v.split);
      if (s < d) d = s;
    }
    return d;
  }

  // ---- adverts ------------------------------------------------------------------------------

  private advert(f: VrrpFrame, t: number, iface: string | null): RouterState | null {
    const seg = this.segmentFor(f.link.vlans, iface, t);
    const family: Family = f.ip.family === 4 ? 'ipv4' : 'ipv6';
    const p = f.vrrp;
    const v = this.vridFor(seg, family, p.vrid, t);
    const isNew = !v.routers.has(f.ip.src);
    const r = v.routers.get(f.ip.src) ?? this.newRouter(v, f.ip.src, family, t);
    const findings = validateVrrp(f);
    const malformed = isMalformed(f);
    let discard = malformed && p.capturedLength >= p.length; // complete on the wire, yet inconsistent
    let badChecksum = false;
    let badTtl = false;
    let malformedReason = 'malformed';
    for (const x of findings) {
      if (DISCARDED.has(x.code)) discard = true;
      if (x.code === 'bad-checksum') badChecksum = true;
      else if (x.code === 'bad-ttl') badTtl = true;
      else if (x.code === 'truncated' || x.code === 'auth-missing') malformedReason = x.message;
    }

    const oldPriority = r.priority;
    r.stamp++;
    r.mac = f.link.srcMac;
    r.version = p.version;
    r.ttl = f.ip.family === 4 ? f.ip.ttl : f.ip.hopLimit;
    r.checksumForm = f.checksum.form;
    r.accepted = !discard;
    r.priority = p.priority;
    const intervalChanged = p.intervalCs !== r.intervalCs;
    r.intervalCs = p.intervalCs;
    r.limitUs = silenceLimitUs(p.version, p.intervalCs);
    r.missedUs = missedAdvertsUs(p.intervalCs);
    const vText = vridText(seg.id, family, p.vrid);
    if (isNew) {
      this.emit(t, seg.id, family, p.vrid, 'info', { type: 'router-seen', router: r.address, mac: r.mac, priority: r.priority },
        message.routerSeen(vText, r.address, r.mac, r.priority, r.intervalCs, malformed ? [] : p.addresses));
    }
    let bodyChanged = false;
    // A cut-off advert keeps the router's last known auth and VIPs: its own are incomplete.
    if (!malformed) {
      const key = authKey(f);
      if (key !== r.authKey) {
        bodyChanged = true;
        r.authKey = key;
        r.authType = p.version === 3 ? null : p.authType;
        r.authData = r.authType === 1 ? p.authString : null;
      }
      const vips = [...new Set(p.addresses)];
      const vipKey = [...vips].sort().join(',');
      if (!r.hasBody || vipKey !== r.vipKey) {
        bodyChanged = true;
        this.setVips(r, vips, t);
        r.vipKey = vipKey;
      }
      r.hasBody = true;
    }

    if (oldPriority !== p.priority) {
      if (p.priority === 0) {
        this.emit(t, seg.id, family, p.vrid, 'info', { type: 'release', router: r.address }, message.release(vText, r.address, v.master === r));
      } else if (!isNew && oldPriority > 0) {
        this.emit(t, seg.id, family, p.vrid, 'info', { type: 'priority-change', router: r.address, from: oldPriority, to: p.priority },
          message.priorityChange(vText, r.address, oldPriority, p.priority, v.master === r));
      }
    }
    if (isNew || intervalChanged || bodyChanged || oldPriority !== p.priority) this.checkAgreement(v, t);

    if (badChecksum) {
      if (r.badChecksum === null) {
        r.badChecksum = this.open(t, seg.id, family, p.vrid, { type: 'bad-checksum', router: r.address, checksum: p.checksum, expected: f.checksum.expected },
          message.badChecksum(vText, r.address, p.checksum, f.checksum.expected));
      }
    } else if (r.badChecksum !== null && f.checksum.ok === true) {
      this.close(t, seg.id, family, p.vrid, r.badChecksum, `the bad checksums from ${r.address}`);
      r.badChecksum = null;
    }
    if (badTtl) {
      if (r.badTtl === null) {
        r.badTtl = this.open(t, seg.id, family, p.vrid, { type: 'bad-ttl', router: r.address, ttl: r.ttl }, message.badTtl(vText, r.address, r.ttl));
      }
    } else if (r.badTtl !== null) {
      this.close(t, seg.id, family, p.vrid, r.badTtl, `the bad TTLs from ${r.address}`);
      r.badTtl = null;
    }
    if (malformed) this.startMalformed(seg, r.address, p.vrid, family, malformedReason, t);
    else if (seg.malformed.size > 0) this.endMalformed(seg, r.address, t);

    this.observe(r);
    return malformed ? null : r;
  }

  /** What a decoded advert does once its fields are taken: counts, intervals, the election, split brain. */
  private observe(r: RouterState): void {
    const t = this.nowUs;
    heard(r, t);
    if (r.accepted) this.vote(r.vrid, r, accept(r, t), true);
  }

  /** The election and split brain after an accepted advert from `r`, now. */
  private vote(v: VridState, r: RouterState, prioChanged: boolean, decoded: boolean): void {
    const t = this.nowUs;
    const m0 = v.master;
    const s0 = v.split;
    if (r.acceptedPriority === 0) {
      this.released(v, r, t);
    } else {
      const m = v.master;
      // Only these adverts can move the role; the rest (most of a split brain) skip the election.
      if (m === null || (m === r ? prioChanged : outranks(r, m) || !eligible(m, t))) this.elect(v, t);
      this.checkSplit(v, r, t);
    }
    this.timeline?.advert(r, m0, t); // timeline:
    if (decoded || v.master !== m0 || v.split !== s0) this.timers.schedule(v, this.deadline(v));
  }

  private best(v: VridState, t: number, exclude: RouterState | null): RouterState | null {
    let b: RouterState | null = null;
    for (const o of v.routers.values()) {
      if (o === exclude || !eligible(o, t)) continue;
      if (b === null || outranks(o, b)) b = o;
    }
    return b;
  }

  private elect(v: VridState, t: number): void {
    const b = this.best(v, t, null);
    const m = v.master;
    if (b === m || b === null) return;
    // RFC 3768 6.4.3: a higher-priority advert (or an equal one from a higher address) takes over;
    // 6.4.2: so does any advert once the master stopped (the backup's Master_Down_Timer fired).
    if (m === null) this.takeOver(v, b, t);
    else this.changeMaster(v, m, b, t, eligible(m, t) ? 'preempted' : 'silent');
  }

  /** `r` becomes master of a VRID that had none. */
  private takeOver(v: VridState, r: RouterState, t: number): void {
    const prev = v.lastMaster;
    v.master = r;
    if (v.down !== null) {
      const d = v.down;
      v.down = null;
      this.emit(t, v.segment.id, v.family, v.vrid, 'info', { type: 'master-down-end', router: d.fields.router, silentSeconds: d.fields.silentSeconds, durationSeconds: (t - d.startUs) / 1e6 },
        message.masterDownEnd(this.label(v), r.address, t - d.startUs));
    }
    if (prev !== null && prev !== r) this.announceChange(v, prev, r, t, prev.acceptedPriority === 0 ? 'released' : 'silent');
  }

  private changeMaster(v: VridState, old: RouterState, r: RouterState, t: number, cause: 'preempted' | 'released' | 'silent'): void {
    v.lastMaster = old;
    v.master = r;
    this.announceChange(v, old, r, t, cause);
  }

  private announceChange(v: VridState, old: RouterState, r: RouterState, t: number, cause: 'preempted' | 'released' | 'silent'): void {
    // The gap runs from the old master's last advert to the first advert of the new master's run;
    // a router that was already advertising (split brain) took over with no gap.
    const gapUs = r.runStartUs >= old.lastAcceptedUs ? r.runStartUs - old.lastAcceptedUs : 0;
    const expected = cause === 'silent' ? masterDownIntervalUs(r.version, old.intervalCs, r.acceptedPriority) : null;
    this.emit(t, v.segment.id, v.family, v.vrid, 'warning', { type: 'master-change', from: old.address, to: r.address, gapSeconds: gapUs / 1e6, cause },
      message.masterChange(this.label(v), old.address, r.address, r.acceptedPriority, gapUs, cause, expected));
  }

  /** RFC 3768 6.4.2: priority 0 from the master sets the backups' timers to Skew_Time. */
  private released(v: VridState, r: RouterState, t: number): void {
    if (v.master === r) {
      v.master = null;
      v.lastMaster = r;
      const b = this.best(v, t, r);
      if (b !== null) this.takeOver(v, b, t);
    }
    const s = v.split;
    if (s !== null && r.inSplit) {
      let n = 0;
      for (const o of s.members) if (active(o, t)) n++;
      if (n < 2) this.endSplit(v, t);
    }
  }

  /** The master's Master_Down_Interval ran out at `when`. */
  private masterSilent(v: VridState, m: RouterState, when: number): void {
    const b = this.best(v, when, m);
    if (b !== null) {
      this.changeMaster(v, m, b, when, 'silent');
      return;
    }
    v.master = null;
    v.lastMaster = m;
    this.startDown(v, m, when);
  }

  private startDown(v: VridState, m: RouterState, when: number): void {
    const fields = { type: 'master-down' as const, router: m.address, silentSeconds: (when - m.lastAcceptedUs) / 1e6 };
    v.down = this.open(when, v.segment.id, v.family, v.vrid, fields,
      message.masterDown(this.label(v), m.address, when - m.lastAcceptedUs, m.acceptedPriority === 0, m.vips));
  }

  /**
   * Split brain: `r` and another router each sent at least two adverts since the other's run
   * began. A preemption is not one: the old master sends at most one advert after the new
   * master's first, so it never has two.
   */
  private checkSplit(v: VridState, r: RouterState, t: number): void {
    if (v.routers.size < 2) return;
    const s = v.split;
    if (s !== null && r.inSplit) return;
    let partners: RouterState[] | null = null;
    for (const o of v.routers.values()) {
      if (o === r || !active(o, t)) continue;
      if (r.prevInRunUs >= o.runStartUs && o.prevInRunUs >= r.runStartUs) (partners ??= []).push(o);
    }
    if (partners !== null) this.joinSplit(v, r, partners, t);
  }

  /** `r` and `partners` advertise concurrently: a split brain starts, or they join the open one. */
  private joinSplit(v: VridState, r: RouterState, partners: RouterState[], t: number): void {
    const s = v.split;
    if (s !== null) {
      s.members.add(r);
      r.inSplit = true;
      for (const o of partners) {
        s.members.add(o);
        o.inSplit = true;
      }
      s.fields.routers = [...s.members].sort(byAddress).map((o) => o.address);
      return;
    }
    const members = new Set([r, ...partners]);
    for (const o of members) o.inSplit = true;
    const routers = [...members].sort(byAddress).map((o) => o.address);
    this.emit(t, v.segment.id, v.family, v.vrid, 'critical', { type: 'split-brain', routers }, message.splitBrain(this.label(v), routers));
    v.split = { startUs: t, members, fields: { type: 'split-brain', routers: [...routers] } };
  }

  private endSplit(v: VridState, when: number): void {
    const s = v.split;
    if (s === null) return;
    v.split = null;
    for (const o of s.members) o.inSplit = false;
    // It lasted until the last advert of the member that stopped (the second-latest advert).
    let a = -Infinity;
    let b = -Infinity;
    for (const o of s.members) {
      if (o.lastAcceptedUs > a) { b = a; a = o.lastAcceptedUs; } else if (o.lastAcceptedUs > b) b = o.lastAcceptedUs;
    }
    const durationUs = Math.max(0, b - s.startUs);
    this.emit(when, v.segment.id, v.family, v.vrid, 'info', { type: 'split-brain-end', routers: s.fields.routers, durationSeconds: durationUs / 1e6 },
      message.splitBrainEnd(this.label(v), s.fields.routers, durationUs));
  }

  /** interval-mismatch, auth-mismatch, vip-mismatch, owner-conflict: over every router of the VRID. */
  private checkAgreement(v: VridState, t: number): void {
    const rs = [...v.routers.values()].filter((r) => r.intervalCs >= 0).sort(byAddress);
    const withBody = rs.filter((r) => r.hasBody);
    const differ = (values: readonly string[]): boolean => new Set(values).size > 1;
    this.agree(v, 'intervalMismatch', differ(rs.map((r) => String(r.intervalCs))), t, () => {
      const routers = rs.map((r): MismatchEntry => ({ address: r.address, advertInterval: r.intervalCs / 100 }));
      return [{ type: 'interval-mismatch', routers }, message.intervalMismatch(this.label(v), routers)];
    });
    this.agree(v, 'authMismatch', differ(withBody.map((r) => r.authKey)), t, () => {
      const routers = withBody.map((r): MismatchEntry => ({ address: r.address, authType: r.authType, authData: r.authData }));
      return [{ type: 'auth-mismatch', routers }, message.authMismatch(this.label(v), routers)];
    });
    this.agree(v, 'vipMismatch', differ(withBody.map((r) => r.vipKey)), t, () => {
      const routers = withBody.map((r): MismatchEntry => ({ address: r.address, vips: [...r.vips] }));
      return [{ type: 'vip-mismatch', routers }, message.vipMismatch(this.label(v), routers)];
    });
    const owners = rs.filter((r) => r.priority === 255).map((r) => r.address);
    this.agree(v, 'ownerConflict', owners.length >= 2, t, () => [{ type: 'owner-conflict', routers: owners }, message.ownerConflict(this.label(v), owners)]);
  }

  private agree(v: VridState, slot: Agreement, on: boolean, t: number, make: () => [ConditionFields, string]): void {
    const cur = v[slot];
    if (on && cur === null) {
      const [fields, text] = make();
      v[slot] = this.open(t, v.segment.id, v.family, v.vrid, fields, text);
    } else if (!on && cur !== null) {
      this.close(t, v.segment.id, v.family, v.vrid, cur, `the ${cur.fields.type.replace('-', ' ')}`);
      v[slot] = null;
    }
  }

  // ---- VIPs ---------------------------------------------------------------------------------

  private setVips(r: RouterState, vips: string[], t: number): void {
    const seg = r.vrid.segment;
    const old = r.vips;
    for (const x of old) if (!vips.includes(x)) this.vipRef(seg, r.vrid, x, -1, t);
    for (const x of vips) if (!old.includes(x)) this.vipRef(seg, r.vrid, x, 1, t);
    r.vips = vips;
  }

  private vipRef(seg: Segment, v: VridState, vip: string, delta: 1 | -1, t: number): void {
    let e = seg.vips.get(vip);
    if (e === undefined) {
      if (delta < 0) return;
      if (this.vipCount >= this.limits.maxVips) {
        this.evictions.vips++;
        return;
      }
      e = new VipEntry(vip, v.family, seg);
      seg.vips.set(vip, e);
      this.vipCount++;
    }
    const n = (e.vrids.get(v) ?? 0) + delta;
    if (n > 0) e.vrids.set(v, n);
    else e.vrids.delete(v);
    const vrids = [...e.vrids.keys()].map((x) => x.vrid).sort((a, b) => a - b);
    if (vrids.length >= 2 && e.conflict === null) {
      e.conflict = this.open(t, seg.id, v.family, v.vrid, { type: 'vip-conflict', vip, vrids }, message.vipConflict(vridText(seg.id, v.family, v.vrid), vip, vrids));
    } else if (vrids.length < 2 && e.conflict !== null) {
      this.close(t, seg.id, v.family, vrids[0] ?? v.vrid, e.conflict, `VIP ${vip} under several VRIDs`);
      e.conflict = null;
    }
    if (e.vrids.size === 0) {
      if (e.arpConflict !== null) this.endArp(e, t);
      e.evicted = true;
      seg.vips.delete(vip);
      this.vipCount--;
    }
  }

  private claimWindowUs(e: VipEntry): number {
    let w = 0;
    for (const v of e.vrids.keys()) {
      const r = v.master ?? v.lastMaster;
      if (r !== null && r.limitUs > w) w = r.limitUs;
    }
    return w > 0 ? w : DEFAULT_LIMIT_US;
  }

  /**
   * Gratuitous ARP, ARP reply or neighbour advert for a VIP. A conflict is a claim from one MAC
   * while another MAC holds the VIP: the MAC of a router that is master (or in a split brain) of
   * a VRID advertising it, or an unknown MAC that claimed it within one Master_Down_Interval. A
   * failover is no conflict: the new master's advert precedes its gratuitous ARPs, so the old
   * master no longer holds the VIP when they arrive.
   */
  private claim(link: LinkInfo, iface: string | null, ip: string, mac: string | null, t: number): void {
    if (mac === null) return;
    const seg = this.segments.get(segmentKey(link.vlans, iface));
    const e = seg?.vips.get(ip);
    if (seg === undefined || e === undefined) return;
    this.timeline?.claim(seg, ip, mac, t); // timeline:
    const window = this.claimWindowUs(e);
    const mine = e.claims.get(mac);
    if (mine !== undefined) {
      mine.lastUs = t;
    } else {
      if (e.claims.size >= MAX_CLAIMS) {
        let oldest: string | null = null;
        let oldestUs = Infinity;
        for (const [m, c] of e.claims) if (c.lastUs < oldestUs) { oldest = m; oldestUs = c.lastUs; }
        if (oldest !== null) e.claims.delete(oldest);
      }
      e.claims.set(mac, { lastUs: t });
    }
    const holders = new Map<string, string | null>();
    for (const v of e.vrids.keys()) {
      const current = v.split !== null ? [...v.split.members] : v.master !== null ? [v.master] : [];
      for (const r of current) {
        if (r.mac !== null && r.mac !== mac && !r.evicted && eligible(r, t) && r.vips.includes(ip)) holders.set(r.mac, r.address);
      }
    }
    for (const [m, c] of e.claims) {
      if (m !== mac && c.lastUs >= t - window && !holders.has(m) && this.routerWithMac(e, m) === null) holders.set(m, null);
    }
    if (holders.size === 0) return;
    e.lastConflictUs = t;
    if (e.arpConflict === null) {
      const macs: ClaimEntry[] = [{ mac, router: this.routerWithMac(e, mac) }];
      for (const [m, router] of holders) macs.push({ mac: m, router });
      macs.sort((a, b) => (a.mac < b.mac ? -1 : 1));
      const vrid = Math.min(...[...e.vrids.keys()].map((x) => x.vrid));
      e.arpConflict = this.open(t, seg.id, e.family, vrid, { type: 'vip-arp-conflict', vip: e.vip, macs },
        message.vipArpConflict(vridText(seg.id, e.family, vrid), e.vip, macs));
    }
    this.timers.schedule(e, this.arpEndUs(e));
  }

  private routerWithMac(e: VipEntry, mac: string): string | null {
    for (const v of e.vrids.keys()) for (const r of v.routers.values()) if (r.mac === mac) return r.address;
    return null;
  }

  /** The conflict ends when no conflicting claim came for ARP_HOLD_US. */
  private arpEndUs(e: VipEntry): number {
    return e.lastConflictUs + Math.max(ARP_HOLD_US, this.claimWindowUs(e));
  }

  /** When the ARP conflict on `e` ends, unless another conflicting claim comes. */
  private claimsDeadline(e: VipEntry): number {
    return e.arpConflict === null ? Infinity : this.arpEndUs(e);
  }

  private expireClaims(e: VipEntry, t: number): void {
    if (e.arpConflict === null) return;
    const end = this.arpEndUs(e);
    if (end < t) this.endArp(e, end);
    else this.timers.schedule(e, end);
  }

  private endArp(e: VipEntry, when: number): void {
    const c = e.arpConflict;
    if (c === null) return;
    e.arpConflict = null;
    const vrid = e.vrids.size > 0 ? Math.min(...[...e.vrids.keys()].map((x) => x.vrid)) : null;
    this.close(when, e.segment.id, e.family, vrid, c, `the ARP conflict on VIP ${e.vip}`);
  }

  // ---- malformed ----------------------------------------------------------------------------

  private startMalformed(seg: Segment, source: string | null, vrid: number | null, family: Family | null, reason: string, t: number): void {
    const key = source ?? '';
    if (seg.malformed.has(key)) return;
    if (seg.malformed.size >= this.limits.maxMalformedSources) {
      const first = seg.malformed.keys().next();
      if (!first.done) seg.malformed.delete(first.value);
      this.evictions.malformedSources++;
    }
    const o = this.open(t, seg.id, family, vrid, { type: 'malformed', router: source, reason }, message.malformed(vridText(seg.id, family, vrid), source, reason));
    seg.malformed.set(key, { ...o, vrid, family });
  }

  private endMalformed(seg: Segment, source: string, t: number): void {
    const m = seg.malformed.get(source);
    if (m === undefined) return;
    seg.malformed.delete(source);
    this.close(t, seg.id, m.family, m.vrid, m, `the malformed packets from ${source}`);
  }

  // ---- bounded state ------------------------------------------------------------------------

  private segmentFor(vlans: readonly number[], iface: string | null, t: number): Segment {
    const key = segmentKey(vlans, iface);
    let s = this.segments.get(key);
    if (s !== undefined) return s;
    if (this.segments.size >= this.limits.maxSegments) {
      const victim = this.pickVictim(this.segments, t);
      if (victim !== undefined) this.dropSegment(victim);
    }
    s = new Segment(key, { interface: iface, vlan: vlans.length > 0 ? (vlans[vlans.length - 1] as number) : null, vlans: [...vlans] });
    this.segments.set(key, s);
    return s;
  }

  private vridFor(seg: Segment, family: Family, vrid: number, t: number): VridState {
    const key = `${seg.key}|${family}|${vrid}`;
    let v = this.vrids.get(key);
    if (v !== undefined) return v;
    if (this.vrids.size >= this.limits.maxVrids) {
      const victim = this.pickVictim(this.vrids, t);
      if (victim !== undefined) this.dropVrid(victim);
    }
    v = new VridState(key, seg, family, vrid);
    this.vrids.set(key, v);
    seg.vrids.add(v);
    return v;
  }

  private newRouter(v: VridState, address: string, family: Family, t: number): RouterState {
    if (v.routers.size >= this.limits.maxRoutersPerVrid) this.evictRouter(v, t);
    const r = new RouterState(address, addressRank(address, family), v);
    r.firstSeenUs = t;
    v.routers.set(address, r);
    return r;
  }

  /** The oldest entry not seen recently (recently seen ones move to the back), else the oldest. */
  private pickVictim<T extends { key: string; lastSeenUs: number }>(map: Map<string, T>, t: number): T | undefined {
    const spared: T[] = [];
    let victim: T | undefined;
    for (const x of map.values()) {
      if (t - x.lastSeenUs > RECENT_US) {
        victim = x;
        break;
      }
      spared.push(x);
      if (spared.length >= SECOND_CHANCE) break;
    }
    for (const x of spared) {
      map.delete(x.key);
      map.set(x.key, x);
    }
    return victim ?? spared[0];
  }

  private dropSegment(s: Segment): void {
    for (const v of [...s.vrids]) this.dropVrid(v);
    for (const e of s.vips.values()) {
      e.evicted = true;
      this.vipCount--;
    }
    s.vips.clear();
    s.malformed.clear();
    s.evicted = true;
    this.segments.delete(s.key);
    this.evictions.segments++;
  }

  private dropVrid(v: VridState): void {
    this.quiet++;
    for (const r of v.routers.values()) {
      r.evicted = true;
      this.setVips(r, [], this.nowUs);
    }
    this.quiet--;
    v.evicted = true;
    v.segment.vrids.delete(v);
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
    this.quiet++;
    victim.evicted = true;
    this.setVips(victim, [], t);
    v.routers.delete(victim.address);
    if (v.lastMaster === victim) v.lastMaster = null;
    const s = v.split;
    if (s !== null && s.members.delete(victim) && s.members.size < 2) {
      for (const o of s.members) o.inSplit = false;
      v.split = null;
    }
    this.checkAgreement(v, t);
    this.quiet--;
    this.evictions.routers++;
  }

  // ---- events -------------------------------------------------------------------------------

  private label(v: VridState): string {
    return vridText(v.segment.id, v.family, v.vrid);
  }

  private emit(timeUs: number, segment: SegmentId, family: Family | null, vrid: number | null, severity: EventSeverity, fields: EventFields, text: string): void {
    if (this.quiet > 0) return;
    this.batch.push({ timeUs, vrid, family, severity, message: text, segment, ...fields });
  }

  private open<F extends ConditionFields>(t: number, segment: SegmentId, family: Family | null, vrid: number | null, fields: F, text: string): Open<F> {
    this.emit(t, segment, family, vrid, START_SEVERITY[fields.type], fields, text);
    return { startUs: t, fields };
  }

  private close(t: number, segment: SegmentId, family: Family | null, vrid: number | null, o: Open, what: string): void {
    const durationUs = t - o.startUs;
    const end = { ...o.fields, type: `${o.fields.type}-end`, durationSeconds: durationUs / 1e6 } as EventFields;
    this.emit(t, segment, family, vrid, 'info', end, message.ended(vridText(segment, family, vrid), what, durationUs));
  }

  private flush(): void {
    const b = this.batch;
    if (b.length === 0) return;
    this.batch = [];
    // Timers that ran out while nothing arrived carry their own (earlier) times.
    if (b.length > 1) b.sort((x, y) => x.timeUs - y.timeUs);
    for (const e of b) this.onEvent(e);
  }

  // ---- snapshots ----------------------------------------------------------------------------

  private vridSnapshot(v: VridState): VridSnapshot {
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
      if (v.segment.malformed.has(r.address)) conds.add('malformed');
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
      routers: routers.map(routerSnapshot),
    };
  }
}

function splitEndUs(s: SplitBrain): number {
  // The split brain ends when fewer than two members are still advertising: at the expiry of
  // the member that would be second to last.
  let a = -Infinity;
  let b = -Infinity;
  for (const o of s.members) {
    if (o.acceptedPriority === 0 || o.evicted) continue;
    const e = o.lastAcceptedUs + o.limitUs;
    if (e > a) { b = a; a = e; } else if (e > b) b = e;
  }
  return b;
}

function routerSnapshot(r: RouterState): RouterSnapshot {
  const measured: IntervalStats | null =
    r.intervalCount === 0
      ? null
      : { count: r.intervalCount, minSeconds: r.intervalMinUs / 1e6, meanSeconds: r.intervalSumUs / r.intervalCount / 1e6, maxSeconds: r.intervalMaxUs / 1e6 };
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
  };
}
