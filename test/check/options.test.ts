// The values of check's options: VRIDs, VRID=ADDRESS, durations; each bad one has its reason.
import { describe, expect, it } from 'vitest';
import { parseExpectMaster, parseSeconds, parseVrid } from '../../src/check/options.js';

describe('--vrid', () => {
  it.each([['1', 1], ['51', 51], ['255', 255], [' 7 ', 7]])('%j is %d', (text, n) => expect(parseVrid(text)).toBe(n));
  it.each(['0', '256', '-1', '5.5', 'x', ''])('%j is not a VRID', (text) => expect(parseVrid(text)).toEqual({ error: expect.stringMatching(/is not a VRID \(an integer from 1 to 255\)/) }));
});

describe('--expect-master', () => {
  it('IPv4 and IPv6, spelled as the analyzer spells them', () => {
    expect(parseExpectMaster('51=192.0.2.11')).toEqual({ vrid: 51, family: 'ipv4', address: '192.0.2.11' });
    expect(parseExpectMaster('61=FE80:0:0:0:0076:77ff:fe74:0011')).toEqual({ vrid: 61, family: 'ipv6', address: 'fe80::76:77ff:fe74:11' });
  });
  it.each([
    ['51', 'no "="'],
    ['0=192.0.2.1', 'is not a VRID'],
    ['51=192.0.2', 'is not an IPv4 or IPv6 address'],
    ['51=', 'is not an IPv4 or IPv6 address'],
    ['51=host.example', 'is not an IPv4 or IPv6 address'],
  ])('%j: %s', (text, why) => {
    const p = parseExpectMaster(text);
    expect('error' in p && p.error).toContain(why);
    expect('error' in p && p.error).toContain('(e.g. 51=192.0.2.11)');
  });
});

describe('--duration and -t', () => {
  it.each([['30', 30], ['2.5', 2.5], ['.5', 0.5], ['10s', 10], ['500ms', 0.5], ['1m', 60]])('%j is %d s', (text, s) => expect(parseSeconds(text)).toBe(s));
  it.each(['0', '-1', 'x', '', '10h', '1e3', '0ms'])('%j is not a duration', (text) => expect(parseSeconds(text)).toEqual({ error: expect.stringMatching(/is not a duration/) }));
});
