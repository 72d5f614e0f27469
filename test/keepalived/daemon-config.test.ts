// An instance of keepalived.conf as the daemon's configuration: keepalived's effective values.
import { describe, expect, it } from 'vitest';
import { daemonConfigOf } from '../../src/keepalived/daemon-config.js';
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
