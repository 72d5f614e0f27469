// The sentences people read: one problem that flaps is one condition with a count, and every
// sentence's subject and verb agree (today's "the bad TTLs from 192.0.2.11 is over" is gone).
import { describe, expect, it } from 'vitest';
import { message } from '../../src/analysis/messages.js';
import type { ConditionFields } from '../../src/analysis/types.js';
import { A, B, C, Scenario, sec } from './scenario.js';

describe('one flapping problem is one condition', () => {
  it('TTL 64 on every other advert: one bad-ttl with a count, ended once none came for the Master_Down_Interval', () => {
    const s = new Scenario();
    for (let t = 0; t < 10; t++) s.advert(t, A, t % 2 === 0 ? { ttl: 64 } : {});
    s.adverts(10, 20, A).tick(20);
    expect(s.story()).toEqual(['bad-ttl', 'bad-ttl-end']);
    const end = s.of('bad-ttl-end')[0]!;
    expect(end).toMatchObject({ router: A.src, ttl: 64, count: 5, durationSeconds: 8 });
    expect(sec(end.timeUs)).toBe(12); // the last bad one (8) + 4 s
    expect(end.message).toBe('VRID 51: no more adverts with a bad TTL from 192.0.2.11: 5 adverts had one; it lasted 8.000 s.');
    // A is master all along: its good adverts are heard.
    expect(s.vrid().master).toBe(A.src);
  });

  it('one bad advert: singular, no duration', () => {
    const s = new Scenario().adverts(0, 3, A).advert(3, A, { checksum: 0x1234 }).adverts(4, 10, A).tick(10);
    expect(s.of('bad-checksum-end')[0]!.message).toBe('VRID 51: no more adverts with a bad VRRP checksum from 192.0.2.11: 1 advert had one.');
  });
});

describe('every end sentence', () => {
  const v = 'VRID 51';
  const cases: [ConditionFields, string][] = [
    [{ type: 'master-down', router: '192.0.2.11', silentSeconds: 4 }, 'VRID 51: 192.0.2.11 is no longer missing; it lasted 2.000 s.'],
    [{ type: 'split-brain', routers: ['192.0.2.11', '192.0.2.12'] }, 'VRID 51: the split brain between 192.0.2.11 and 192.0.2.12 is over; it lasted 2.000 s.'],
    [{ type: 'interval-mismatch', routers: [] }, 'VRID 51: the routers agree on the advertisement interval again; it lasted 2.000 s.'],
    [{ type: 'auth-mismatch', routers: [] }, 'VRID 51: the routers agree on authentication again; it lasted 2.000 s.'],
    [{ type: 'vip-mismatch', routers: [] }, 'VRID 51: the routers advertise the same VIPs again; it lasted 2.000 s.'],
    [{ type: 'vip-conflict', vip: '192.0.2.100', vrids: [51, 52] }, 'VRID 51: VIP 192.0.2.100 is no longer advertised under several VRIDs; it lasted 2.000 s.'],
    [{ type: 'owner-conflict', routers: ['192.0.2.11', '192.0.2.12'] }, 'VRID 51: no two routers advertise priority 255 any more; it lasted 2.000 s.'],
    [{ type: 'vip-arp-conflict', vip: '192.0.2.100', macs: [] }, 'VRID 51: the conflicting claims on VIP 192.0.2.100 have stopped; it lasted 2.000 s.'],
    [{ type: 'bad-checksum', router: '192.0.2.11', checksum: 1, expected: 2, layer: 'ipv4' }, 'VRID 51: no more adverts with a bad IPv4 header checksum from 192.0.2.11: 3 adverts had one; it lasted 2.000 s.'],
    [{ type: 'bad-ttl', router: '192.0.2.11', ttl: 64 }, 'VRID 51: no more adverts with a bad TTL from 192.0.2.11: 3 adverts had one; it lasted 2.000 s.'],
    [{ type: 'malformed', router: null, reason: 'x' }, 'VRID 51: no more malformed VRRP packets: 3 packets in all; it lasted 2.000 s.'],
  ];
  it.each(cases)('%o', (fields, text) => {
    expect(message.ended(v, fields, 2_000_000, 3)).toBe(text);
  });

  it('the events the tracker emits end with one sentence each, none "is over after"', () => {
    const s = new Scenario()
      .adverts(0, 20, A).adverts(3.5, 8, B) // a split brain
      .adverts(0, 6, C, { vrid: 52 }) // VIP 192.0.2.100 in two VRIDs, until C stops
      .advert(2, A, { ttl: 64 })
      .tick(40);
    const ends = s.events.filter((e) => e.type.endsWith('-end'));
    expect(ends.map((e) => e.type).sort()).toEqual(['bad-ttl-end', 'split-brain-end']);
    for (const e of s.events) {
      expect(e.message).not.toMatch(/ is over after /);
      expect(e.message).toMatch(/^VRID \d+: [^]*\.$/);
    }
  });
});

describe('wording: what the RFC says first, keepalived second', () => {
  it('priority 0', () => {
    const s = new Scenario().adverts(0, 3, A).advert(3, A, { priority: 0 });
    expect(s.of('release')[0]!.message).toBe(
      'VRID 51: 192.0.2.11 sent priority 0, giving up the master role: RFC 3768 6.4.3 sends it on shutdown, and the best backup takes over after its Skew_Time; with keepalived, the service stopped or entered FAULT.',
    );
  });
});

describe('text from the wire', () => {
  it('a password with control characters is printed escaped in the sentences', () => {
    const s = new Scenario().advert(0, B, { auth: 'a\u001b[2Jb' }).adverts(0.5, 5, A);
    const text = s.of('auth-mismatch')[0]!.message;
    expect(text).toContain('password "a\\x1b[2Jb"');
    expect(text).not.toContain('\u001b');
  });
});

describe('a flood of new routers', () => {
  it('all tracked, and some advertising once into a full virtual router', () => {
    expect(message.routerFlood('', 2000, 1950, 20_000_000, 0)).toBe(
      "2000 new routers advertised in 20 s; 50 are listed, 1950 more are not: a flood of spoofed adverts or a broken device? Find its source MACs with tcpdump -e -n -c 20 'ip proto 112 or ip6 proto 112'.",
    );
    expect(message.routerFlood('eth0 VLAN 7', 2000, 1990, 20_000_000, 1900)).toBe(
      '2000 new routers advertised on eth0 VLAN 7 in 20 s; 10 are listed, 1990 more are not (1900 of them advertised once into a full virtual router and are not tracked): ' +
        "a flood of spoofed adverts or a broken device? Find its source MACs with tcpdump -e -n -c 20 'ip proto 112 or ip6 proto 112'.",
    );
  });
});
