// The sentences people read at 3 a.m.: which VRID, which routers, which values, what to do. What
// the RFC says comes first; keepalived's reading, the likely cause on most networks, second.
// Every sentence is tested (test/analysis/messages.test.ts): subjects and verbs agree.

import { durationText } from '../format/duration.js';
import { authText } from '../format/auth.js';
import type { DiscardReason } from '../rules/receive.js';
import type { ClaimEntry, ConditionFields, MismatchEntry } from './types.js';

export { segmentText, vridText } from './labels.js';

const seconds = durationText;

export function interval(cs: number): string {
  return `${cs / 100} s`;
}

export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "1 advert", "3 adverts". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function both(n: number): string {
  return n === 2 ? 'both' : 'all';
}

// The one home of auth text (and of escaping a password from the wire) is src/format/auth.ts.
export { authText };

export function vipsText(vips: readonly string[]): string {
  return vips.length === 0 ? 'no VIP' : vips.join(', ');
}

/** Why routers drop an advert, as a noun phrase: "a TTL other than 255". */
const DISCARD_TEXT: Readonly<Record<DiscardReason, string>> = {
  'ttl': 'a TTL other than 255',
  'version': 'an unknown VRRP version',
  'truncated': 'an incomplete message',
  'type': 'a packet type other than 1 (advertisement)',
  'checksum': 'a bad VRRP checksum',
  'ip-checksum': 'a bad IPv4 header checksum',
  'vrid-zero': 'VRID 0',
  'count-zero': 'no virtual address',
  'interval-zero': 'an advertisement interval of 0',
};

export function discardText(reason: DiscardReason): string {
  return DISCARD_TEXT[reason];
}

/** What discarded adverts mean for the election. */
function dropped(router: string, one = false): string {
  return `routers drop ${one ? 'such a packet' : 'these adverts'} (RFC 3768/5798 7.1), so ${router} is not heard as master`;
}

export const message = {
  routerFlood: (where: string, routers: number, unreported: number, windowUs: number, untracked: number) =>
    `${routers} new routers advertised${where === '' ? '' : ` on ${where}`} in ${durationText(windowUs, 0)}; ` +
    `${routers - unreported} are listed, ${unreported} more are not` +
    (untracked === 0 ? '' : ` (${untracked} of them advertised once into a full virtual router and are not tracked)`) +
    ': a flood of spoofed adverts or a broken device? ' +
    `Find its source MACs with tcpdump -e -n -c 20 'ip proto 112 or ip6 proto 112'.`,

  outOfOrder: (frame: number, byUs: number, direction: 'behind' | 'ahead') =>
    direction === 'behind'
      ? `frame ${frame} is stamped ${seconds(byUs)} before the frame before it: out of order (captures merged, or the capturing clock stepped back?); ` +
        'it counts as captured at the latest time seen, so no router\'s last advert moves back.'
      : `frame ${frame} is stamped ${seconds(byUs)} after the frame that follows it: a bad timestamp or a clock step; ` +
        'it counts as captured with the frames around it, so the gap its stamp opens fakes no silence.',

  eventFlood: (where: string, eventType: string, events: number, unreported: number, windowUs: number, reported: number) =>
    `${events} ${eventType} events${where === '' ? '' : ` on ${where}`} in ${durationText(windowUs, 0)}, from routers not heard regularly; ` +
    `the first ${reported} are listed, ${unreported} more are not: a flood of spoofed adverts or a broken device? ` +
    `Find its source MACs with tcpdump -e -n -c 20 'ip proto 112 or ip6 proto 112'.`,

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
    `${v}: ${router} sent priority 0, giving up the master role${wasMaster ? '' : ' (it was not the master)'}: RFC 3768 6.4.3 sends it on shutdown, and the best backup takes over after its Skew_Time; with keepalived, the service stopped or entered FAULT.`,

  priorityChange: (v: string, router: string, from: number, to: number, isMaster: boolean) =>
    `${v}: ${router}${isMaster ? ' (master)' : ''} changed priority from ${from} to ${to}${to < from ? ': a tracked interface or script failed?' : '.'}`,

  masterDown: (v: string, router: string, silentUs: number, released: boolean, vips: readonly string[]) =>
    released
      ? `${v}: ${router} released the role and no router took over within ${seconds(silentUs)}: ${vipsText(vips)} unserved; is any backup running?`
      : `${v}: master ${router} has been silent for ${seconds(silentUs)} (Master_Down_Interval) and no backup took over: ${vipsText(vips)} unserved; check ${router} and whether a backup is running.`,

  masterDownEnd: (v: string, router: string, durationUs: number) =>
    `${v}: ${router} is advertising as master, after ${seconds(durationUs)} without a master.`,

  splitBrain: (v: string, routers: readonly string[]) =>
    `${v}: split brain: ${list(routers)} ${both(routers.length)} advertise as master at once; they do not hear each other (multicast filtered, auth or interval mismatch, or a VRID collision).`,

  /** A router that started to advertise while a higher-priority master was alive: it did not hear it. */
  splitBrainTransient: (v: string, master: string, intruder: string) =>
    `${v}: split brain: ${intruder} advertises as master while ${master}, with a higher priority, is alive; ${intruder} does not hear ${master} (multicast filtered, auth or interval mismatch, or a VRID collision).`,

  intervalMismatch: (v: string, routers: readonly MismatchEntry[]) =>
    `${v}: routers disagree on the advertisement interval (${list(routers.map((r) => `${r.address} ${r.advertInterval ?? '?'} s`))}); RFC 3768 7.1 has VRRPv2 routers drop adverts with another interval: set the same advert_int everywhere.`,

  authMismatch: (v: string, routers: readonly MismatchEntry[]) =>
    `${v}: routers disagree on authentication (${list(routers.map((r) => `${r.address} ${authText(r.authType ?? null, r.authData ?? null)}`))}); RFC 3768 7.1 has them drop each other's adverts: use the same auth_type and auth_pass (8 characters at most).`,

  vipMismatch: (v: string, routers: readonly MismatchEntry[]) =>
    `${v}: routers advertise different VIPs (${list(routers.map((r) => `${r.address}: ${vipsText(r.vips ?? [])}`))}); two clusters sharing one virtual_router_id? give each its own VRID.`,

  vipConflict: (v: string, vip: string, vrids: readonly number[]) =>
    `${v}: VIP ${vip} is advertised under VRIDs ${list(vrids.map(String))}: a virtual_router_id typo? both groups will claim it.`,

  ownerConflict: (v: string, routers: readonly string[]) =>
    `${v}: ${list(routers)} ${both(routers.length)} advertise priority 255 (address owner); only the router that owns the VIPs may use 255.`,

  badChecksum: (v: string, router: string, checksum: number, expected: number | null, layer: 'vrrp' | 'ipv4') =>
    `${v}: ${router} sends adverts with a bad ${layer === 'ipv4' ? 'IPv4 header' : 'VRRP'} checksum (0x${checksum.toString(16).padStart(4, '0')}${expected === null ? '' : `, should be 0x${expected.toString(16).padStart(4, '0')}`}); ${dropped(router)}.`,

  badTtl: (v: string, router: string, ttl: number) =>
    `${v}: ${router}'s adverts arrive with TTL ${ttl}, not 255: they crossed a router or were forged; ${dropped(router)}.`,

  /** `discarded`: routers drop it (else the capture cut it and the sender's packet may be whole). */
  malformed: (v: string, router: string | null, reason: string, discarded: boolean) =>
    `${v}: malformed VRRP packet${router === null ? '' : ` from ${router}`}: ${reason}${discarded && router !== null ? `; ${dropped(router, true)}` : discarded ? '; routers drop such a packet' : '; the router may have sent it whole'}.`,

  vipArpConflict: (v: string, vip: string, macs: readonly ClaimEntry[]) =>
    `${v}: VIP ${vip} is claimed by ${list(macs.map((m) => (m.router === null ? m.mac : `${m.mac} (${m.router})`)))} at once: more than one host answers for it (split brain, or a duplicate address); check which hosts hold ${vip}.`,

  /** The end of any condition but master-down (which names the new master). */
  ended: (v: string, f: ConditionFields, durationUs: number, packets: number) => {
    const over = durationUs > 0 ? `; it lasted ${seconds(durationUs)}` : '';
    switch (f.type) {
      case 'master-down':
        return `${v}: ${f.router} is no longer missing${over}.`;
      case 'split-brain':
        return `${v}: the split brain between ${list(f.routers)} is over${over}.`;
      case 'interval-mismatch':
        return `${v}: the routers agree on the advertisement interval again${over}.`;
      case 'auth-mismatch':
        return `${v}: the routers agree on authentication again${over}.`;
      case 'vip-mismatch':
        return `${v}: the routers advertise the same VIPs again${over}.`;
      case 'vip-conflict':
        return `${v}: VIP ${f.vip} is no longer advertised under several VRIDs${over}.`;
      case 'owner-conflict':
        return `${v}: no two routers advertise priority 255 any more${over}.`;
      case 'vip-arp-conflict':
        return `${v}: the conflicting claims on VIP ${f.vip} have stopped${over}.`;
      case 'bad-checksum':
        return `${v}: no more adverts with a bad ${f.layer === 'ipv4' ? 'IPv4 header' : 'VRRP'} checksum from ${f.router}: ${count(packets, 'advert')} had one${over}.`;
      case 'bad-ttl':
        return `${v}: no more adverts with a bad TTL from ${f.router}: ${count(packets, 'advert')} had one${over}.`;
      case 'malformed':
        return `${v}: no more malformed VRRP packets${f.router === null ? '' : ` from ${f.router}`}: ${count(packets, 'packet')} in all${over}.`;
    }
  },
};
