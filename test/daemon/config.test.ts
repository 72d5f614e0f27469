// The daemon's flags, validated: defaults, one sentence per error naming the flag, and a
// password that never shows up anywhere.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthPassword, validateConfig, type DaemonConfig, type DaemonFlags } from '../../src/daemon/config.js';

const base: DaemonFlags = { interface: 'eth0', vrid: '51', vip: ['192.0.2.100'] };

function ok(flags: DaemonFlags): { config: DaemonConfig; warnings: string[] } {
  const r = validateConfig(flags);
  if (!r.ok) throw new Error(`unexpected errors: ${r.errors.join(' | ')}`);
  return r;
}

function errors(flags: DaemonFlags): string[] {
  const r = validateConfig(flags);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('validateConfig', () => {
  it('fills keepalived\'s defaults', () => {
    const { config, warnings } = ok(base);
    expect(warnings).toEqual([]);
    expect({ ...config, auth: config.auth === null ? null : 'set' }).toEqual({
      name: 'VI_51',
      interface: 'eth0',
      vrid: 51,
      family: 4,
      version: 2,
      priority: 100,
      vips: [{ address: '192.0.2.100', prefixLength: 32 }],
      excludedVips: [],
      unicast: null,
      advertIntervalCs: 100,
      auth: null,
      preempt: true,
      preemptDelayCs: 0,
      trackScripts: [],
      notify: null,
      notifyState: {},
      vmac: false,
      garp: { repeat: 5, delayCs: 500 },
      lowerPriorityAdvert: true,
    });
  });

  it('refuses to start without an interface, a VRID and a VIP, and says why', () => {
    expect(errors({})).toEqual([
      '-i/--interface is required: the interface to run VRRP on (e.g. -i eth0)',
      '--vrid is required: the virtual router id (1-255) shared with the peers',
      '--vip is required: a virtual IP address the master holds (e.g. --vip 192.0.2.100); repeat it for more',
    ]);
  });

  const bad: [name: string, flags: DaemonFlags, error: string][] = [
    ['vrid 0', { vrid: '0' }, '--vrid must be a whole number from 1 to 255 (got "0")'],
    ['vrid 256', { vrid: 256 }, '--vrid must be a whole number from 1 to 255 (got "256")'],
    ['vrid text', { vrid: 'x1' }, '--vrid must be a whole number from 1 to 255 (got "x1")'],
    ['priority 0', { priority: '0' }, '--priority must be a whole number from 1 to 255 (got "0"); 255 means this router owns the virtual addresses'],
    ['interface with a slash', { interface: 'eth0/1' }, '-i/--interface "eth0/1" is not a Linux interface name (at most 15 characters, no spaces or slashes)'],
    ['not an address', { vip: ['192.0.2'] }, '--vip "192.0.2" is not an IPv4 or IPv6 address (e.g. --vip 192.0.2.100 or --vip 192.0.2.100/24)'],
    ['multicast vip', { vip: ['224.0.0.18'] }, '--vip 224.0.0.18 is not a unicast IPv4 address'],
    ['bad prefix', { vip: ['192.0.2.1/33'] }, '--vip "192.0.2.1/33" has a prefix length outside 1-32'],
    ['duplicate', { vip: ['192.0.2.1', '192.0.2.01'] }, '--vip 192.0.2.1 is given twice'],
    ['duplicate after canonical form', { vip: ['2001:db8::1', '2001:DB8:0::1'] }, '--vip 2001:db8::1 is given twice'],
    ['mixed families', { vip: ['192.0.2.1', '2001:db8::1'] }, '--vip mixes IPv4 (192.0.2.1) and IPv6 (2001:db8::1); run one daemon per address family'],
    ['version 4', { vrrpVersion: '4' }, '--vrrp-version must be 2 or 3 (got "4")'],
    ['v2 over IPv6', { vip: ['fe80::1'], vrrpVersion: '2' }, '--vrrp-version 2 cannot carry IPv6 virtual addresses (VRRPv2 is IPv4 only); use --vrrp-version 3, the default for IPv6'],
    ['v2 sub-second', { advertInt: '0.5' }, '--advert-int must be whole seconds from 1 to 255 for VRRPv2 (got "0.5"); use --vrrp-version 3 for sub-second adverts'],
    ['v2 256 s', { advertInt: '256' }, '--advert-int must be whole seconds from 1 to 255 for VRRPv2 (got "256"); use --vrrp-version 3 for sub-second adverts'],
    ['v3 41 s', { vrrpVersion: '3', advertInt: '41' }, '--advert-int must be from 0.01 to 40.95 seconds, in steps of 0.01, for VRRPv3 (got "41")'],
    ['v3 1 ms', { vrrpVersion: '3', advertInt: '0.001' }, '--advert-int must be from 0.01 to 40.95 seconds, in steps of 0.01, for VRRPv3 (got "0.001")'],
    ['preempt delay too long', { preemptDelay: '1001' }, '--preempt-delay must be from 0 to 1000 seconds (got "1001")'],
    ['preempt delay with no-preempt', { preemptDelay: '5', preempt: false }, '--preempt-delay has no meaning with --no-preempt: keep one of them'],
    ['empty notify', { notify: ' ' }, '--notify needs a command, run on every transition as CMD INSTANCE NAME STATE PRIORITY'],
    ['weight 255', { trackScripts: [{ command: 'true', weight: '255' }] }, '--weight for track script 1 must be a whole number from -254 to 254 (got "255"); 0 means FAULT when it fails'],
    ['rise 0', { trackScripts: [{ command: 'true' }, { command: 'false', rise: '0' }] }, '--rise for track script 2 must be a whole number from 1 to 1000 (got "0")'],
    ['no command', { trackScripts: [{ command: '' }] }, '--track-script needs a command (track script 1 is empty)'],
    ['bad interval', { trackScripts: [{ command: 'true', interval: '0' }] }, '--interval for track script 1 must be a positive number of seconds (got "0")'],
  ];
  for (const [name, flags, error] of bad) {
    it(`rejects ${name}`, () => {
      expect(errors({ ...base, ...flags })).toEqual([error]);
    });
  }

  it('reports every error at once', () => {
    expect(errors({ interface: 'eth0', vrid: '0', priority: '999', vip: ['x'] })).toHaveLength(3);
  });

  it('canonicalises addresses as the decoder prints them, and keeps prefix lengths', () => {
    const { config } = ok({ ...base, vip: ['192.0.2.100/24', '192.0.2.101'] });
    expect(config.vips).toEqual([
      { address: '192.0.2.100', prefixLength: 24 },
      { address: '192.0.2.101', prefixLength: 32 },
    ]);
    expect(ok({ ...base, vip: ['FE80:0::0001', '2001:DB8::1/64'] }).config.vips.map((v) => `${v.address}/${v.prefixLength}`)).toEqual(['fe80::1/128', '2001:db8::1/64']);
  });

  it('parses intervals in seconds: whole for v2, centiseconds for v3', () => {
    expect(ok({ ...base, advertInt: '3' }).config.advertIntervalCs).toBe(300);
    expect(ok({ ...base, vrrpVersion: '3', advertInt: '0.5' }).config.advertIntervalCs).toBe(50);
    expect(ok({ ...base, vrrpVersion: 3, advertInt: '40.95' }).config.advertIntervalCs).toBe(4095);
    expect(ok({ ...base, vrrpVersion: 3, advertInt: 0.01 }).config.advertIntervalCs).toBe(1);
    expect(ok({ ...base, preemptDelay: '2.5' }).config.preemptDelayCs).toBe(250);
  });

  it('IPv6 means VRRPv3; a link-local VIP is moved first (RFC 5798 5.2.9), a missing one is a warning', () => {
    const moved = ok({ ...base, vip: ['2001:db8::1', 'fe80::1'] });
    expect(moved.config.family).toBe(6);
    expect(moved.config.version).toBe(3);
    expect(moved.config.vips.map((v) => v.address)).toEqual(['fe80::1', '2001:db8::1']);
    expect(moved.warnings).toEqual(['--vip fe80::1 moved first: RFC 5798 5.2.9 wants the link-local virtual address at the head of the advert']);
    const none = ok({ ...base, vip: ['2001:db8::1'] });
    expect(none.config.vips.map((v) => v.address)).toEqual(['2001:db8::1']);
    expect(none.warnings).toEqual(['no link-local --vip (fe80::/10): RFC 5798 5.2.9 wants one first in every IPv6 advert; keepalived accepts this unless vrrp_strict is set']);
    expect(ok({ ...base, vip: ['fe80::1', '2001:db8::1'] }).warnings).toEqual([]);
  });

  it('the owner ignores --no-preempt and --preempt-delay, with a warning', () => {
    const r = ok({ ...base, priority: '255', preempt: false });
    expect(r.config.preempt).toBe(true);
    expect(r.warnings).toEqual(['--no-preempt is ignored with --priority 255: the address owner always takes over (RFC 3768 6.1)']);
    const d = ok({ ...base, priority: '255', preemptDelay: '5' });
    expect(d.config.preemptDelayCs).toBe(0);
    expect(d.warnings).toEqual(['--preempt-delay is ignored with --priority 255: the address owner becomes master at once']);
  });

  it('track scripts take keepalived\'s defaults: weight 0, interval 1 s, timeout = interval, rise 1, fall 1', () => {
    const { config } = ok({ ...base, trackScripts: [{ command: 'pidof nginx' }, { command: 'curl -fs localhost', weight: '-60', interval: '2', timeout: '0.5', rise: '3', fall: '2' }] });
    expect(config.trackScripts).toEqual([
      { command: 'pidof nginx', weight: 0, intervalSec: 1, timeoutSec: 1, rise: 1, fall: 1 },
      { command: 'curl -fs localhost', weight: -60, intervalSec: 2, timeoutSec: 0.5, rise: 3, fall: 2 },
    ]);
  });
});

describe('the password', () => {
  const secret = 'p4ss';

  it('is VRRPv2 only, 1 to 8 bytes, and never echoed in an error', () => {
    const all = [
      ...errors({ ...base, vrrpVersion: '3', authPass: secret }),
      ...errors({ ...base, authPass: 'p4ss-too-long', authPassSource: 'env' }),
      ...errors({ ...base, authPass: '\n' }),
    ];
    expect(all).toEqual([
      '--auth-pass-file is for VRRPv2 only: VRRPv3 has no authentication (RFC 5798 removed it); remove it or use --vrrp-version 2',
      'the password from VRRPWATCH_AUTH_PASS is 13 bytes long; VRRPv2 simple-text authentication carries at most 8',
      'the password from --auth-pass-file is empty; VRRPv2 simple-text authentication needs 1 to 8 bytes',
    ]);
    for (const e of all) expect(e).not.toContain('p4ss');
  });

  it('drops the file\'s trailing newline and pads to the 8 bytes of auth data', () => {
    const { config } = ok({ ...base, authPass: `${secret}\n` });
    expect(Array.from(config.auth?.authData() ?? [])).toEqual([0x70, 0x34, 0x73, 0x73, 0, 0, 0, 0]);
  });

  it('prints as [redacted] however the config is logged', () => {
    const { config } = ok({ ...base, authPass: secret });
    expect(JSON.stringify(config)).not.toContain(secret);
    expect(inspect(config, { depth: 5 })).not.toContain(secret);
    expect(String(config.auth)).toBe('[redacted]');
    expect(`${inspect(config.auth)}`).toBe('AuthPassword [redacted]');
  });

  it('matches all 8 bytes', () => {
    const p = new AuthPassword('abc');
    expect(p.matches(new Uint8Array([97, 98, 99, 0, 0, 0, 0, 0]))).toBe(true);
    expect(p.matches(new Uint8Array([97, 98, 99, 0, 0, 0, 0, 1]))).toBe(false);
    expect(p.matches(new Uint8Array([97, 98, 99]))).toBe(false);
    expect(p.matches(null)).toBe(false);
  });
});
