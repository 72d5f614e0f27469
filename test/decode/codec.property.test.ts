// Round trips for every layer, and the encoders checked byte for byte against the independent builder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advertFrameLength, decodeFrame, encodeAdvertFrame, type AdvertFrameSpec } from '../../src/decode/frame.js';
import { decodeLink, encodeEthernet, ethernetEncodingLength } from '../../src/decode/link.js';
import { decodeIpv4, decodeIpv6, encodeIpv4, encodeIpv6 } from '../../src/decode/ip.js';
import { ipv6At, writeIpv6 } from '../../src/decode/bytes.js';
import { LinkType } from '../../src/decode/types.js';
import { ip6, vrrpFrame } from '../support/vrrp-frames.js';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const ipv6Bytes = fc.uint8Array({ minLength: 16, maxLength: 16 });
const ipv6 = ipv6Bytes.map((b) => ipv6At(b, 0));
const macArb = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':'));
const authText = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), maxLength: 8 });

const advert = fc.record({
  family: fc.constantFrom(4 as const, 6 as const),
  version: fc.constantFrom(2 as const, 3 as const),
  vrid: fc.integer({ min: 1, max: 255 }),
  priority: fc.nat(255),
  interval: fc.integer({ min: 1, max: 255 }),
  interval3: fc.integer({ min: 1, max: 4095 }),
  auth: authText,
  authType: fc.constantFrom(0, 1),
  n: fc.integer({ min: 0, max: 12 }),
  v4s: fc.array(ipv4, { minLength: 13, maxLength: 13 }),
  v6s: fc.array(ipv6, { minLength: 13, maxLength: 13 }),
  vlans: fc.array(fc.integer({ min: 1, max: 4094 }), { maxLength: 2 }),
  srcMac: macArb,
  ttl: fc.nat(255),
  messageOnly: fc.boolean(),
});

type Advert = typeof advert extends fc.Arbitrary<infer T> ? T : never;

function specs(a: Advert) {
  const version = a.family === 6 ? 3 : a.version;
  const addresses = (a.family === 4 ? a.v4s : a.v6s).slice(0, a.n);
  const src = a.family === 4 ? a.v4s[12]! : a.v6s[12]!;
  const dst = a.family === 4 ? '224.0.0.18' : 'ff02::12';
  const interval = version === 3 ? a.interval3 : a.interval;
  const messageOnly = version === 3 && a.family === 4 && a.messageOnly;
  const builder = vrrpFrame({
    family: a.family, version, vrid: a.vrid, priority: a.priority, interval, addresses, src, dst, ttl: a.ttl,
    srcMac: a.srcMac, vlans: a.vlans, messageOnly,
    ...(version === 2 ? { authType: a.authType, auth: a.authType === 1 ? a.auth : '' } : {}),
  });
  const ours: AdvertFrameSpec = {
    ethernet: { dstMac: a.family === 4 ? '01:00:5e:00:00:12' : '33:33:00:00:00:12', srcMac: a.srcMac, vlans: a.vlans },
    ...(a.family === 4
      ? { ip: { family: 4 as const, src, dst, ttl: a.ttl, tos: 0xc0, id: 0, flags: 0, fragmentOffset: 0 } }
      : { ip: { family: 6 as const, src, dst, hopLimit: a.ttl, trafficClass: 0xe0, flowLabel: 0 } }),
    vrrp: {
      version, type: 1, vrid: a.vrid, priority: a.priority, intervalRaw: interval, addresses,
      ...(version === 2 ? { authType: a.authType, authData: Buffer.from(a.authType === 1 ? a.auth : '', 'latin1') } : {}),
    },
  };
  return { builder, ours, version, addresses, interval, messageOnly };
}

describe('VRRP frame codec', () => {
  it('our encoder writes exactly the bytes of the independent builder', () => {
    fc.assert(fc.property(advert, (a) => {
      const { builder, ours, messageOnly } = specs(a);
      const buf = new Uint8Array(advertFrameLength(ours));
      const n = encodeAdvertFrame(ours, buf, 0, messageOnly ? { checksumForm: 'message-only' } : {});
      expect(n).toBe(builder.length);
      expect(Buffer.from(buf).toString('hex')).toBe(builder.toString('hex'));
    }), { numRuns: 500 });
  });

  it('decoding the builder bytes gives back every field, with a good checksum in the right form', () => {
    fc.assert(fc.property(advert, (a) => {
      const { builder, version, addresses, interval, messageOnly } = specs(a);
      const f = decodeFrame(LinkType.ETHERNET, builder);
      if (f.kind !== 'vrrp') throw new Error(`got ${f.kind}`);
      expect(f.link.vlans).toEqual(a.vlans);
      expect(f.link.srcMac).toBe(a.srcMac);
      expect(f.vrrp).toMatchObject({ version, vrid: a.vrid, priority: a.priority, count: addresses.length, intervalRaw: interval, addresses, truncated: false });
      if (version === 2) {
        expect(f.vrrp.authType).toBe(a.authType);
        expect(f.vrrp.authString).toBe(a.authType === 1 ? a.auth : null);
      }
      expect(f.checksum.ok).toBe(true);
      expect(f.checksum.form).toBe(version === 2 ? 'message' : messageOnly ? 'message-only' : 'pseudo-header');
    }), { numRuns: 1000 });
  });
});

describe('layer round trips', () => {
  it('Ethernet with 0-2 VLAN tags', () => {
    fc.assert(fc.property(macArb, macArb, fc.array(fc.integer({ min: 0, max: 4095 }), { maxLength: 2 }), fc.integer({ min: 0x0600, max: 0xffff }).filter((t) => ![0x8100, 0x88a8, 0x9100].includes(t)), (dst, src, vlans, etherType) => {
      const h = { dstMac: dst, srcMac: src, vlans, etherType };
      const buf = new Uint8Array(ethernetEncodingLength(h));
      encodeEthernet(h, buf, 0);
      expect(decodeLink(LinkType.ETHERNET, buf)).toEqual({ ...h, networkOffset: buf.length });
    }));
  });

  it('IPv4 header', () => {
    fc.assert(fc.property(ipv4, ipv4, fc.nat(255), fc.nat(255), fc.nat(0xffff), fc.nat(255), fc.integer({ min: 0, max: 1400 }), (src, dst, ttl, tos, id, protocol, payloadLength) => {
      const buf = new Uint8Array(20 + payloadLength);
      encodeIpv4({ src, dst, ttl, tos, id, flags: 2, fragmentOffset: 0, protocol, payloadLength }, buf, 0);
      expect(decodeIpv4(buf, 0)).toMatchObject({ src, dst, ttl, tos, id, flags: 2, protocol, payloadLength, headerChecksumOk: true, fragment: false });
    }));
  });

  it('IPv6 header, and address text parsing agrees with the builder', () => {
    fc.assert(fc.property(ipv6Bytes, ipv6Bytes, fc.nat(255), fc.nat(255), fc.nat(0xfffff), fc.integer({ min: 0, max: 1400 }), (s, d, hopLimit, trafficClass, flowLabel, payloadLength) => {
      const src = ipv6At(s, 0), dst = ipv6At(d, 0);
      expect(ip6(src).equals(Buffer.from(s))).toBe(true);
      const back = new Uint8Array(16);
      expect(writeIpv6(src, back, 0)).toBe(true);
      expect([...back]).toEqual([...s]);
      const buf = new Uint8Array(40 + payloadLength);
      encodeIpv6({ src, dst, hopLimit, trafficClass, flowLabel, protocol: 112, payloadLength }, buf, 0);
      expect(decodeIpv6(buf, 0)).toMatchObject({ src, dst, hopLimit, trafficClass, flowLabel, protocol: 112, payloadLength });
    }));
  });
});

describe('ARP and neighbour advert encoders', () => {
  it('ARP: encode -> decode gives the message back, and a gratuitous one matches the builder', async () => {
    const { encodeArp, decodeArp, ARP_LENGTH } = await import('../../src/decode/neighbor.js');
    fc.assert(fc.property(fc.constantFrom(1, 2), macArb, ipv4, macArb, ipv4, (operation, senderMac, senderIp, targetMac, targetIp) => {
      const buf = new Uint8Array(ARP_LENGTH);
      encodeArp({ operation, senderMac, senderIp, targetMac, targetIp }, buf, 0);
      expect(decodeArp(buf, 0)).toEqual({ operation, senderMac, senderIp, targetMac, targetIp, gratuitous: senderIp === targetIp });
    }));
    const { arpFrame } = await import('../support/vrrp-frames.js');
    const golden = arpFrame('192.0.2.100', '52:54:00:00:00:0b');
    const buf = new Uint8Array(ARP_LENGTH);
    encodeArp({ operation: 1, senderMac: '52:54:00:00:00:0b', senderIp: '192.0.2.100', targetMac: '00:00:00:00:00:00', targetIp: '192.0.2.100' }, buf, 0);
    expect(Buffer.from(buf).equals(golden.subarray(14))).toBe(true);
  });

  it('NA: our bytes equal the builder (checksum included), and decode back', async () => {
    const { encodeNeighborAdvert, NA_LENGTH } = await import('../../src/decode/neighbor.js');
    const { naFrame } = await import('../support/vrrp-frames.js');
    fc.assert(fc.property(ipv6, macArb, ipv6Bytes.map((b) => { b[0] = 0xfe; b[1] = 0x80; return ipv6At(b, 0); }), (target, mac, src) => {
      const golden = naFrame(target, mac, src);
      const buf = new Uint8Array(golden.length);
      buf.set(golden.subarray(0, 54));
      encodeNeighborAdvert({ target, targetMac: mac, router: false, solicited: false, override: true }, buf, 54, 14);
      expect(Buffer.from(buf).toString('hex')).toBe(golden.toString('hex'));
      const f = decodeFrame(LinkType.ETHERNET, buf);
      expect(f).toMatchObject({ kind: 'neighbor-advert', na: { target, targetMac: mac, override: true } });
      expect(NA_LENGTH).toBe(32);
    }));
  });
});
