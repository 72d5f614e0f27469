// A complete VRRP advert in an untagged Ethernet IPv4 frame, read in place: the fields the
// receive rules (rules/receive.ts) and a router's admission read, as numbers, with no string,
// array or object made. A flood's adverts are turned away on these alone (analysis/analyzer.ts)
// before any full decode. Anything else (VLAN tags, IPv6, IP options, a frame cut short of its
// IP length, CARP, a fragment, a version that is neither 2 nor 3) is not read here:
// decodeFrame() takes it. Ethernet padding after the IP length is no matter. Where this reads a
// frame, decodeFrame() reads the same values from it (test/decode/advert-in-place.test.ts). Pure.

import { u32 } from './bytes.js';
import { ipv4HeaderChecksumOk, vrrpChecksumOk } from './checksum.js';
import { VRRP_AUTH_LENGTH, VRRP_HEADER_LENGTH, looksLikeCarp } from './vrrp.js';
import type { IpInfo } from './types.js';
import type { ReceiveFacts } from '../rules/receive.js';

const ETHERNET = 14;
const IPV4 = 20;

/** What readAdvertInPlace() reads: one object, overwritten by every call. */
export interface AdvertInPlace extends ReceiveFacts {
  priority: number;
  /** The sender's address as a 32-bit unsigned integer (ipv4Word of the decoder's text). */
  source: number;
}

/** Where the checksum verifier reads the IPv4 header (family and offset only): set per call. */
const ipAt = { family: 4, offset: 0 } as IpInfo;

/**
 * Reads the frame `b[s, s + n)` into `out` when it is a complete VRRPv2 or v3 advert of an
 * untagged Ethernet IPv4 frame with a 20-byte header whose every byte was captured; false, with
 * `out` left undefined, for anything else.
 */
export function readAdvertInPlace(b: Uint8Array, s: number, n: number, out: AdvertInPlace): boolean {
  if (n < ETHERNET + IPV4 + VRRP_HEADER_LENGTH || b[s + 12] !== 0x08 || b[s + 13] !== 0x00) return false;
  const ip = s + ETHERNET;
  if (b[ip] !== 0x45 || b[ip + 9] !== 112) return false;
  const total = ((b[ip + 2] as number) << 8) | (b[ip + 3] as number);
  // 0 (TSO on the capturing host) or short, the decoder judges; cut by the snap length too.
  if (total < IPV4 + VRRP_HEADER_LENGTH || ETHERNET + total > n) return false;
  // A fragment: more fragments set, or an offset (all but the top two bits of the flags word).
  const flags = ((b[ip + 6] as number) << 8) | (b[ip + 7] as number);
  if ((flags & 0x3fff) !== 0) return false;
  const o = ip + IPV4;
  const length = total - IPV4;
  if (looksLikeCarp(b, o, length)) return false;
  const b0 = b[o] as number;
  const version = b0 >> 4;
  if (version !== 2 && version !== 3) return false;
  const count = b[o + 3] as number;
  // Every address, and a v2 message's auth data, within the message.
  if (VRRP_HEADER_LENGTH + 4 * count + (version === 2 ? VRRP_AUTH_LENGTH : 0) > length) return false;
  ipAt.offset = ip;
  out.ttl = b[ip + 8] as number;
  out.version = version;
  out.type = b0 & 0x0f;
  out.vrid = b[o + 1] as number;
  out.priority = b[o + 2] as number;
  out.count = count;
  out.intervalRaw = version === 3 ? (((b[o + 4] as number) & 0x0f) << 8) | (b[o + 5] as number) : (b[o + 5] as number);
  // The checksums as the decoder computes them: both read only bytes of the frame.
  out.checksumOk = vrrpChecksumOk(b, ipAt, o, length, version);
  out.ipChecksumOk = ipv4HeaderChecksumOk(b, ip, IPV4);
  out.source = u32(b, ip + 12);
  return true;
}

/** An AdvertInPlace to read into. */
export function advertInPlace(): AdvertInPlace {
  return { ttl: 0, version: 0, type: 0, checksumOk: null, ipChecksumOk: null, vrid: 0, count: 0, intervalRaw: 0, priority: 0, source: 0 };
}
