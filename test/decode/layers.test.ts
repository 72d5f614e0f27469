// Every link layer and network-layer path down to VRRP, built by the independent builder.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/decode/frame.js';
import { LinkType, type DecodedFrame } from '../../src/decode/types.js';
import { arpFrame, mac, naFrame, vrrpFrame } from '../support/vrrp-frames.js';

const kindOf = (f: DecodedFrame): string => (f.kind === 'malformed' ? `malformed ${f.layer}: ${f.reason}` : f.kind);

function vrrp(f: DecodedFrame) {
  if (f.kind !== 'vrrp') throw new Error(`expected vrrp, got ${kindOf(f)}`);
  return f;
}

const eth = vrrpFrame({ vrid: 7, priority: 120, src: '192.0.2.11', addresses: ['192.0.2.100'] });
const ipPart = eth.subarray(14);

describe('link layers', () => {
  it('Ethernet II keeps both MACs', () => {
    const f = vrrp(decodeFrame(LinkType.ETHERNET, eth));
    expect(f.link).toMatchObject({ srcMac: '00:00:5e:00:01:07', dstMac: '01:00:5e:00:00:12', vlans: [] });
    expect(f.vrrp).toMatchObject({ vrid: 7, priority: 120 });
  });

  it('802.1Q and QinQ keep the VLAN ids, outermost first', () => {
    expect(vrrp(decodeFrame(LinkType.ETHERNET, vrrpFrame({ vlans: [30] }))).link.vlans).toEqual([30]);
    const q = vrrp(decodeFrame(LinkType.ETHERNET, vrrpFrame({ vlans: [42, 43] })));
    expect(q.link.vlans).toEqual([42, 43]);
    expect(q.checksum.ok).toBe(true);
  });

  it('Linux cooked SLL and SLL2 (tcpdump -i any) carry the source MAC', () => {
    const sll = Buffer.alloc(16);
    sll.writeUInt16BE(0, 0); sll.writeUInt16BE(1, 2); sll.writeUInt16BE(6, 4); mac('52:54:00:12:34:56').copy(sll, 6); sll.writeUInt16BE(0x0800, 14);
    const f = vrrp(decodeFrame(LinkType.LINUX_SLL, Buffer.concat([sll, ipPart])));
    expect(f.link).toMatchObject({ srcMac: '52:54:00:12:34:56', dstMac: null });
    const sll2 = Buffer.alloc(20);
    sll2.writeUInt16BE(0x0800, 0); sll2.writeUInt32BE(3, 4); sll2.writeUInt16BE(1, 8); sll2[10] = 0; sll2[11] = 6; mac('52:54:00:ab:cd:ef').copy(sll2, 12);
    expect(vrrp(decodeFrame(LinkType.LINUX_SLL2, Buffer.concat([sll2, ipPart]))).link.srcMac).toBe('52:54:00:ab:cd:ef');
  });

  it('raw IPv4/IPv6 and BSD loopback in either byte order', () => {
    expect(vrrp(decodeFrame(LinkType.RAW, ipPart)).vrrp.vrid).toBe(7);
    expect(vrrp(decodeFrame(LinkType.IPV4, ipPart)).vrrp.vrid).toBe(7);
    const v6 = vrrpFrame({ family: 6, version: 3, interval: 100, vrid: 9 }).subarray(14);
    expect(vrrp(decodeFrame(LinkType.RAW, v6)).vrrp.vrid).toBe(9);
    expect(vrrp(decodeFrame(LinkType.IPV6, v6)).vrrp.vrid).toBe(9);
    expect(vrrp(decodeFrame(LinkType.NULL, Buffer.concat([Buffer.from([2, 0, 0, 0]), ipPart]))).vrrp.vrid).toBe(7);
    expect(vrrp(decodeFrame(LinkType.NULL, Buffer.concat([Buffer.from([0, 0, 0, 2]), ipPart]))).vrrp.vrid).toBe(7);
    expect(vrrp(decodeFrame(LinkType.NULL, Buffer.concat([Buffer.from([30, 0, 0, 0]), v6]))).vrrp.vrid).toBe(9);
    expect(vrrp(decodeFrame(LinkType.LOOP, Buffer.concat([Buffer.from([0, 0, 0, 2]), ipPart]))).vrrp.vrid).toBe(7);
  });

  it('Frame Relay with the IPv4 NLPID', () => {
    expect(vrrp(decodeFrame(LinkType.FRELAY, Buffer.concat([Buffer.from([0x18, 0x41, 0x03, 0xcc]), ipPart]))).vrrp.vrid).toBe(7);
  });

  it('an unsupported link type is reported as such, not as damage', () => {
    expect(decodeFrame(105, eth)).toEqual({ kind: 'unsupported-link', linkType: 105 });
  });
});

describe('network layer', () => {
  it('trims Ethernet padding to the IPv4 total length', () => {
    const f = vrrp(decodeFrame(LinkType.ETHERNET, vrrpFrame({ padding: 12 })));
    expect(f.vrrp.length).toBe(20);
    expect(f.vrrp.trailingBytes).toBe(0);
    expect(f.checksum.ok).toBe(true);
  });

  it('skips IPv4 options and verifies the header checksum', () => {
    const base = vrrpFrame();
    const ip = Buffer.from(base.subarray(14, 34));
    const withOpts = Buffer.concat([ip, Buffer.from([1, 1, 1, 0])]); // NOP NOP NOP EOL
    withOpts[0] = 0x46; withOpts.writeUInt16BE(base.length - 14 + 4, 2); withOpts.writeUInt16BE(0, 10);
    let sum = 0; for (let i = 0; i < 24; i += 2) sum += withOpts.readUInt16BE(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    withOpts.writeUInt16BE(~sum & 0xffff, 10);
    const f = vrrp(decodeFrame(LinkType.ETHERNET, Buffer.concat([base.subarray(0, 14), withOpts, base.subarray(34)])));
    expect(f.ip).toMatchObject({ headerLength: 24, headerChecksumOk: true });
    expect(f.vrrp.vrid).toBe(51);
    const broken = Buffer.from(base); broken[24] = broken[24]! ^ 0xff;
    expect(vrrp(decodeFrame(LinkType.ETHERNET, broken)).ip).toMatchObject({ headerChecksumOk: false });
  });

  it('counts IPv4 fragments of protocol 112 without decoding them', () => {
    const frag = Buffer.from(vrrpFrame());
    frag[20] = 0x20; // MF
    expect(decodeFrame(LinkType.ETHERNET, frag).kind).toBe('vrrp-fragment');
  });

  it('walks IPv6 hop-by-hop and destination options; a fragment header stops at a fragment', () => {
    const base = vrrpFrame({ family: 6, version: 3, interval: 100 });
    const l2 = base.subarray(0, 14), ip = Buffer.from(base.subarray(14, 54)), msg = base.subarray(54);
    const hbh = Buffer.from([60, 0, 1, 4, 0, 0, 0, 0]); // next: dest opts; PadN
    const dst = Buffer.from([112, 0, 1, 4, 0, 0, 0, 0]);
    ip[6] = 0; ip.writeUInt16BE(msg.length + 16, 4);
    const f = vrrp(decodeFrame(LinkType.ETHERNET, Buffer.concat([l2, ip, hbh, dst, msg])));
    expect(f.ip).toMatchObject({ family: 6, protocol: 112, payloadLength: msg.length });
    expect(f.checksum.ok).toBe(true);
    const fragHdr = Buffer.from([112, 0, 0, 1, 0, 0, 0, 1]);
    const ip2 = Buffer.from(ip); ip2[6] = 44; ip2.writeUInt16BE(msg.length + 8, 4);
    expect(decodeFrame(LinkType.ETHERNET, Buffer.concat([l2, ip2, fragHdr, msg])).kind).toBe('vrrp-fragment');
  });

  it('reports the layer and offset of damage and never throws', () => {
    const f = decodeFrame(LinkType.ETHERNET, vrrpFrame().subarray(0, 30));
    expect(f).toMatchObject({ kind: 'malformed', cause: 'truncated', layer: 'ipv4', offset: 14 });
    expect(decodeFrame(LinkType.ETHERNET, Buffer.alloc(5))).toMatchObject({ kind: 'malformed', cause: 'truncated', layer: 'link', offset: 0 });
    const tags = Buffer.concat([vrrpFrame().subarray(0, 12), Buffer.from('8100000181000002810000038100000481000005', 'hex'), vrrpFrame().subarray(12)]);
    expect(decodeFrame(LinkType.ETHERNET, tags)).toMatchObject({ kind: 'malformed', cause: 'too-deep', layer: 'vlan', offset: 30 });
    const v6in4 = vrrpFrame(); v6in4[14] = 0x65;
    expect(decodeFrame(LinkType.ETHERNET, v6in4)).toMatchObject({ kind: 'malformed', cause: 'bad-version', layer: 'ipv4', offset: 14 });
  });

  it('a VRRP header cut before its 8th byte keeps every field present, absent ones null, and where it was cut', () => {
    // Cut by the capture: 4 of the 20 bytes (version/type, VRID, priority, count).
    const g = decodeFrame(LinkType.ETHERNET, vrrpFrame({ vrid: 7, priority: 200 }).subarray(0, 38));
    expect(g).toMatchObject({ kind: 'malformed', cause: 'truncated', layer: 'vrrp', offset: 38 });
    expect(g.kind === 'malformed' && g.vrrp).toEqual({
      version: 2, type: 1, vrid: 7, priority: 200, count: 1, authType: null, intervalRaw: null, intervalCs: null, checksum: null,
      length: 20, capturedLength: 4, truncated: true, truncatedAt: 38, offset: 34,
    });
    // Cut by the sender: an IPv4 total length that leaves 6 bytes of VRRPv3 (the interval is there).
    const short = vrrpFrame({ version: 3, interval: 0x123 });
    short.writeUInt16BE(26, 16);
    const h = decodeFrame(LinkType.ETHERNET, short);
    expect(h).toMatchObject({ kind: 'malformed', cause: 'bad-length', layer: 'vrrp', offset: 40 });
    expect(h.kind === 'malformed' && h.vrrp).toMatchObject({ version: 3, authType: null, intervalRaw: 0x123, intervalCs: 0x123, length: 6, capturedLength: 6, truncatedAt: 40 });
    // Nothing of the message at all: still said where, with every field null.
    const none = decodeFrame(LinkType.ETHERNET, vrrpFrame().subarray(0, 34));
    expect(none.kind === 'malformed' && none.vrrp).toMatchObject({ version: null, type: null, vrid: null, capturedLength: 0, truncatedAt: 34 });
  });

  it('decodes a snap-length cut VRRP message partially and flags it truncated', () => {
    const f = vrrp(decodeFrame(LinkType.ETHERNET, vrrpFrame({ addresses: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], snap: 14 + 20 + 12 })));
    expect(f.vrrp).toMatchObject({ count: 3, addresses: ['192.0.2.1'], truncated: true, truncatedAt: 46 });
    expect(f.checksum.ok).toBeNull();
  });

  it('decodes an address count larger than the message as truncated, without reading past it', () => {
    const f = vrrp(decodeFrame(LinkType.ETHERNET, vrrpFrame({ count: 255, addresses: ['192.0.2.1'] })));
    expect(f.vrrp).toMatchObject({ count: 255, truncated: true });
    expect(f.vrrp.addresses.length).toBeLessThanOrEqual(3);
  });
});

describe('CARP, ARP and neighbour adverts', () => {
  it('recognises CARP (36 bytes, authlen 7) and does not call it broken VRRP', () => {
    const carp = Buffer.alloc(36);
    carp[0] = 0x21; carp[1] = 5; carp[2] = 0; carp[3] = 7; carp[5] = 1;
    const frame = vrrpFrame();
    const ip = Buffer.from(frame.subarray(14, 34)); ip.writeUInt16BE(56, 2);
    const f = decodeFrame(LinkType.ETHERNET, Buffer.concat([frame.subarray(0, 14), ip, carp]));
    expect(f).toMatchObject({ kind: 'carp', carp: { vhid: 5, authLength: 7, advbase: 1 } });
  });

  it('a VRRPv2 advert with 7 addresses is still VRRP', () => {
    const addrs = Array.from({ length: 7 }, (_, i) => `192.0.2.${i + 1}`);
    expect(vrrp(decodeFrame(LinkType.ETHERNET, vrrpFrame({ addresses: addrs }))).vrrp.addresses).toEqual(addrs);
  });

  it('gratuitous ARP and unsolicited NA name the MAC that claims the address', () => {
    expect(decodeFrame(LinkType.ETHERNET, arpFrame('192.0.2.100', '52:54:00:00:00:0b'))).toMatchObject({
      kind: 'arp', arp: { operation: 1, senderIp: '192.0.2.100', senderMac: '52:54:00:00:00:0b', gratuitous: true },
    });
    expect(decodeFrame(LinkType.ETHERNET, naFrame('2001:db8::100', '52:54:00:00:00:0c'))).toMatchObject({
      kind: 'neighbor-advert', na: { target: '2001:db8::100', targetMac: '52:54:00:00:00:0c', override: true },
    });
  });
});

describe('auth data', () => {
  const vrrpOf = (f: DecodedFrame) => {
    if (f.kind !== 'vrrp') throw new Error(`not an advert: ${f.kind}`);
    return f.vrrp;
  };

  it('eight zero bytes: one shared, all-zero array for every such advert; any other bytes: a copy of their own', () => {
    const a = vrrpOf(decodeFrame(LinkType.ETHERNET, vrrpFrame({ src: '192.0.2.1' })));
    const b = vrrpOf(decodeFrame(LinkType.ETHERNET, vrrpFrame({ src: '192.0.2.2' })));
    expect(a.authData).toBe(b.authData);
    expect([...a.authData!]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const frame = vrrpFrame({ authType: 1, auth: 'secret' });
    const c = vrrpOf(decodeFrame(LinkType.ETHERNET, frame));
    expect(Buffer.from(c.authData!).toString('latin1')).toBe('secret\0\0');
    frame.fill(0); // the capture's buffer is reused: the decoded data is not a view of it
    expect(Buffer.from(c.authData!).toString('latin1')).toBe('secret\0\0');
    expect(c.authData).not.toBe(a.authData);
  });
});
