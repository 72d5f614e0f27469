// The sentences people read at 3 a.m.: which VRID, which routers, which values, what to do.

import { authText } from '../format/auth.js';
import type { ClaimEntry, Family, MismatchEntry, SegmentId } from './types.js';

export function seconds(us: number): string {
  return `${(us / 1e6).toFixed(3)} s`;
}

export function interval(cs: number): string {
  return `${cs / 100} s`;
}

export function segmentText(s: SegmentId): string {
  const parts: string[] = [];
  if (s.interface !== null) parts.push(s.interface);
  if (s.vlans.length > 0) parts.push(`VLAN ${s.vlans.join('.')}`);
  return parts.join(' ');
}

/** "VRID 51", "VRID 61 (IPv6) on eth0 VLAN 10". */
export function vridText(seg: SegmentId, family: Family | null, vrid: number | null): string {
  const where = segmentText(seg);
  const what = vrid === null ? 'VRRP' : `VRID ${vrid}`;
  return `${what}${family === 'ipv6' ? ' (IPv6)' : ''}${where === '' ? '' : ` on ${where}`}`;
}

export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// The one home of auth text (and of escaping a password from the wire) is src/format/auth.ts.
export { authText };

export function vipsText(vips: readonly string[]): string {
  return vips.length === 0 ? 'no VIP' : vips.join(', ');
}

export const message = {
  routerSeen: (v: string, router: string, mac: string | null, priority: number, intervalCs: number, vips: readonly string[]) =>
    `${v}: router ${router}${mac === null ? '' : ` (${mac})`} advertises priority ${priority}, every ${interval(intervalCs)}, for ${vipsText(vips)}.`,

  masterChange: (v: string, from: string, to: string, toPriority: number, gapUs: number, cause: 'preempted' | 'released' | 'silent', expectedUs: number | null) => {
    const why =
      cause === 'preempted' ? `${to} outranks it with priority ${toPriority}`
      : cause === 'released' ? `${from} released the role`
      : `${from} went silent`;
    const when = gapUs > 0 ? ` ${seconds(gapUs)} after ${from}'s last advert` : '';
    const already = gapUs > 0 ? '' : `; ${to} was already advertising`;
    const hint = expectedUs !== null && cause === 'silent' && gapUs > expectedUs + 100_000
      ? `; the RFC timers predict ${seconds(expectedUs)}: were adverts lost?`
      : '';
    return `${v}: master changed from ${from} to ${to}${when} (${why})${already}${hint}.`;
  },

  release: (v: string, router: string, wasMaster: boolean) =>
    `${v}: ${router} sent priority 0, releasing the role${wasMaster ? '' : ' (it was not the master)'}: keepalived stopped or entered FAULT; a backup should take over within its Skew_Time.`,

  priorityChange: (v: string, router: string, from: number, to: number, isMaster: boolean) =>
    `${v}: ${router}${isMaster ? ' (master)' : ''} changed priority from ${from} to ${to}${to < from ? ': a tracked script or interface failed?' : '.'}`,

  masterDown: (v: string, router: string, silentUs: number, released: boolean, vips: readonly string[]) =>
    released
      ? `${v}: ${router} released the role and no router took over within ${seconds(silentUs)}: ${vipsText(vips)} unserved; is any backup running?`
      : `${v}: master ${router} has been silent for ${seconds(silentUs)} (Master_Down_Interval) and no backup took over: ${vipsText(vips)} unserved; check ${router} and whether a backup is running.`,

  masterDownEnd: (v: string, router: string, durationUs: number) =>
    `${v}: ${router} is advertising again, after ${seconds(durationUs)} without a master.`,

  splitBrain: (v: string, routers: readonly string[]) =>
    `${v}: split brain: ${list(routers)} ${routers.length === 2 ? 'both' : 'all'} keep advertising as master; they do not hear each other (multicast filtered, auth or interval mismatch, or a VRID collision).`,

  splitBrainEnd: (v: string, routers: readonly string[], durationUs: number) =>
    `${v}: split brain between ${list(routers)} is over; it lasted ${seconds(durationUs)}.`,

  intervalMismatch: (v: string, routers: readonly MismatchEntry[]) =>
    `${v}: routers disagree on the advertisement interval (${list(routers.map((r) => `${r.address} ${r.advertInterval ?? '?'} s`))}); VRRPv2 peers drop each other's adverts: set the same advert_int everywhere.`,

  authMismatch: (v: string, routers: readonly MismatchEntry[]) =>
    `${v}: routers disagree on authentication (${list(routers.map((r) => `${r.address} ${authText(r.authType ?? null, r.authData ?? null)}`))}); peers drop each other's adverts: use the same auth_type and auth_pass (8 characters at most).`,

  vipMismatch: (v: string, routers: readonly MismatchEntry[]) =>
    `${v}: routers advertise different VIPs (${list(routers.map((r) => `${r.address}: ${vipsText(r.vips ?? [])}`))}); two clusters sharing one virtual_router_id? give each its own VRID.`,

  vipConflict: (v: string, vip: string, vrids: readonly number[]) =>
    `${v}: VIP ${vip} is advertised under VRIDs ${list(vrids.map(String))}: a virtual_router_id typo? both groups will claim it.`,

  ownerConflict: (v: string, routers: readonly string[]) =>
    `${v}: ${list(routers)} ${routers.length === 2 ? 'both' : 'all'} advertise priority 255 (address owner); only the router that owns the VIPs may use 255.`,

  badChecksum: (v: string, router: string, checksum: number, expected: number | null) =>
    `${v}: ${router} sends adverts with a bad VRRP checksum (0x${checksum.toString(16).padStart(4, '0')}${expected === null ? '' : `, should be 0x${expected.toString(16).padStart(4, '0')}`}); peers discard them.`,

  badTtl: (v: string, router: string, ttl: number) =>
    `${v}: ${router}'s adverts arrive with TTL ${ttl}, not 255: they crossed a router or were forged; peers discard them.`,

  malformed: (v: string, router: string | null, reason: string) =>
    `${v}: malformed VRRP packet${router === null ? '' : ` from ${router}`}: ${reason}.`,

  vipArpConflict: (v: string, vip: string, macs: readonly ClaimEntry[]) =>
    `${v}: VIP ${vip} is claimed by ${list(macs.map((m) => (m.router === null ? m.mac : `${m.mac} (${m.router})`)))} at once: more than one host answers for it (split brain, or a duplicate address); check which hosts hold ${vip}.`,

  ended: (v: string, what: string, durationUs: number) => `${v}: ${what} is over after ${seconds(durationUs)}.`,
};
