// One fixture per rule: each finding appears when its rule is broken, and only then.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/decode/frame.js';
import { validateVrrp } from '../../src/decode/validate.js';
import { LinkType, type FindingCode } from '../../src/decode/types.js';
import { vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

function codes(spec: FrameSpec): FindingCode[] {
  const f = decodeFrame(LinkType.ETHERNET, vrrpFrame(spec));
  if (f.kind !== 'vrrp') throw new Error(`not vrrp: ${f.kind}`);
  return validateVrrp(f).map((x) => x.code);
}

describe('validateVrrp', () => {
  it('a clean v2, v3/IPv4 and v3/IPv6 advert with the virtual MAC has no finding', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ version: 3, interval: 100 })).toEqual([]);
    expect(codes({ family: 6, version: 3, interval: 100, addresses: ['fe80::1:1', '2001:db8::1'] })).toEqual([]);
  });

  it.each<[string, FrameSpec, FindingCode]>([
    ['bad checksum', { checksum: 0x1234 }, 'bad-checksum'],
    ['TTL 254', { ttl: 254 }, 'bad-ttl'],
    ['hop limit 64', { family: 6, version: 3, interval: 100, ttl: 64 }, 'bad-ttl'],
    ['version 4', { version: 4 }, 'unknown-version'],
    ['type 2', { type: 2 }, 'unknown-type'],
    ['count past the end', { count: 4 }, 'truncated'],
    ['VRID 0', { vrid: 0, srcMac: '00:00:5e:00:01:00' }, 'vrid-zero'],
    ['interval 0', { interval: 0 }, 'interval-zero'],
    ['v3 interval 0', { version: 3, interval: 0 }, 'interval-zero'],
    ['v3 count 0', { version: 3, interval: 100, addresses: [] }, 'count-zero'],
    ['v3 reserved bits', { version: 3, interval: 100, reserved: 8 }, 'reserved-bits'],
    ['v3 with v2 auth', { version: 3, interval: 100, trailer: Buffer.from('secret\0\0') }, 'v3-auth'],
    ['unknown auth type', { authType: 9 }, 'auth-type'],
    ['v2 over IPv6', { family: 6, version: 2 }, 'family-mismatch'],
    ['v3 IPv4 message-only checksum', { version: 3, interval: 100, messageOnly: true }, 'checksum-message-only'],
    ['IPv6 first VIP global', { family: 6, version: 3, interval: 100, addresses: ['2001:db8::1'] }, 'ipv6-first-not-link-local'],
    ['unicast', { dst: '192.0.2.2' }, 'unicast-destination'],
    ['physical source MAC', { srcMac: '52:54:00:00:00:01' }, 'source-mac'],
  ])('%s -> %s', (_name, spec, code) => {
    expect(codes(spec)).toContain(code);
  });

  it('messages name the VRID and the sender and say what receivers do', () => {
    const f = decodeFrame(LinkType.ETHERNET, vrrpFrame({ ttl: 64, vrid: 42, src: '192.0.2.7' }));
    if (f.kind !== 'vrrp') throw new Error('not vrrp');
    const ttl = validateVrrp(f).find((x) => x.code === 'bad-ttl');
    expect(ttl?.message).toBe('VRID 42 from 192.0.2.7: TTL 64, must be 255: the advert crossed a router or was forged; receivers discard it');
  });
});
