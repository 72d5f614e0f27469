// Known answers from real captures and from other decoders' test suites, byte for byte.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/decode/frame.js';
import { validateVrrp } from '../../src/decode/validate.js';
import { LinkType, type DecodedFrame } from '../../src/decode/types.js';
import { inetChecksum, ip4, ip6 } from '../support/vrrp-frames.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function vrrpOf(f: DecodedFrame) {
  if (f.kind !== 'vrrp') throw new Error(`expected a VRRP frame, got ${f.kind}${f.kind === 'malformed' ? `: ${f.reason}` : ''}`);
  return f;
}

/** Raw IPv4 datagram around a VRRP payload, TTL 255, to 224.0.0.18. */
function ipv4Around(payload: Buffer, src: string, dst = '224.0.0.18'): Buffer {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; ip.writeUInt16BE(20 + payload.length, 2); ip[8] = 255; ip[9] = 112;
  ip4(src).copy(ip, 12); ip4(dst).copy(ip, 16); ip.writeUInt16BE(inetChecksum(ip), 10);
  return Buffer.concat([ip, payload]);
}

function ipv6Around(payload: Buffer, src: string, dst = 'ff02::12'): Buffer {
  const ip = Buffer.alloc(40);
  ip.writeUInt32BE(0x60000000, 0); ip.writeUInt16BE(payload.length, 4); ip[6] = 112; ip[7] = 255;
  ip6(src).copy(ip, 8); ip6(dst).copy(ip, 24);
  return Buffer.concat([ip, payload]);
}

describe('the keepalived/LVS advert of the foundation issue', () => {
  const frame = hex('45 00 00 28 c9 34 00 00 ff 70 06 7e 0a 01 01 a0 e0 00 00 12 21 33 c8 01 01 01 a7 c0 0a 01 01 a6 31 31 31 31 00 00 00 00');

  it('decodes every field as tcpdump and tshark do', () => {
    const f = vrrpOf(decodeFrame(LinkType.IPV4, frame));
    expect(f.ip).toMatchObject({ family: 4, src: '10.1.1.160', dst: '224.0.0.18', ttl: 255, headerChecksumOk: true });
    expect(f.vrrp).toMatchObject({
      version: 2, type: 1, vrid: 51, priority: 200, count: 1, authType: 1, authString: '1111',
      intervalRaw: 1, intervalCs: 100, checksum: 0xa7c0, addresses: ['10.1.1.166'], length: 20, truncated: false,
    });
    expect(f.checksum).toEqual({ ok: true, form: 'message', expected: 0xa7c0 });
    expect(validateVrrp(f).filter((x) => x.severity !== 'info')).toEqual([]);
  });

  it.each([
    ['21 34 64 01 01 01 0b c0 0a 01 01 a6 31 31 31 31 00 00 00 00', '10.1.1.162', 52, 100, 0x0bc0],
    ['21 33 64 01 01 01 0b c1 0a 01 01 a6 31 31 31 31 00 00 00 00', '10.1.1.162', 51, 100, 0x0bc1],
  ])('decodes %s from the same capture', (vrrpHex, src, vrid, prio, ck) => {
    const f = vrrpOf(decodeFrame(LinkType.IPV4, ipv4Around(hex(vrrpHex), src)));
    expect(f.vrrp).toMatchObject({ vrid, priority: prio, checksum: ck, addresses: ['10.1.1.166'], authString: '1111' });
    expect(f.checksum.ok).toBe(true);
  });

  it('flags a single flipped bit as a bad checksum and says what it should be', () => {
    const bad = Buffer.from(frame);
    bad[22] = 0xc9; // priority 200 -> 201
    const f = vrrpOf(decodeFrame(LinkType.IPV4, bad));
    expect(f.checksum.ok).toBe(false);
    expect(f.checksum.expected).toBe(0xa6c0);
    const codes = validateVrrp(f).map((x) => x.code);
    expect(codes).toContain('bad-checksum');
    expect(validateVrrp(f).find((x) => x.code === 'bad-checksum')?.message).toMatch(/VRID 51 from 10\.1\.1\.160: VRRP checksum 0xa7c0 is wrong \(should be 0xa6c0\)/);
  });
});

// research/implementations.md Appendix B: computed in Python and validated with tshark.
describe('golden vectors validated by tshark', () => {
  it('v2 without auth and with auth PASS "1111"', () => {
    for (const v of ['21 33 64 01 00 01 f2 10 c0 a8 c8 10 00000000 00000000', '21 33 64 01 01 01 8e ae c0 a8 c8 10 31313131 00000000']) {
      const f = vrrpOf(decodeFrame(LinkType.RAW, ipv4Around(hex(v), '192.168.200.1')));
      expect(f.checksum.ok).toBe(true);
      expect(f.vrrp.addresses).toEqual(['192.168.200.16']);
    }
  });

  it('v3/IPv4 with the pseudo-header, and the message-only (Cisco) form is recognised as such', () => {
    const pseudo = vrrpOf(decodeFrame(LinkType.RAW, ipv4Around(hex('31 33 64 01 00 64 78 74 c0 a8 c8 10'), '192.168.200.1')));
    expect(pseudo.checksum).toMatchObject({ ok: true, form: 'pseudo-header' });
    expect(pseudo.vrrp).toMatchObject({ version: 3, intervalRaw: 100, intervalCs: 100, authType: null, reserved: 0 });
    const cisco = vrrpOf(decodeFrame(LinkType.RAW, ipv4Around(hex('31 33 64 01 00 64 e1 ad c0 a8 c8 10'), '192.168.200.1')));
    expect(cisco.checksum).toMatchObject({ ok: true, form: 'message-only', expected: 0x7874 });
    expect(validateVrrp(cisco).map((x) => x.code)).toContain('checksum-message-only');
  });

  it('v3/IPv6 with two addresses', () => {
    const payload = Buffer.concat([hex('31 33 64 02 00 64 3f 5b'), ip6('fe80::51'), ip6('2001:db8::51')]);
    const f = vrrpOf(decodeFrame(LinkType.IPV6, ipv6Around(payload, 'fe80::1')));
    expect(f.checksum).toMatchObject({ ok: true, form: 'pseudo-header' });
    expect(f.vrrp.addresses).toEqual(['fe80::51', '2001:db8::51']);
  });

  // scapy test/scapy/layers/vrrp.uts
  it('scapy regression vectors', () => {
    const v3 = Buffer.concat([hex('31 02 fe 02 00 01 b2 5e'), ip4('20.0.1.2'), ip4('20.0.1.3')]);
    expect(vrrpOf(decodeFrame(LinkType.RAW, ipv4Around(v3, '20.0.0.3'))).checksum.ok).toBe(true);
    const v6 = Buffer.concat([hex('31 02 fe 02 00 01 48 1b'), ip6('2001:db8::2'), ip6('2001:db8::3')]);
    expect(vrrpOf(decodeFrame(LinkType.RAW, ipv6Around(v6, '2001:db8::1'))).checksum.ok).toBe(true);
  });
});

// PcapPlusPlus Tests/Packet++Test/PacketExamples/*.dat (hex of whole frames) with the values its VrrpTest.cpp asserts.
describe('PcapPlusPlus frames', () => {
  it('VRRP-V2: vrid 1 prio 100, 3 addresses, checksum 0x38fa, and no auth data at all', () => {
    const f = vrrpOf(decodeFrame(LinkType.ETHERNET, hex('01005e00001200005e00010108004500002800000000ff701a8dc0a8001ee000001221016403000138fac0a80001c0a80002c0a80003')));
    expect(f.vrrp).toMatchObject({ vrid: 1, priority: 100, count: 3, authType: 0, intervalRaw: 1, checksum: 0x38fa, addresses: ['192.168.0.1', '192.168.0.2', '192.168.0.3'], truncated: false, authMissing: true, authData: null });
    expect(f.checksum.ok).toBe(true);
    expect(validateVrrp(f).map((x) => x.code)).toContain('auth-missing');
  });

  it('VRRP-V3-IPv4: interval 1 cs, checksum 0x484d with the pseudo-header', () => {
    const f = vrrpOf(decodeFrame(LinkType.ETHERNET, hex('01005e00001200005e00010108004500002400000000ff701a91c0a8001ee0000012310164020001484dc0a80001c0a80002')));
    expect(f.vrrp).toMatchObject({ version: 3, vrid: 1, priority: 100, intervalRaw: 1, intervalCs: 1, checksum: 0x484d, addresses: ['192.168.0.1', '192.168.0.2'] });
    expect(f.checksum).toMatchObject({ ok: true, form: 'pseudo-header' });
  });

  it('VRRP-V3-IPv6: three addresses, checksum 0x1071', () => {
    const f = vrrpOf(decodeFrame(LinkType.ETHERNET, hex('01005e00001200005e00010186dd60000000003870fffe800000000000000000000000000001ff0200000000000000000000000000123101640300011071fe80000000000000000000000000025420010db800000000000000000000000120010db8000000000000000000000002')));
    expect(f.vrrp.addresses).toEqual(['fe80::254', '2001:db8::1', '2001:db8::2']);
    expect(f.checksum).toMatchObject({ ok: true, form: 'pseudo-header' });
  });
});
