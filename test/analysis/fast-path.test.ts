// The frame memo must change nothing: the analysis with it equals the analysis that decodes
// every frame, on every capture we have and on random mixes of repeated and altered frames.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Analyzer, type Analysis } from '../../src/analysis/analyzer.js';
import { readCaptureFile, visitCaptureFile } from '../../src/capture/file.js';
import { allCaptures } from '../support/captures.js';
import { arpFrame, inetChecksum, vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';
import { us } from './scenario.js';

async function analyzeFile(path: string, fastPath: boolean): Promise<Analysis> {
  const a = new Analyzer({ fastPath });
  let end: number | undefined;
  await readCaptureFile(path, (r) => {
    const t = r.tsSec * 1_000_000 + Math.floor(r.tsNsec / 1000);
    end = end === undefined || t > end ? t : end;
    a.frame(r.linkType, r.data, t, r.interfaceName);
  }).catch(() => undefined); // damaged captures: compare what came before the damage
  return a.result(end);
}

describe('frame memo: same analysis with and without', () => {
  const captures = allCaptures();
  it.skipIf(captures.length === 0)(`on every capture (${captures.length})`, async () => {
    let repeated = 0;
    for (const c of captures) {
      const fast = await analyzeFile(c.path, true);
      const slow = await analyzeFile(c.path, false);
      expect(fast, c.name).toEqual(slow);
      repeated += fast.packets.vrrp;
    }
    expect(repeated).toBeGreaterThan(0);
  });

  it.skipIf(captures.length === 0)('read in place through the visitor, as analyze reads files', async () => {
    for (const c of captures) {
      const a = new Analyzer();
      await visitCaptureFile(c.path, a.packet).catch(() => undefined);
      const end = a.tracker.nowMicros;
      expect(a.result(end === -Infinity ? undefined : end), c.name).toEqual(await analyzeFile(c.path, false));
    }
  });

  /** Each variant changes one thing in a sender's advert, so that a memo too lax would confuse them. */
  const sender = (i: number): FrameSpec => ({ src: `192.0.2.${11 + (i % 3)}`, srcMac: `02:00:00:00:00:1${i % 3}`, priority: 100 + 50 * (i % 3), vrid: 51 + (i % 2), authType: 1, auth: 'pass' });
  const base = (i: number) => vrrpFrame(sender(i));
  const variants: ((i: number) => Uint8Array)[] = [
    base,
    (i) => base(i), // the same again
    (i) => withIpId(base(i), i * 7919), // new IPv4 identification and header checksum: still a repeat
    (i) => withIpId(base(i), 1, 0xbeef), // a wrong header checksum: the analysis never reads it
    (i) => vrrpFrame({ ...sender(i), priority: 90 }),
    (i) => vrrpFrame({ ...sender(i), priority: 0 }),
    (i) => vrrpFrame({ ...sender(i), checksum: 0x1234 }),
    (i) => vrrpFrame({ ...sender(i), ttl: 64 }),
    (i) => vrrpFrame({ ...sender(i), snap: 44 }),
    (i) => vrrpFrame({ ...sender(i), snap: 40 }),
    (i) => vrrpFrame({ ...sender(i), vlans: [10] }),
    (i) => vrrpFrame({ ...sender(i), vlans: [20] }),
    (i) => vrrpFrame({ ...sender(i), interval: 3 }),
    (i) => vrrpFrame({ ...sender(i), auth: 'other' }),
    (i) => vrrpFrame({ ...sender(i), authType: 0, auth: '' }),
    (i) => vrrpFrame({ ...sender(i), addresses: ['192.0.2.200'] }),
    (i) => vrrpFrame({ ...sender(i), addresses: ['192.0.2.100', '192.0.2.101'] }),
    (i) => vrrpFrame({ ...sender(i), srcMac: '02:00:00:00:00:99' }),
    (i) => vrrpFrame({ ...sender(i), dst: '192.0.2.1' }),
    (i) => vrrpFrame({ ...sender(i), padding: 6 }),
    (i) => vrrpFrame({ ...sender(i), padding: 24 }), // zero chunks: +0 as doubles
    (i) => vrrpFrame({ ...sender(i), authType: 0, auth: '', padding: 11 }),
    (i) => vrrpFrame({ ...sender(i), vlans: [10, 20] }),
    (i) => vrrpFrame({ ...sender(i), trailer: Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }), // -0 as doubles, if aligned
    (i) => vrrpFrame({ ...sender(i), trailer: Buffer.alloc(16) }),
    (i) => vrrpFrame({ ...sender(i), trailer: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) }), // NaN as doubles
    (i) => vrrpFrame({ ...sender(i), version: 3, interval: 100, authType: undefined, auth: undefined }),
    (i) => vrrpFrame({ ...sender(i), version: 3, interval: 100, authType: undefined, auth: undefined, messageOnly: true }),
    (i) => vrrpFrame({ ...sender(i), family: 6, version: 3, src: `fe80::${11 + (i % 3)}`, interval: 100, addresses: ['fe80::100'] }),
    (i) => vrrpFrame({ ...sender(i), family: 6, version: 3, src: `fe80::${11 + (i % 3)}`, interval: 100, addresses: ['fe80::100'], ttl: 1 }),
    (i) => arpFrame('192.0.2.100', `02:00:00:00:00:${(30 + (i % 3)).toString(16)}`),
    (i) => arpFrame('192.0.2.100', `02:00:00:00:00:1${i % 3}`),
  ];

  it('on random mixes of repeated and altered frames (property)', () => {
    const step = fc.record({
      variant: fc.integer({ min: 0, max: variants.length - 1 }),
      i: fc.integer({ min: 0, max: 5 }),
      iface: fc.constantFrom(null, 'eth0', 'eth1'),
      // The same IP packet under other link layers: raw IP, Linux cooked v1 and v2 (in v2 both
      // skipped IPv4 fields fall in one 8-byte chunk of the memo).
      link: fc.constantFrom('ethernet', 'raw', 'sll', 'sll2'),
      dt: fc.integer({ min: 0, max: 2_500_000 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 200, size: 'max' }), (steps) => {
        const fast = new Analyzer({ fastPath: true });
        const slow = new Analyzer({ fastPath: false });
        let t = us(0);
        for (const s of steps) {
          t += s.dt;
          const [linkType, frame] = relink(variants[s.variant]!(s.i), s.link);
          fast.frame(linkType, frame, t, s.iface);
          slow.frame(linkType, frame, t, s.iface);
        }
        expect(fast.result(t + 10_000_000)).toEqual(slow.result(t + 10_000_000));
      }),
      { numRuns: 500 },
    );
  });
});

describe('a flood turned away read in place: same analysis as decoding it', () => {
  // A pair keeps VRID 51 (and 52) with a master; newcomers flood it past its 8 routers, some
  // outbidding the master, some breaking a receive rule, some coming back, some on another interface.
  const newcomer = fc.record({
    n: fc.integer({ min: 0, max: 60 }),
    vrid: fc.constantFrom(51, 51, 52),
    priority: fc.integer({ min: 1, max: 254 }),
    ttl: fc.constantFrom(255, 255, 255, 64),
    badChecksum: fc.constantFrom(false, false, false, true),
    version: fc.constantFrom(2, 2, 2, 3, 5),
    iface: fc.constantFrom(null, null, null, 'eth1'),
    dt: fc.integer({ min: 0, max: 400_000 }),
  });
  it('on random floods into full virtual routers (property)', () => {
    let turned = 0;
    fc.assert(
      fc.property(fc.array(newcomer, { minLength: 30, maxLength: 300, size: 'max' }), (steps) => {
        const fast = new Analyzer({ fastPath: true });
        const slow = new Analyzer({ fastPath: false });
        const turnAway = fast.tracker.turnAway.bind(fast.tracker);
        fast.tracker.turnAway = (...args) => {
          const r = turnAway(...args);
          if (r) turned++;
          return r;
        };
        let t = us(0);
        let lastMaster = -Infinity;
        const feed = (frame: Uint8Array, iface: string | null) => {
          fast.frame(1, frame, t, iface);
          slow.frame(1, frame, t, iface);
        };
        for (const s of steps) {
          t += s.dt;
          if (t - lastMaster >= 1_000_000) {
            lastMaster = t;
            for (const vrid of [51, 52]) feed(vrrpFrame({ src: '192.0.2.1', srcMac: '02:00:00:00:00:01', vrid, priority: 200 }), null);
          }
          const frame = vrrpFrame({
            src: `198.51.100.${1 + s.n}`, srcMac: `02:00:00:00:01:${s.n.toString(16).padStart(2, '0')}`, vrid: s.vrid, priority: s.priority, ttl: s.ttl,
            version: s.version, ...(s.version === 3 ? { interval: 100 } : {}), ...(s.badChecksum ? { checksum: 0x1234 } : {}),
          });
          feed(frame, s.iface);
        }
        expect(fast.result(t + 10_000_000)).toEqual(slow.result(t + 10_000_000));
      }),
      { numRuns: 300, endOnFailure: true }, // shrinking 300 steps of two analyses takes too long to wait for
    );
    expect(turned).toBeGreaterThan(1000); // the newcomers were turned away read in place
  });
});

/** An untagged IPv4 Ethernet frame as the same packet under another link layer; anything else as it is. */
function relink(frame: Uint8Array, link: 'ethernet' | 'raw' | 'sll' | 'sll2'): [number, Uint8Array] {
  if (link === 'ethernet' || frame.length <= 14 || frame[12] !== 0x08 || frame[13] !== 0x00) return [1, frame];
  const ip = frame.subarray(14);
  const src = frame.subarray(6, 12);
  if (link === 'raw') return [101, ip];
  if (link === 'sll') {
    // packet type 2 (multicast), ARPHRD_ETHER, address length 6, address padded to 8, protocol
    const h = Buffer.from([0, 2, 0, 1, 0, 6, ...src, 0, 0, 0x08, 0x00]);
    return [113, Buffer.concat([h, ip])];
  }
  // protocol, reserved, interface index, ARPHRD_ETHER, packet type, address length, address
  const h = Buffer.from([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 2, 6, ...src, 0, 0]);
  return [276, Buffer.concat([h, ip])];
}

/** The frame with another IPv4 identification and a recomputed (or forced) header checksum. */
function withIpId(frame: Uint8Array, id: number, checksum?: number): Uint8Array {
  const f = Buffer.from(frame);
  f.writeUInt16BE(id & 0xffff, 18);
  f.writeUInt16BE(0, 24);
  f.writeUInt16BE(checksum ?? inetChecksum(f.subarray(14, 34)), 24);
  return f;
}
