// Roles reversed (issue 6, "Accepted when" item 5): keepalived at 150 is master, vrrpwatch at 100
// waits as backup; keepalived crashes and vrrpwatch takes over within Master_Down_Interval + 0.1 s,
// adds the VIP and announces it (5 gratuitous ARPs, 5 more 5 s later); keepalived, restarted,
// preempts it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LAB_SKIP, rfcTimers } from './harness.js';
import { captureNow, kaEntered, Observer, sleep, takeover, until, Vrrpwatch } from '../daemon/lab-support.js';

const VIP = '192.0.2.100';
const VRID = 51;

describe.skipIf(LAB_SKIP !== null)(`vrrpwatch daemon as keepalived's backup${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab;
  let obs: Observer;
  let vw: Vrrpwatch | undefined;
  const a = 'a'; // vrrpwatch, priority 100
  const b = 'b'; // keepalived, priority 150
  const ours = rfcTimers(100, 1);

  beforeAll(async () => {
    lab = Lab.create('d2', 2);
    obs = await Observer.start(lab, 'backup');
  }, 30_000);

  afterAll(() => {
    vw?.proc.kill('SIGKILL');
    lab?.destroySync();
  });

  it('waits as backup while keepalived at 150 is master', async () => {
    lab.startKeepalived(b, [{ vrid: VRID, priority: 150, vips: [VIP] }]);
    await until('keepalived master', () => kaEntered(lab, b, 'MASTER') > 0, 8000);
    vw = new Vrrpwatch(lab, a, ['--vrid', String(VRID), '--priority', '100', '--vip', `${VIP}/24`]);
    await vw.waitForLog(/INITIALIZE -> BACKUP/, 10_000);
    await sleep(4500); // longer than our Master_Down_Interval: keepalived's adverts hold us back
    expect(vw.log).not.toMatch(/-> MASTER/);
    expect(lab.hasAddress(a, VIP)).toBe(false);
    expect(lab.hasAddress(b, VIP)).toBe(true);
  }, 30_000);

  it('5. keepalived killed: vrrpwatch master within Master_Down_Interval + 0.1 s, with the VIP and gratuitous ARPs (5, then 5 more after 5 s)', async () => {
    await lab.stopKeepalived(b, 'KILL');
    const { first, gapSec } = await takeover(obs, lab.ip4(b), lab.ip4(a), VRID, 6000);
    console.log(`item 5: keepalived's last advert -> vrrpwatch master: ${gapSec.toFixed(4)} s (Master_Down_Interval ${ours.mdi.toFixed(4)} s)`);
    expect(gapSec).toBeGreaterThan(ours.mdi - 0.02);
    expect(gapSec).toBeLessThanOrEqual(ours.mdi + 0.1);
    expect(first.priority).toBe(100);
    await vw!.waitForLog(/BACKUP -> MASTER: no advert from 192\.0\.2\.12 for 3\.6\d s \(Master_Down_Interval\)/, 1000);
    await until('the VIP on vrrpwatch\'s interface', () => lab.hasAddress(a, VIP), 2000);

    const garps = await obs.waitFor('10 gratuitous ARPs from vrrpwatch', (h) => {
      const g = h.filter((x) => x.kind === 'arp' && x.srcMac === lab.mac(a) && x.senderIp === VIP && x.gratuitous && x.t >= first.t);
      return g.length >= 10 ? g : null;
    }, 8000);
    const firstBurst = garps.filter((g) => g.t - first.t < 0.5);
    const secondBurst = garps.filter((g) => g.t - first.t >= 4.5);
    console.log(`item 5: gratuitous ARPs ${firstBurst.length} at +${((firstBurst[0]?.t ?? 0) - first.t).toFixed(4)} s, ${secondBurst.length} at +${((secondBurst[0]?.t ?? 0) - first.t).toFixed(4)} s`);
    expect(firstBurst).toHaveLength(5);
    expect(secondBurst).toHaveLength(5);
    expect((secondBurst[0]?.t ?? 0) - first.t).toBeGreaterThan(4.9);
    expect((secondBurst[0]?.t ?? 0) - first.t).toBeLessThan(5.2);
  }, 30_000);

  it('keepalived restarted at 150 takes over again; vrrpwatch releases the VIP', async () => {
    const t0 = captureNow();
    lab.startKeepalived(b, [{ vrid: VRID, priority: 150, vips: [VIP] }]);
    await vw!.waitForLog(/MASTER -> BACKUP: advert from 192\.0\.2\.12 with higher priority 150 \(ours 100\)/, 8000);
    await until('keepalived master (its log starts afresh)', () => kaEntered(lab, b, 'MASTER') > 0, 3000);
    await until('the VIP gone from vrrpwatch\'s interface', () => !lab.hasAddress(a, VIP), 2000);
    await until('the VIP on keepalived\'s interface', () => lab.hasAddress(b, VIP), 2000);
    // vrrpwatch stops advertising once it has heard keepalived
    await sleep(2500);
    const heard = await obs.adverts({ src: lab.ip4(a), vrid: VRID });
    const kaFirst = (await obs.adverts({ src: lab.ip4(b), vrid: VRID })).find((x) => x.t > t0 && x.priority === 150);
    expect(kaFirst).toBeDefined();
    expect(heard.filter((x) => x.t > kaFirst!.t + 0.01)).toHaveLength(0);
    const exit = await vw!.stop('SIGTERM');
    expect(exit.code).toBe(0);
  }, 30_000);
});
