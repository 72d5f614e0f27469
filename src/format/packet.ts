// How one decoded VRRP packet is shown: a tcpdump-style line, a field-by-field view, a hex dump,
// and the JSON object. Pure functions of the record, the decoded frame and its findings.
import type { CaptureRecord } from '../capture/types.js';
import { hexByte } from '../decode/bytes.js';
import type { DecodedFrame, Finding } from '../decode/types.js';
import { AUTH_CISCO_MD5 } from '../decode/vrrp.js';
import { TimeFormatter } from './time.js';

export type VrrpFrame = Extract<DecodedFrame, { kind: 'vrrp' }>;

const AUTH_NAMES: Record<number, string> = { 0: 'none', 1: 'simple', 2: 'ah' };
const INLINE = new Set(['bad-checksum', 'bad-ttl', 'truncated', 'unknown-version', 'unknown-type']);


function escapeAuth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c >= 0x20 && c < 0x7f ? (ch === '"' || ch === '\\' ? `\\${ch}` : ch) : `\\x${hexByte(c)}`;
  }
  return out;
}

function hex16(v: number): string {
  return `0x${hexByte(v >> 8)}${hexByte(v)}`;
}

/** The VRRP part of the line, field for field what `tcpdump -v` prints after "src > dst: ". */
export function tcpdumpVrrpText(f: VrrpFrame): string {
  const v = f.vrrp;
  const ttl = f.ip.family === 4 ? f.ip.ttl : f.ip.hopLimit;
  let s = `VRRPv${v.version}, ${v.type === 1 ? 'Advertisement' : `unknown type (${v.type})`}`;
  if (ttl !== 255) s += `, (ttl ${ttl})`;
  if ((v.version !== 2 && v.version !== 3) || v.type !== 1) return s;
  s += `, vrid ${v.vrid}, prio ${v.priority}`;
  if (v.version === 2) s += `, authtype ${AUTH_NAMES[v.authType ?? 0] ?? `#${v.authType}`}, intvl ${v.intervalRaw}s, length ${v.length}`;
  else s += `, intvl ${v.intervalRaw}cs, length ${v.length}`;
  if (f.checksum.ok === false) s += `, (bad vrrp cksum ${v.checksum.toString(16)})`;
  s += v.count > 1 ? `, addrs(${v.count}):` : ', addrs:';
  if (v.addresses.length > 0) s += ` ${v.addresses.join(',')}`;
  if (v.truncated || (v.authMissing && v.authType === 1)) return `${s} [|vrrp]`;
  if (v.version === 2 && v.authType === 1 && v.authString !== null) s += ` auth "${escapeAuth(v.authString)}"`;
  return s;
}

/** Problems worth a glance that the tcpdump text does not already show. */
function extraFindings(findings: Finding[]): string {
  let s = '';
  for (const x of findings) {
    if (x.severity === 'info' || INLINE.has(x.code)) continue;
    s += s === '' ? ` [${x.code}` : `, ${x.code}`;
  }
  return s === '' ? '' : `${s}]`;
}

export class PacketFormatter {
  private readonly time = new TimeFormatter();

  /** Default output: one line a packet. */
  line(rec: CaptureRecord, f: VrrpFrame, findings: Finding[]): string {
    let s = this.time.clock(rec.tsSec, rec.tsNsec) + ' ';
    if (rec.interfaceName !== null) s += `${rec.interfaceName} `;
    if (f.link.vlans.length > 0) s += `vlan ${f.link.vlans.join('.')} `;
    return `${s}${f.ip.src} > ${f.ip.dst}: ${tcpdumpVrrpText(f)}${extraFindings(findings)}\n`;
  }

  /** A frame that could not be decoded: where and why. */
  malformedLine(rec: CaptureRecord, f: Extract<DecodedFrame, { kind: 'malformed' }>): string {
    const where = f.ip ? `${f.ip.src} > ${f.ip.dst}: ` : '';
    return `${this.time.clock(rec.tsSec, rec.tsNsec)} frame ${rec.frame}: ${where}malformed ${f.layer} at byte ${f.offset}: ${f.reason}\n`;
  }

  /** `-v`: the VRRP layer field by field with offsets, raw bytes and meaning. */
  verbose(rec: CaptureRecord, f: VrrpFrame, findings: Finding[]): string {
    const b = rec.data;
    const v = f.vrrp;
    const o = v.offset;
    const raw = (at: number, n: number): string => {
      let h = '';
      for (let i = 0; i < n && at + i < b.length; i++) h += hexByte(b[at + i] as number);
      return h;
    };
    const row = (at: number, n: number, text: string): string => `    ${String(at).padStart(4)}  ${raw(at, n).padEnd(16)}  ${text}\n`;
    let s = `Frame ${rec.frame}: ${this.time.iso(rec.tsSec, rec.tsNsec)}, ${rec.originalLength} bytes on the wire, ${b.length} captured`;
    s += rec.interfaceName !== null ? `, interface ${rec.interfaceName}\n` : '\n';
    if (f.link.srcMac !== null) s += `  Link: ${f.link.srcMac} > ${f.link.dstMac ?? '(cooked)'}${f.link.vlans.length ? `, VLAN ${f.link.vlans.join(', ')}` : ''}\n`;
    if (f.ip.family === 4) {
      const ip = f.ip;
      s += `  IPv4: ${ip.src} > ${ip.dst}, TTL ${ip.ttl}, TOS 0x${hexByte(ip.tos)}, ID ${ip.id}, length ${ip.totalLength}, header checksum ${hex16(ip.headerChecksum)} (${ip.headerChecksumOk === null ? 'not captured' : ip.headerChecksumOk ? 'correct' : 'WRONG'})\n`;
    } else {
      const ip = f.ip;
      s += `  IPv6: ${ip.src} > ${ip.dst}, hop limit ${ip.hopLimit}, traffic class 0x${hexByte(ip.trafficClass)}, flow label 0x${ip.flowLabel.toString(16)}, payload ${ip.payloadLength}\n`;
    }
    s += `  VRRP (frame offset ${o}, ${v.length} bytes${v.capturedLength < v.length ? `, ${v.capturedLength} captured` : ''}):\n`;
    s += row(o, 1, `Version ${v.version}, Type ${v.type} (${v.type === 1 ? 'Advertisement' : 'unknown'})`);
    s += row(o + 1, 1, `Virtual Router ID ${v.vrid}`);
    s += row(o + 2, 1, `Priority ${v.priority} (${priorityMeaning(v.priority)})`);
    s += row(o + 3, 1, `Count ${f.ip.family === 4 ? 'IPv4' : 'IPv6'} Addrs ${v.count}`);
    if (v.version === 3) {
      s += row(o + 4, 2, `Reserved ${v.reserved}, Max Adver Int ${v.intervalRaw} cs (${v.intervalCs / 100} s)`);
    } else {
      s += row(o + 4, 1, `Auth Type ${v.authType} (${authMeaning(v.authType ?? 0)})`);
      s += row(o + 5, 1, `Adver Int ${v.intervalRaw} s`);
    }
    const ck = f.checksum;
    const ckText = ck.ok === null ? 'not verified: message not entirely captured' : ck.ok ? `correct, ${ck.form} form` : `WRONG, should be ${hex16(ck.expected ?? 0)}`;
    s += row(o + 6, 2, `Checksum ${hex16(v.checksum)} (${ckText})`);
    const alen = f.ip.family === 4 ? 4 : 16;
    v.addresses.forEach((a, i) => {
      s += row(o + 8 + i * alen, alen, `${v.version === 3 ? 'IPvX' : 'IP'} Address ${i + 1}: ${a}`);
    });
    if (v.authData !== null) {
      const at = o + 8 + v.count * alen;
      s += row(at, 8, `Authentication Data${v.authString !== null ? ` "${escapeAuth(v.authString)}"` : ''}`);
    }
    if (v.md5Digest !== null) s += row(o + v.length - 16, 16, 'Cisco MD5 digest');
    if (findings.length > 0) {
      s += '  Findings:\n';
      for (const x of findings) s += `    ${x.severity} ${x.code}: ${x.message}\n`;
    }
    return s;
  }

  json(rec: CaptureRecord, f: VrrpFrame, findings: Finding[]): VrrpPacketJson {
    const v = f.vrrp;
    return {
      frame: rec.frame,
      time: this.time.iso(rec.tsSec, rec.tsNsec),
      interface: rec.interfaceName,
      vlan: f.link.vlans.length > 0 ? (f.link.vlans[f.link.vlans.length - 1] as number) : null,
      vlans: f.link.vlans,
      srcMac: f.link.srcMac,
      dstMac: f.link.dstMac,
      family: f.ip.family === 4 ? 'ipv4' : 'ipv6',
      src: f.ip.src,
      dst: f.ip.dst,
      ttl: f.ip.family === 4 ? f.ip.ttl : f.ip.hopLimit,
      version: v.version,
      type: v.type,
      vrid: v.vrid,
      priority: v.priority,
      count: v.count,
      authType: v.version === 3 ? null : v.authType,
      authData: v.version === 3 ? null : v.authType === 1 ? v.authString : null,
      authBytes: v.authData === null ? null : bytesHex(v.authData),
      advertInterval: v.intervalCs / 100,
      advertIntervalCs: v.intervalCs,
      reserved: v.version === 3 ? v.reserved : null,
      checksum: v.checksum,
      checksumOk: f.checksum.ok,
      checksumForm: f.checksum.form,
      length: v.length,
      vips: v.addresses,
      truncated: v.truncated,
      findings: findings.map((x) => ({ code: x.code, severity: x.severity, message: x.message })),
    };
  }
}

export interface VrrpPacketJson {
  frame: number;
  time: string;
  interface: string | null;
  /** Innermost VLAN id, null when untagged. */
  vlan: number | null;
  vlans: number[];
  srcMac: string | null;
  dstMac: string | null;
  family: 'ipv4' | 'ipv6';
  src: string;
  dst: string;
  ttl: number;
  version: number;
  type: number;
  vrid: number;
  priority: number;
  count: number;
  authType: number | null;
  authData: string | null;
  authBytes: string | null;
  advertInterval: number;
  advertIntervalCs: number;
  reserved: number | null;
  checksum: number;
  checksumOk: boolean | null;
  checksumForm: string | null;
  length: number;
  vips: string[];
  truncated: boolean;
  findings: { code: string; severity: string; message: string }[];
}

function bytesHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += hexByte(x);
  return s;
}

export function priorityMeaning(p: number): string {
  if (p === 0) return 'master is leaving: backups take over after Skew_Time';
  if (p === 255) return 'address owner';
  if (p === 100) return 'default backup priority';
  return 'backup priority';
}

function authMeaning(t: number): string {
  switch (t) {
    case 0: return 'none';
    case 1: return 'simple text password (RFC 2338; reserved in RFC 3768)';
    case 2: return 'IP Authentication Header (RFC 2338; reserved in RFC 3768)';
    case AUTH_CISCO_MD5: return 'Cisco MD5, non-standard';
    default: return 'unknown';
  }
}

/** `-x`: the frame as hex, 16 bytes a row, with ASCII. */
export function hexDump(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 16) {
    let hex = '';
    let asc = '';
    for (let j = i; j < i + 16; j++) {
      if (j < b.length) {
        const c = b[j] as number;
        hex += hexByte(c) + ((j & 1) === 1 ? ' ' : '');
        asc += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      } else hex += (j & 1) === 1 ? '   ' : '  ';
    }
    s += `\t0x${i.toString(16).padStart(4, '0')}:  ${hex} ${asc}\n`;
  }
  return s;
}
