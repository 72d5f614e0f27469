import { describe, expect, it } from 'vitest';
import { formatListenAddress, parseListenAddress } from '../../src/service/address.js';

describe('--metrics ADDR:PORT', () => {
  it('a port alone binds the loopback; an address binds it', () => {
    expect(parseListenAddress('9612')).toEqual({ host: '127.0.0.1', port: 9612 });
    expect(parseListenAddress('0.0.0.0:9612')).toEqual({ host: '0.0.0.0', port: 9612 });
    expect(parseListenAddress('[::1]:9612')).toEqual({ host: '::1', port: 9612 });
    expect(formatListenAddress({ host: '::1', port: 9612 })).toBe('[::1]:9612');
  });
  it('refuses what it cannot use, saying why', () => {
    expect(parseListenAddress(':9612')).toEqual({ error: expect.stringContaining('0.0.0.0') });
    expect(parseListenAddress('127.0.0.1:99999')).toEqual({ error: expect.stringContaining('not 0-65535') });
    expect(parseListenAddress('eth0')).toHaveProperty('error');
  });
});
