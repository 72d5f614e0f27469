// Addresses as text: one parser, one spelling, one order for every face.
import { describe, expect, it } from 'vitest';
import { addressRank, canonicalAddress, compareAddresses, parseAddress } from '../../src/decode/address.js';
import { buildRows, sortRows } from '../../src/tui/view/rows.js';
import { router, T0_US, vrid } from '../tui/fixtures.js';

describe('addresses', () => {
  it('parses every spelling and gives the decoder\'s one', () => {
    expect(canonicalAddress('192.0.2.1')).toEqual({ family: 'ipv4', address: '192.0.2.1' });
    expect(canonicalAddress('2001:DB8:0:0::1')).toEqual({ family: 'ipv6', address: '2001:db8::1' });
    expect(canonicalAddress('::ffff:192.0.2.1')).toEqual({ family: 'ipv6', address: '::ffff:192.0.2.1' });
    expect(canonicalAddress('192.0.2.256')).toBeNull();
    expect(canonicalAddress('eth0')).toBeNull();
    expect(parseAddress('fe80::1')?.bytes).toHaveLength(16);
  });

  it('orders numerically, IPv4 before IPv6, non-addresses last', () => {
    const sorted = ['fe80::10', '-', '192.0.2.11', 'fe80::9', '192.0.2.9', '10.0.0.1', '2001:db8::1'].sort(compareAddresses);
    expect(sorted).toEqual(['10.0.0.1', '192.0.2.9', '192.0.2.11', '2001:db8::1', 'fe80::9', 'fe80::10', '-']);
    expect(addressRank('192.0.2.1') < addressRank('::1')).toBe(true);
  });

  it('the TUI sorts masters by that order, IPv6 too', () => {
    const vs = [vrid(1, { family: 'ipv6', master: 'fe80::10', routers: [router('fe80::10')] }), vrid(2, { family: 'ipv6', master: 'fe80::9', routers: [router('fe80::9')] })];
    expect(sortRows(buildRows(vs, T0_US), 'master').map((r) => r.master)).toEqual(['fe80::9', 'fe80::10']);
  });
});
