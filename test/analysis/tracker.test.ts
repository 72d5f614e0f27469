// The tracker's behaviour from hand-built frames: every event type, its boundaries, and that a
// condition gives one event when it starts and one when it ends. Each case runs with the frame
// memo on and off.
import { describe, expect, it } from 'vitest';
import { masterDownIntervalUs } from '../../src/rules/timers.js';
import { vrrpFrame } from '../support/vrrp-frames.js';
import { A, B, C, Scenario, sec, us } from './scenario.js';

describe.each([
  { fastPath: true, mode: 'memo on' },
  { fastPath: false, mode: 'memo off' },
])('tracker ($mode)', ({ fastPath }) => {
  const scenario = () => new Scenario({ fastPath });

  describe('routers and the master', () => {
    it('reports each router once and elects the advertising one', () => {
      const s = scenario().adverts(0, 10, A);
      expect(s.types()).toEqual(['router-seen']);
      const seen = s.of('router-seen')[0]!;
      expect(seen).toMatchObject({ router: '192.0.2.11', mac: A.srcMac, priority: 150, vrid: 51, family: 'ipv4', severity: 'info' });
      expect(seen.message).toContain('VRID 51');
      expect(seen.message).toContain('192.0.2.11');
      const v = s.vrid();
      expect(v.master).toBe('192.0.2.11');
      expect(v.status).toBe('ok');
      expect(v.routers[0]).toMatchObject({ packets: 10, priority: 150, advertIntervalCs: 100, authType: 1, authData: 'pass', vips: ['192.0.2.100'], ttl: 255, checksumForm: 'message' });
      expect(v.routers[0]!.measured).toMatchObject({ count: 9, minSeconds: 1, meanSeconds: 1, maxSeconds: 1 });
    });

    it('a crashed master is replaced after the backup\'s Master_Down_Interval, with the gap measured', () => {
      const mdi = masterDownIntervalUs({ version: 2, priority: 100, advertIntervalCs: 100 }) / 1e6; // 3.609375 s
      const s = scenario().adverts(0, 6, A).adverts(5 + mdi, 15, B);
      expect(s.story()).toEqual(['master-change']);
      const mc = s.of('master-change')[0]!;
      expect(mc).toMatchObject({ from: '192.0.2.11', to: '192.0.2.12', cause: 'silent', severity: 'warning' });
      expect(mc.gapSeconds).toBeCloseTo(mdi, 6);
      expect(sec(mc.timeUs)).toBeCloseTo(5 + mdi, 6);
      expect(s.vrid().master).toBe('192.0.2.12');
    });

    it('a preemption (the old master sends one more advert) is a master change, not a split brain', () => {
      const s = scenario().adverts(0, 6, B).advert(5.5, A).advert(6, B).adverts(6.5, 20, A).tick(20);
      expect(s.story()).toEqual(['master-change']);
      expect(s.of('master-change')[0]).toMatchObject({ from: '192.0.2.12', to: '192.0.2.11', cause: 'preempted', gapSeconds: 0.5 });
    });

    it('equal priority: the higher address wins (RFC 5798 6.4.3)', () => {
      const s = scenario().adverts(0, 10, B, { priority: 100 }).adverts(2.5, 10, A, { priority: 100 });
      expect(s.vrid().master).toBe('192.0.2.12');
      expect(s.of('master-change')).toHaveLength(0);
      const t = scenario().adverts(0, 3, A, { priority: 100 }).advert(2.5, B, { priority: 100 }).adverts(3.5, 10, B, { priority: 100 });
      expect(t.vrid().master).toBe('192.0.2.12');
      expect(t.of('master-change')[0]).toMatchObject({ from: '192.0.2.11', to: '192.0.2.12', cause: 'preempted' });
    });

    it('priority 0 is a release; the backup takes over after its Skew_Time', () => {
      const skew = (256 - 100) / 256; // 0.609375 s
      const s = scenario().adverts(0, 5, A).advert(5, A, { priority: 0 }).adverts(5 + skew, 10, B);
      expect(s.story()).toEqual(['release', 'master-change']);
      expect(s.of('release')[0]).toMatchObject({ router: '192.0.2.11', severity: 'info' });
      const mc = s.of('master-change')[0]!;
      expect(mc).toMatchObject({ from: '192.0.2.11', to: '192.0.2.12', cause: 'released' });
      expect(mc.gapSeconds).toBeCloseTo(skew, 6);
    });

    it('a priority change is reported each time, from and to', () => {
      const s = scenario().adverts(0, 3, A).adverts(3, 6, A, { priority: 90 }).adverts(6, 9, A);
      expect(s.of('priority-change').map((e) => [e.from, e.to, sec(e.timeUs)])).toEqual([[150, 90, 3], [90, 150, 6]]);
      expect(s.story()).toEqual(['priority-change', 'priority-change']);
    });

    it('a demoted master loses the role to a higher backup (tracked script)', () => {
      const s = scenario().adverts(0, 5, A).adverts(5, 8, A, { priority: 90 }).adverts(8.609375, 12, B);
      expect(s.story()).toEqual(['priority-change', 'master-change']);
      expect(s.of('master-change')[0]).toMatchObject({ from: '192.0.2.11', to: '192.0.2.12', cause: 'preempted' });
    });
  });

  describe('master-down', () => {
    it('fires once the master is silent longer than the limit, not before, with tick() and no packet', () => {
      const s = scenario().adverts(0, 6, A); // last advert at 5 s; limit 3 * 1 + 1 = 4 s
      s.tick(9);
      expect(s.story()).toEqual([]);
      s.tick(9.000001);
      expect(s.story()).toEqual(['master-down']);
      const d = s.of('master-down')[0]!;
      expect(d).toMatchObject({ router: '192.0.2.11', silentSeconds: 4, severity: 'critical' });
      expect(d.timeUs).toBe(us(9));
      expect(s.vrid().status).toBe('master-down');
      s.tick(60);
      expect(s.story()).toEqual(['master-down']);
    });

    it('a backup just inside the limit is a failover, not a master-down', () => {
      const s = scenario().adverts(0, 6, A).advert(8.999999, B).tick(20);
      expect(s.story()).toEqual(['master-change', 'master-down']); // B then goes silent too
      expect(s.of('master-down')[0]).toMatchObject({ router: '192.0.2.12' });
    });

    it('ends when a router advertises again', () => {
      const s = scenario().adverts(0, 6, A).tick(12).adverts(12, 15, A);
      expect(s.story()).toEqual(['master-down', 'master-down-end']);
      expect(s.of('master-down-end')[0]).toMatchObject({ durationSeconds: 3, router: '192.0.2.11' });
      const t = scenario().adverts(0, 6, A).tick(12).adverts(12, 15, B);
      expect(t.story()).toEqual(['master-down', 'master-down-end', 'master-change']);
      expect(t.of('master-change')[0]).toMatchObject({ from: '192.0.2.11', to: '192.0.2.12', cause: 'silent', gapSeconds: 7 });
    });

    it('fires after a release nobody answers, and at the end of a capture', () => {
      const s = scenario().adverts(0, 5, A).advert(5, A, { priority: 0 });
      const r = s.result(9.5);
      expect(r.events.map((e) => e.type)).toEqual(['router-seen', 'release', 'master-down']);
      expect(r.vrids[0]!.status).toBe('master-down');
      expect(r.worst).toBe('critical');
    });

    it('v3 timers scale with the interval', () => {
      // 50 cs: the limit is 3 * 0.5 + 0.5 = 2 s.
      const s = scenario().adverts(0, 3, A, { version: 3, interval: 50 }, 0.5).tick(4.5);
      expect(s.story()).toEqual([]);
      s.tick(4.500001);
      expect(s.of('master-down')[0]).toMatchObject({ silentSeconds: 2 });
    });
  });

  describe('split brain', () => {
    it('starts when both keep advertising and ends when one stops, with its duration', () => {
      const s = scenario().adverts(0, 20, A).adverts(5.3, 10.4, B);
      expect(s.story()).toEqual(['split-brain', 'split-brain-end']);
      const start = s.of('split-brain')[0]!;
      expect(start).toMatchObject({ routers: ['192.0.2.11', '192.0.2.12'], severity: 'critical' });
      expect(sec(start.timeUs)).toBe(5.3); // B's first advert, while A (higher priority) is alive
      const end = s.of('split-brain-end')[0]!;
      expect(end.durationSeconds).toBeCloseTo(5, 6); // to B's last advert
      expect(sec(end.timeUs)).toBeCloseTo(14.3, 6); // B's limit ran out
      expect(s.vrid().master).toBe('192.0.2.11');
    });

    it('ends at once when one side releases', () => {
      const s = scenario().adverts(0, 10, A).adverts(3.5, 8, B).advert(8, B, { priority: 0 }).adverts(10, 12, A);
      expect(s.story()).toEqual(['split-brain', 'release', 'split-brain-end']);
      expect(sec(s.of('split-brain-end')[0]!.timeUs)).toBe(8);
    });

    it('a router that advertises once while a higher-priority master is alive did not hear it: a split brain naming both', () => {
      const s = scenario().adverts(0, 20, A).advert(7.2, B).tick(20);
      expect(s.story()).toEqual(['split-brain', 'split-brain-end']);
      const start = s.of('split-brain')[0]!;
      expect(start).toMatchObject({ routers: ['192.0.2.11', '192.0.2.12'], severity: 'critical' });
      expect(sec(start.timeUs)).toBe(7.2);
      expect(start.message).toBe('VRID 51: split brain: 192.0.2.12 advertises as master while 192.0.2.11, with a higher priority, is alive; 192.0.2.12 does not hear 192.0.2.11 (multicast filtered, auth or interval mismatch, or a VRID collision).');
      expect(s.of('split-brain-end')[0]!.durationSeconds).toBe(0);
      expect(s.vrid().master).toBe('192.0.2.11');
    });

    it('a preemption (a higher priority takes over, the old master quiet at once) stays a master-change', () => {
      const s = scenario().adverts(0, 6, B).adverts(6.2, 20, A).tick(20);
      expect(s.story()).toEqual(['master-change']);
    });
  });

  describe('disagreements within a VRID', () => {
    it('interval-mismatch: one event at the start, one at the end, none per packet', () => {
      const s = scenario().adverts(0, 12, A).adverts(2, 9, B, { interval: 3 }, 3).advert(9, B).advert(10, B);
      expect(s.story().filter((t) => t.startsWith('interval'))).toEqual(['interval-mismatch', 'interval-mismatch-end']);
      const e = s.of('interval-mismatch')[0]!;
      expect(e.routers).toEqual([{ address: '192.0.2.11', advertInterval: 1 }, { address: '192.0.2.12', advertInterval: 3 }]);
      expect(e.severity).toBe('warning');
      expect(s.of('interval-mismatch-end')[0]!.durationSeconds).toBe(7);
    });

    it('auth-mismatch names both passwords', () => {
      const s = scenario().adverts(0, 10, A, { auth: 'secret1' }).adverts(0.5, 10, B, { auth: 'secret2' });
      const e = s.of('auth-mismatch');
      expect(e).toHaveLength(1);
      expect(e[0]!.routers).toEqual([
        { address: '192.0.2.11', authType: 1, authData: 'secret1' },
        { address: '192.0.2.12', authType: 1, authData: 'secret2' },
      ]);
      expect(e[0]!.message).toContain('secret2');
    });

    it('auth type none and v3 agree; a password against none does not', () => {
      const s = scenario().adverts(0, 5, A, { authType: 0, auth: '' }).adverts(0.5, 5, B, { authType: 0, auth: '' });
      expect(s.of('auth-mismatch')).toHaveLength(0);
      const t = scenario().adverts(0, 5, A, { authType: 0, auth: '' }).adverts(0.5, 5, B);
      expect(t.of('auth-mismatch')[0]!.routers.map((r) => r.authType)).toEqual([0, 1]);
    });

    it('vip-mismatch: two clusters on one VRID', () => {
      const s = scenario().adverts(0, 10, A, { addresses: ['192.0.2.100'] }).adverts(0.5, 10, C, { addresses: ['192.0.2.200', '192.0.2.201'] });
      const e = s.of('vip-mismatch');
      expect(e).toHaveLength(1);
      expect(e[0]!.routers).toEqual([{ address: '192.0.2.11', vips: ['192.0.2.100'] }, { address: '192.0.2.13', vips: ['192.0.2.200', '192.0.2.201'] }]);
    });

    it('the order of the VIPs does not matter', () => {
      const s = scenario().adverts(0, 5, A, { addresses: ['192.0.2.100', '192.0.2.101'] }).adverts(6, 9, B, { addresses: ['192.0.2.101', '192.0.2.100'] });
      expect(s.of('vip-mismatch')).toHaveLength(0);
    });

    it('owner-conflict: two routers at priority 255', () => {
      const s = scenario().adverts(0, 5, A, { priority: 255 }).adverts(0.5, 5, B, { priority: 255 });
      expect(s.of('owner-conflict')).toHaveLength(1);
      expect(s.of('owner-conflict')[0]).toMatchObject({ routers: ['192.0.2.11', '192.0.2.12'], severity: 'critical' });
    });
  });

  describe('VIPs across VRIDs and ARP', () => {
    it('vip-conflict: one VIP under two VRIDs, ending when one drops it', () => {
      const s = scenario().adverts(0, 8, A, { vrid: 51 }).adverts(0.5, 6, C, { vrid: 52 }).adverts(6, 8, C, { vrid: 52, addresses: ['192.0.2.101'] });
      expect(s.story()).toEqual(['vip-conflict', 'vip-conflict-end']);
      expect(s.of('vip-conflict')[0]).toMatchObject({ vip: '192.0.2.100', vrids: [51, 52], severity: 'warning' });
      expect(s.of('vip-conflict-end')[0]!.durationSeconds).toBe(5.5);
    });

    it('vip-arp-conflict: a gratuitous ARP from another MAC while the master holds the VIP', () => {
      const s = scenario().adverts(0, 10, A).garp(3, '192.0.2.100', B.srcMac).garp(3.1, '192.0.2.100', B.srcMac).garp(4, '192.0.2.100', A.srcMac);
      expect(s.story()).toEqual(['vip-arp-conflict']);
      const e = s.of('vip-arp-conflict')[0]!;
      expect(e).toMatchObject({ vip: '192.0.2.100', severity: 'critical', vrid: 51 });
      expect(e.macs).toEqual([{ mac: A.srcMac, router: '192.0.2.11' }, { mac: B.srcMac, router: null }]);
      s.adverts(10, 40, A);
      expect(s.story()).toEqual(['vip-arp-conflict', 'vip-arp-conflict-end']);
      expect(sec(s.of('vip-arp-conflict-end')[0]!.timeUs)).toBeCloseTo(34, 6); // 30 s after the last conflicting claim
    });

    it('ARP replies count; requests that are not gratuitous do not', () => {
      const s = scenario().adverts(0, 10, A).frame(3, (() => { const f = vrrpArpRequest(); return f; })());
      expect(s.story()).toEqual([]);
      s.garp(9.5, '192.0.2.100', B.srcMac, 2);
      expect(s.story()).toEqual(['vip-arp-conflict']);
    });

    it('a failover is no conflict: the new master advertises before its gratuitous ARPs', () => {
      const s = scenario().adverts(0, 6, A).garp(0.5, '192.0.2.100', A.srcMac).advert(8.6, B).garp(8.601, '192.0.2.100', B.srcMac).adverts(9.6, 12, B);
      expect(s.story()).toEqual(['master-change']);
    });

    it('IPv6 neighbour advertisements for a VIP from two MACs', () => {
      const v3 = { family: 6 as const, version: 3, interval: 100, addresses: ['fe80::100', '2001:db8::100'], authType: undefined, auth: undefined };
      const s = scenario().adverts(0, 10, { src: 'fe80::11', srcMac: A.srcMac, priority: 150 }, v3).na(2, '2001:db8::100', B.srcMac);
      expect(s.of('vip-arp-conflict')[0]).toMatchObject({ vip: '2001:db8::100', family: 'ipv6', vrid: 51 });
    });
  });

  describe('bad packets', () => {
    it('bad-checksum: one event for many packets, ignored by the election, ended when none came for the Master_Down_Interval', () => {
      const s = scenario().adverts(0, 5, A, { checksum: 0x1234 }).adverts(0.5, 5.5, B);
      expect(s.of('bad-checksum')).toHaveLength(1);
      const good = vrrpFrame({ src: A.src, srcMac: A.srcMac, priority: 150, auth: 'pass', authType: 1 });
      expect(s.of('bad-checksum')[0]).toMatchObject({ router: '192.0.2.11', checksum: 0x1234, expected: good.readUInt16BE(14 + 20 + 6), severity: 'warning' });
      expect(s.vrid().master).toBe('192.0.2.12');
      s.advert(6, A);
      expect(s.of('bad-checksum-end')).toHaveLength(0); // a good advert 2 s after the last bad one
      s.tick(9);
      expect(s.of('bad-checksum-end')).toHaveLength(1);
      expect(s.of('bad-checksum-end')[0]).toMatchObject({ durationSeconds: 4, count: 5 });
      expect(sec(s.of('bad-checksum-end')[0]!.timeUs)).toBe(8); // the last bad one + 4 s
    });

    it('bad-ttl: the TTL is named; TTL 255 elects, the condition ends after the silence limit', () => {
      const s = scenario().adverts(0, 3, A, { ttl: 64 });
      expect(s.of('bad-ttl')).toEqual([expect.objectContaining({ router: '192.0.2.11', ttl: 64 })]);
      expect(s.vrid().master).toBeNull();
      s.advert(3, A);
      expect(s.vrid().master).toBe('192.0.2.11');
      s.tick(7);
      expect(s.story()).toEqual(['bad-ttl', 'bad-ttl-end']);
    });

    it('malformed: a cut VRRP header and a cut address list, once per source while they come', () => {
      const s = scenario().frame(0, vrrpFrame({ src: A.src, snap: 40 })).frame(1, vrrpFrame({ src: A.src, snap: 40 }));
      expect(s.of('malformed')).toHaveLength(1);
      expect(s.of('malformed')[0]).toMatchObject({ router: '192.0.2.11', vrid: null, family: 'ipv4' });
      s.frame(2, vrrpFrame({ src: B.src, snap: 50 })).frame(3, vrrpFrame({ src: B.src, snap: 50 }));
      expect(s.of('malformed')).toHaveLength(2);
      expect(s.of('malformed')[1]).toMatchObject({ router: '192.0.2.12', vrid: 51 });
      s.advert(4, A).advert(5, B).advert(6, B).tick(8);
      expect(s.of('malformed-end').map((e) => e.router)).toEqual(['192.0.2.11', '192.0.2.12']);
      // A VRRP header cut short is still a VRRP packet (shown as one by decode), and malformed.
      expect(s.result().packets).toEqual({ total: 7, vrrp: 7, malformed: 4, outOfOrder: 0 });
    });
  });

  describe('segments', () => {
    it('the same VRID on two VLANs or two interfaces is two virtual routers', () => {
      const s = scenario().adverts(0, 5, A, { vlans: [10] }).adverts(0.5, 5, B, { vlans: [20] });
      s.advert(1, A, {}, 'eth1').advert(1.2, A, {}, 'eth2');
      const r = s.result();
      expect(r.vrids.map((v) => [v.segment.interface, v.segment.vlan, v.master])).toEqual([
        [null, 10, '192.0.2.11'],
        [null, 20, '192.0.2.12'],
        ['eth1', null, '192.0.2.11'],
        ['eth2', null, '192.0.2.11'],
      ]);
      expect(s.events.filter((e) => e.type !== 'router-seen')).toEqual([]);
    });
  });

  it('events come out in time order, timers included', () => {
    const s = scenario()
      .adverts(0, 3, A, { vrid: 1, addresses: ['192.0.2.101'] })
      .adverts(0, 30, B, { vrid: 2, addresses: ['192.0.2.102'] })
      .adverts(10, 12, C, { vrid: 3, addresses: ['192.0.2.103'] })
      .tick(40);
    const times = s.events.map((e) => e.timeUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(s.story()).toEqual(['master-down', 'master-down', 'master-down']);
  });

  it('a timestamp that goes backwards counts as the latest one seen, and is told (src/analysis/analyzer.ts)', () => {
    const s = scenario().adverts(0, 5, A).flush().advert(3, A).flush().tick(7.9);
    expect(s.story()).toEqual(['out-of-order']);
    expect(s.of('out-of-order')[0]).toMatchObject({ frame: 6, lateSeconds: 1, direction: 'behind' });
    expect(s.vrid().routers[0]!.lastSeenUs).toBe(us(4));
  });
});

/** An ordinary ARP request for the VIP (not gratuitous): no claim. */
function vrrpArpRequest(): Uint8Array {
  const f = Buffer.from(arpRequestBytes());
  return f;
}

function arpRequestBytes(): number[] {
  const mac = [2, 0, 0, 0, 0, 0x99];
  const ip = (a: string) => a.split('.').map(Number);
  return [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...mac, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, ...mac, ...ip('192.0.2.50'), 0, 0, 0, 0, 0, 0, ...ip('192.0.2.100')];
}
