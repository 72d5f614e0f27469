// Who claims a VIP: the index of VIPs per segment (vip-conflict: one VIP under several VRIDs) and
// the gratuitous ARPs, ARP replies and neighbour adverts that claim them (vip-arp-conflict).

import { silenceLimitUs } from '../rules/timers.js';
import type { EventSink } from './conditions.js';
import { eligible } from './election.js';
import type { DeadlineQueue } from './deadlines.js';
import { message, vridText } from './messages.js';
import { VipEntry, type Claim, type RouterState, type Segment, type VridState } from './state.js';
import type { ClaimEntry, Evictions, Family, Limits } from './types.js';

/** MACs remembered per VIP for vip-arp-conflict. */
const MAX_CLAIMS = 4;
/**
 * How long a conflicting ARP claim keeps the conflict open: Linux keeps a neighbour entry
 * reachable for 15-45 s (base_reachable_time 30 s), so a wrong claim misdirects traffic that
 * long, and keepalived repeats its claims 5 s apart (garp_master_delay).
 */
const ARP_HOLD_US = 30_000_000;
/** When no VRID says otherwise: VRRPv2 at 1 s. */
const DEFAULT_LIMIT_US = silenceLimitUs({ version: 2, advertIntervalCs: 100 });

export class VipClaims {
  count = 0;
  /**
   * The last entry emptied with nothing left to tell (no claims, conflict or timer): the next new
   * VIP's. A flood's new router adds a VIP and the router it evicts empties one, with nearly every
   * advert; an entry apiece was most of what the flood allocated and kept.
   */
  private spare: VipEntry | null = null;

  constructor(
    private readonly out: EventSink,
    private readonly limits: Limits,
    private readonly evictions: Evictions,
    private readonly timers: Pick<DeadlineQueue<VipEntry>, 'schedule'>,
  ) {}

  /** The VIPs `r` advertises are now `vips`. */
  setVips(r: RouterState, vips: string[], t: number): void {
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
      if (this.count >= this.limits.maxVips) {
        this.evictions.vips++;
        return;
      }
      e = this.reuse(vip, v.family, seg) ?? new VipEntry(vip, v.family, seg);
      seg.vips.set(vip, e);
      this.count++;
    }
    const n = (e.vrids.get(v) ?? 0) + delta;
    if (n > 0) e.vrids.set(v, n);
    else e.vrids.delete(v);
    // The VRID list is built only when the conflict starts or ends: a flood that puts one VIP
    // under every VRID would otherwise sort them all on each advert.
    const size = e.vrids.size;
    if (size >= 2 && e.conflict === null) {
      const vrids = sortedVrids(e);
      e.conflict = this.out.open(t, seg.id, v.family, v.vrid, { type: 'vip-conflict', vip, vrids }, message.vipConflict(vridText(seg.id, v.family, v.vrid), vip, vrids));
    } else if (size < 2 && e.conflict !== null) {
      this.out.close(t, seg.id, v.family, size === 1 ? (e.vrids.keys()[0] as VridState).vrid : v.vrid, e.conflict);
      e.conflict = null;
    }
    if (size === 0) {
      if (e.arpConflict !== null) this.endArp(e, t);
      e.evicted = true;
      seg.vips.delete(vip);
      this.count--;
      if (e.claims === null && e.queuedDeadlineUs === Infinity) this.spare = e;
    }
  }

  /** The spare entry, as a new one for `vip`; null when there is none. */
  private reuse(vip: string, family: Family, seg: Segment): VipEntry | null {
    const e = this.spare;
    if (e === null) return null;
    this.spare = null;
    e.vip = vip;
    e.family = family;
    e.segment = seg;
    e.evicted = false;
    e.lastConflictUs = -Infinity;
    return e;
  }

  /** A segment is forgotten: its VIPs go with it. */
  dropSegment(s: Segment): void {
    for (const e of s.vips.values()) {
      e.evicted = true;
      this.count--;
    }
    s.vips.clear();
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
  claim(seg: Segment, ip: string, mac: string, t: number): void {
    const e = seg.vips.get(ip);
    if (e === undefined) return;
    const window = this.claimWindowUs(e);
    const claims = (e.claims ??= new Map<string, Claim>());
    const mine = claims.get(mac);
    if (mine !== undefined) {
      mine.lastUs = t;
    } else {
      if (claims.size >= MAX_CLAIMS) {
        let oldest: string | null = null;
        let oldestUs = Infinity;
        for (const [m, c] of claims) if (c.lastUs < oldestUs) { oldest = m; oldestUs = c.lastUs; }
        if (oldest !== null) claims.delete(oldest);
      }
      claims.set(mac, { lastUs: t });
    }
    const holders = new Map<string, string | null>();
    for (const v of e.vrids.keys()) {
      const current = v.split !== null ? [...v.split.members] : v.master !== null ? [v.master] : [];
      for (const r of current) {
        if (r.mac !== null && r.mac !== mac && !r.evicted && eligible(r, t) && r.vips.includes(ip)) holders.set(r.mac, r.address);
      }
    }
    for (const [m, c] of claims) {
      if (m !== mac && c.lastUs >= t - window && !holders.has(m) && routerWithMac(e, m) === null) holders.set(m, null);
    }
    if (holders.size === 0) return;
    e.lastConflictUs = t;
    if (e.arpConflict === null) {
      const macs: ClaimEntry[] = [{ mac, router: routerWithMac(e, mac) }];
      for (const [m, router] of holders) macs.push({ mac: m, router });
      macs.sort((a, b) => (a.mac < b.mac ? -1 : 1));
      const vrid = Math.min(...e.vrids.keys().map((x) => x.vrid));
      e.arpConflict = this.out.open(t, seg.id, e.family, vrid, { type: 'vip-arp-conflict', vip: e.vip, macs },
        message.vipArpConflict(vridText(seg.id, e.family, vrid), e.vip, macs));
    } else {
      this.out.evidence(e.arpConflict, t);
    }
    this.timers.schedule(e, this.arpEndUs(e));
  }

  /** The conflict ends when no conflicting claim came for ARP_HOLD_US. */
  private arpEndUs(e: VipEntry): number {
    return e.lastConflictUs + Math.max(ARP_HOLD_US, this.claimWindowUs(e));
  }

  /** When the ARP conflict on `e` ends, unless another conflicting claim comes. */
  deadline(e: VipEntry): number {
    return e.arpConflict === null ? Infinity : this.arpEndUs(e);
  }

  expire(e: VipEntry, t: number): void {
    if (e.arpConflict === null) return;
    const end = this.arpEndUs(e);
    if (end < t) this.endArp(e, end);
    else this.timers.schedule(e, end);
  }

  private endArp(e: VipEntry, when: number): void {
    const c = e.arpConflict;
    if (c === null) return;
    e.arpConflict = null;
    const vrid = e.vrids.size > 0 ? Math.min(...e.vrids.keys().map((x) => x.vrid)) : null;
    this.out.close(when, e.segment.id, e.family, vrid, c);
  }
}

function sortedVrids(e: VipEntry): number[] {
  return e.vrids.keys().map((x) => x.vrid).sort((a, b) => a - b);
}

function routerWithMac(e: VipEntry, mac: string): string | null {
  for (const v of e.vrids.keys()) for (const r of v.routers.values()) if (r.mac === mac) return r.address;
  return null;
}
