// The frame memo alone: a remembered advert matches itself with another IPv4 identification and
// header checksum, read in place at any offset of a buffer, and nothing that differs in any other
// byte, under every link layer it handles.
import { describe, expect, it } from 'vitest';
import { FrameMemo, type Remembered } from '../../src/decode/frame-memo.js';
import { inetChecksum, vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

const router = (): Remembered => ({ stamp: 0, memoEntry: -1 });

/**
 * What the memo answers for a frame, through match() and, for Ethernet, through matchEthernet()
 * too (the analyzer's way in, with its own code for untagged IPv4): both must agree.
 */
function lookup(memo: FrameMemo<Remembered>, linkType: number, b: Uint8Array, s: number, n: number, iface: string | null): Remembered | null {
  const general = memo.match(linkType, b, s, n, iface);
  if (linkType === 1) expect(memo.matchEthernet(b, s, n, iface), 'matchEthernet agrees with match').toBe(general);
  return general;
}

/** `frame` at byte `at` of a larger buffer, as a capture chunk holds it. */
function inChunk(frame: Uint8Array, at: number): Uint8Array {
  const chunk = new Uint8Array(at + frame.length + 5).fill(0xa5);
  chunk.set(frame, at);
  return chunk;
}

/** The Ethernet frame under another link layer: [link type, frame, offset of the IP header]. */
function relink(frame: Buffer, link: string): [number, Buffer, number] {
  const ip = frame.subarray(14);
  const src = frame.subarray(6, 12);
  switch (link) {
    case 'raw':
      return [101, Buffer.from(ip), 0];
    case 'sll':
      return [113, Buffer.concat([Buffer.from([0, 2, 0, 1, 0, 6, ...src, 0, 0, 0x08, 0x00]), ip]), 16];
    case 'sll2':
      return [276, Buffer.concat([Buffer.from([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 2, 6, ...src, 0, 0]), ip]), 20];
    default:
      return [1, frame, 14];
  }
}

const specs: Record<string, FrameSpec> = {
  'v2 with auth': { src: '192.0.2.11', vrid: 51, priority: 150, authType: 1, auth: 'pass' },
  'v3, several VIPs': { version: 3, interval: 100, src: '192.0.2.12', addresses: ['192.0.2.100', '192.0.2.101', '192.0.2.102'] },
  'zero padding (+0 doubles)': { src: '192.0.2.13', padding: 24 },
  '-0 and NaN doubles': { src: '192.0.2.14', trailer: Buffer.from([0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x80, ...Array(8).fill(0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) },
  'two VLAN tags': { src: '192.0.2.15', vlans: [10, 20] },
  'IPv6': { family: 6, version: 3, interval: 100, src: 'fe80::15', addresses: ['fe80::100'] },
};

describe('frame memo', () => {
  for (const [name, spec] of Object.entries(specs)) {
    for (const link of spec.family === 6 || spec.vlans ? ['ethernet'] : ['ethernet', 'raw', 'sll', 'sll2']) {
      it(`${name}, ${link}: repeats match, every other byte changed does not`, () => {
        const [linkType, frame, ip] = relink(Buffer.from(vrrpFrame(spec)), link);
        const ipAt = spec.vlans ? ip + 4 * spec.vlans.length : ip;
        const skipped = spec.family === 6 ? [] : [ipAt + 4, ipAt + 5, ipAt + 10, ipAt + 11];
        const memo = new FrameMemo<Remembered>();
        const r = router();
        memo.remember(linkType, inChunk(frame, 3), 3, frame.length, 'eth0', r);

        for (const at of [0, 1, 2, 3, 7]) {
          expect(lookup(memo, linkType, inChunk(frame, at), at, frame.length, 'eth0')).toBe(r);
        }
        if (spec.family !== 6) {
          const again = Buffer.from(frame);
          again.writeUInt16BE(0x1234, ipAt + 4);
          again.writeUInt16BE(0, ipAt + 10);
          again.writeUInt16BE(inetChecksum(again.subarray(ipAt, ipAt + 20)), ipAt + 10);
          expect(lookup(memo, linkType, inChunk(again, 5), 5, again.length, 'eth0')).toBe(r);
        }
        expect(lookup(memo, linkType, inChunk(frame, 0), 0, frame.length, 'eth1')).toBeNull();

        for (let i = 0; i < frame.length; i++) {
          if (skipped.includes(i)) continue;
          for (const flip of [0x01, 0x80]) {
            const changed = Buffer.from(frame);
            changed[i]! ^= flip;
            const hit = lookup(memo, linkType, inChunk(changed, i % 8), i % 8, changed.length, 'eth0');
            expect(hit, `byte ${i} ^ ${flip}`).toBeNull();
          }
        }
      });
    }
  }

  it('holds thousands of senders, and never answers for another one when its slots are taken', () => {
    const memo = new FrameMemo<Remembered>();
    const senders = Array.from({ length: 10_000 }, (_, i) => ({
      frame: vrrpFrame({ src: `10.${(i >> 8) & 255}.${i & 255}.1`, vrid: 1 + (i % 255) }),
      router: router(),
    }));
    for (const x of senders) memo.remember(1, x.frame, 0, x.frame.length, null, x.router);
    let remembered = 0;
    for (const x of senders) {
      const hit = lookup(memo, 1, x.frame, 0, x.frame.length, null);
      if (hit !== null) {
        expect(hit).toBe(x.router);
        remembered++;
      }
    }
    expect(remembered).toBeGreaterThan(7_000); // 8192 slots
  });

  it('stops matching once its router changed or the sender was forgotten', () => {
    const frame = vrrpFrame({ src: '192.0.2.11' });
    const memo = new FrameMemo<Remembered>();
    const r = router();
    memo.remember(1, frame, 0, frame.length, null, r);
    expect(lookup(memo, 1, frame, 0, frame.length, null)).toBe(r);
    r.stamp++;
    expect(lookup(memo, 1, frame, 0, frame.length, null)).toBeNull();
    memo.remember(1, frame, 0, frame.length, null, r);
    expect(lookup(memo, 1, frame, 0, frame.length, null)).toBe(r);
    memo.remember(1, frame, 0, frame.length, null, null);
    expect(lookup(memo, 1, frame, 0, frame.length, null)).toBeNull();
  });
});

describe('frame memo: seenBefore', () => {
  it('is false for a sender the first time, true after, and tells senders and VRIDs apart', () => {
    const memo = new FrameMemo<Remembered>();
    const a = vrrpFrame({ src: '192.0.2.11', vrid: 51 });
    const again = vrrpFrame({ src: '192.0.2.11', vrid: 51, priority: 200, ipId: 7 });
    const otherVrid = vrrpFrame({ src: '192.0.2.11', vrid: 52 });
    const otherSender = vrrpFrame({ src: '192.0.2.12', vrid: 51 });
    expect(memo.seenBefore(1, a, 0, a.length)).toBe(false);
    expect(memo.seenBefore(1, again, 0, again.length)).toBe(true);
    expect(memo.seenBefore(1, otherVrid, 0, otherVrid.length)).toBe(false);
    expect(memo.seenBefore(1, otherSender, 0, otherSender.length)).toBe(false);
    expect(memo.seenBefore(1, inChunk(a, 5), 5, a.length)).toBe(true);
    const arp = Buffer.alloc(60);
    expect(memo.seenBefore(1, arp, 0, arp.length)).toBe(false);
    expect(memo.seenBefore(1, arp, 0, arp.length)).toBe(false); // not a VRRP advert: never seen
  });
});
