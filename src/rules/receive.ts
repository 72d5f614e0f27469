// RFC 3768 / 5798 section 7.1: whether a received advertisement is discarded, and why, by the
// rules that need no local configuration. The analyzer and the daemon both ask this one function;
// the daemon then adds its own configuration checks (VRID, version, auth, addresses, interval).
// Pure: a decoded frame in, a verdict out.
import type { DecodedFrame } from '../decode/types.js';

type VrrpFrame = Extract<DecodedFrame, { kind: 'vrrp' }>;

/** Why a receiver drops an advert, in the order section 7.1 checks. */
export const DISCARD_REASONS = [
  'ttl',
  'version',
  'truncated',
  'type',
  'checksum',
  'ip-checksum',
  'vrid-zero',
  'count-zero',
  'interval-zero',
] as const;
export type DiscardReason = (typeof DISCARD_REASONS)[number];

export interface Discard {
  reason: DiscardReason;
  /** One sentence naming the sender and the values: what the RFC says is wrong. */
  detail: string;
  /** The same without the sender, for sentences that name it already: "TTL 64, must be 255". */
  what: string;
  /**
   * truncated only: the bytes end before the message does because the capture cut them (snap
   * length). The sender's packet may have been whole: a monitor cannot judge it.
   */
  cutByCapture: boolean;
}

function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

/** `detail` is the daemon's log line ("bad TTL from 192.0.2.1: got 64, ..."); `what` stands alone. */
function discard(reason: DiscardReason, detail: string, what: string, cutByCapture = false): Discard {
  return { reason, detail, what, cutByCapture };
}

/**
 * What the section 7.1 rules read of a complete advert: taken from a decoded frame (factsOf), or
 * read in place by decode/advert-in-place.ts, which sees only complete adverts.
 */
export interface ReceiveFacts {
  /** The IPv4 TTL or IPv6 hop limit. */
  ttl: number;
  version: number;
  type: number;
  /** The VRRP checksum verifies; null when it could not be computed. */
  checksumOk: boolean | null;
  /** The IPv4 header checksum verifies; null for IPv6, or a header not all there. */
  ipChecksumOk: boolean | null;
  vrid: number;
  count: number;
  intervalRaw: number;
}

/** The bit of `reason` in a discardMask(). */
export function discardBit(reason: DiscardReason): number {
  return 1 << DISCARD_REASONS.indexOf(reason);
}

const TTL = discardBit('ttl');
const VERSION = discardBit('version');
const TYPE = discardBit('type');
const CHECKSUM = discardBit('checksum');
const IP_CHECKSUM = discardBit('ip-checksum');
const VRID_ZERO = discardBit('vrid-zero');
const COUNT_ZERO = discardBit('count-zero');
const INTERVAL_ZERO = discardBit('interval-zero');

/**
 * The section 7.1 rules a complete advert breaks, one bit each (discardBit): every rule but
 * completeness (`truncated`), which needs the decoded lengths. The one place they are written.
 */
export function discardMask(x: ReceiveFacts): number {
  let m = 0;
  // RFC 3768 7.1 / 5798 5.1.1.3: MUST verify that the IP TTL (hop limit) is 255
  if (x.ttl !== 255) m |= TTL;
  // RFC 3768 7.1: MUST verify the VRRP version (2 and 3 are the versions there are)
  if (x.version !== 2 && x.version !== 3) m |= VERSION;
  // RFC 9568 7.1: MUST verify that the VRRP packet type is 1 (ADVERTISEMENT)
  if (x.type !== 1) m |= TYPE;
  // RFC 3768 7.1: MUST verify the VRRP checksum (v3 over IPv4: either form, as keepalived >= 2.2.8 and FRR can send)
  if (x.checksumOk === false) m |= CHECKSUM;
  // The kernel drops a bad IPv4 header checksum before any VRRP daemon sees it.
  if (x.ipChecksumOk === false) m |= IP_CHECKSUM;
  // RFC 3768 5.3.3: VRIDs are 1-255
  if (x.vrid === 0) m |= VRID_ZERO;
  // RFC 9568 errata 8299 / 8301: a count of 0 is ignored; a Max Adver Int of 0 is discarded
  if (x.version === 3 && x.count === 0) m |= COUNT_ZERO;
  if (x.intervalRaw === 0) m |= INTERVAL_ZERO;
  return m;
}

/** The first rule, in the order receivers check them, of a discardMask(); null for none. */
export function firstDiscard(mask: number): DiscardReason | null {
  if (mask === 0) return null;
  return DISCARD_REASONS[31 - Math.clz32(mask & -mask)] as DiscardReason;
}

/** The facts of a decoded advert. */
export function factsOf(f: VrrpFrame): ReceiveFacts {
  const v = f.vrrp;
  const ip = f.ip;
  return {
    ttl: ip.family === 4 ? ip.ttl : ip.hopLimit,
    version: v.version,
    type: v.type,
    checksumOk: f.checksum.ok,
    ipChecksumOk: ip.family === 4 ? ip.headerChecksumOk : null,
    vrid: v.vrid,
    count: v.count,
    intervalRaw: v.intervalRaw,
  };
}

/** The first section 7.1 rule `f` breaks, or null when every receiver accepts it: what a router acts on. */
export function discardOf(f: VrrpFrame): Discard | null {
  return discardsOf(f)[0] ?? null;
}

/** Every section 7.1 rule `f` breaks, in the order receivers check them: what a monitor reports. */
export function discardsOf(f: VrrpFrame): Discard[] {
  const v = f.vrrp;
  const ip = f.ip;
  const from = ip.src;
  const m = discardMask(factsOf(f));
  const out: Discard[] = [];
  if ((m & TTL) !== 0) {
    const ttl = ip.family === 4 ? ip.ttl : ip.hopLimit;
    const name = ip.family === 4 ? 'TTL' : 'hop limit';
    out.push(discard('ttl', `bad ${name} from ${from}: got ${ttl}, must be 255 (routed or forged)`, `${name} ${ttl}, not 255`));
  }
  if ((m & VERSION) !== 0) out.push(discard('version', `unknown VRRP version from ${from}: got ${v.version}, VRRP is version 2 or 3`, `VRRP version ${v.version}, neither 2 nor 3`));
  // RFC 3768 7.1: MUST verify that the received packet contains the complete VRRP packet
  if (v.authMissing) out.push(discard('truncated', `incomplete advert from ${from}: no 8 bytes of auth data after the addresses`, 'VRRPv2 message without the 8 bytes of auth data after its addresses'));
  if (v.truncated) {
    const what = `${v.count} address(es) announced in a ${v.length}-byte message, ${v.capturedLength} present`;
    out.push(discard('truncated', `incomplete advert from ${from}: ${what}`, what, v.capturedLength < v.length));
  }
  if ((m & TYPE) !== 0) out.push(discard('type', `unknown packet type from ${from}: got ${v.type}, expected 1 (advertisement)`, `packet type ${v.type}, not 1 (advertisement)`));
  if ((m & CHECKSUM) !== 0) out.push(discard('checksum', `bad checksum from ${from}: got ${hex16(v.checksum)}, expected ${hex16(f.checksum.expected ?? 0)}`, `bad VRRP checksum ${hex16(v.checksum)}`));
  if ((m & IP_CHECKSUM) !== 0 && ip.family === 4) out.push(discard('ip-checksum', `bad IPv4 header checksum from ${from}`, `bad IPv4 header checksum ${hex16(ip.headerChecksum)}`));
  if ((m & VRID_ZERO) !== 0) out.push(discard('vrid-zero', `advert for VRID 0 from ${from}: VRIDs are 1-255`, 'VRID 0, outside 1-255'));
  if ((m & COUNT_ZERO) !== 0) out.push(discard('count-zero', `advert without addresses from ${from}: VRRPv3 requires at least one`, 'no virtual address (VRRPv3 requires at least one)'));
  if ((m & INTERVAL_ZERO) !== 0) out.push(discard('interval-zero', `advertisement interval 0 from ${from}`, 'advertisement interval 0'));
  return out;
}
