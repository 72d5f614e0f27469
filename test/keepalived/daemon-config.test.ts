// An instance of keepalived.conf as the daemon's configuration: keepalived's effective values.
import { describe, expect, it } from 'vitest';
import { daemonConfigOf, daemonPlanOf } from '../../src/keepalived/daemon-config.js';
import { readNodes } from '../../src/keepalived/node.js';
import { memoryReader } from '../../src/keepalived/source.js';
import { GLOBAL, instance, script } from './configs.js';

describe('daemonConfigOf', () => {
  it("carries keepalived's effective values: 8-character password, rounded v2 interval, inherited weight, cleared nopreempt", () => {
    const text = GLOBAL + script('chk', -30) + instance({
      state: 'MASTER',
      prio: 150,
      track: ['chk'],
      extra: 'advert_int 1.6\nnopreempt\nnotify /usr/local/bin/notify.sh\nauthentication {\n  auth_type PASS\n  auth_pass verylongpassword\n}',
    });
    const [node] = readNodes(['a.conf'], memoryReader({ 'a.conf': text }));
    const c = daemonConfigOf(node?.instances[0] as NonNullable<typeof node>['instances'][number]);
    expect(c).toMatchObject({ name: 'VI_1', interface: 'eth0', vrid: 51, family: 4, version: 2, priority: 150, advertIntervalCs: 200, preempt: true, notify: '/usr/local/bin/notify.sh' });
    expect(c.vips).toEqual([{ address: '192.0.2.100', prefixLength: 24 }]);
    expect(c.trackScripts).toEqual([{ command: '/bin/true', weight: -30, intervalSec: 1, timeoutSec: 1, rise: 1, fall: 1 }]);
    expect(c.auth?.matches(new TextEncoder().encode('verylong'))).toBe(true);
    expect(c.garp).toEqual({ repeat: 5, delayCs: 500 });
  });
});

describe('daemonPlanOf (vrrpwatch daemon -f)', () => {
  const planOf = (text: string): ReturnType<typeof daemonPlanOf> => {
    const [node] = readNodes(['a.conf'], memoryReader({ 'a.conf': text }));
    return daemonPlanOf(node as NonNullable<typeof node>);
  };

  it('runs every instance; one it cannot run is refused in one sentence naming it and its file:line', () => {
    const text =
      GLOBAL +
      instance({ name: 'VI_1', vrid: 51 }) +
      instance({ name: 'VI_2', vrid: 52, extra: 'authentication {\n  auth_type AH\n  auth_pass secret\n}' }) +
      instance({ name: 'VI_3', vrid: 53, vips: ['2001:db8::100/64'] });
    const plan = planOf(text);
    expect(plan.instances.map((i) => [i.config.name, i.config.vrid, i.config.family, i.at.line])).toEqual([['VI_1', 51, 4, 5], ['VI_3', 53, 6, 25]]);
    expect(plan.refused).toEqual([{ name: 'VI_2', at: { file: 'a.conf', line: 13 }, reason: expect.stringMatching(/^vrrp_instance VI_2 \(a\.conf:13\): auth_type AH \(a\.conf:\d+\) is not supported/) }]);
  });

  it('a second instance on the same VRID and interface is refused, as keepalived refuses it', () => {
    const plan = planOf(GLOBAL + instance({ name: 'A', vrid: 51 }) + instance({ name: 'B', vrid: 51, vips: ['192.0.2.101/24'] }));
    expect(plan.instances.map((i) => i.config.name)).toEqual(['A']);
    expect(plan.refused[0]?.reason).toMatch(/^vrrp_instance B \(a\.conf:\d+\): VRID 51 on eth0 is already used by vrrp_instance A/);
  });

  it('what it leaves out is a warning naming the line; track_interface and notify_master are kept; the files holding an auth_pass are listed for the permission check', () => {
    const plan = planOf(GLOBAL + instance({ extra: 'track_interface {\n  eth1\n  eth2 weight -20 reverse\n}\nnotify_master /bin/true\nnotify_deleted /bin/true\nauthentication {\n  auth_type PASS\n  auth_pass secret\n}' }));
    expect(plan.warnings).toEqual([
      expect.stringMatching(/^vrrp_instance VI_1 \(a\.conf:5\): notify_deleted \(a\.conf:14\) is not supported by vrrpwatch daemon yet and is ignored$/),
    ]);
    expect(plan.instances[0]?.config.trackInterfaces).toEqual([{ name: 'eth1', weight: 0, reverse: false }, { name: 'eth2', weight: -20, reverse: true }]);
    expect(plan.instances[0]?.config.notifyState).toEqual({ MASTER: '/bin/true' });
    expect(plan.passwordFiles).toEqual(['a.conf']);
  });

  it('unicast_peer makes the instance unicast from unicast_src_ip; peers of the other family are skipped with a warning, as keepalived skips them', () => {
    const plan = planOf(GLOBAL + instance({ extra: 'unicast_src_ip 192.0.2.11\nunicast_peer {\n  192.0.2.12\n  192.0.2.13\n  2001:db8::12\n}' }));
    expect(plan.refused).toEqual([]);
    expect(plan.instances[0]?.config.unicast).toEqual({ srcAddress: '192.0.2.11', peers: ['192.0.2.12', '192.0.2.13'] });
    expect(plan.warnings).toEqual([expect.stringMatching(/^vrrp_instance VI_1 \(a\.conf:5\): unicast_peer 2001:db8::12 \(a\.conf:\d+\) is IPv6 and the instance IPv4; keepalived skips it too$/)]);
    // Without peers, the instance stays multicast.
    expect(planOf(GLOBAL + instance({})).instances[0]?.config.unicast).toBeNull();
  });

  it('virtual_ipaddress_excluded and dev, label, scope, brd of an address are kept for `ip addr add`, with no warning; IPv6 drops label and scope, as keepalived', () => {
    const plan = planOf(
      GLOBAL +
        instance({
          vips: ['192.0.2.100/24 dev eth1 label eth1:vip scope link brd +'],
          extra: 'virtual_ipaddress_excluded {\n  198.51.100.7/32\n  2001:db8::7/64 label x scope link\n}',
        }),
    );
    const c = plan.instances[0]?.config;
    expect(c?.vips).toEqual([{ address: '192.0.2.100', prefixLength: 24, dev: 'eth1', label: 'eth1:vip', scope: 'link', brd: '+' }]);
    expect(c?.excludedVips).toEqual([{ address: '198.51.100.7', prefixLength: 32 }, { address: '2001:db8::7', prefixLength: 64 }]);
    expect(plan.warnings).toEqual([expect.stringMatching(/2001:db8::7 \(a\.conf:\d+\): IPv6 addresses take no scope or label; ignored, as keepalived does$/)]);
  });
});

describe('daemonPlanOf: vrrp_sync_group', () => {
  const planOf = (text: string): ReturnType<typeof daemonPlanOf> => {
    const [node] = readNodes(['a.conf'], memoryReader({ 'a.conf': text }));
    return daemonPlanOf(node as NonNullable<typeof node>);
  };
  const group = (body: string): string => `vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n${body}}\n`;

  it("runs the members with their group (no warning): its notify scripts, its tracking added to each member, the members' weights dropped as keepalived drops them", () => {
    const text = GLOBAL + script('chk', -20) + script('grp', 0) +
      group('  notify /usr/local/bin/group.sh\n  notify_fault "/usr/local/bin/fault.sh G"\n  track_script {\n    grp\n  }\n') +
      instance({ name: 'VI_1', vrid: 51, track: ['chk'], extra: 'track_interface {\n  eth1 weight -30\n}' }) +
      instance({ name: 'VI_2', vrid: 52, vips: ['192.0.2.101/24'] });
    const plan = planOf(text);
    expect(plan.warnings).toEqual([]);
    const [one, two] = plan.instances.map((i) => i.config);
    expect(one?.syncGroup).toEqual({ name: 'G', notify: '/usr/local/bin/group.sh', notifyState: { FAULT: '/usr/local/bin/fault.sh G' } });
    expect(two?.syncGroup?.name).toBe('G');
    // keepalived: a weighted track_script inside a group is dropped, a weighted track_interface gets weight 0 (FAULT)
    expect(one?.trackScripts.map((t) => [t.command, t.weight])).toEqual([['/bin/true', 0]]);
    expect(one?.trackInterfaces).toEqual([{ name: 'eth1', weight: 0, reverse: false }]);
    expect(two?.trackScripts.map((t) => t.weight)).toEqual([0]);
  });

  it('global_tracking keeps the members\' weights', () => {
    const text = GLOBAL + script('chk', -20) + group('  global_tracking\n') + instance({ name: 'VI_1', vrid: 51, track: ['chk'] }) + instance({ name: 'VI_2', vrid: 52, vips: ['192.0.2.101/24'] });
    expect(planOf(text).instances[0]?.config.trackScripts.map((t) => t.weight)).toEqual([-20]);
  });
});
