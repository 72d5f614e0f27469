// IPv4 and IPv6 network layers. Lengths come from the IP header (Ethernet padding is not payload);
// every length is checked against the bytes present before it is used.
import { finish, ipv4HeaderChecksumOk, sum16 } from './checksum.js';
import { ipv4At, ipv6At, u16, writeIpv4, writeIpv6 } from './bytes.js';
import { decodeError, type DecodeError, type Ipv4Info, type Ipv6Info } from './types.js';

export type Ipv4Result = Ipv4Info | DecodeError;
export type Ipv6Result = Ipv6Info | DecodeError;

export function decodeIpv4(b: Uint8Array, o: number): Ipv4Result {
  if (o + 20 > b.length) return decodeError('truncated', 'ipv4', o, `IPv4 header needs 20 bytes, ${Math.max(0, b.length - o)} captured`);
  const vihl = b[o] as number;
  if (vihl >> 4 !== 4) return decodeError('bad-version', 'ipv4', o, `IP version ${vihl >> 4} in an IPv4 frame`);
  const headerLength = (vihl & 0x0f) * 4;
  if (headerLength < 20) return decodeError('bad-length', 'ipv4', o, `IPv4 header length ${headerLength} is below 20`);
  if (o + headerLength > b.length) return decodeError('truncated', 'ipv4', o, `IPv4 header of ${headerLength} bytes is truncated`);
  let totalLength = u16(b, o + 2);
  if (totalLength === 0) totalLength = b.length - o; // TSO/GSO on the capturing host
  if (totalLength < headerLength) return decodeError('bad-length', 'ipv4', o + 2, `IPv4 total length ${totalLength} is below its header length ${headerLength}`);
  const fl = u16(b, o + 6);
  const flags = fl >> 13;
  const fragmentOffset = (fl & 0x1fff) * 8;
  return {
    family: 4,
    src: ipv4At(b, o + 12),
    dst: ipv4At(b, o + 16),
    ttl: b[o + 8] as number,
    tos: b[o + 1] as number,
    id: u16(b, o + 4),
    flags,
    fragmentOffset,
    headerLength,
    totalLength,
    protocol: b[o + 9] as number,
    headerChecksum: u16(b, o + 10),
    headerChecksumOk: ipv4HeaderChecksumOk(b, o, headerLength),
    offset: o,
    payloadOffset: o + headerLength,
    payloadLength: totalLength - headerLength,
    fragment: (flags & 1) !== 0 || fragmentOffset !== 0,
  };
}

const HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, AH = 51, DEST_OPTS = 60;

export function decodeIpv6(b: Uint8Array, o: number): Ipv6Result {
  if (o + 40 > b.length) return decodeError('truncated', 'ipv6', o, `IPv6 header needs 40 bytes, ${Math.max(0, b.length - o)} captured`);
  const v = (b[o] as number) >> 4;
  if (v !== 6) return decodeError('bad-version', 'ipv6', o, `IP version ${v} in an IPv6 frame`);
  const w = (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | u16(b, o + 2)) >>> 0;
  const payload = u16(b, o + 4);
  let next = b[o + 6] as number;
  let p = o + 40;
  const end = p + payload;
  let fragment = false;
  // Walk the extension headers we can skip; a fragment header stops the walk.
  for (let n = 0; n < 8; n++) {
    if (next === HOP_BY_HOP || next === ROUTING || next === DEST_OPTS || next === AH) {
      if (p + 2 > b.length || p + 2 > end) return decodeError('truncated', 'ipv6', p, 'IPv6 extension header truncated');
      const len = next === AH ? ((b[p + 1] as number) + 2) * 4 : ((b[p + 1] as number) + 1) * 8;
      next = b[p] as number;
      p += len;
      if (p > end) return decodeError('bad-length', 'ipv6', p - len, 'IPv6 extension header runs past the payload length');
    } else if (next === FRAGMENT) {
      if (p + 8 > b.length || p + 8 > end) return decodeError('truncated', 'ipv6', p, 'IPv6 fragment header truncated');
      fragment = true;
      next = b[p] as number;
      p += 8;
      break;
    } else break;
  }
  return {
    family: 6,
    src: ipv6At(b, o + 8),
    dst: ipv6At(b, o + 24),
    hopLimit: b[o + 7] as number,
    trafficClass: (w >>> 20) & 0xff,
    flowLabel: w & 0xfffff,
    protocol: next,
    offset: o,
    payloadOffset: p,
    payloadLength: end - p,
    fragment,
  };
}

/** What the IPv4 encoder writes (a 20-byte header, no options). */
export interface Ipv4Header {
  src: string;
  dst: string;
  ttl: number;
  tos: number;
  id: number;
  /** Reserved/DF/MF bits as a 3-bit value (2 = DF). */
  flags: number;
  fragmentOffset: number;
  protocol: number;
  payloadLength: number;
  /** Written as is when computeChecksum is false. */
  headerChecksum?: number;
}

export function ipv4EncodingLength(): number {
  return 20;
}

export function encodeIpv4(h: Ipv4Header, buf: Uint8Array, o: number, opts: { computeChecksum?: boolean } = {}): number {
  buf[o] = 0x45;
  buf[o + 1] = h.tos;
  const total = 20 + h.payloadLength;
  buf[o + 2] = total >> 8; buf[o + 3] = total & 0xff;
  buf[o + 4] = h.id >> 8; buf[o + 5] = h.id & 0xff;
  const fl = ((h.flags & 7) << 13) | ((h.fragmentOffset >> 3) & 0x1fff);
  buf[o + 6] = fl >> 8; buf[o + 7] = fl & 0xff;
  buf[o + 8] = h.ttl;
  buf[o + 9] = h.protocol;
  buf[o + 10] = 0; buf[o + 11] = 0;
  if (!writeIpv4(h.src, buf, o + 12) || !writeIpv4(h.dst, buf, o + 16)) throw new Error(`bad IPv4 address in ${h.src} / ${h.dst}`);
  const ck = opts.computeChecksum === false ? (h.headerChecksum ?? 0) : finish(sum16(buf, o, 20));
  buf[o + 10] = ck >> 8; buf[o + 11] = ck & 0xff;
  return 20;
}

/** What the IPv6 encoder writes (the fixed header, no extension headers). */
export interface Ipv6Header {
  src: string;
  dst: string;
  hopLimit: number;
  trafficClass: number;
  flowLabel: number;
  protocol: number;
  payloadLength: number;
}

export function ipv6EncodingLength(): number {
  return 40;
}

export function encodeIpv6(h: Ipv6Header, buf: Uint8Array, o: number): number {
  const w = ((6 << 28) | ((h.trafficClass & 0xff) << 20) | (h.flowLabel & 0xfffff)) >>> 0;
  buf[o] = w >>> 24; buf[o + 1] = (w >>> 16) & 0xff; buf[o + 2] = (w >>> 8) & 0xff; buf[o + 3] = w & 0xff;
  buf[o + 4] = h.payloadLength >> 8; buf[o + 5] = h.payloadLength & 0xff;
  buf[o + 6] = h.protocol;
  buf[o + 7] = h.hopLimit;
  if (!writeIpv6(h.src, buf, o + 8) || !writeIpv6(h.dst, buf, o + 24)) throw new Error(`bad IPv6 address in ${h.src} / ${h.dst}`);
  return 40;
}
