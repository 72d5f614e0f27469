// ARP and IPv6 neighbour advertisements: who claims a virtual IP from which MAC.
import { ipv4At, ipv6At, macAt, u16 } from './bytes.js';
import type { ArpPacket, NeighborAdvert } from './types.js';

export type NeighborError = { error: string; offset: number };

export function decodeArp(b: Uint8Array, o: number): ArpPacket | NeighborError | null {
  if (o + 8 > b.length) return { error: 'ARP header truncated', offset: o };
  // Only Ethernet/IPv4 ARP matters here; anything else is not ours to judge.
  if (u16(b, o) !== 1 || u16(b, o + 2) !== 0x0800 || b[o + 4] !== 6 || b[o + 5] !== 4) return null;
  if (o + 28 > b.length) return { error: 'ARP message truncated', offset: o };
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
export function decodeNeighborAdvert(b: Uint8Array, o: number, length: number): NeighborAdvert | NeighborError | null {
  if (o + 1 > b.length) return { error: 'ICMPv6 header truncated', offset: o };
  if (b[o] !== NEIGHBOR_ADVERT) return null;
  const end = Math.min(o + length, b.length);
  if (o + 24 > end) return { error: 'neighbour advertisement truncated', offset: o };
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
