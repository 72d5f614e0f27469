// An independent builder of VRRP frames for tests. It shares no code with src/: its own
// checksum, its own address parsing (Node's net/Buffer), its own layouts written from the RFCs.
// Golden bytes in tests come from here (or from captures), never from the project's encoders.
import { isIPv4, isIPv6 } from 'node:net';

export function inetChecksum(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) + (i + 1 < bytes.length ? bytes[i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function ip4(a: string): Buffer {
  if (!isIPv4(a)) throw new Error(`not IPv4: ${a}`);
  return Buffer.from(a.split('.').map(Number));
}

export function ip6(a: string): Buffer {
  if (!isIPv6(a)) throw new Error(`not IPv6: ${a}`);
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

export function mac(m: string): Buffer {
  return Buffer.from(m.split(':').map((x) => parseInt(x, 16)));
}

export interface VrrpSpec {
  version?: number; // 2
  type?: number; // 1
  vrid?: number; // 51
  priority?: number; // 100
  /** Override the count field (default: addresses.length). */
  count?: number;
  authType?: number; // v2: 0
  auth?: string; // v2 auth data text, zero padded to 8
  /** Seconds for v2, centiseconds for v3. */
  interval?: number;
  reserved?: number;
  addresses?: string[];
  /** Force a checksum value instead of computing it. */
  checksum?: number;
  /** v3 over IPv4: compute without the pseudo-header (Cisco style). */
  messageOnly?: boolean;
  /** Extra bytes appended after the message. */
  trailer?: Buffer;
}

export interface FrameSpec extends VrrpSpec {
  family?: 4 | 6;
  src?: string;
  dst?: string;
  ttl?: number;
  /** IPv4 Identification; default 0. */
  ipId?: number;
  srcMac?: string;
  dstMac?: string;
  vlans?: number[];
  /** Cut the frame to this many bytes (snap length). */
  snap?: number;
  /** Ethernet padding bytes after the IP datagram. */
  padding?: number;
}

function pseudoHeader(family: 4 | 6, src: string, dst: string, len: number): Buffer {
  if (family === 4) {
    const p = Buffer.alloc(12);
    ip4(src).copy(p, 0); ip4(dst).copy(p, 4); p[9] = 112; p.writeUInt16BE(len, 10);
    return p;
  }
  const p = Buffer.alloc(40);
  ip6(src).copy(p, 0); ip6(dst).copy(p, 16); p.writeUInt32BE(len, 32); p[39] = 112;
  return p;
}

/** The VRRP message alone; `src`/`dst` are needed for a v3 pseudo-header checksum. */
export function vrrpMessage(s: VrrpSpec, family: 4 | 6 = 4, src = '192.0.2.1', dst = family === 4 ? '224.0.0.18' : 'ff02::12'): Buffer {
  const version = s.version ?? 2;
  const addrs = s.addresses ?? ['192.0.2.100'];
  const parts: Buffer[] = [];
  const hdr = Buffer.alloc(8);
  hdr[0] = (version << 4) | (s.type ?? 1);
  hdr[1] = s.vrid ?? 51;
  hdr[2] = s.priority ?? 100;
  hdr[3] = s.count ?? addrs.length;
  if (version === 3) {
    const iv = s.interval ?? 100;
    hdr[4] = ((s.reserved ?? 0) << 4) | ((iv >> 8) & 0x0f);
    hdr[5] = iv & 0xff;
  } else {
    hdr[4] = s.authType ?? 0;
    hdr[5] = s.interval ?? 1;
  }
  parts.push(hdr);
  for (const a of addrs) parts.push(family === 4 ? ip4(a) : ip6(a));
  if (version !== 3) {
    const auth = Buffer.alloc(8);
    if (s.auth) Buffer.from(s.auth, 'latin1').copy(auth, 0, 0, 8);
    parts.push(auth);
  }
  if (s.trailer) parts.push(s.trailer);
  const msg = Buffer.concat(parts);
  const ck = s.checksum ?? (version === 3 && !(family === 4 && s.messageOnly)
    ? inetChecksum(Buffer.concat([pseudoHeader(family, src, dst, msg.length), msg]))
    : inetChecksum(msg));
  msg.writeUInt16BE(ck, 6);
  return msg;
}

/** A whole Ethernet frame carrying a VRRP advertisement. */
export function vrrpFrame(s: FrameSpec = {}): Buffer {
  const family = s.family ?? 4;
  const src = s.src ?? (family === 4 ? '192.0.2.1' : 'fe80::1');
  const dst = s.dst ?? (family === 4 ? '224.0.0.18' : 'ff02::12');
  const vrid = s.vrid ?? 51;
  const msg = vrrpMessage({ ...s, addresses: s.addresses ?? (family === 4 ? ['192.0.2.100'] : ['fe80::100']) }, family, src, dst);
  let ip: Buffer;
  if (family === 4) {
    ip = Buffer.alloc(20);
    ip[0] = 0x45; ip[1] = 0xc0; ip.writeUInt16BE(20 + msg.length, 2); ip.writeUInt16BE(s.ipId ?? 0, 4); ip[8] = s.ttl ?? 255; ip[9] = 112;
    ip4(src).copy(ip, 12); ip4(dst).copy(ip, 16);
    ip.writeUInt16BE(inetChecksum(ip), 10);
  } else {
    ip = Buffer.alloc(40);
    ip.writeUInt32BE(0x6e000000, 0); ip.writeUInt16BE(msg.length, 4); ip[6] = 112; ip[7] = s.ttl ?? 255;
    ip6(src).copy(ip, 8); ip6(dst).copy(ip, 24);
  }
  const srcMac = s.srcMac ?? `00:00:5e:00:0${family === 4 ? 1 : 2}:${vrid.toString(16).padStart(2, '0')}`;
  const dstMac = s.dstMac ?? (family === 4 ? '01:00:5e:00:00:12' : '33:33:00:00:00:12');
  const tags: Buffer[] = (s.vlans ?? []).map((v, i, all) => {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(all.length > 1 && i === 0 ? 0x88a8 : 0x8100, 0);
    t.writeUInt16BE(v, 2);
    return t;
  });
  const type = Buffer.alloc(2);
  type.writeUInt16BE(family === 4 ? 0x0800 : 0x86dd, 0);
  const frame = Buffer.concat([mac(dstMac), mac(srcMac), ...tags, type, ip, msg, Buffer.alloc(s.padding ?? 0)]);
  return s.snap !== undefined ? frame.subarray(0, s.snap) : frame;
}

/** A gratuitous ARP (or a reply) claiming `ip` from `senderMac`. */
export function arpFrame(ip: string, senderMac: string, op: 1 | 2 = 1, targetIp = ip): Buffer {
  const arp = Buffer.alloc(28);
  arp.writeUInt16BE(1, 0); arp.writeUInt16BE(0x0800, 2); arp[4] = 6; arp[5] = 4; arp.writeUInt16BE(op, 6);
  mac(senderMac).copy(arp, 8); ip4(ip).copy(arp, 14);
  ip4(targetIp).copy(arp, 24);
  return Buffer.concat([mac('ff:ff:ff:ff:ff:ff'), mac(senderMac), Buffer.from([0x08, 0x06]), arp]);
}

/** An unsolicited IPv6 neighbour advertisement for `target` with a target link-layer address option. */
export function naFrame(target: string, senderMac: string, src = 'fe80::1'): Buffer {
  const icmp = Buffer.alloc(32);
  icmp[0] = 136; icmp[4] = 0x20; ip6(target).copy(icmp, 8);
  icmp[24] = 2; icmp[25] = 1; mac(senderMac).copy(icmp, 26);
  const dst = 'ff02::1';
  const ck = inetChecksum(Buffer.concat([(() => { const p = Buffer.alloc(40); ip6(src).copy(p, 0); ip6(dst).copy(p, 16); p.writeUInt32BE(icmp.length, 32); p[39] = 58; return p; })(), icmp]));
  icmp.writeUInt16BE(ck, 2);
  const ip = Buffer.alloc(40);
  ip.writeUInt32BE(0x60000000, 0); ip.writeUInt16BE(icmp.length, 4); ip[6] = 58; ip[7] = 255;
  ip6(src).copy(ip, 8); ip6(dst).copy(ip, 24);
  return Buffer.concat([mac('33:33:00:00:00:01'), mac(senderMac), Buffer.from([0x86, 0xdd]), ip, icmp]);
}
