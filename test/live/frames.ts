// The frames the default filter must let through and the ones it must not, built with the
// independent test builder (never with the project's encoders).
import { arpFrame, inetChecksum, ip4, ip6, mac, naFrame, vrrpFrame } from '../support/vrrp-frames.js';

/** Inserts 802.1Q/802.1ad tags after the MAC addresses, outermost first. */
export function tagged(frame: Buffer, vlans: number[]): Buffer {
  const tags = vlans.map((v, i) => {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(vlans.length > 1 && i === 0 ? 0x88a8 : 0x8100, 0);
    t.writeUInt16BE(v, 2);
    return t;
  });
  return Buffer.concat([frame.subarray(0, 12), ...tags, frame.subarray(12)]);
}

function udp4(): Buffer {
  const payload = Buffer.from('vrrpwatch live test: not VRRP');
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(9, 2); // discard
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; ip.writeUInt16BE(20 + 8 + payload.length, 2); ip[8] = 64; ip[9] = 17;
  ip4('192.0.2.2').copy(ip, 12); ip4('192.0.2.1').copy(ip, 16);
  ip.writeUInt16BE(inetChecksum(ip), 10);
  return Buffer.concat([mac('02:00:00:00:00:01'), mac('02:00:00:00:00:02'), Buffer.from([0x08, 0x00]), ip, udp, payload]);
}

function ipv6(next: number, payload: Buffer, dstMac = '02:00:00:00:00:01'): Buffer {
  const ip = Buffer.alloc(40);
  ip.writeUInt32BE(0x60000000, 0); ip.writeUInt16BE(payload.length, 4); ip[6] = next; ip[7] = 64;
  ip6('2001:db8::2').copy(ip, 8); ip6('2001:db8::1').copy(ip, 24);
  return Buffer.concat([mac(dstMac), mac('02:00:00:00:00:02'), Buffer.from([0x86, 0xdd]), ip, payload]);
}

function udp6(): Buffer {
  const u = Buffer.alloc(8 + 16);
  u.writeUInt16BE(40000, 0); u.writeUInt16BE(9, 2); u.writeUInt16BE(u.length, 4);
  return ipv6(17, u);
}

/** A neighbour solicitation: ICMPv6 like the advertisement, type 135, which the filter leaves out. */
function nsFrame(): Buffer {
  const f = naFrame('2001:db8::100', '02:00:00:00:00:02');
  f[54] = 135;
  return f;
}

/**
 * An echo request long enough to have byte 156 (in the untagged frame) equal to 112. A filter
 * whose `ip6[40] == 136` comes before `vlan` lets it through when it arrives tagged (libpcap 1.10
 * reuses the comparison's scratch register for the VLAN offset): the regression the default
 * filter's layout avoids.
 */
function longEcho(): Buffer {
  const icmp = Buffer.alloc(160);
  icmp[0] = 128;
  icmp.fill(112, 8);
  return ipv6(58, icmp);
}

export interface NamedFrame {
  name: string;
  bytes: Buffer;
}

/** What decoding a matching frame must give: its kind, VLAN ids and one identifying field. */
export interface Expected extends NamedFrame {
  kind: 'vrrp' | 'arp' | 'neighbor-advert';
  vlans: number[];
  /** VRRP: "v<version> ipv<family> vrid <n>"; ARP: the sender IP; NA: the target. */
  key: string;
}

const V6 = { family: 6 as const, version: 3, addresses: ['2001:db8::100'] };

function vrrp(version: 2 | 3, family: 4 | 6, vrid: number, vlans: number[] = []): Expected {
  const tags = vlans.length ? ` vlan ${vlans.join('.')}` : '';
  const bytes = family === 4
    ? vrrpFrame({ version, vrid, interval: version === 3 ? 100 : 1, src: `192.0.2.${vrid}`, vlans })
    : vrrpFrame({ ...V6, vrid, src: `fe80::${vrid}`, vlans });
  return { name: `VRRPv${version} IPv${family}${tags}`, bytes, kind: 'vrrp', vlans, key: `v${version} ipv${family} vrid ${vrid}` };
}

function arp(ip: string, vlans: number[] = []): Expected {
  const tags = vlans.length ? ` vlan ${vlans.join('.')}` : '';
  return { name: `ARP${tags}`, bytes: tagged(arpFrame(ip, '00:00:5e:00:01:0b'), vlans), kind: 'arp', vlans, key: ip };
}

function na(target: string, vlans: number[] = []): Expected {
  const tags = vlans.length ? ` vlan ${vlans.join('.')}` : '';
  return { name: `NA${tags}`, bytes: tagged(naFrame(target, '00:00:5e:00:02:0d'), vlans), kind: 'neighbor-advert', vlans, key: target };
}

/** Every kind the default filter is for, untagged, tagged and double tagged (802.1ad outside). */
export const MATCHING: Expected[] = [
  vrrp(2, 4, 11),
  vrrp(3, 4, 12),
  vrrp(3, 6, 13),
  vrrp(2, 4, 14, [30]),
  vrrp(3, 4, 15, [31]),
  vrrp(3, 6, 16, [32]),
  vrrp(2, 4, 17, [100, 30]),
  vrrp(3, 6, 18, [100, 32]),
  arp('192.0.2.100'),
  arp('192.0.2.101', [30]),
  arp('192.0.2.102', [100, 30]),
  na('2001:db8::100'),
  na('2001:db8::101', [32]),
  na('2001:db8::102', [100, 32]),
];

/** A matching frame to send last: once it is captured, everything sent before it was seen. */
export const END_MARKER: Expected = arp('192.0.2.254');

/** Traffic the default filter must leave out, tagged or not. */
export const NOT_MATCHING: NamedFrame[] = [
  { name: 'UDP IPv4', bytes: udp4() },
  { name: 'UDP IPv4 vlan 30', bytes: tagged(udp4(), [30]) },
  { name: 'UDP IPv6', bytes: udp6() },
  { name: 'UDP IPv6 vlan 100.32', bytes: tagged(udp6(), [100, 32]) },
  { name: 'ICMPv6 NS', bytes: nsFrame() },
  { name: 'ICMPv6 NS vlan 32', bytes: tagged(nsFrame(), [32]) },
  { name: 'ICMPv6 echo, byte 156 = 112', bytes: longEcho() },
  { name: 'ICMPv6 echo, byte 156 = 112, vlan 32', bytes: tagged(longEcho(), [32]) },
];
