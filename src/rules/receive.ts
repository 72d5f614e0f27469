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

/** The first section 7.1 rule `f` breaks, or null when every receiver accepts it: what a router acts on. */
export function discardOf(f: VrrpFrame): Discard | null {
  return discardsOf(f)[0] ?? null;
}

/** Every section 7.1 rule `f` breaks, in the order receivers check them: what a monitor reports. */
export function discardsOf(f: VrrpFrame): Discard[] {
  const v = f.vrrp;
  const ip = f.ip;
  const from = ip.src;
  const out: Discard[] = [];
  // RFC 3768 7.1 / 5798 5.1.1.3: MUST verify that the IP TTL (hop limit) is 255
  const ttl = ip.family === 4 ? ip.ttl : ip.hopLimit;
  if (ttl !== 255) out.push(discard('ttl', `bad ${ip.family === 4 ? 'TTL' : 'hop limit'} from ${from}: got ${ttl}, must be 255 (routed or forged)`, `${ip.family === 4 ? 'TTL' : 'hop limit'} ${ttl}, not 255`));
  // RFC 3768 7.1: MUST verify the VRRP version (2 and 3 are the versions there are)
  if (v.version !== 2 && v.version !== 3) out.push(discard('version', `unknown VRRP version from ${from}: got ${v.version}, VRRP is version 2 or 3`, `VRRP version ${v.version}, neither 2 nor 3`));
  // RFC 3768 7.1: MUST verify that the received packet contains the complete VRRP packet
  if (v.authMissing) out.push(discard('truncated', `incomplete advert from ${from}: no 8 bytes of auth data after the addresses`, 'VRRPv2 message without the 8 bytes of auth data after its addresses'));
  if (v.truncated) {
    const what = `${v.count} address(es) announced in a ${v.length}-byte message, ${v.capturedLength} present`;
    out.push(discard('truncated', `incomplete advert from ${from}: ${what}`, what, v.capturedLength < v.length));
  }
  // RFC 9568 7.1: MUST verify that the VRRP packet type is 1 (ADVERTISEMENT)
  if (v.type !== 1) out.push(discard('type', `unknown packet type from ${from}: got ${v.type}, expected 1 (advertisement)`, `packet type ${v.type}, not 1 (advertisement)`));
  // RFC 3768 7.1: MUST verify the VRRP checksum (v3 over IPv4: either form, as keepalived >= 2.2.8 and FRR can send)
  if (f.checksum.ok === false) out.push(discard('checksum', `bad checksum from ${from}: got ${hex16(v.checksum)}, expected ${hex16(f.checksum.expected ?? 0)}`, `bad VRRP checksum ${hex16(v.checksum)}`));
  // The kernel drops a bad IPv4 header checksum before any VRRP daemon sees it.
  if (ip.family === 4 && ip.headerChecksumOk === false) out.push(discard('ip-checksum', `bad IPv4 header checksum from ${from}`, `bad IPv4 header checksum ${hex16(ip.headerChecksum)}`));
  // RFC 3768 5.3.3: VRIDs are 1-255
  if (v.vrid === 0) out.push(discard('vrid-zero', `advert for VRID 0 from ${from}: VRIDs are 1-255`, 'VRID 0, outside 1-255'));
  // RFC 9568 errata 8299 / 8301: a count of 0 is ignored; a Max Adver Int of 0 is discarded
  if (v.version === 3 && v.count === 0) out.push(discard('count-zero', `advert without addresses from ${from}: VRRPv3 requires at least one`, 'no virtual address (VRRPv3 requires at least one)'));
  if (v.intervalRaw === 0) out.push(discard('interval-zero', `advertisement interval 0 from ${from}`, 'advertisement interval 0'));
  return out;
}
