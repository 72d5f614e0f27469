// The router's own interface misbehaves (issue 14); each body runs with vrrpwatch on host a and
// again with keepalived in its place.
// - Its link flaps: keepalived at 200 is master, the router under test at 100 its backup. FAULT,
//   then BACKUP, and it must hear the master again and stay backup, with no advert of its own and
//   the VIP only on the master (no split brain).
// - Its interface is deleted and re-created (a new veth, attached to the bridge again, with
//   another MAC): the router under test at 150 is master, keepalived at 100 its backup. FAULT
//   (keepalived takes over), and back to work when the interface returns: it preempts again.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab, LAB_SKIP, rfcTimers } from './harness.js';
import { captureNow, Observer, sleep, until } from '../daemon/lab-support.js';
import { startRouter, type RouterKind, type RouterUnderTest } from '../daemon/lab-router.js';

const VIP = '192.0.2.100';
const VRID = 51;

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

for (const [kind, id] of [['vrrpwatch', 'f1'], ['keepalived', 'f2']] as const satisfies readonly (readonly [RouterKind, string])[]) {
  describe.skipIf(LAB_SKIP !== null)(`${kind} as backup across a flap of its own link${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
    let lab: Lab | undefined;
    let router: RouterUnderTest | undefined;
    afterAll(async () => {
      await router?.stop().catch(() => undefined);
      lab?.destroySync();
    });

    it('link down then up: FAULT, BACKUP, hears the master again and stays backup (no split brain)', async () => {
      lab = Lab.create(id, 2);
      const l = lab;
      const obs = await Observer.start(l, 'link');
      l.startKeepalived('b', [{ vrid: VRID, priority: 200, vips: [VIP] }]);
      await until('keepalived master', () => l.keepalivedLog('b').includes(`(VI_${VRID}) Entering MASTER STATE`), 8000);
      router = await startRouter(kind, l, 'a', { vrid: VRID, priority: 100, vip: VIP });
      await sleep(1500);
      expect(router.entered('MASTER')).toBe(0);

      const link = (state: 'up' | 'down'): string => ip('-n', l.ns('a'), 'link', 'set', 'dev', l.iface('a'), state);
      const faults = router.entered('FAULT');
      const backups = router.entered('BACKUP');
      link('down');
      try {
        await router.waitEntered('FAULT', faults, 3000);
      } finally {
        await sleep(1000);
        link('up');
      }
      const up = captureNow();
      await router.waitEntered('BACKUP', backups, 5000);
      // Well past the backup's Master_Down_Interval: only the master's adverts can hold it back.
      await sleep((rfcTimers(100).mdi + 3) * 1000);
      const mine = (await obs.adverts({ src: l.ip4('a'), vrid: VRID })).filter((x) => x.t > up);
      const masters = (await obs.adverts({ src: l.ip4('b'), vrid: VRID })).filter((x) => x.t > up);
      console.log(`${kind}: after the flap, adverts from it ${mine.length}, from the master ${masters.length}; entered MASTER ${router.entered('MASTER')} times`);
      expect(router.entered('MASTER'), router.log()).toBe(0);
      expect(mine).toEqual([]);
      expect(masters.length).toBeGreaterThanOrEqual(5);
      expect(l.hasAddress('a', VIP)).toBe(false);
      expect(l.hasAddress('b', VIP)).toBe(true);
    }, 60_000);
  });
}

for (const [kind, id] of [['vrrpwatch', 'f3'], ['keepalived', 'f4']] as const satisfies readonly (readonly [RouterKind, string])[]) {
  describe.skipIf(LAB_SKIP !== null)(`${kind} as master when its interface is deleted and re-created${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
    let lab: Lab | undefined;
    let router: RouterUnderTest | undefined;
    afterAll(async () => {
      await router?.stop().catch(() => undefined);
      lab?.destroySync();
    });

    it('deleted: FAULT, the peer takes over; re-created: back to work, master again', async () => {
      lab = Lab.create(id, 2);
      const l = lab;
      const obs = await Observer.start(l, 'recreate');
      router = await startRouter(kind, l, 'a', { vrid: VRID, priority: 150, vip: VIP });
      await router.waitEntered('MASTER', 0, 8000);
      l.startKeepalived('b', [{ vrid: VRID, priority: 100, vips: [VIP] }]);
      await until('keepalived backup', () => l.keepalivedLog('b').includes(`(VI_${VRID}) Entering BACKUP STATE`), 8000);
      await until('the VIP on a', () => l.hasAddress('a', VIP), 3000);

      const faults = router.entered('FAULT');
      const logBefore = router.log().split('\n').length;
      ip('-n', l.ns('a'), 'link', 'del', 'dev', l.iface('a'));
      await router.waitEntered('FAULT', faults, 3000);
      await until('keepalived master', () => l.keepalivedLog('b').includes(`(VI_${VRID}) Entering MASTER STATE`), 8000);
      await sleep(2500); // a few failed looks at the missing interface: no more log lines, no exit
      if (router.vrrpwatch) {
        const said = router.log().split('\n').slice(logBefore);
        console.log(`${kind}: after the deletion it logged:\n${said.join('\n')}`);
        expect(said.filter((x) => x.includes('deleted'))).toHaveLength(1);
        expect(said).toHaveLength(1);
        expect(router.vrrpwatch.proc.exitCode).toBeNull();
      }

      // The same name again: a new veth pair on the bridge, another MAC, the same address.
      const masters = router.entered('MASTER');
      const newMac = '02:76:77:74:00:3b';
      ip('-n', l.brNs, 'link', 'add', l.port('a'), 'type', 'veth', 'peer', 'name', l.iface('a'), 'netns', l.ns('a'));
      ip('-n', l.ns('a'), 'link', 'set', l.iface('a'), 'address', newMac);
      ip('-n', l.brNs, 'link', 'set', l.port('a'), 'master', `vwt${l.id}br`, 'up');
      ip('-n', l.ns('a'), 'addr', 'add', `${l.ip4('a')}/24`, 'dev', l.iface('a'));
      const back = captureNow();
      ip('-n', l.ns('a'), 'link', 'set', l.iface('a'), 'up');
      await router.waitEntered('MASTER', masters, 12_000);
      await until('the VIP on a again', () => l.hasAddress('a', VIP), 3000);
      await until('keepalived back to backup', () => l.keepalivedLog('b').split('\n').filter((x) => x.includes(`(VI_${VRID}) Entering BACKUP STATE`)).length >= 2, 5000);
      const mine = await obs.waitFor('adverts from the re-created interface', (h) => {
        const a = h.filter((x) => x.kind === 'vrrp' && x.src === l.ip4('a') && x.t > back && x.priority === 150);
        return a.length >= 2 ? a : null;
      }, 5000);
      console.log(`${kind}: master again ${(mine[0]!.t - back).toFixed(2)} s after the interface came back, from ${mine[0]!.srcMac}`);
      expect(mine.every((x) => x.srcMac === newMac)).toBe(true);
      expect(l.hasAddress('b', VIP)).toBe(false);
    }, 60_000);
  });
}
