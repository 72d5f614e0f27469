// RFC rules for one VRRP packet, judged in one place. Returns findings, never throws and never
// drops: the monitor reports them, the daemon drops what RFC 3768/5798 section 7.1 says to drop.
import { hexByte } from './bytes.js';
import { AuthType, isKnownAuthType } from './auth.js';
import type { CutVrrpFrame, DecodedFrame, Finding, FindingCode, IpInfo, Severity, VrrpFrame } from './types.js';

function hex16(v: number): string {
  return `0x${hexByte(v >> 8)}${hexByte(v)}`;
}

export function isLinkLocal6(a: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(a);
}

const VMACS = [1, 2].map((n) => Array.from({ length: 256 }, (_, vrid) => `00:00:5e:00:0${n}:${hexByte(vrid)}`));

/** The virtual router MAC of RFC 3768 7.3 / RFC 5798 7.3. */
export function virtualMac(family: 4 | 6, vrid: number): string {
  return (VMACS[family === 4 ? 0 : 1] as string[])[vrid & 0xff] as string;
}

/** Whether `mac` is a virtual router MAC (either family, any VRID): a router's borrowed MAC, not its own. */
export function isVirtualMac(mac: string): boolean {
  return /^00:00:5e:00:0[12]:[0-9a-f]{2}$/i.test(mac);
}

/** The rules a VRRP packet breaks; a message cut inside its header is judged on what it holds. */
export function validateVrrp(f: VrrpFrame | CutVrrpFrame): Finding[] {
  return f.kind === 'vrrp' ? validateWhole(f) : validateCut(f);
}

function ttlFinding(ip: IpInfo, w: string): Finding | null {
  const ttl = ip.family === 4 ? ip.ttl : ip.hopLimit;
  if (ttl === 255) return null;
  const ttlName = ip.family === 4 ? 'TTL' : 'hop limit';
  return { code: 'bad-ttl', severity: 'error', message: `${w}: ${ttlName} ${ttl}, must be 255: the advert crossed a router or was forged; receivers discard it` };
}

function validateCut(f: CutVrrpFrame): Finding[] {
  const v = f.vrrp;
  const w = `${v.vrid === null ? 'VRRP' : `VRID ${v.vrid}`} from ${f.ip.src}`;
  const out: Finding[] = [];
  if (v.version !== null && v.version !== 2 && v.version !== 3) out.push({ code: 'unknown-version', severity: 'error', message: `${w}: VRRP version ${v.version} is neither 2 nor 3; receivers discard it` });
  const held = v.capturedLength < v.length ? `${v.capturedLength} byte(s) captured of a ${v.length}-byte message` : `the message is ${v.length} byte(s)`;
  out.push({ code: 'truncated', severity: 'error', message: `${w}: cut at byte ${v.truncatedAt} inside the 8-byte VRRP header (${held}); receivers discard it` });
  const ttl = ttlFinding(f.ip, w);
  if (ttl !== null) out.push(ttl);
  return out;
}

function validateWhole(f: VrrpFrame): Finding[] {
  const out: Finding[] = [];
  const add = (code: FindingCode, severity: Severity, message: string): void => {
    out.push({ code, severity, message });
  };
  const { vrrp: v, ip, checksum } = f;
  const w = `VRID ${v.vrid} from ${ip.src}`;

  if (v.version !== 2 && v.version !== 3) add('unknown-version', 'error', `${w}: VRRP version ${v.version} is neither 2 nor 3; receivers discard it`);
  if (v.type !== 1) add('unknown-type', 'error', `${w}: packet type ${v.type} is not 1 (advertisement); receivers discard it`);
  if (v.truncated) {
    const what = v.addresses.length < v.count ? `${v.count} address(es) need more than` : 'the 8 bytes of auth data do not fit in';
    add('truncated', 'error', `${w}: cut at byte ${v.truncatedAt}: ${what} the ${v.capturedLength} byte(s) present of a ${v.length}-byte message`);
  }
  if (v.authMissing) add('auth-missing', 'error', `${w}: the message ends after the address list without the 8 bytes of auth data RFC 3768 requires; keepalived discards it`);
  if (checksum.ok === false) {
    add('bad-checksum', 'error', `${w}: VRRP checksum ${hex16(v.checksum)} is wrong (should be ${hex16(checksum.expected ?? 0)}); receivers discard it`);
  } else if (checksum.form === 'message-only') {
    add('checksum-message-only', 'info', `${w}: VRRPv3 checksum computed without the IPv4 pseudo-header (Cisco/Juniper/RFC 9568 style); keepalived 2.2.7 and FRR by default reject it`);
  }
  if (ip.family === 4 && ip.headerChecksumOk === false) add('bad-ip-checksum', 'warning', `${w}: IPv4 header checksum ${hex16(ip.headerChecksum)} is wrong`);
  const ttl = ttlFinding(ip, w);
  if (ttl !== null) out.push(ttl);
  if (v.vrid === 0) add('vrid-zero', 'error', `advert from ${ip.src} has VRID 0, outside 1-255`);
  if (v.intervalRaw === 0 && (v.version === 2 || v.version === 3)) add('interval-zero', 'error', `${w}: advertisement interval 0`);
  if (v.count === 0 && v.version === 3) add('count-zero', 'error', `${w}: VRRPv3 advert with no address (RFC 9568 requires at least one)`);
  if (v.version === 3) {
    if (v.reserved !== 0) add('reserved-bits', 'warning', `${w}: reserved bits set (${v.reserved}); RFC 5798 says send 0`);
    if (v.trailingBytes === 8) add('v3-auth', 'warning', `${w}: VRRPv3 advert carries 8 bytes after its addresses, like VRRPv2 auth data; a peer configured for v2 auth?`);
    else if (v.trailingBytes > 0) add('trailing-bytes', 'info', `${w}: ${v.trailingBytes} byte(s) after the address list`);
    if (ip.family === 6 && v.addresses.length > 0 && !isLinkLocal6(v.addresses[0] as string)) {
      add('ipv6-first-not-link-local', 'info', `${w}: first virtual address ${v.addresses[0]} is not link-local (RFC 5798 5.2.9)`);
    }
  } else if (v.version === 2) {
    if (v.authType !== null && !isKnownAuthType(v.authType)) add('auth-type', 'warning', `${w}: unknown auth type ${v.authType}`);
    if (v.trailingBytes > 0 && v.authType !== AuthType.CISCO_MD5) add('trailing-bytes', 'info', `${w}: ${v.trailingBytes} byte(s) after the auth data`);
    if (ip.family === 6) add('family-mismatch', 'warning', `${w}: VRRPv2 over IPv6; VRRPv2 is IPv4 only`);
  }
  const group = ip.family === 4 ? '224.0.0.18' : 'ff02::12';
  if (ip.dst !== group) add('unicast-destination', 'info', `${w}: sent to ${ip.dst}, not ${group} (unicast peers?)`);
  if (f.link.srcMac !== null && v.vrid > 0 && f.link.srcMac !== virtualMac(ip.family, v.vrid)) {
    add('source-mac', 'info', `${w}: source MAC ${f.link.srcMac} is not the virtual MAC ${virtualMac(ip.family, v.vrid)} (keepalived without use_vmac does this)`);
  }
  return out;
}

/** Structural damage: the frame could not be decoded as what it claims to be. */
export function isMalformed(f: DecodedFrame): boolean {
  return f.kind === 'malformed' || (f.kind === 'vrrp' && f.vrrp.truncated);
}
