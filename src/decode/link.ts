// Link layers: Ethernet II with 802.1Q / 802.1ad tags, Linux cooked (SLL, SLL2), BSD null and
// loop, raw IP. Each yields the MACs, VLAN ids, ethertype and where the network layer starts.
import { macAt, u16, writeMac } from './bytes.js';
import { decodeError, EtherType, LinkType, type DecodeError, type LinkInfo } from './types.js';

export type LinkResult = LinkInfo | DecodeError | { unsupported: number };

const MAX_TAGS = 4;

function isTag(t: number): boolean {
  return t === EtherType.VLAN || t === EtherType.QINQ || t === EtherType.QINQ_OLD;
}

/** Walk 802.1Q/802.1ad tags starting with ethertype `type` whose field ends at `o`. */
function walkTags(b: Uint8Array, type: number, o: number, srcMac: string | null, dstMac: string | null): LinkResult {
  const vlans: number[] = [];
  while (isTag(type)) {
    if (vlans.length === MAX_TAGS) return decodeError('too-deep', 'vlan', o, `more than ${MAX_TAGS} VLAN tags`);
    if (o + 4 > b.length) return decodeError('truncated', 'vlan', o, 'VLAN tag truncated');
    vlans.push(u16(b, o) & 0x0fff);
    type = u16(b, o + 2);
    o += 4;
  }
  return { srcMac, dstMac, vlans, etherType: type, networkOffset: o };
}

function ethertypeForVersion(b: Uint8Array, o: number): number {
  if (o >= b.length) return 0;
  const v = (b[o] as number) >> 4;
  return v === 4 ? EtherType.IPV4 : v === 6 ? EtherType.IPV6 : 0;
}

/** BSD address families that mean IPv6 on the various BSDs, Linux and macOS. */
const AF_INET = 2;
const AF_INET6 = new Set([10, 24, 28, 30]);

function ethertypeForFamily(af: number): number {
  return af === AF_INET ? EtherType.IPV4 : AF_INET6.has(af) ? EtherType.IPV6 : 0;
}

export function decodeLink(linkType: number, b: Uint8Array): LinkResult {
  switch (linkType) {
    case LinkType.ETHERNET: {
      if (b.length < 14) return decodeError('truncated', 'link', 0, `Ethernet header needs 14 bytes, frame has ${b.length}`);
      const type = u16(b, 12);
      if (type <= 1500) return { srcMac: macAt(b, 6), dstMac: macAt(b, 0), vlans: [], etherType: 0, networkOffset: 14 }; // 802.3 + LLC
      return walkTags(b, type, 14, macAt(b, 6), macAt(b, 0));
    }
    case LinkType.LINUX_SLL: {
      if (b.length < 16) return decodeError('truncated', 'link', 0, `Linux cooked header needs 16 bytes, frame has ${b.length}`);
      const hatype = u16(b, 2);
      const src = hatype === 1 && u16(b, 4) === 6 ? macAt(b, 6) : null;
      return walkTags(b, u16(b, 14), 16, src, null);
    }
    case LinkType.LINUX_SLL2: {
      if (b.length < 20) return decodeError('truncated', 'link', 0, `Linux cooked v2 header needs 20 bytes, frame has ${b.length}`);
      const hatype = u16(b, 8);
      const src = hatype === 1 && b[11] === 6 ? macAt(b, 12) : null;
      return walkTags(b, u16(b, 0), 20, src, null);
    }
    case LinkType.NULL: {
      if (b.length < 4) return decodeError('truncated', 'link', 0, 'loopback header needs 4 bytes');
      // Host byte order of the capturing machine: whichever reading is small is right.
      const le = (b[0] as number) | ((b[1] as number) << 8) | ((b[2] as number) << 16) | ((b[3] as number) << 24);
      const af = le >>> 0 <= 0xffff ? le : (((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number)) >>> 0;
      return { srcMac: null, dstMac: null, vlans: [], etherType: ethertypeForFamily(af), networkOffset: 4 };
    }
    case LinkType.LOOP: {
      if (b.length < 4) return decodeError('truncated', 'link', 0, 'loopback header needs 4 bytes');
      const af = (((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number)) >>> 0;
      return { srcMac: null, dstMac: null, vlans: [], etherType: ethertypeForFamily(af), networkOffset: 4 };
    }
    case LinkType.FRELAY: {
      // Q.922 address: 2 to 4 bytes, the last one has the EA bit set; then UI control 0x03, NLPID.
      let p = 0;
      while (p < 4 && p < b.length && ((b[p] as number) & 1) === 0) p++;
      p++;
      if (p < 2 || p + 2 > b.length) return decodeError('truncated', 'link', 0, 'Frame Relay header truncated');
      // Cisco encapsulation: an ethertype right after the address (tcpdump's fr_print does the same).
      if (b[p] !== 0x03 && u16(b, p) !== 0) return walkTags(b, u16(b, p), p + 2, null, null);
      p++;
      if (b[p] === 0x00) p++; // optional pad
      const nlpid = b[p];
      if (nlpid === 0xcc) return { srcMac: null, dstMac: null, vlans: [], etherType: EtherType.IPV4, networkOffset: p + 1 };
      if (nlpid === 0x8e) return { srcMac: null, dstMac: null, vlans: [], etherType: EtherType.IPV6, networkOffset: p + 1 };
      if (nlpid === 0x80 && p + 6 <= b.length) return walkTags(b, u16(b, p + 4), p + 6, null, null); // SNAP: OUI + ethertype
      return { srcMac: null, dstMac: null, vlans: [], etherType: 0, networkOffset: p + 1 };
    }
    case LinkType.RAW:
    case 12: // DLT_RAW on OpenBSD-derived captures
    case 14: // DLT_RAW on BSD/OS
      return { srcMac: null, dstMac: null, vlans: [], etherType: ethertypeForVersion(b, 0), networkOffset: 0 };
    case LinkType.IPV4:
      return { srcMac: null, dstMac: null, vlans: [], etherType: EtherType.IPV4, networkOffset: 0 };
    case LinkType.IPV6:
      return { srcMac: null, dstMac: null, vlans: [], etherType: EtherType.IPV6, networkOffset: 0 };
    default:
      return { unsupported: linkType };
  }
}

/** What the Ethernet encoder writes. */
export interface EthernetHeader {
  dstMac: string;
  srcMac: string;
  /** VLAN ids, outermost first; two tags are written as 802.1ad (0x88a8) then 802.1Q. */
  vlans: number[];
  etherType: number;
}

export function ethernetEncodingLength(h: EthernetHeader): number {
  return 14 + 4 * h.vlans.length;
}

/** Write the header at `o`; returns the bytes written. Throws on a bad MAC (a programming error). */
export function encodeEthernet(h: EthernetHeader, buf: Uint8Array, o: number): number {
  if (!writeMac(h.dstMac, buf, o) || !writeMac(h.srcMac, buf, o + 6)) throw new Error(`bad MAC address in ${h.dstMac} / ${h.srcMac}`);
  let p = o + 12;
  h.vlans.forEach((vid, i) => {
    const tpid = h.vlans.length > 1 && i === 0 ? EtherType.QINQ : EtherType.VLAN;
    buf[p] = tpid >> 8; buf[p + 1] = tpid & 0xff;
    buf[p + 2] = (vid >> 8) & 0x0f; buf[p + 3] = vid & 0xff;
    p += 4;
  });
  buf[p] = h.etherType >> 8; buf[p + 1] = h.etherType & 0xff;
  return p + 2 - o;
}

export function isUnsupported(r: LinkResult): r is { unsupported: number } {
  return 'unsupported' in r;
}

/** Whether two VLAN stacks (outermost first) are the same: one segment, one advert path. */
export function sameVlans(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
