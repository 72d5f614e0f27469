// vrrpwatch daemon against Debian's keepalived 2.2.7 on one segment (issue 6, "Accepted when"
// items 1-4): election, graceful stop with priority 0, preemption on restart, and a crash. Every
// timing is measured on the observer's capture timestamps, never on the test's clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LAB_SKIP, rfcTimers } from './harness.js';
import { captureNow, firstAdvertAfter, kaEntered, Observer, sleep, takeover, until, Vrrpwatch } from '../daemon/lab-support.js';

const VIP = '192.0.2.100';
const VRID = 51;

describe.skipIf(LAB_SKIP !== null)(`vrrpwatch daemon with keepalived, VRRPv2${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab;
  let obs: Observer;
  let vw: Vrrpwatch | undefined;
  const a = 'a'; // vrrpwatch, priority 150
  const b = 'b'; // keepalived, priority 100
  const kaTimers = rfcTimers(100, 1);

  beforeAll(async () => {
    lab = Lab.create('d1', 2);
    obs = await Observer.start(lab, 'interop');
  }, 30_000);

  afterAll(() => {
    vw?.proc.kill('SIGKILL');
    lab?.destroySync();
  });

  const startVrrpwatch = async (): Promise<Vrrpwatch> => {
    const p = new Vrrpwatch(lab, a, ['--vrid', String(VRID), '--priority', '150', '--vip', `${VIP}/24`]);
    await p.waitForLog(/-> BACKUP/, 10_000);
    return p;
  };

  it('1. at 150 against keepalived at 100 it becomes master: the VIP is on its interface only, and keepalived stays backup', async () => {
    vw = await startVrrpwatch();
    lab.startKeepalived(b, [{ vrid: VRID, priority: 100, vips: [VIP] }]);
    await vw.waitForLog(/BACKUP -> MASTER/, 8000);
    await until('the VIP on vrrpwatch\'s interface', () => lab.hasAddress(a, VIP), 2000);
    await sleep(2500); // a few adverts for keepalived to hear
    expect(lab.hasAddress(a, VIP)).toBe(true);
    expect(lab.hasAddress(b, VIP)).toBe(false);
    expect(kaEntered(lab, b, 'BACKUP')).toBeGreaterThan(0);
    expect(kaEntered(lab, b, 'MASTER')).toBe(0);
    const ours = await obs.adverts({ src: lab.ip4(a), vrid: VRID });
    expect(ours.length).toBeGreaterThanOrEqual(2);
    // keepalived's defaults on the wire: the interface's MAC, TTL 255, VRRPv2
    expect(ours.every((x) => x.priority === 150 && x.srcMac === lab.mac(a) && x.ttl === 255 && x.version === 2)).toBe(true);
  }, 30_000);

  it('2. SIGTERM: a priority-0 advert, the VIP removed, keepalived master within Skew_Time + 0.1 s', async () => {
    const exit = await vw!.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect(lab.hasAddress(a, VIP)).toBe(false);
    expect(vw!.log).toMatch(/MASTER -> INITIALIZE: shutdown; sent priority 0/);
    const zero = await obs.waitFor('a priority-0 advert from vrrpwatch', (h) => h.find((x) => x.kind === 'vrrp' && x.src === lab.ip4(a) && x.priority === 0), 3000);
    const first = await obs.waitFor('keepalived\'s first advert as master', (h) => firstAdvertAfter(h, lab.ip4(b), VRID, zero.t), 5000);
    const gap = first.t - zero.t;
    console.log(`item 2: priority 0 -> keepalived master: ${gap.toFixed(4)} s (Skew_Time ${kaTimers.skew.toFixed(4)} s)`);
    expect(gap).toBeGreaterThan(kaTimers.skew - 0.02);
    expect(gap).toBeLessThanOrEqual(kaTimers.skew + 0.1);
    await until('keepalived to add the VIP', () => lab.hasAddress(b, VIP), 3000);
  }, 30_000);

  it('3. restarted, it preempts keepalived and takes the VIP back', async () => {
    const before = kaEntered(lab, b, 'BACKUP');
    const t0 = captureNow();
    vw = await startVrrpwatch();
    await vw.waitForLog(/BACKUP -> MASTER: preempting 192\.0\.2\.12, whose priority 100 is lower than ours \(150\)/, 8000);
    await until('the VIP back on vrrpwatch\'s interface', () => lab.hasAddress(a, VIP), 2000);
    await until('keepalived to go back to backup', () => kaEntered(lab, b, 'BACKUP') > before, 3000);
    await until('keepalived to remove the VIP', () => !lab.hasAddress(b, VIP), 3000);
    expect(lab.keepalivedLog(b)).toMatch(/received advert.*higher priority 150|Master received advert from 192\.0\.2\.11 with higher priority 150/i);
    const ours = await obs.waitFor('vrrpwatch advertising again', (h) => firstAdvertAfter(h, lab.ip4(a), VRID, t0), 2000);
    expect(ours.priority).toBe(150);
  }, 30_000);

  it('4. SIGKILL: keepalived master within Master_Down_Interval + 0.1 s of vrrpwatch\'s last advert', async () => {
    await sleep(1500);
    vw!.proc.kill('SIGKILL');
    await vw!.exited;
    const { gapSec: gap } = await takeover(obs, lab.ip4(a), lab.ip4(b), VRID, 6000);
    console.log(`item 4: vrrpwatch's last advert -> keepalived master: ${gap.toFixed(4)} s (Master_Down_Interval ${kaTimers.mdi.toFixed(4)} s)`);
    expect(gap).toBeGreaterThan(kaTimers.mdi - 0.02);
    expect(gap).toBeLessThanOrEqual(kaTimers.mdi + 0.1);
    await until('keepalived to add the VIP', () => lab.hasAddress(b, VIP), 3000);
  }, 30_000);

  it('after a SIGKILL, the next start removes the VIP the killed process left behind, then preempts', async () => {
    expect(lab.hasAddress(a, VIP)).toBe(true); // nothing can clean up after SIGKILL
    vw = await startVrrpwatch();
    expect(vw.log).toMatch(new RegExp(`removed 192\\.0\\.2\\.100 from ${lab.iface(a)}: a previous run left it there`));
    expect(lab.hasAddress(a, VIP)).toBe(false);
    await vw.waitForLog(/BACKUP -> MASTER/, 8000);
    await until('the VIP on vrrpwatch\'s interface', () => lab.hasAddress(a, VIP), 2000);
    const exit = await vw.stop('SIGINT');
    expect(exit.code).toBe(0);
    expect(lab.hasAddress(a, VIP)).toBe(false);
  }, 30_000);
});
