// How one decoded VRRP packet is shown: a tcpdump-style line, a field-by-field view, a hex dump,
// and the JSON object. Pure functions of the record, the decoded frame and its findings.
import type { CaptureRecord } from '../capture/types.js';
import { AuthType, authTypeMeaning, authTypeTcpdump } from '../decode/auth.js';
import { hexByte } from '../decode/bytes.js';
import type { DecodedFrame, Finding, FindingCode, ShownVrrp } from '../decode/types.js';
import { quotedPassword } from './auth.js';
import { safeJson } from './escape.js';
import { TimeFormatter } from './time.js';

export type { CutVrrpFrame, ShownVrrp, VrrpFrame } from '../decode/types.js';
export { isCutVrrp } from '../decode/types.js';

/** Findings the tcpdump text already shows. */
const INLINE: ReadonlySet<FindingCode> = new Set<FindingCode>(['bad-checksum', 'bad-ttl', 'truncated', 'unknown-version', 'unknown-type']);

function hex16(v: number): string {
  return `0x${hexByte(v >> 8)}${hexByte(v)}`;
}

const TRUNC = ' [|vrrp]';

/**
 * The VRRP part of the line, field for field what `tcpdump -v` prints after "src > dst: ",
 * including where it stops on a cut message ("[|vrrp]", print-vrrp.c's rules).
 */
export function tcpdumpVrrpText(f: ShownVrrp): string {
  const v = f.vrrp;
  const present = Math.min(v.length, v.capturedLength);
  if (v.version === null || v.type === null) return TRUNC.trimStart();
  const ttl = f.ip.family === 4 ? f.ip.ttl : f.ip.hopLimit;
  let s = `VRRPv${v.version}, ${v.type === 1 ? 'Advertisement' : `unknown type (${v.type})`}`;
  if (ttl !== 255) s += `, (ttl ${ttl})`;
  if ((v.version !== 2 && v.version !== 3) || v.type !== 1) return s;
  if (v.vrid === null || v.priority === null) return s + TRUNC;
  s += `, vrid ${v.vrid}, prio ${v.priority}`;
  if (v.intervalRaw === null) return s + TRUNC;
  if (v.version === 2) s += `, authtype ${authTypeTcpdump(v.authType ?? 0)}, intvl ${v.intervalRaw}s, length ${v.length}`;
  else s += `, intvl ${v.intervalRaw}cs, length ${v.length}`;
  const whole = v.length <= v.capturedLength;
  if (f.kind === 'malformed') {
    // tcpdump checks a whole message's checksum and, finding it bad, reads bytes 6-7: not there.
    if (whole) return s + TRUNC;
  } else if (f.checksum.ok === false) s += `, (bad vrrp cksum ${f.vrrp.checksum.toString(16)})`;
  const count = v.count ?? 0;
  s += count > 1 ? `, addrs(${count}):` : ', addrs:';
  const addresses = f.kind === 'vrrp' ? f.vrrp.addresses : [];
  if (addresses.length > 0) s += ` ${addresses.join(',')}`;
  if (addresses.length < count) return s + TRUNC;
  if (v.version === 2 && v.authType === AuthType.SIMPLE) {
    // tcpdump needs all 8 auth bytes within the message and the capture.
    const authString = f.kind === 'vrrp' ? f.vrrp.authString : null;
    if (authString === null || present < 8 + count * (f.ip.family === 4 ? 4 : 16) + 8) return s + TRUNC;
    s += ` auth ${quotedPassword(authString)}`;
  }
  return s;
}

/** Problems worth a glance that the tcpdump text does not already show. */
function extraFindings(findings: readonly Finding[]): string {
  let s = '';
  for (const x of findings) {
    if (x.severity === 'info' || INLINE.has(x.code)) continue;
    s += s === '' ? ` [${x.code}` : `, ${x.code}`;
  }
  return s === '' ? '' : `${s}]`;
}

/**
 * What a line says of the frame, after its head: made from the frame's bytes alone (and the IPv4
 * header checksum's verdict), so the same advert repeated has the same tail (decode's frame memo).
 */
export function lineTail(f: ShownVrrp, findings: readonly Finding[]): string {
  const vlan = f.link !== null && f.link.vlans.length > 0 ? `vlan ${f.link.vlans.join('.')} ` : '';
  return `${vlan}${f.ip.src} > ${f.ip.dst}: ${tcpdumpVrrpText(f)}${extraFindings(findings)}\n`;
}

function cutText(v: { length: number; capturedLength: number; truncatedAt: number | null }): string {
  return `cut at frame byte ${v.truncatedAt}: ${v.capturedLength < v.length ? `${v.capturedLength} of the message's ${v.length} bytes captured` : `the message is only ${v.length} bytes`}`;
}

export class PacketFormatter {
  private readonly time = new TimeFormatter();

  /** The default output's line of a packet begins with this (lineTail() follows): when, and on which interface. */
  lineHead(tsSec: number, tsNsec: number, interfaceName: string | null): string {
    return this.time.clock(tsSec, tsNsec) + ' ' + (interfaceName !== null ? `${interfaceName} ` : '');
  }

  /** A frame that could not be decoded: where and why. */
  malformedLine(rec: CaptureRecord, f: Extract<DecodedFrame, { kind: 'malformed' }>): string {
    const where = f.ip ? `${f.ip.src} > ${f.ip.dst}: ` : '';
    return `${this.time.clock(rec.tsSec, rec.tsNsec)} frame ${rec.frame}: ${where}malformed ${f.layer} at byte ${f.offset}: ${f.reason}\n`;
  }

  /** `-v`: the VRRP layer field by field with offsets, raw bytes and meaning. */
  verbose(rec: CaptureRecord, f: ShownVrrp, findings: readonly Finding[]): string {
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
    if (f.link !== null && f.link.srcMac !== null) s += `  Link: ${f.link.srcMac} > ${f.link.dstMac ?? '(cooked)'}${f.link.vlans.length ? `, VLAN ${f.link.vlans.join(', ')}` : ''}\n`;
    if (f.ip.family === 4) {
      const ip = f.ip;
      s += `  IPv4: ${ip.src} > ${ip.dst}, TTL ${ip.ttl}, TOS 0x${hexByte(ip.tos)}, ID ${ip.id}, length ${ip.totalLength}, header checksum ${hex16(ip.headerChecksum)} (${ip.headerChecksumOk === null ? 'not captured' : ip.headerChecksumOk ? 'correct' : 'WRONG'})\n`;
    } else {
      const ip = f.ip;
      s += `  IPv6: ${ip.src} > ${ip.dst}, hop limit ${ip.hopLimit}, traffic class 0x${hexByte(ip.trafficClass)}, flow label 0x${ip.flowLabel.toString(16)}, payload ${ip.payloadLength}\n`;
    }
    s += `  VRRP (frame offset ${o}, ${v.length} bytes${v.capturedLength < v.length ? `, ${v.capturedLength} captured` : ''}):\n`;
    if (v.version !== null && v.type !== null) s += row(o, 1, `Version ${v.version}, Type ${v.type} (${v.type === 1 ? 'Advertisement' : 'unknown'})`);
    if (v.vrid !== null) s += row(o + 1, 1, `Virtual Router ID ${v.vrid}`);
    if (v.priority !== null) s += row(o + 2, 1, `Priority ${v.priority} (${priorityMeaning(v.priority)})`);
    if (v.count !== null) s += row(o + 3, 1, `Count ${f.ip.family === 4 ? 'IPv4' : 'IPv6'} Addrs ${v.count}`);
    if (v.version === 3) {
      if (v.intervalRaw !== null && v.intervalCs !== null) s += row(o + 4, 2, `Reserved ${f.kind === 'vrrp' ? f.vrrp.reserved : (b[o + 4] as number) >> 4}, Max Adver Int ${v.intervalRaw} cs (${v.intervalCs / 100} s)`);
    } else {
      if (v.authType !== null) s += row(o + 4, 1, `Auth Type ${v.authType} (${authTypeMeaning(v.authType)})`);
      if (v.intervalRaw !== null) s += row(o + 5, 1, `Adver Int ${v.intervalRaw} s`);
    }
    if (f.kind === 'vrrp') {
      const p = f.vrrp;
      const ck = f.checksum;
      const ckText = ck.ok === null ? 'not verified: message not entirely captured' : ck.ok ? `correct, ${ck.form} form` : `WRONG, should be ${hex16(ck.expected ?? 0)}`;
      s += row(o + 6, 2, `Checksum ${hex16(p.checksum)} (${ckText})`);
      const alen = f.ip.family === 4 ? 4 : 16;
      p.addresses.forEach((a, i) => {
        s += row(o + 8 + i * alen, alen, `${p.version === 3 ? 'IPvX' : 'IP'} Address ${i + 1}: ${a}`);
      });
      if (p.authData !== null) {
        const at = o + 8 + p.count * alen;
        s += row(at, 8, `Authentication Data${p.authString !== null ? ` ${quotedPassword(p.authString)}` : ''}`);
      }
      if (p.md5Digest !== null && p.md5Offset !== null) {
        // Shown whole, 8 bytes a row as every other field.
        const n = p.md5Digest.length;
        for (let i = 0; i < n; i += 8) s += row(p.md5Offset + i, Math.min(8, n - i), i === 0 ? `Cisco MD5 authentication (${n} bytes)` : '');
      }
    }
    if (v.truncated) s += `  Truncated: ${cutText(v)}\n`;
    if (findings.length > 0) {
      s += '  Findings:\n';
      for (const x of findings) s += `    ${x.severity} ${x.code}: ${x.message}\n`;
    }
    return s;
  }

  /**
   * The start of a packet's JSON line (`decode --json`): the members that change from frame to
   * frame, `{"frame":N,"time":"...",`. jsonTail() gives the rest.
   */
  jsonHead(frame: number, tsSec: number, tsNsec: number): string {
    return `{"frame":${frame},"time":${JSON.stringify(this.time.iso(tsSec, tsNsec))},`;
  }

  json(rec: CaptureRecord, f: ShownVrrp, findings: readonly Finding[]): VrrpPacketJson {
    const v = f.vrrp;
    const full = f.kind === 'vrrp' ? f.vrrp : null;
    const vlans = f.link?.vlans ?? [];
    return {
      frame: rec.frame,
      time: this.time.iso(rec.tsSec, rec.tsNsec),
      interface: rec.interfaceName,
      vlan: vlans.length > 0 ? (vlans[vlans.length - 1] as number) : null,
      vlans,
      srcMac: f.link?.srcMac ?? null,
      dstMac: f.link?.dstMac ?? null,
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
      authData: full === null || full.version === 3 ? null : full.authType === AuthType.SIMPLE ? full.authString : null,
      authBytes: full?.authData ? bytesHex(full.authData) : null,
      md5AuthData: full?.md5Digest ? bytesHex(full.md5Digest) : null,
      advertInterval: v.intervalCs === null ? null : v.intervalCs / 100,
      advertIntervalCs: v.intervalCs,
      reserved: full !== null && full.version === 3 ? full.reserved : null,
      checksum: v.checksum,
      checksumOk: f.kind === 'vrrp' ? f.checksum.ok : null,
      checksumForm: f.kind === 'vrrp' ? f.checksum.form : null,
      length: v.length,
      capturedLength: v.capturedLength,
      vips: full?.addresses ?? [],
      truncated: v.truncated,
      truncatedAt: v.truncatedAt,
      findings: findings.map((x) => ({ code: x.code, severity: x.severity, message: x.message })),
    };
  }
}

/**
 * safeJson(j) of the packet `f` after its jsonHead(), with the newline, when the same advert
 * repeated (decode's frame memo: its bytes and interface, and the IPv4 header checksum's verdict)
 * has the same one; else null. A wrong header checksum's finding names the checksum's value, which
 * a repeat need not share.
 */
export function jsonTail(f: ShownVrrp, j: VrrpPacketJson): string | null {
  if (f.ip.family === 4 && f.ip.headerChecksumOk === false) return null;
  const { frame: _frame, time: _time, ...rest } = j;
  return `${safeJson(rest).slice(1)}\n`;
}

/**
 * One VRRP packet in `decode --json`. A message cut short carries every field present; the
 * absent ones are null (a header cut before byte 8 has no checksum, no addresses).
 */
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
  version: number | null;
  type: number | null;
  vrid: number | null;
  priority: number | null;
  count: number | null;
  authType: number | null;
  authData: string | null;
  authBytes: string | null;
  /** Cisco MD5 (auth type 254): every byte after the 8 auth bytes, in hex. */
  md5AuthData: string | null;
  advertInterval: number | null;
  advertIntervalCs: number | null;
  reserved: number | null;
  checksum: number | null;
  checksumOk: boolean | null;
  checksumForm: string | null;
  length: number;
  /** Bytes of the message present in the frame. */
  capturedLength: number;
  vips: string[];
  truncated: boolean;
  /** Frame offset of the first byte missing, when truncated. */
  truncatedAt: number | null;
  /** With -x: the whole frame in hex. */
  hex?: string;
  /** With -v: the field-by-field view, one string per line. */
  fields?: string[];
  findings: { code: FindingCode; severity: string; message: string }[];
}

export function bytesHex(b: Uint8Array): string {
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
