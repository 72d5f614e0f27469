// The tracker: every virtual router of every segment, its routers, its master by the RFC's rules,
// and the events a person needs. Pure: frames and their capture times come in, events go out.
// It dispatches; each decision has its file:
//   src/rules/receive.ts  which adverts routers drop (RFC 3768/5798 7.1), for this and the daemon
//   election.ts           who is master, master changes, releases, master-down
//   split-brain.ts        two masters at once, lasting or transient
//   mismatches.ts         interval, auth, VIP mismatches and owner conflicts
//   vip-claims.ts         VIPs under several VRIDs, and ARP / neighbour claims on them
//   discards.ts           adverts routers drop: bad-checksum, bad-ttl, malformed, held and counted
//   bounded.ts            the caps on state, and what is forgotten past them
//   snapshot.ts           what the state looks like: virtual routers, routers, open conditions
//   conditions.ts         how a condition starts, holds and ends; the events' severities
//
// Time comes only from the packets (or tick() for a live edge with nothing arriving). A time that
// goes backwards is taken as the latest time seen, so state never moves back.
//
// What the events mean where the RFCs leave it open:
// - Only adverts peers accept vote; the others still show in the router table, are counted, and
//   raise bad-checksum, bad-ttl or malformed.
// - The silence limit of a router is its Master_Down_Interval with the skew of priority 0
//   (3 intervals + 1 s in v2, 4 intervals in v3): longer than any backup waits, so a normal
//   failover is never a master-down. A router silent for 3 intervals no longer holds the role
//   against one that advertises (no backup's timer fires sooner).
// - The first master of a VRID is only a router-seen; master-change is a move of the role.

import { allZero, hexByte } from '../decode/bytes.js';
import type { DecodedFrame } from '../decode/types.js';
import { discardMask, discardsOf, DISCARD_REASONS, firstDiscard, type Discard, type DiscardReason } from '../rules/receive.js';
import type { AdvertInPlace } from '../decode/advert-in-place.js';
import { missedAdvertsUs, silenceLimitUs } from '../rules/timers.js';
import { microsOf, microsToSeconds } from '../time/timestamp.js';
import { Registry, segmentKey } from './bounded.js';
import { EventSink } from './conditions.js';
import { DeadlineQueue } from './deadlines.js';
import { FloodGate, NewRouterWindow, ROUTERS_REPORTED } from './flood.js';
import { segmentText } from './labels.js';
import { createsNoRouter, NO_ROUTER_MASK, expireRouter, expireSegment, packetConditions, routerHeldEndUs, segmentDeadline, sourcePacket } from './discards.js';
import { accept, eligible, elect, heard, masterSilent, outranks, released, startDown } from './election.js';
import { message, vridText } from './messages.js';
import { checkAgreement } from './mismatches.js';
import { openConditions, snapshotKey, vridSnapshot } from './snapshot.js';
import { checkSplit, endSplit, memberReleased, splitEndUs } from './split-brain.js';
import { RouterState, Segment, VipEntry, VridState } from './state.js';
import { DEFAULT_LIMITS, type AnalysisEvent, type Evictions, type Family, type Limits, type OpenCondition, type VridSnapshot } from './types.js';
import { VipClaims } from './vip-claims.js';
import type { TimelineRecorder } from './timeline.js'; // timeline:

type VrrpFrame = Extract<DecodedFrame, { kind: 'vrrp' }>;
type TimerTarget = VridState | VipEntry | Segment;

export interface TrackerOptions {
  limits?: Partial<Limits>;
  /** Receives every event, in time order. */
  onEvent?: (e: AnalysisEvent) => void;
  /** Records who was master when, for the report (see timeline.ts). */
  timeline?: TimelineRecorder; // timeline:
  /** Told of every router forgotten (state limits): whoever keeps routers (the frame memo) lets go of it. */
  onForget?: (r: RouterState) => void;
}

function authKey(f: VrrpFrame): string {
  const p = f.vrrp;
  if (p.version === 3 || p.authType === null) return 'none';
  const data = p.authData;
  if (p.authType === 0 && (data === null || allZero(data, 0, data.length))) return 'none';
  let s = `${p.authType}:`;
  if (data !== null) for (const x of data) s += hexByte(x);
  return s;
}

/** The VLANs of an untagged frame. */
const NO_VLANS: readonly number[] = [];

export class Tracker {
  readonly limits: Limits;
  readonly evictions: Evictions = { segments: 0, vrids: 0, routers: 0, vips: 0, malformedSources: 0, unadmitted: 0 };
  /** Adverts routers drop, by reason (src/rules/receive.ts). */
  readonly discarded = Object.fromEntries(DISCARD_REASONS.map((r) => [r, 0])) as Record<DiscardReason, number>;
  private readonly out: EventSink;
  private readonly timers: DeadlineQueue<TimerTarget>;
  private readonly vips: VipClaims;
  private readonly state: Registry;
  private nowUs = -Infinity;
  private readonly newRouters = new NewRouterWindow();
  /** Holds back a flood's events past each kind's quota; `regular` is set for the work at hand. */
  private readonly gate = new FloodGate();
  private readonly timeline: TimelineRecorder | null; // timeline:

  constructor(opts: TrackerOptions = {}) {
    this.timeline = opts.timeline ?? null; // timeline:
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.out = new EventSink(opts.onEvent ?? (() => undefined), this.gate);
    this.timers = new DeadlineQueue<TimerTarget>((x) => this.deadlineOf(x));
    this.vips = new VipClaims(this.out, this.limits, this.evictions, this.timers);
    this.state = new Registry(this.out, this.limits, this.evictions, this.vips, opts.onForget);
  }

  /** The latest time seen (µs since the epoch); -Infinity before the first. */
  get nowMicros(): number {
    return this.nowUs;
  }

  /** Whether a timer (a silence, a split brain's end...) would fire if the clock moved to `timeUs`. */
  timerDueBefore(timeUs: number): boolean {
    return this.timers.firstUs < timeUs && this.timers.dueBefore(timeUs);
  }

  /** Frame `frame` is stamped `byUs` out of order (analyzer.ts judges it; the clock stays where it is). */
  outOfOrder(frame: number, byUs: number, direction: 'behind' | 'ahead', iface: string | null): void {
    this.gate.regular = false;
    this.gate.scope = null;
    this.out.emit(this.nowUs, { interface: iface, vlan: null, vlans: [] }, null, null, { type: 'out-of-order', frame, lateSeconds: microsToSeconds(byUs), direction },
      message.outOfOrder(frame, byUs, direction));
    this.out.flush();
  }

  /**
   * One decoded frame captured at `timeUs` on `interfaceName`. Returns the router a complete
   * VRRP advert updated: the frame memo may replay the same bytes through repeat().
   */
  frame(f: DecodedFrame, timeUs: number, interfaceName: string | null): RouterState | null {
    this.advance(timeUs);
    const t = this.nowUs;
    this.gate.regular = false; // the advert says otherwise once its router is known
    this.gate.scope = null;
    let r: RouterState | null = null;
    switch (f.kind) {
      case 'vrrp':
        r = this.advert(f, t, interfaceName);
        break;
      case 'arp':
        // keepalived's gratuitous ARPs are requests with sender IP = target IP; replies count too.
        if (f.arp.gratuitous || f.arp.operation === 2) this.claim(f.link.vlans, interfaceName, f.arp.senderIp, f.arp.senderMac, t);
        break;
      case 'neighbor-advert':
        this.claim(f.link.vlans, interfaceName, f.na.target, f.na.targetMac ?? f.link.srcMac, t);
        break;
      case 'malformed':
        if (f.layer === 'vrrp') {
          const seg = this.state.segmentFor(f.link?.vlans ?? [], interfaceName, t);
          const family: Family | null = f.ip === null ? null : f.ip.family === 4 ? 'ipv4' : 'ipv6';
          sourcePacket(this.out, this.limits, this.evictions, seg, f.ip?.src ?? null, null, family, `${f.reason} (byte ${f.offset})`, t);
          this.timers.schedule(seg, segmentDeadline(seg));
        }
        break;
      default:
        break;
    }
    this.out.flush();
    return r;
  }

  /** Whether any virtual router is full, so that turnAway() could turn an advert away. */
  get mayTurnAway(): boolean {
    return this.state.fullVrids > 0;
  }

  /**
   * An advert read in place (decode/advert-in-place.ts), not decoded, captured at `tsSec` s +
   * `tsNsec` ns on `interfaceName`: true when it comes from a router new to a known virtual router
   * that turns it away (bounded.ts), which is all the advert does: it is counted as frame() would.
   * False, having done only what frame() does first (time moves), when it must be decoded.
   */
  turnAway(a: AdvertInPlace, tsSec: number, tsNsec: number, interfaceName: string | null): boolean {
    const timeUs = microsOf(tsSec, tsNsec);
    if (timeUs > this.nowUs) this.nowUs = timeUs;
    this.catchUp();
    const turned = this.turnsAway(a, interfaceName);
    this.out.flush();
    return turned;
  }

  private turnsAway(a: AdvertInPlace, iface: string | null): boolean {
    const t = this.nowUs;
    const seg = this.state.knownSegment(NO_VLANS, iface);
    if (seg === null) return false;
    const v = this.state.knownVrid(seg, 'ipv4', a.vrid);
    if (v === null || v.routers.size < this.limits.maxRoutersPerVrid) return false;
    // advert() below, for an advert that makes no router and is complete: its first broken rule is
    // the one routers act on.
    const mask = discardMask(a);
    if ((mask & NO_ROUTER_MASK) !== 0) return false;
    // A router of the VRID, by its number: a flood's address is never made into text.
    if (v.ipv4s.includes(a.source)) return false;
    const d = firstDiscard(mask);
    if (!this.state.turnsAwayIpv4(v, a.source, d === null ? a.priority : null, t)) return false;
    if (d !== null) this.discarded[d]++;
    this.newRouters.admit(t, seg.id, false);
    return true;
  }

  /**
   * An advert whose bytes equal the last one `r` sent (the frame memo checked), captured at
   * `tsSec` s + `tsNsec` ns: only time moves. Returns false, doing nothing, when the advert must
   * be decoded after all (frame() gives what a repeat would not).
   *
   * Nearly every frame of a healthy capture comes through here, so it is kept short and flat.
   * The time comes as two small integers, so no number is boxed on the way in.
   */
  repeat(r: RouterState, tsSec: number, tsNsec: number): boolean {
    if (r.evicted) return false;
    const timeUs = microsOf(tsSec, tsNsec);
    if (timeUs > this.nowUs) this.nowUs = timeUs;
    const t = this.nowUs;
    if (this.timers.firstUs < t) this.runTimers();
    // What advance() does: a flood's summaries go out when their window ends, repeats or not.
    if (this.newRouters.closesUs <= t || this.gate.dueUs <= t) this.floodSummary(false);
    if (!r.accepted) return this.repeatDropped(r);
    const v = r.vrid;
    heard(r, t);
    const prioChanged = accept(r, t);
    // The lone master of a VRID repeating itself: neither the role nor a split brain can move,
    // and its deadline only moved later, so the timer stays as it is. Only a vote can tell of
    // something, so only then are its events gated as its router's: setting the gate on every
    // repeat costs the JIT the room to take heard() in, whose time is then boxed at every frame.
    if (prioChanged || r.acceptedPriority === 0 || v.master !== r || v.routers.size !== 1) {
      this.gateFor(r);
      this.vote(v, r, prioChanged, false);
    } else if (this.timeline !== null) this.timeline.advert(r, r, this.nowUs); // timeline: the lone master repeating
    if (this.out.pending) this.out.flush();
    return true;
  }

  /**
   * repeat() of an advert routers drop: the same conditions, one more packet. Kept apart, so that
   * repeat() stays small enough for the JIT to take in whole with what it calls (a function it
   * leaves out gets the time as a boxed number, on every frame).
   */
  private repeatDropped(r: RouterState): boolean {
    const t = this.nowUs;
    // Its conditions ran out since: decoded, the advert opens new ones.
    if (r.feeding.length === 0) return false;
    this.hear(r, t);
    r.discarded++;
    this.discarded[r.discard as DiscardReason]++;
    for (const o of r.feeding) this.out.evidence(o, t);
    if (this.out.pending) this.out.flush();
    return true;
  }

  /** A repeated advert from `r` at `t`: the events it causes are gated as its router's; it is heard. */
  private hear(r: RouterState, t: number): void {
    this.gateFor(r);
    heard(r, t);
  }

  /** flood.ts: a regular router's events always pass, and its VRID has its own quota once established. */
  private gateFor(r: RouterState): void {
    this.gate.regular = r.intervalCount >= 2;
    this.gate.scope = r.vrid.established ? r.vrid.key : null;
  }

  /** Advance the clock without a packet: silences become master-down, split brains end. */
  tick(timeUs: number): void {
    this.advance(timeUs);
    this.out.flush();
  }

  /** Every virtual router: by interface (none first), VLANs, family, VRID. */
  snapshot(): VridSnapshot[] {
    const out: { key: string; s: VridSnapshot }[] = [];
    for (const v of this.state.vrids.values()) out.push({ key: snapshotKey(v), s: vridSnapshot(v, this.nowUs) });
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out.map((x) => x.s);
  }

  /** Every condition still open, with how long it has held. */
  openConditions(): OpenCondition[] {
    return openConditions(this.state.vrids.values(), this.state.segments.values(), this.nowUs);
  }

  /** Sizes, for tests of the limits. */
  sizes(): { segments: number; vrids: number; routers: number; vips: number; timers: number; fullVrids: number; fullVridsCounted: number } {
    let routers = 0;
    let full = 0;
    for (const v of this.state.vrids.values()) {
      routers += v.routers.size;
      if (v.routers.size >= this.limits.maxRoutersPerVrid) full++;
    }
    return { segments: this.state.segments.size, vrids: this.state.vrids.size, routers, vips: this.vips.count, timers: this.timers.size, fullVrids: full, fullVridsCounted: this.state.fullVrids };
  }

  // ---- time ---------------------------------------------------------------------------------

  /** Moves the clock to `timeUs` (never back) and fires the timers that ran out before it. */
  private advance(timeUs: number): void {
    if (timeUs > this.nowUs) this.nowUs = timeUs;
    this.catchUp();
  }

  /**
   * What is due by the clock as it is: the timers that ran out, the flood summaries whose window
   * ended. Apart from advance(), so that a caller on a hot path moves the clock itself and passes
   * no time (a number that is not a small integer is boxed at every call).
   */
  private catchUp(): void {
    if (this.timers.firstUs < this.nowUs) this.runTimers();
    this.floodSummary(false);
  }

  /** Tells the new routers not listed one by one, once their window has ended (or now, `force`). */
  floodSummary(force: boolean): void {
    const s = this.newRouters.close(this.nowUs, force);
    if (s !== null) {
      const windowUs = s.endUs - s.startUs;
      this.out.emit(s.endUs, s.segment, null, null, { type: 'router-flood', routers: s.count, unreported: s.unreported, windowSeconds: microsToSeconds(windowUs), untracked: s.untracked },
        message.routerFlood(segmentText(s.segment), s.count, s.unreported, windowUs, s.untracked));
    }
    for (const { type, summary: x } of this.gate.close(this.nowUs, force)) {
      const windowUs = x.endUs - x.startUs;
      this.out.emit(x.endUs, x.segment, null, null, { type: 'event-flood', eventType: type, events: x.count, unreported: x.unreported, windowSeconds: microsToSeconds(windowUs) },
        message.eventFlood(segmentText(x.segment), type, x.count, x.unreported, windowUs, ROUTERS_REPORTED));
    }
    this.out.flush();
  }

  private runTimers(): void {
    const t = this.nowUs;
    for (let x = this.timers.popDue(t); x !== null; x = this.timers.popDue(t)) {
      // flood.ts: a regularly advertising VRID's timers have their own quota.
      this.gate.regular = false;
      this.gate.scope = x instanceof VridState && x.established ? x.key : null;
      if (x instanceof VridState) this.expire(x, t);
      else if (x instanceof VipEntry) this.vips.expire(x, t);
      else {
        expireSegment(this.out, x, t);
        this.timers.schedule(x, segmentDeadline(x));
      }
    }
  }

  private deadlineOf(x: TimerTarget): number {
    return x instanceof VridState ? this.deadline(x) : x instanceof VipEntry ? this.vips.deadline(x) : segmentDeadline(x);
  }

  /** Applies, in time order, every timer of `v` that ran out before `t`. */
  private expire(v: VridState, t: number): void {
    for (let guard = 0; guard <= 2 * v.routers.size + 2; guard++) {
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
      let held: RouterState | null = null;
      if (v.held > 0) {
        for (const r of v.routers.values()) {
          const d = routerHeldEndUs(r);
          if (d < t && d < when) { when = d; what = 4; held = r; }
        }
      }
      if (what === 0) break;
      // RFC 3768 6.4.2: Master_Down_Timer fired, so a backup should be master by now.
      if (what === 1) masterSilent(this.out, v, m as RouterState, when);
      else if (what === 2) startDown(this.out, v, v.lastMaster as RouterState, when);
      else if (what === 3) endSplit(this.out, v, when);
      else expireRouter(this.out, held as RouterState, when + 1);
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
    if (v.held > 0) for (const r of v.routers.values()) d = Math.min(d, routerHeldEndUs(r));
    return d;
  }

  // ---- adverts ------------------------------------------------------------------------------

  private advert(f: VrrpFrame, t: number, iface: string | null): RouterState | null {
    const seg = this.state.segmentFor(f.link.vlans, iface, t);
    const family: Family = f.ip.family === 4 ? 'ipv4' : 'ipv6';
    const p = f.vrrp;
    const ds = discardsOf(f);
    // What routers act on: a capture that cut the advert says nothing of what peers received.
    let d: Discard | null = null;
    for (const x of ds) if (!x.cutByCapture) { d = x; break; }
    if (d !== null) this.discarded[d.reason]++;
    const stray = ds.length === 0 ? undefined : ds.find((x) => createsNoRouter(x.reason));
    if (stray !== undefined) {
      // Not an advert of any virtual router: counted and reported under its source only.
      const reason = ds.map((x) => x.what).join('; ');
      sourcePacket(this.out, this.limits, this.evictions, seg, f.ip.src, stray.reason === 'vrid-zero' ? 0 : null, family, reason, t);
      this.timers.schedule(seg, segmentDeadline(seg));
      return null;
    }
    const v = this.state.vridFor(seg, family, p.vrid, t);
    const known = v.routers.get(f.ip.src);
    const isNew = known === undefined;
    const r = known ?? this.state.newRouter(v, f.ip.src, d === null ? p.priority : null, t);
    if (r === null) {
      // Not admitted (bounded.ts): the flood's summary counts it; its drop, if any, is counted
      // above. turnsAway() does the same for an advert read in place.
      this.newRouters.admit(t, seg.id, false);
      return null;
    }
    this.gateFor(r);
    // Incomplete (cut by the capture or inconsistent): its auth and VIPs are not all there.
    const partial = ds.length !== 0 && ds.some((x) => x.reason === 'truncated');

    const oldPriority = r.priority;
    r.stamp++;
    r.mac = f.link.srcMac;
    r.ttl = f.ip.family === 4 ? f.ip.ttl : f.ip.hopLimit;
    r.checksumForm = f.checksum.form;
    r.accepted = d === null;
    r.discard = d === null ? null : d.reason;
    if (d !== null) r.discarded++;
    r.priority = p.priority;
    const intervalChanged = p.intervalCs !== r.intervalCs;
    if (intervalChanged || p.version !== r.version) {
      const basis = { version: p.version, advertIntervalCs: p.intervalCs };
      r.limitUs = silenceLimitUs(basis);
      r.missedUs = missedAdvertsUs(basis);
    }
    r.version = p.version;
    r.intervalCs = p.intervalCs;
    if (isNew && this.newRouters.admit(t, seg.id)) {
      this.out.emit(t, seg.id, family, p.vrid, { type: 'router-seen', router: r.address, mac: r.mac, priority: r.priority },
        message.routerSeen(vridText(seg.id, family, p.vrid), r.address, r.mac, r.priority, r.intervalCs, partial ? [] : p.addresses));
    }
    let bodyChanged = false;
    // A cut-off advert keeps the router's last known auth and VIPs: its own are incomplete.
    if (!partial) {
      const key = authKey(f);
      if (key !== r.authKey) {
        bodyChanged = true;
        r.authKey = key;
        r.authType = p.version === 3 ? null : p.authType;
        r.authData = r.authType === 1 ? p.authString : null;
      }
      // One VIP, nearly every advert: neither duplicates to drop nor an order to sort.
      const vips = p.addresses.length <= 1 ? p.addresses : [...new Set(p.addresses)];
      const vipKey = vips.length <= 1 ? (vips[0] ?? '') : [...vips].sort().join(',');
      if (!r.hasBody || vipKey !== r.vipKey) {
        bodyChanged = true;
        this.vips.setVips(r, vips, t);
        r.vipKey = vipKey;
      }
      r.hasBody = true;
    }

    if (oldPriority !== p.priority) {
      if (p.priority === 0) {
        this.out.emit(t, seg.id, family, p.vrid, { type: 'release', router: r.address }, message.release(vridText(seg.id, family, p.vrid), r.address, v.master === r));
      } else if (!isNew && oldPriority > 0) {
        this.out.emit(t, seg.id, family, p.vrid, { type: 'priority-change', router: r.address, from: oldPriority, to: p.priority },
          message.priorityChange(vridText(seg.id, family, p.vrid), r.address, oldPriority, p.priority, v.master === r));
      }
    }
    if (isNew || intervalChanged || bodyChanged || oldPriority !== p.priority) checkAgreement(this.out, v, t, isNew ? r : null);
    packetConditions(this.out, r, f, ds, t);

    heard(r, t);
    if (r.accepted) this.vote(v, r, accept(r, t), true);
    else this.timers.schedule(v, this.deadline(v));
    return partial ? null : r;
  }

  /** The election and split brain after an accepted advert from `r`, now. */
  private vote(v: VridState, r: RouterState, prioChanged: boolean, decoded: boolean): void {
    const t = this.nowUs;
    const m0 = v.master;
    const s0 = v.split;
    if (r.acceptedPriority === 0) {
      released(this.out, v, r, t);
      memberReleased(this.out, v, r, t);
    } else {
      const m = v.master;
      // Only these adverts can move the role; the rest (most of a split brain) skip the election.
      if (m === null || (m === r ? prioChanged : outranks(r, m) || !eligible(m, t))) elect(this.out, v, t);
      checkSplit(this.out, v, r, t);
    }
    this.timeline?.advert(r, m0, t); // timeline:
    if (decoded || v.master !== m0 || v.split !== s0) this.timers.schedule(v, this.deadline(v));
  }

  private claim(vlans: readonly number[], iface: string | null, ip: string, mac: string | null, t: number): void {
    if (mac === null) return;
    const seg = this.state.segments.get(segmentKey(vlans, iface));
    if (seg === undefined) return;
    this.vips.claim(seg, ip, mac, t);
    this.timeline?.claim(seg, ip, mac, t); // timeline:
  }
}
