// RFC 3768 / 5798 section 7.1 receive checks: each failed check drops the advert (a drop effect
// every time, for counters), logs it once per sender and reason, and leaves the timers alone.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/decode/frame.js';
import { LinkType } from '../../src/decode/types.js';
import { advertEvent, type Effect, type MachineConfig, type VrrpFrame } from '../../src/daemon/machine.js';
import { AuthPassword } from '../../src/daemon/config.js';
import { config, frame, Sim } from './harness.js';
import { vrrpFrame, vrrpMessage, type FrameSpec } from '../support/vrrp-frames.js';

interface DropCase {
  name: string;
  config?: Partial<MachineConfig>;
  /** The bad advert from a sender; built twice from 192.0.2.11 and once from 192.0.2.12. */
  advert: (src: string) => VrrpFrame;
  reason: string;
  /** The drop's detail for 192.0.2.11. */
  detail: string;
  /** false when only one sender can fail this check (our own address). */
  otherSender?: boolean;
}

const hex16 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
/** The right checksum, from the independent builder. */
const goodChecksum = hex16(vrrpMessage({ priority: 150, addresses: ['192.0.2.100'] }).readUInt16BE(6));

const spec = (s: FrameSpec) => (src: string) => frame({ priority: 150, ...s, src });
const withPassword = { auth: new AuthPassword('secret') };

const cases: DropCase[] = [
  { name: 'TTL not 255', advert: spec({ ttl: 64 }), reason: 'ttl', detail: 'bad TTL from 192.0.2.11: got 64, must be 255 (routed or forged)' },
  { name: 'version 3 on a VRRPv2 router', advert: spec({ version: 3, interval: 100 }), reason: 'version', detail: 'wrong version from 192.0.2.11: got VRRPv3, we run VRRPv2' },
  {
    name: 'address count beyond the message',
    advert: spec({ count: 5 }),
    reason: 'truncated',
    detail: 'incomplete advert from 192.0.2.11: 5 address(es) announced in a 20-byte message, 20 present',
  },
  {
    name: 'v2 message without its auth data',
    advert: spec({ count: 3 }),
    reason: 'truncated',
    detail: 'incomplete advert from 192.0.2.11: no 8 bytes of auth data after the addresses',
  },
  { name: 'type not 1', advert: spec({ type: 2 }), reason: 'type', detail: 'unknown packet type from 192.0.2.11: got 2, expected 1 (advertisement)' },
  { name: 'bad VRRP checksum', advert: spec({ checksum: 0x1234 }), reason: 'checksum', detail: `bad checksum from 192.0.2.11: got 0x1234, expected ${goodChecksum}` },
  {
    name: 'bad IPv4 header checksum',
    advert: (src) => {
      const b = vrrpFrame({ priority: 150, src });
      b[14 + 10] = (b[14 + 10] as number) ^ 0xff;
      const f = decodeFrame(LinkType.ETHERNET, b);
      if (f.kind !== 'vrrp') throw new Error('not vrrp');
      return f;
    },
    reason: 'ip-checksum',
    detail: 'bad IPv4 header checksum from 192.0.2.11',
  },
  {
    name: 'VRRPv3 count 0 (RFC 9568 erratum 8299)',
    config: { version: 3 },
    advert: spec({ version: 3, interval: 100, addresses: [] }),
    reason: 'count-zero',
    detail: 'advert without addresses from 192.0.2.11: VRRPv3 requires at least one',
  },
  { name: 'interval 0 (RFC 9568 erratum 8301)', advert: spec({ interval: 0 }), reason: 'interval-zero', detail: 'advertisement interval 0 from 192.0.2.11' },
  {
    name: 'auth type none when we use a password',
    config: withPassword,
    advert: spec({ authType: 0 }),
    reason: 'auth-type',
    detail: 'auth type mismatch from 192.0.2.11: got 0 (none), expected 1 (password)',
  },
  {
    name: 'a password when we use none',
    advert: spec({ authType: 1, auth: 'secret' }),
    reason: 'auth-type',
    detail: 'auth type mismatch from 192.0.2.11: got 1 (password), expected 0 (none)',
  },
  { name: 'wrong password', config: withPassword, advert: spec({ authType: 1, auth: '2222' }), reason: 'auth', detail: 'auth mismatch from 192.0.2.11: its password (4 bytes) differs from ours' },
  {
    name: 'our own address',
    advert: (src) => frame({ priority: 150, src: src === '192.0.2.11' ? '192.0.2.10' : src }),
    reason: 'own-address',
    otherSender: false,
    detail: 'advert from our own address 192.0.2.10: a looped-back frame, or another router uses our address',
  },
  {
    name: 'VRRPv2 interval mismatch',
    advert: spec({ interval: 2 }),
    reason: 'interval',
    detail: 'advertisement interval mismatch from 192.0.2.11: got 2 s, ours is 1 s',
  },
];

function startedBackup(c: Partial<MachineConfig> = {}): Sim {
  const sim = new Sim(config(c));
  sim.at(0, 'startup');
  return sim;
}

describe('receive checks (section 7.1) drop, and log once per sender and reason', () => {
  for (const c of cases) {
    it(c.name, () => {
      const sim = startedBackup(c.config);
      const due = sim.machine.status().timers;
      const a = sim.machine.handle(advertEvent(c.advert('192.0.2.11'), 1));
      const b = sim.machine.handle(advertEvent(c.advert('192.0.2.11'), 2));
      const other = c.otherSender === false ? [] : sim.machine.handle(advertEvent(c.advert('192.0.2.12'), 3));
      const from = c.reason === 'own-address' ? '192.0.2.10' : '192.0.2.11';
      expect(a).toEqual([
        { type: 'drop', from, reason: c.reason, detail: c.detail },
        { type: 'log', level: 'warning', message: `VRID 51: ${c.detail}; advert dropped (not logged again for this sender within 10 minutes)` },
      ]);
      expect(b).toEqual([{ type: 'drop', from, reason: c.reason, detail: c.detail }]);
      if (c.otherSender !== false) expect(other.map((e) => e.type)).toEqual(['drop', 'log']);
      // Dropped adverts are no election input: Master_Down_Timer still runs from startup.
      expect(sim.machine.status().timers).toEqual(due);
      expect(sim.machine.state).toBe('BACKUP');
    });
  }

  it('never logs a password, ours or the peer\'s (with a typo in our file, the peer\'s is the real one): only that it differs, and its length', () => {
    const sim = startedBackup(withPassword);
    const fx = [1, 2].flatMap((t) => sim.machine.handle(advertEvent(frame({ authType: 1, auth: 'secreT' }), t)));
    const text = JSON.stringify(fx) + fx.map((e) => (e.type === 'log' ? e.message : '')).join();
    expect(text).toContain('its password (6 bytes) differs from ours');
    expect(text.toLowerCase()).not.toContain('secret');
  });

  it('accepts the right password', () => {
    const sim = startedBackup(withPassword);
    expect(sim.machine.handle(advertEvent(frame({ priority: 150, authType: 1, auth: 'secret' }), 1))).toEqual([
      { type: 'set-timer', timer: 'master-down', delayCs: 360.9375 },
    ]);
  });

  it('drops adverts for another VRID or family silently: that is demultiplexing, not an error', () => {
    const sim = startedBackup();
    const fx = sim.machine.handle(advertEvent(frame({ vrid: 52 }), 1));
    expect(fx).toEqual([{ type: 'drop', from: '192.0.2.11', reason: 'not-ours', detail: 'advert for VRID 52 over IPv4 from 192.0.2.11' }]);
    const v6 = sim.machine.handle(advertEvent(frame({ family: 6 }), 1));
    expect(v6.map((e) => e.type)).toEqual(['drop']);
  });

  it('accepts a VRRPv3/IPv4 checksum in either form (pseudo-header, or message only as Cisco and RFC 9568)', () => {
    for (const messageOnly of [false, true]) {
      const sim = startedBackup({ version: 3 });
      const fx = sim.machine.handle(advertEvent(frame({ version: 3, interval: 100, priority: 150, messageOnly }), 1));
      expect(fx).toEqual([{ type: 'set-timer', timer: 'master-down', delayCs: 360.9375 }]);
    }
  });

  it('logs an address list that differs from ours once per sender, and accepts the advert', () => {
    const sim = startedBackup();
    const mismatch = (): Effect[] => sim.machine.handle(advertEvent(frame({ priority: 150, addresses: ['192.0.2.100', '192.0.2.101'] }), 1));
    expect(mismatch()).toEqual([
      { type: 'log', level: 'warning', message: 'VRID 51: address list mismatch from 192.0.2.11: it advertises 192.0.2.100, 192.0.2.101, we have 192.0.2.100 (accepted anyway)' },
      { type: 'set-timer', timer: 'master-down', delayCs: 360.9375 },
    ]);
    expect(mismatch()).toEqual([{ type: 'set-timer', timer: 'master-down', delayCs: 360.9375 }]);
  });

  it('ignores adverts in FAULT and before startup', () => {
    const sim = new Sim(config());
    expect(sim.machine.handle(advertEvent(frame({ ttl: 1 }), 0))).toEqual([]);
    sim.at(0, { fault: 'test' });
    sim.at(0.5, 'startup');
    expect(sim.machine.state).toBe('FAULT');
    expect(sim.machine.handle(advertEvent(frame({ priority: 0 }), 1))).toEqual([]);
  });
});
