// `vrrpwatch interfaces`: libpcap's device list with addresses as prefixes and the up flag.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interfacesText } from '../../src/cli/interfaces.js';
import { interfaceInfo, prefixLength, type InterfaceInfo } from '../../src/live/devices.js';

const ROOT = join(import.meta.dirname, '../..');
const BUILT = spawnSync(process.execPath, ['-e', "require('pcap')"], { cwd: ROOT }).status === 0;

describe('device list', () => {
  it.each([
    ['255.255.255.0', 24],
    ['255.255.255.255', 32],
    ['0.0.0.0', 0],
    ['255.255.254.0', 23],
    ['ffff:ffff:ffff:ffff::', 64],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 128],
    ['ffff:ff80::', 25],
    ['255.0.255.0', null],
    [undefined, null],
  ])('prefix length of %s is %s', (mask, bits) => {
    expect(prefixLength(mask)).toBe(bits);
  });

  it('one device: holes for non-IP addresses skipped, flags from sysfs', () => {
    const dev = {
      name: 'eth0',
      addresses: [null, { addr: '192.0.2.2', netmask: '255.255.255.0', broadaddr: '192.0.2.255' }, { addr: '2001:db8::2', netmask: 'ffff:ffff:ffff:ffff::' }, { netmask: '255.0.0.0' }],
    };
    expect(interfaceInfo(dev, 0x1003)).toEqual({
      name: 'eth0', description: null, up: true, loopback: false,
      addresses: [{ address: '192.0.2.2', prefixLength: 24 }, { address: '2001:db8::2', prefixLength: 64 }],
    });
    expect(interfaceInfo({ name: 'lo', flags: 'PCAP_IF_LOOPBACK' }, null)).toMatchObject({ up: null, loopback: true, addresses: [] });
    expect(interfaceInfo({ name: 'eth1', addresses: [] }, 0x1002)).toMatchObject({ up: false, loopback: false });
  });

  it('the table', () => {
    const list: InterfaceInfo[] = [
      { name: 'eth0', description: null, up: true, loopback: false, addresses: [{ address: '192.0.2.2', prefixLength: 24 }, { address: 'fe80::1', prefixLength: 64 }] },
      { name: 'any', description: 'Pseudo-device that captures on all interfaces', up: null, loopback: false, addresses: [] },
      { name: 'lo', description: null, up: true, loopback: true, addresses: [{ address: '127.0.0.1', prefixLength: null }] },
      { name: 'eth1', description: null, up: false, loopback: false, addresses: [] },
    ];
    expect(interfacesText(list)).toBe(
      [
        'INTERFACE  STATE        ADDRESSES',
        'eth0       up           192.0.2.2/24 fe80::1/64',
        'any        -            Pseudo-device that captures on all interfaces',
        'lo         up,loopback  127.0.0.1',
        'eth1       down',
        '',
      ].join('\n'),
    );
  });
});

describe('vrrpwatch interfaces (needs the binding, not root)', () => {
  it('lists lo and any, as text and as JSON', (ctx) => {
    ctx.skip(!BUILT, 'the pcap binding is not built here');
    const bin = join(ROOT, 'bin/vrrpwatch.js');
    const text = spawnSync(process.execPath, [bin, 'interfaces'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^INTERFACE +STATE +ADDRESSES\n/);
    expect(text.stdout).toMatch(/^lo +up,loopback +127\.0\.0\.1\/8/m);
    expect(text.stdout).toMatch(/^any +- +Pseudo-device/m);
    const json = spawnSync(process.execPath, [bin, 'interfaces', '--json'], { encoding: 'utf8' });
    expect(json.status).toBe(0);
    const list = JSON.parse(json.stdout) as InterfaceInfo[];
    expect(list.find((i) => i.name === 'lo')).toMatchObject({ up: true, loopback: true, addresses: expect.arrayContaining([{ address: '127.0.0.1', prefixLength: 8 }]) });
  });
});
