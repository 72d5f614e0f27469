// VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798 / RFC 9568) messages, and CARP, which shares IP
// protocol 112. Decoding is permissive: structure only, judged later by validate.ts.
import { AuthType } from './auth.js';
import { finish, pseudoHeaderSum, sum16 } from './checksum.js';
import { allZero, copyOf, ipv4At, ipv6At, u16, writeIpv4, writeIpv6 } from './bytes.js';
import { decodeError, type CarpPacket, type ChecksumForm, type DecodeError, type IpInfo, type VrrpHeaderPart, type VrrpPacket } from './types.js';

export const VRRP_HEADER_LENGTH = 8;
export const VRRP_AUTH_LENGTH = 8;
const CARP_LENGTH = 36;

/**
 * CARP and VRRPv2 both put version 2 in the first nibble. A CARP header is exactly 36 bytes with
 * authlen 7 in byte 3; a VRRPv2 message with 7 addresses would be 44 bytes, so this never
 * mistakes a VRRP packet for CARP.
 */
export function looksLikeCarp(b: Uint8Array, o: number, length: number): boolean {
  return length === CARP_LENGTH && o + 4 <= b.length && (b[o] as number) >> 4 === 2 && b[o + 3] === 7;
}

export function decodeCarp(b: Uint8Array, o: number): CarpPacket | DecodeError {
  if (o + CARP_LENGTH > b.length) return decodeError('truncated', 'carp', o, `CARP header needs ${CARP_LENGTH} bytes`);
  return {
    version: (b[o] as number) >> 4,
    type: (b[o] as number) & 0x0f,
    vhid: b[o + 1] as number,
    advskew: b[o + 2] as number,
    authLength: b[o + 3] as number,
    demotion: b[o + 4] as number,
    advbase: b[o + 5] as number,
    checksum: u16(b, o + 6),
    counter: b.slice(o + 8, o + 16),
    offset: o,
  };
}

/** The simple-text password: the auth bytes up to the first NUL, raw (faces escape it to print). */
function passwordOf(b: Uint8Array, o: number, end: number): string {
  let s = '';
  for (let i = o; i < end; i++) {
    const c = b[i] as number;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** A message cut before its 8-byte header ends: what it still holds, and the error. */
export interface VrrpCut {
  part: VrrpHeaderPart;
  error: DecodeError;
}

/** Byte `i` of the message when it is among the `present` ones, else null. */
function at(b: Uint8Array, o: number, i: number, present: number): number | null {
  return i < present ? (b[o + i] as number) : null;
}

/** The fields of a header cut after `present` (< 8) bytes; the v3 interval needs bytes 4 and 5. */
function headerPart(b: Uint8Array, o: number, length: number, captured: number): VrrpHeaderPart {
  const present = Math.min(length, captured);
  const b0 = at(b, o, 0, present);
  const version = b0 === null ? null : b0 >> 4;
  const v3 = version === 3;
  const b4 = at(b, o, 4, present);
  const b5 = at(b, o, 5, present);
  const intervalRaw = b5 === null ? null : v3 ? (((b4 as number) & 0x0f) << 8) | b5 : b5;
  return {
    version,
    type: b0 === null ? null : b0 & 0x0f,
    vrid: at(b, o, 1, present),
    priority: at(b, o, 2, present),
    count: at(b, o, 3, present),
    authType: v3 ? null : b4,
    intervalRaw,
    intervalCs: intervalRaw === null ? null : v3 ? intervalRaw : intervalRaw * 100,
    checksum: null,
    length,
    capturedLength: captured,
    truncated: true,
    truncatedAt: o + present,
    offset: o,
  };
}

/**
 * The auth data of every advert whose 8 auth bytes are zero (no authentication, as keepalived
 * sends by default): one shared array, never written, instead of one per advert.
 */
export const NO_AUTH_DATA: Uint8Array = new Uint8Array(VRRP_AUTH_LENGTH);

/**
 * Decode the VRRP message at `o` whose length per the IP layer is `length`. Never throws: a
 * message cut before the end of its 8-byte header gives the fields present and an error; a short
 * address list or auth trailer is decoded as far as it goes and flagged `truncated`.
 */
export function decodeVrrp(b: Uint8Array, o: number, length: number, ip: IpInfo): VrrpPacket | VrrpCut {
  const captured = Math.max(0, Math.min(length, b.length - o));
  if (captured < VRRP_HEADER_LENGTH) {
    const why = length < VRRP_HEADER_LENGTH ? `the message is ${length}` : `${captured} captured`;
    return {
      part: headerPart(b, o, length, captured),
      error: decodeError(length < VRRP_HEADER_LENGTH ? 'bad-length' : 'truncated', 'vrrp', o + captured, `VRRP header needs ${VRRP_HEADER_LENGTH} bytes, ${why}`),
    };
  }
  const b0 = b[o] as number;
  const version = b0 >> 4;
  const count = b[o + 3] as number;
  const addrLen = ip.family === 4 ? 4 : 16;
  const addrFits = Math.min(count, Math.floor((captured - VRRP_HEADER_LENGTH) / addrLen));
  const addresses: string[] = new Array<string>(addrFits);
  for (let i = 0, p = o + 8; i < addrFits; i++, p += addrLen) addresses[i] = addrLen === 4 ? ipv4At(b, p) : ipv6At(b, p);
  const afterAddrs = VRRP_HEADER_LENGTH + count * addrLen;
  const checksum = u16(b, o + 6);
  const type = b0 & 0x0f;
  const vrid = b[o + 1] as number;
  const priority = b[o + 2] as number;
  if (version === 3) {
    const intervalRaw = (((b[o + 4] as number) & 0x0f) << 8) | (b[o + 5] as number);
    // Cut short by the capture (snap length) or by the sender: either way not all there.
    const truncated = afterAddrs > length || afterAddrs > captured;
    return {
      version, type, vrid, priority, count,
      authType: null, authData: null, authString: null, md5Digest: null, md5Offset: null,
      reserved: (b[o + 4] as number) >> 4,
      intervalRaw, intervalCs: intervalRaw, checksum, addresses, length, capturedLength: captured,
      truncated,
      truncatedAt: truncated ? o + captured : null,
      authMissing: false,
      trailingBytes: Math.max(0, length - afterAddrs),
      offset: o,
    };
  }
  const defined = afterAddrs + VRRP_AUTH_LENGTH;
  const authType = b[o + 4] as number;
  let authData: Uint8Array | null = null;
  let authString: string | null = null;
  let md5Digest: Uint8Array | null = null;
  let md5Offset: number | null = null;
  if (defined <= captured) {
    authData = allZero(b, o + afterAddrs, o + defined) ? NO_AUTH_DATA : copyOf(b, o + afterAddrs, o + defined);
    if (authType === AuthType.SIMPLE) authString = passwordOf(b, o + afterAddrs, o + defined);
    // Cisco's MD5 authentication follows the 8 auth bytes: shown whole, as far as captured.
    if (authType === AuthType.CISCO_MD5 && captured > defined) {
      md5Offset = o + defined;
      md5Digest = b.slice(md5Offset, o + captured);
    }
  }
  const intervalRaw = b[o + 5] as number;
  const truncated = afterAddrs > length || afterAddrs > captured || (defined <= length && defined > captured);
  return {
    version, type, vrid, priority, count,
    authType, authData, authString, md5Digest, md5Offset,
    reserved: 0,
    intervalRaw, intervalCs: intervalRaw * 100, checksum, addresses, length, capturedLength: captured,
    truncated,
    truncatedAt: truncated ? o + captured : null,
    authMissing: afterAddrs <= length && defined > length,
    trailingBytes: Math.max(0, length - defined),
    offset: o,
  };
}

/** What the VRRP encoder writes. */
export interface VrrpMessage {
  version: 2 | 3;
  type: number;
  vrid: number;
  priority: number;
  /** v2: seconds; v3: centiseconds (12 bits). */
  intervalRaw: number;
  addresses: string[];
  /** v2 only: 0 none, 1 simple text. */
  authType?: number;
  /** v2 only: up to 8 bytes of auth data (a simple-text password), zero padded. */
  authData?: Uint8Array;
  /** v3 only: the reserved nibble (0 on the wire per RFC). */
  reserved?: number;
  /** Written as is when computeChecksum is false. */
  checksum?: number;
}

export interface VrrpEncodeOptions {
  /** Default true. */
  computeChecksum?: boolean;
  /** v3 only: default 'pseudo-header' (keepalived, FRR); 'message-only' for Cisco/RFC 9568 peers. */
  checksumForm?: ChecksumForm;
  /** Address family of the addresses; default 4. */
  family?: 4 | 6;
}

export function vrrpEncodingLength(m: VrrpMessage, family: 4 | 6 = 4): number {
  return VRRP_HEADER_LENGTH + m.addresses.length * (family === 4 ? 4 : 16) + (m.version === 2 ? VRRP_AUTH_LENGTH : 0);
}

/**
 * Write the message at `o` of `buf`. For a v3 pseudo-header checksum the IP header must already
 * be in `buf` (`ip` says where), as it is when a whole frame is built front to back.
 */
export function encodeVrrp(m: VrrpMessage, buf: Uint8Array, o: number, opts: VrrpEncodeOptions = {}, ip?: IpInfo): number {
  const family = opts.family ?? ip?.family ?? 4;
  const len = vrrpEncodingLength(m, family);
  buf[o] = (m.version << 4) | (m.type & 0x0f);
  buf[o + 1] = m.vrid;
  buf[o + 2] = m.priority;
  buf[o + 3] = m.addresses.length;
  if (m.version === 3) {
    buf[o + 4] = ((m.reserved ?? 0) << 4) | ((m.intervalRaw >> 8) & 0x0f);
    buf[o + 5] = m.intervalRaw & 0xff;
  } else {
    buf[o + 4] = m.authType ?? 0;
    buf[o + 5] = m.intervalRaw;
  }
  buf[o + 6] = 0; buf[o + 7] = 0;
  let p = o + 8;
  for (const a of m.addresses) {
    const ok = family === 4 ? writeIpv4(a, buf, p) : writeIpv6(a, buf, p);
    if (!ok) throw new Error(`bad IPv${family} virtual address ${a}`);
    p += family === 4 ? 4 : 16;
  }
  if (m.version === 2) {
    buf.fill(0, p, p + VRRP_AUTH_LENGTH);
    if (m.authData) buf.set(m.authData.subarray(0, VRRP_AUTH_LENGTH), p);
  }
  let ck = m.checksum ?? 0;
  if (opts.computeChecksum !== false) {
    const msg = sum16(buf, o, len);
    const usePseudo = m.version === 3 && (family === 6 || (opts.checksumForm ?? 'pseudo-header') === 'pseudo-header');
    if (usePseudo && !ip) throw new Error('a VRRPv3 pseudo-header checksum needs the IP header');
    ck = finish(usePseudo && ip ? msg + pseudoHeaderSum(buf, ip, len) : msg);
  }
  buf[o + 6] = ck >> 8; buf[o + 7] = ck & 0xff;
  return len;
}

export function isVrrpCut(r: VrrpPacket | VrrpCut): r is VrrpCut {
  return 'part' in r;
}
