// ARP and IPv6 neighbour advertisements: who claims a virtual IP from which MAC.
import { ipv4At, ipv6At, macAt, u16, writeIpv4, writeIpv6, writeMac } from './bytes.js';
import { finish, sum16 } from './checksum.js';
import { decodeError, type ArpPacket, type DecodeError, type NeighborAdvert } from './types.js';

export function decodeArp(b: Uint8Array, o: number): ArpPacket | DecodeError | null {
  if (o + 8 > b.length) return decodeError('truncated', 'arp', o, 'ARP header truncated');
  // Only Ethernet/IPv4 ARP matters here; anything else is not ours to judge.
  if (u16(b, o) !== 1 || u16(b, o + 2) !== 0x0800 || b[o + 4] !== 6 || b[o + 5] !== 4) return null;
  if (o + 28 > b.length) return decodeError('truncated', 'arp', o, 'ARP message truncated');
  const senderIp = ipv4At(b, o + 14);
  const targetIp = ipv4At(b, o + 24);
  return {
    operation: u16(b, o + 6),
    senderMac: macAt(b, o + 8),
    senderIp,
    targetMac: macAt(b, o + 18),
    targetIp,
    gratuitous: senderIp === targetIp,
  };
}

export const ICMPV6 = 58;
const NEIGHBOR_ADVERT = 136;

/** An ICMPv6 message at `o` of `length` bytes; null when it is not a neighbour advertisement. */
export function decodeNeighborAdvert(b: Uint8Array, o: number, length: number): NeighborAdvert | DecodeError | null {
  if (o + 1 > b.length) return decodeError('truncated', 'icmpv6', o, 'ICMPv6 header truncated');
  if (b[o] !== NEIGHBOR_ADVERT) return null;
  const end = Math.min(o + length, b.length);
  if (o + 24 > end) return decodeError('truncated', 'icmpv6', o, 'neighbour advertisement truncated');
  const flags = b[o + 4] as number;
  let targetMac: string | null = null;
  for (let p = o + 24; p + 2 <= end; ) {
    const optLen = (b[p + 1] as number) * 8;
    if (optLen === 0 || p + optLen > end) break;
    if (b[p] === 2 && optLen >= 8) targetMac = macAt(b, p + 2);
    p += optLen;
  }
  return {
    target: ipv6At(b, o + 8),
    targetMac,
    router: (flags & 0x80) !== 0,
    solicited: (flags & 0x40) !== 0,
    override: (flags & 0x20) !== 0,
  };
}

/** What the ARP encoder writes: Ethernet/IPv4 ARP, 28 bytes. */
export interface ArpMessage {
  operation: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export const ARP_LENGTH = 28;

export function encodeArp(m: ArpMessage, buf: Uint8Array, o: number): number {
  buf[o] = 0; buf[o + 1] = 1; buf[o + 2] = 0x08; buf[o + 3] = 0; buf[o + 4] = 6; buf[o + 5] = 4;
  buf[o + 6] = m.operation >> 8; buf[o + 7] = m.operation & 0xff;
  if (!writeMac(m.senderMac, buf, o + 8) || !writeIpv4(m.senderIp, buf, o + 14) || !writeMac(m.targetMac, buf, o + 18) || !writeIpv4(m.targetIp, buf, o + 24)) {
    throw new Error(`bad address in ARP ${m.senderMac} ${m.senderIp} -> ${m.targetMac} ${m.targetIp}`);
  }
  return ARP_LENGTH;
}

/** What the neighbour-advert encoder writes: ICMPv6 type 136 with a target link-layer address option. */
export interface NeighborAdvertMessage {
  target: string;
  targetMac: string;
  router: boolean;
  solicited: boolean;
  override: boolean;
}

export const NA_LENGTH = 32;

/**
 * Write the ICMPv6 message at `o`. The checksum covers the IPv6 pseudo-header, so the IPv6 header
 * (source and destination) must already be at `ipOffset` in `buf`.
 */
export function encodeNeighborAdvert(m: NeighborAdvertMessage, buf: Uint8Array, o: number, ipOffset: number): number {
  const flags = (m.router ? 0x80 : 0) | (m.solicited ? 0x40 : 0) | (m.override ? 0x20 : 0);
  return encodeNeighborMessage(NEIGHBOR_ADVERT, flags, m.target, TARGET_LINK_ADDRESS, m.targetMac, buf, o, ipOffset);
}

const NEIGHBOR_SOLICIT = 135;
const SOURCE_LINK_ADDRESS = 1;
const TARGET_LINK_ADDRESS = 2;

/** What the neighbour-solicitation encoder writes: ICMPv6 type 135 with a source link-layer address option. */
export interface NeighborSolicitMessage {
  target: string;
  sourceMac: string;
}

export const NS_LENGTH = 32;

/** Write the ICMPv6 message at `o`; as encodeNeighborAdvert, the IPv6 header must be at `ipOffset` already. */
export function encodeNeighborSolicit(m: NeighborSolicitMessage, buf: Uint8Array, o: number, ipOffset: number): number {
  return encodeNeighborMessage(NEIGHBOR_SOLICIT, 0, m.target, SOURCE_LINK_ADDRESS, m.sourceMac, buf, o, ipOffset);
}

/** RFC 4861 4.3 / 4.4: type, flags, the target address and one link-layer address option; 32 bytes. */
function encodeNeighborMessage(type: number, flags: number, target: string, option: number, mac: string, buf: Uint8Array, o: number, ipOffset: number): number {
  buf.fill(0, o, o + NA_LENGTH);
  buf[o] = type;
  buf[o + 4] = flags;
  if (!writeIpv6(target, buf, o + 8) || !writeMac(mac, buf, o + 26)) throw new Error(`bad address in ICMPv6 ${type} ${target} ${mac}`);
  buf[o + 24] = option; buf[o + 25] = 1;
  const sum = sum16(buf, ipOffset + 8, 32) + NA_LENGTH + ICMPV6 + sum16(buf, o, NA_LENGTH);
  const ck = finish(sum);
  buf[o + 2] = ck >> 8; buf[o + 3] = ck & 0xff;
  return NA_LENGTH;
}
