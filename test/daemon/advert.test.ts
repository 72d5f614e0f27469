// The bytes the daemon puts on the wire: a send-advert effect, framed by advertFrameSpec and
// encoded by the project's encodeAdvertFrame, must equal the independent builder's frame for the
// same fields (test/support/vrrp-frames.ts), never our encoder checked against itself.
import { describe, expect, it } from 'vitest';
import { advertFrameLength, encodeAdvertFrame, type AdvertFrameSpec } from '../../src/decode/frame.js';
import { advertFrameSpec, type AdvertLink } from '../../src/daemon/advert.js';
import { AuthPassword } from '../../src/daemon/config.js';
import { VrrpMachine, type Effect, type MachineConfig } from '../../src/daemon/machine.js';
import { vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';
import { config, config6 } from './harness.js';

const NIC = '52:54:00:12:34:56';

function adverts(c: MachineConfig, events: ('startup' | 'shutdown')[]): Extract<Effect, { type: 'send-advert' }>[] {
  const m = new VrrpMachine(c);
  return events.flatMap((type, i) => m.handle({ type, atSec: i })).filter((e): e is Extract<Effect, { type: 'send-advert' }> => e.type === 'send-advert');
}

function encode(spec: AdvertFrameSpec): string {
  const buf = new Uint8Array(advertFrameLength(spec));
  const n = encodeAdvertFrame(spec, buf);
  return Buffer.from(buf.subarray(0, n)).toString('hex');
}

const hex = (s: FrameSpec): string => vrrpFrame(s).toString('hex');

describe('advert frames, byte for byte against the independent builder', () => {
  it('VRRPv2, no auth, from the interface MAC (keepalived\'s default)', () => {
    const [a] = adverts(config({ priority: 255 }), ['startup']);
    const link: AdvertLink = { family: 4, srcAddress: '192.0.2.10', interfaceMac: NIC };
    expect(encode(advertFrameSpec(a!.message, link))).toBe(hex({ version: 2, vrid: 51, priority: 255, interval: 1, authType: 0, addresses: ['192.0.2.100'], src: '192.0.2.10', srcMac: NIC }));
  });

  it('VRRPv2 with a simple-text password, 3 s, two VIPs, from the virtual MAC (--vmac), and its priority-0 goodbye', () => {
    const c = config({
      priority: 255,
      advertIntervalCs: 300,
      auth: new AuthPassword('secret'),
      vips: [
        { address: '192.0.2.100', prefixLength: 24 },
        { address: '192.0.2.101', prefixLength: 24 },
      ],
      vmac: true,
    });
    const [hello, bye] = adverts(c, ['startup', 'shutdown']);
    const link: AdvertLink = { family: 4, srcAddress: '192.0.2.10', interfaceMac: null };
    const fields: FrameSpec = { version: 2, vrid: 51, interval: 3, authType: 1, auth: 'secret', addresses: ['192.0.2.100', '192.0.2.101'], src: '192.0.2.10', srcMac: '00:00:5e:00:01:33' };
    expect(encode(advertFrameSpec(hello!.message, link))).toBe(hex({ ...fields, priority: 255 }));
    expect(bye!.priority).toBe(0);
    expect(encode(advertFrameSpec(bye!.message, link))).toBe(hex({ ...fields, priority: 0 }));
  });

  it('VRRPv3 over IPv4, pseudo-header checksum (keepalived 2.2.7, FRR), 50 cs', () => {
    const [a] = adverts(config({ priority: 255, version: 3, advertIntervalCs: 50 }), ['startup']);
    const link: AdvertLink = { family: 4, srcAddress: '192.0.2.10', interfaceMac: NIC };
    expect(encode(advertFrameSpec(a!.message, link))).toBe(hex({ version: 3, vrid: 51, priority: 255, interval: 50, addresses: ['192.0.2.100'], src: '192.0.2.10', srcMac: NIC }));
  });

  it('VRRPv3 over IPv6 from the link-local address', () => {
    const [a] = adverts(config6({ priority: 255 }), ['startup']);
    const spec = advertFrameSpec(a!.message, { family: 6, srcAddress: 'fe80::10', interfaceMac: NIC });
    expect(spec.ip).toMatchObject({ hopLimit: 255, dst: 'ff02::12', trafficClass: 0xc0 });
    // The builder writes traffic class 0xe0; ours is 0xc0 (precedence 6, as for IPv4). Compare the rest.
    const same = { ...spec, ip: { ...spec.ip, trafficClass: 0xe0 } } as AdvertFrameSpec;
    expect(encode(same)).toBe(hex({ family: 6, version: 3, vrid: 51, priority: 255, interval: 100, addresses: ['fe80::100', '2001:db8::100'], src: 'fe80::10', srcMac: NIC }));
  });
});
