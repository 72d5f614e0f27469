// VRRPv3 over IPv6 against keepalived (issue 6, "Accepted when" item 8): the same takeover both
// ways. keepalived takes over from a crashed vrrpwatch, and vrrpwatch from a crashed keepalived,
// each within Master_Down_Interval + 0.1 s, with unsolicited neighbour advertisements for the VIP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LAB_SKIP, rfcTimers } from './harness.js';
import { kaEntered, Observer, sleep, takeover, until, Vrrpwatch } from '../daemon/lab-support.js';

const VIP = '2001:db8::100';
const VRID = 51;

describe.skipIf(LAB_SKIP !== null)(`vrrpwatch daemon with keepalived, VRRPv3 over IPv6${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab;
  let obs: Observer;
  let vw: Vrrpwatch | undefined;
  const a = 'a'; // vrrpwatch
  const b = 'b'; // keepalived, 100
  const mdi100 = rfcTimers(100, 1).mdi; // RFC 5798: (3 * 100 cs) + (256 - 100) * 100 / 256 cs

  /** Unsolicited NAs for the VIP from `h` in [fromT, toT). */
  const nasFrom = async (h: 'a' | 'b', fromT: number, toT = Infinity): Promise<number> =>
    (await obs.heard()).filter((x) => x.kind === 'na' && x.srcMac === lab.mac(h) && x.target === VIP && x.override && x.t >= fromT && x.t < toT).length;

  beforeAll(async () => {
    lab = Lab.create('d5', 2);
    obs = await Observer.start(lab, 'ipv6');
  }, 30_000);

  afterAll(() => {
    vw?.proc.kill('SIGKILL');
    lab?.destroySync();
  });

  it('vrrpwatch at 150 is master over keepalived at 100: adverts from its link-local address, the VIP and unsolicited NAs', async () => {
    vw = new Vrrpwatch(lab, a, ['--vrid', String(VRID), '--priority', '150', '--vip', `${VIP}/64`]);
    await vw.waitForLog(/-> BACKUP/, 10_000);
    expect(vw.log).toMatch(/VRRPv3/);
    lab.startKeepalived(b, [{ vrid: VRID, priority: 100, vips: [VIP], family: 6 }]);
    await vw.waitForLog(/BACKUP -> MASTER/, 8000);
    await until('the VIP on vrrpwatch\'s interface', () => lab.hasAddress(a, VIP), 2000);
    await sleep(2000);
    expect(kaEntered(lab, b, 'BACKUP')).toBeGreaterThan(0);
    expect(kaEntered(lab, b, 'MASTER')).toBe(0);
    expect(lab.hasAddress(b, VIP)).toBe(false);
    const ours = await obs.adverts({ src: lab.ll6(a), vrid: VRID });
    expect(ours.length).toBeGreaterThanOrEqual(2);
    expect(ours.every((x) => x.family === 6 && x.version === 3 && x.ttl === 255 && x.srcMac === lab.mac(a) && x.priority === 150)).toBe(true);
    expect(await nasFrom(a, 0, ours[0]!.t + 1)).toBe(5);
  }, 30_000);

  it('8a. vrrpwatch killed: keepalived master within Master_Down_Interval + 0.1 s', async () => {
    vw!.proc.kill('SIGKILL');
    await vw!.exited;
    const { gapSec } = await takeover(obs, lab.ll6(a), lab.ll6(b), VRID, 6000);
    console.log(`item 8: IPv6, vrrpwatch's last advert -> keepalived master: ${gapSec.toFixed(4)} s (Master_Down_Interval ${mdi100.toFixed(4)} s)`);
    expect(gapSec).toBeGreaterThan(mdi100 - 0.02);
    expect(gapSec).toBeLessThanOrEqual(mdi100 + 0.1);
    await until('keepalived to add the VIP', () => lab.hasAddress(b, VIP), 3000);
  }, 30_000);

  it('8b. keepalived killed: vrrpwatch (a backup at 100) master within Master_Down_Interval + 0.1 s, with the VIP and unsolicited NAs', async () => {
    vw = new Vrrpwatch(lab, a, ['--vrid', String(VRID), '--priority', '100', '--vip', `${VIP}/64`]);
    await vw.waitForLog(/-> BACKUP/, 10_000);
    expect(vw.log).toMatch(new RegExp(`removed 2001:db8::100 from ${lab.iface(a)}: a previous run left it there`));
    await sleep(4000); // keepalived's adverts (100, as ours) keep it backup
    expect(vw.log).not.toMatch(/-> MASTER/);
    expect(lab.hasAddress(a, VIP)).toBe(false);
    await lab.stopKeepalived(b, 'KILL');
    const { first, gapSec } = await takeover(obs, lab.ll6(b), lab.ll6(a), VRID, 6000);
    console.log(`item 8: IPv6, keepalived's last advert -> vrrpwatch master: ${gapSec.toFixed(4)} s (Master_Down_Interval ${mdi100.toFixed(4)} s)`);
    expect(gapSec).toBeGreaterThan(mdi100 - 0.02);
    expect(gapSec).toBeLessThanOrEqual(mdi100 + 0.1);
    await until('the VIP on vrrpwatch\'s interface', () => lab.hasAddress(a, VIP), 2000);
    await sleep(300); // the NAs follow the advert at once; give tcpdump time to write them
    expect(await nasFrom(a, first.t, first.t + 1)).toBe(5);
    expect((await vw.stop('SIGTERM')).code).toBe(0);
    expect(lab.hasAddress(a, VIP)).toBe(false);
  }, 40_000);
});
