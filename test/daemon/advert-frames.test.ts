// The advert frame kept from one advert to the next (advert-frames.ts): every frame it hands out
// must be byte for byte the independent builder's frame for the same fields and IPv4
// identification, whether it was built afresh or rewritten; and the machine hands over the same
// message object for as long as nothing in it changes, which is what lets the frame be kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdvertFrames } from '../../src/daemon/advert-frames.js';
import type { AdvertLink } from '../../src/daemon/advert.js';
import { AuthPassword } from '../../src/daemon/config.js';
import { VrrpMachine, type Effect, type MachineConfig } from '../../src/daemon/machine.js';
import { vrrpFrame } from '../support/vrrp-frames.js';
import { config, config6 } from './harness.js';

const NIC = '52:54:00:12:34:56';
type Advert = Extract<Effect, { type: 'send-advert' }>;

/** A master of `c` (alone: master after Master_Down_Interval) and its adverts, one per call. */
function master(c: MachineConfig): { m: VrrpMachine; next: () => Advert; at: { sec: number } } {
  const m = new VrrpMachine(c);
  const at = { sec: 0 };
  m.handle({ type: 'startup', atSec: 0 });
  m.handle({ type: 'timer', timer: 'master-down', atSec: (at.sec = 4) });
  const next = (): Advert => {
    at.sec += c.advertIntervalCs / 100;
    const a = m.handle({ type: 'timer', timer: 'advert', atSec: at.sec }).find((e): e is Advert => e.type === 'send-advert');
    if (a === undefined) throw new Error('no advert');
    return a;
  };
  return { m, next, at };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const link4 = (ipId: number): AdvertLink => ({ family: 4, srcAddress: '192.0.2.10', interfaceMac: NIC, ipId });

describe('AdvertFrames: the kept frame, rewritten, equals the builder\'s', () => {
  it('VRRPv2 with a password: each advert is the same buffer with the next IPv4 identification and a correct header checksum', () => {
    const { next } = master(config({ priority: 200, auth: new AuthPassword('secret') }));
    const frames = new AdvertFrames();
    const first = frames.frame(next().message, link4(0));
    const fields = { version: 2 as const, vrid: 51, priority: 200, interval: 1, authType: 1, auth: 'secret', addresses: ['192.0.2.100'], src: '192.0.2.10', srcMac: NIC };
    expect(hex(first)).toBe(hex(vrrpFrame({ ...fields, ipId: 0 })));
    for (const id of [1, 2, 0x1234, 0xffff]) {
      const f = frames.frame(next().message, link4(id));
      expect(f).toBe(first); // kept, not built again
      expect(hex(f)).toBe(hex(vrrpFrame({ ...fields, ipId: id })));
    }
  });

  it('VRRPv3 over IPv4: the VRRP checksum (over the pseudo-header) stays right as the identification changes', () => {
    const { next } = master(config({ priority: 255, version: 3, advertIntervalCs: 50 }));
    const frames = new AdvertFrames();
    const fields = { version: 3 as const, vrid: 51, priority: 255, interval: 50, addresses: ['192.0.2.100'], src: '192.0.2.10', srcMac: NIC };
    for (const id of [7, 8, 9]) expect(hex(frames.frame(next().message, link4(id)))).toBe(hex(vrrpFrame({ ...fields, ipId: id })));
  });

  it('VRRPv3 over IPv6: the same bytes every time', () => {
    const { next } = master(config6({ priority: 255 }));
    const frames = new AdvertFrames();
    const link: AdvertLink = { family: 6, srcAddress: 'fe80::10', interfaceMac: NIC };
    const a = hex(frames.frame(next().message, link));
    expect(hex(frames.frame(next().message, link))).toBe(a);
    // The builder's traffic class is 0xe0, ours 0xc0 (precedence 6): compare the rest.
    const b = vrrpFrame({ family: 6, version: 3, vrid: 51, priority: 255, interval: 100, addresses: ['fe80::100', '2001:db8::100'], src: 'fe80::10', srcMac: NIC });
    b[14] = 0x6c; // version 6, the traffic class's high nibble c
    expect(a).toBe(hex(b));
  });

  it('a new priority, a new source MAC or another unicast destination is a new frame, right from its first byte', () => {
    const { m, next, at } = master(config({ priority: 200 }));
    const frames = new AdvertFrames();
    const first = frames.frame(next().message, link4(1));
    m.handle({ type: 'priority', atSec: at.sec, priority: 90, reason: 'track script failed' });
    const lower = frames.frame(next().message, link4(2));
    expect(lower).not.toBe(first);
    expect(hex(lower)).toBe(hex(vrrpFrame({ vrid: 51, priority: 90, addresses: ['192.0.2.100'], src: '192.0.2.10', srcMac: NIC, ipId: 2 })));
    const moved = frames.frame(next().message, { ...link4(3), interfaceMac: '02:00:00:00:00:99' });
    expect(hex(moved)).toBe(hex(vrrpFrame({ vrid: 51, priority: 90, addresses: ['192.0.2.100'], src: '192.0.2.10', srcMac: '02:00:00:00:00:99', ipId: 3 })));
    const peer = frames.frame(next().message, link4(4), { address: '192.0.2.21', mac: '02:00:00:00:00:21' });
    expect(hex(peer)).toBe(hex(vrrpFrame({ vrid: 51, priority: 90, addresses: ['192.0.2.100'], src: '192.0.2.10', srcMac: NIC, dst: '192.0.2.21', dstMac: '02:00:00:00:00:21', ipId: 4 })));
  });

  it('any sequence of messages, sources and identifications gives the builder\'s frame each time', () => {
    const messages = [150, 90, 0].map((p) => master(config({ priority: p === 0 ? 150 : p })).next().message).map((msg, i) => ({ ...msg, priority: [150, 90, 0][i] as number }));
    fc.assert(
      fc.property(fc.array(fc.record({ msg: fc.integer({ min: 0, max: 2 }), mac: fc.constantFrom(NIC, '02:00:00:00:00:99'), id: fc.integer({ min: 0, max: 0xffff }) }), { minLength: 1, maxLength: 20 }), (steps) => {
        const frames = new AdvertFrames();
        for (const s of steps) {
          const msg = messages[s.msg]!;
          const got = frames.frame(msg, { ...link4(s.id), interfaceMac: s.mac });
          expect(hex(got)).toBe(hex(vrrpFrame({ vrid: 51, priority: msg.priority, addresses: ['192.0.2.100'], src: '192.0.2.10', srcMac: s.mac, ipId: s.id })));
        }
      }),
    );
  });
});

describe('VrrpMachine: the advert message is kept while nothing in it changes', () => {
  it('the same object advert after advert; a new one for a new priority and after a reconfiguration', () => {
    const c = config({ priority: 200 });
    const { m, next, at } = master(c);
    const a = next().message;
    expect(next().message).toBe(a);
    m.handle({ type: 'priority', atSec: at.sec, priority: 90, reason: 'track script failed' });
    const b = next().message;
    expect(b).not.toBe(a);
    expect(b.priority).toBe(90);
    m.handle({ type: 'reconfigure', atSec: at.sec, config: { ...c, vips: [{ address: '192.0.2.101', prefixLength: 32 }] } });
    const d = next().message;
    expect(d).not.toBe(b);
    expect(d.addresses).toEqual(['192.0.2.101']);
  });
});
