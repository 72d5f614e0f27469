// The in-place reading of an advert (a flood's adverts are turned away on it, undecoded) must read
// what decodeFrame() reads, and the receive rules must judge both the same: on random adverts from
// the test builder, with random fields, checksums broken or not, and random bytes overwritten.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advertInPlace, readAdvertInPlace } from '../../src/decode/advert-in-place.js';
import { ipv4Word } from '../../src/decode/address.js';
import { decodeFrame } from '../../src/decode/frame.js';
import { DISCARD_REASONS, discardMask, discardsOf, factsOf, firstDiscard } from '../../src/rules/receive.js';
import { inetChecksum, vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

const spec = fc.record({
  version: fc.constantFrom(2, 3, 2, 3, 1, 7),
  type: fc.constantFrom(1, 1, 1, 2, 0),
  vrid: fc.integer({ min: 0, max: 255 }),
  priority: fc.integer({ min: 0, max: 255 }),
  interval: fc.integer({ min: 0, max: 300 }),
  ttl: fc.constantFrom(255, 255, 64, 1),
  addresses: fc.array(fc.constantFrom('192.0.2.100', '198.51.100.7', '192.0.2.200'), { minLength: 0, maxLength: 3 }),
  count: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 1 }),
  src: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `198.51.${a}.${b}`),
  badChecksum: fc.boolean(),
  messageOnly: fc.boolean(),
  padding: fc.constantFrom(0, 0, 6, 20),
  trailer: fc.constantFrom(0, 0, 4),
  vlans: fc.constantFrom<number[]>([], [], [], [], [], [10]),
  snap: fc.constantFrom(0, 0, 0, 0, 0, 0, 40, 46, 50),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function build(x: Spec): Buffer {
  const s: FrameSpec = {
    version: x.version, type: x.type, vrid: x.vrid, priority: x.priority, interval: x.interval, ttl: x.ttl,
    addresses: x.addresses, count: x.count, src: x.src, messageOnly: x.messageOnly, padding: x.padding, vlans: x.vlans,
    ...(x.trailer > 0 ? { trailer: Buffer.alloc(x.trailer, 0xab) } : {}),
    ...(x.badChecksum ? { checksum: 0x1234 } : {}),
    ...(x.snap > 0 ? { snap: x.snap } : {}),
  };
  return vrrpFrame(s);
}

/** What the in-place reading and the decoder must agree on, from the decoded side. */
function decoded(frame: Uint8Array) {
  const f = decodeFrame(1, frame);
  if (f.kind !== 'vrrp') return { kind: f.kind };
  const facts = factsOf(f);
  return {
    kind: f.kind, complete: !f.vrrp.truncated && !f.vrrp.authMissing,
    ...facts, priority: f.vrrp.priority, source: ipv4Word(f.ip.src), mask: discardMask(facts),
    reasons: discardsOf(f).map((d) => d.reason),
  };
}

function inPlace(buffer: Uint8Array, s: number, n: number) {
  const a = advertInPlace();
  if (!readAdvertInPlace(buffer, s, n, a)) return null;
  const mask = discardMask(a);
  return {
    kind: 'vrrp', complete: true,
    ttl: a.ttl, version: a.version, type: a.type, checksumOk: a.checksumOk, ipChecksumOk: a.ipChecksumOk,
    vrid: a.vrid, count: a.count, intervalRaw: a.intervalRaw, priority: a.priority, source: a.source, mask,
    reasons: DISCARD_REASONS.filter((_, i) => (mask & (1 << i)) !== 0),
  };
}

/** The frame inside a larger buffer, as the capture parser hands frames over. */
function embedded(frame: Uint8Array, before: number): [Uint8Array, number] {
  const b = new Uint8Array(before + frame.length + 13).fill(0x5a);
  b.set(frame, before);
  return [b, before];
}

describe('an advert read in place', () => {
  it('reads what the decoder reads, and the rules judge both alike (property)', () => {
    let read = 0;
    fc.assert(
      fc.property(spec, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 }), fc.integer({ min: 0, max: 40 }), (x, pokes, before) => {
        const frame = build(x);
        for (const [at, v] of pokes) frame[at % frame.length] = v;
        const [buffer, s] = embedded(frame, before);
        const got = inPlace(buffer, s, frame.length);
        if (got === null) return;
        read++;
        expect(got).toEqual(decoded(frame));
      }),
      { numRuns: 3000 },
    );
    expect(read).toBeGreaterThan(600); // the property says something
  });

  it('reads every complete untagged IPv4 advert of version 2 or 3, whatever rule it breaks', () => {
    for (const version of [2, 3]) {
      for (const extra of [{}, { ttl: 64 }, { checksum: 0x1234 }, { vrid: 0 }, { type: 2 }, { interval: 0 }, { padding: 12 }, { messageOnly: true }]) {
        const frame = vrrpFrame({ version, ...(version === 3 ? { interval: 100 } : {}), ...extra });
        expect(inPlace(frame, 0, frame.length), JSON.stringify({ version, extra })).toEqual(decoded(frame));
      }
    }
  });

  it('leaves to the decoder what it does not read', () => {
    const none = (frame: Uint8Array) => expect(inPlace(frame, 0, frame.length)).toBeNull();
    none(vrrpFrame({ vlans: [10] }));
    none(vrrpFrame({ family: 6, version: 3, src: 'fe80::1', interval: 100, addresses: ['fe80::100'] }));
    none(vrrpFrame({ snap: 44 })); // cut by the snap length
    none(vrrpFrame({ count: 5 })); // addresses announced past the message
    none(vrrpFrame({ version: 1 }));
    const fragment = vrrpFrame();
    fragment[20] = 0x20; // more fragments
    fragment.writeUInt16BE(0, 24);
    fragment.writeUInt16BE(inetChecksum(fragment.subarray(14, 34)), 24);
    none(fragment);
    const tso = vrrpFrame();
    tso.writeUInt16BE(0, 16); // total length 0: the decoder's to judge
    none(tso);
  });

  it('a broken IPv4 header checksum is a discard read in place too', () => {
    const frame = vrrpFrame({ ttl: 64 });
    frame[24] = frame[24]! ^ 0xff;
    const got = inPlace(frame, 0, frame.length);
    expect(got?.reasons).toEqual(['ttl', 'ip-checksum']);
    expect(firstDiscard(got?.mask ?? 0)).toBe('ttl');
    expect(got).toEqual(decoded(frame));
  });
});
