// `vrrpwatch -i IFACE --json` live on the lab's observer port, against real keepalived: it sees
// the master, and when the master's keepalived is killed (a crash: no priority-0 advert), the
// master-change event arrives, live, with a gap within 0.2 s of the backup's
// Master_Down_Interval (RFC 3768 6.1: 3 x Advertisement_Interval + Skew_Time).
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { JsonWatcher } from '../tui/watcher.js';
import { Lab, LAB_SKIP, rfcTimers } from './harness.js';

describe.skipIf(LAB_SKIP !== null)(`vrrpwatch watch, live, against keepalived${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab | undefined;
  afterAll(() => lab?.destroySync());

  it('sees the master, then the failover when its keepalived is killed, with the gap of Master_Down_Interval', async () => {
    lab = Lab.create('tw', 2);
    const watcher = new JsonWatcher(lab.spawnIn(lab.obsNs, process.execPath, [BIN, '-i', lab.obsIf, '--json']));
    lab.startKeepalived('a', [{ vrid: 51, priority: 150, state: 'MASTER', vips: ['192.0.2.100'] }]);
    lab.startKeepalived('b', [{ vrid: 51, priority: 100, vips: ['192.0.2.100'] }]);

    await watcher.waitFor((e) => e.type === 'router-seen' && e.router === lab!.ip4('a'), 10_000, 'router-seen for the master');
    // A few adverts of a settled pair, so the last one before the kill is a regular one.
    await new Promise((r) => setTimeout(r, 2500));
    expect(watcher.events.filter((x) => x.e.type === 'master-change')).toEqual([]);

    const killedAt = Date.now();
    await lab.stopKeepalived('a', 'KILL');
    const { at, e } = await watcher.waitFor((x) => x.type === 'master-change', 10_000, 'master-change');
    const { mdi } = rfcTimers(100);
    expect(e).toMatchObject({ vrid: 51, from: lab.ip4('a'), to: lab.ip4('b'), cause: 'silent' });
    // Measured by vrrpwatch from the packets' capture times.
    expect(Math.abs((e.gap as number) - mdi)).toBeLessThanOrEqual(0.2);
    // And reported live: at most Master_Down_Interval after the kill, plus delivery.
    expect(at - killedAt).toBeLessThanOrEqual(mdi * 1000 + 1000);
    const takeoverMs = Date.parse(e.time) - killedAt;
    console.log(`live failover: gap ${e.gap} s, Master_Down_Interval ${mdi} s; the new master's first advert ${takeoverMs} ms after the kill, the event line ${at - killedAt} ms after it`);

    // The summary on stderr: packets and kernel drops.
    expect(await watcher.stop()).toMatchObject({ code: 0, dropped: 0, ifDropped: 0 });
  }, 60_000);
});
