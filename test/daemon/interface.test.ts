// Reading `ip -j addr show dev IFACE`: the MAC, up or down, and which address adverts come from.
import { describe, expect, it } from 'vitest';
import { noPrimaryAddress, parseIpAddrJson, primaryAddress, vipsPresent, type InterfaceFacts } from '../../src/daemon/interface.js';

// iproute2 6.1's output for a lab interface with a leftover VIP (trimmed of lifetimes).
const ETH0 = JSON.stringify([
  {
    ifindex: 3, link_index: 2, ifname: 'eth0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, operstate: 'UP', link_type: 'ether',
    address: '02:76:77:74:00:0B', broadcast: 'ff:ff:ff:ff:ff:ff',
    addr_info: [
      { family: 'inet', local: '192.0.2.100', prefixlen: 32, scope: 'global', label: 'eth0' },
      { family: 'inet', local: '192.0.2.11', prefixlen: 24, scope: 'global', label: 'eth0' },
      { family: 'inet', local: '192.0.2.12', prefixlen: 24, scope: 'global', secondary: true, label: 'eth0' },
      { family: 'inet6', local: '2001:0db8::11', prefixlen: 64, scope: 'global', nodad: true },
      { family: 'inet6', local: 'fe80::76:77ff:fe74:b', prefixlen: 64, scope: 'link' },
    ],
  },
]);

const vip = (address: string, prefixLength = 32) => ({ address, prefixLength });

function facts(text = ETH0): InterfaceFacts {
  const f = parseIpAddrJson(text, 'eth0');
  if (typeof f === 'string') throw new Error(f);
  return f;
}

describe('the interface, from iproute2\'s JSON', () => {
  it('reads the MAC (lower case), the UP flag and the addresses in canonical form', () => {
    const f = facts();
    expect(f.mac).toBe('02:76:77:74:00:0b');
    expect(f.up).toBe(true);
    expect(f.addresses.map((a) => a.address)).toEqual(['192.0.2.100', '192.0.2.11', '192.0.2.12', '2001:db8::11', 'fe80::76:77ff:fe74:b']);
    expect(facts(ETH0.replace('"UP",', '')).up).toBe(false);
  });

  it('the advert source: the first primary IPv4 address that is not a VIP; the link-local one for IPv6', () => {
    expect(primaryAddress(facts(), 4, [vip('192.0.2.100')])).toBe('192.0.2.11');
    expect(primaryAddress(facts(), 4, [])).toBe('192.0.2.100');
    expect(primaryAddress(facts(), 6, [vip('2001:db8::100', 64)])).toBe('fe80::76:77ff:fe74:b');
  });

  it('the address owner, whose VIP is the only address, sends from it', () => {
    const only = ETH0.replace(/\{ ?"family":"inet","local":"192\.0\.2\.1[12]"[^}]*\},/g, '');
    expect(primaryAddress(facts(only), 4, [vip('192.0.2.100')])).toBe('192.0.2.100');
  });

  it('says what is missing or wrong', () => {
    const none = JSON.stringify([{ ifname: 'eth0', flags: ['UP'], link_type: 'ether', address: '02:00:00:00:00:01', addr_info: [] }]);
    expect(primaryAddress(facts(none), 4, [])).toBeNull();
    expect(noPrimaryAddress('eth0', 4)).toMatch(/^interface eth0 has no IPv4 address.*ip addr add/);
    expect(noPrimaryAddress('eth0', 6)).toMatch(/no IPv6 link-local address/);
    expect(parseIpAddrJson('[]', 'eth9')).toBe('no interface named eth9: `ip link` lists them');
    expect(parseIpAddrJson('Device "eth9" does not exist.', 'eth9')).toMatch(/not JSON/);
    expect(parseIpAddrJson(JSON.stringify([{ ifname: 'wg0', link_type: 'none', flags: ['UP'] }]), 'wg0')).toMatch(/^interface wg0 is not Ethernet/);
  });

  it('finds which VIPs are already there (a killed run\'s leftovers)', () => {
    expect(vipsPresent(facts(), [vip('192.0.2.100'), vip('192.0.2.101')])).toEqual([vip('192.0.2.100')]);
  });
});
