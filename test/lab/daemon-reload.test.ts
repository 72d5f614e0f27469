// SIGHUP (issue 13): a changed instance applies its change in place. The same body runs with
// keepalived on host a instead of vrrpwatch (SIGHUP is keepalived's reload), so it asserts only
// what keepalived does.
//
// a (under test): VI_51 at 150 (master), VI_52 at 100 (backup). b (keepalived): VI_51 at 100,
// VI_52 at 150 (master).
//   1. SIGHUP raising VI_52 to 200: a preempts VI_52 without leaving BACKUP first (no restart),
//      a Master_Down_Interval after the SIGHUP (keepalived starts a backup's timer again);
//      VI_51 sends no priority-0 advert and its adverts keep their 1 s interval on the wire.
//   2. SIGHUP removing VI_51 and adding VI_54: VI_51 stops as on SIGTERM (priority 0, VIP gone,
//      b takes it), VI_54 starts and becomes master; VI_52 is not touched.
//   3. SIGHUP changing VI_54's addresses while master: the new one added, the gone one removed,
//      no transition.
import { describe, expect, it } from 'vitest';
import { LAB_SKIP, rfcTimers, type KaInstance } from './harness.js';
import { type Advert, captureNow, Observer, sleep, until } from '../daemon/lab-support.js';
import { bothKinds, labPerTest, startConfRouter } from '../daemon/lab-router.js';

const VIP51 = '192.0.2.100';
const VIP52 = '192.0.2.101';
const VIP54 = '192.0.2.104';
const VIP54B = '192.0.2.105';
const VI51: KaInstance = { name: 'VI_51', vrid: 51, priority: 150, vips: [VIP51] };
const VI52: KaInstance = { name: 'VI_52', vrid: 52, priority: 100, vips: [VIP52] };
const VI54: KaInstance = { name: 'VI_54', vrid: 54, priority: 150, vips: [VIP54] };
const B: KaInstance[] = [
  { name: 'VI_51', vrid: 51, priority: 100, vips: [VIP51] },
  { name: 'VI_52', vrid: 52, priority: 150, vips: [VIP52] },
];

/** Seconds between consecutive adverts. */
const gaps = (xs: readonly Advert[]): number[] => xs.slice(1).map((x, k) => x.t - (xs[k] as Advert).t);

describe.skipIf(LAB_SKIP !== null)(`daemon -f: SIGHUP applies a changed instance in place${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  const labs = labPerTest();

  for (const [kind, id] of bothKinds('r1', 'r2')) {
    it(`${kind} on a: a raised priority preempts in place, the other instance undisturbed; removed stops, added starts; VIPs change while master`, async () => {
      const l = labs.lab(id);
      const obs = await Observer.start(l, 'reload');
      const a = l.ip4('a');
      const b = l.ip4('b');
      l.startKeepalived('b', B);
      const r = labs.router(await startConfRouter(kind, l, 'a', [VI51, VI52]));
      await r.waitEntered('VI_51', 'MASTER', 0, 10_000);
      await until('keepalived on b master of VI_52', () => l.keepalivedLog('b').includes('(VI_52) Entering MASTER STATE'), 10_000);
      await until('each VIP on its master', () => l.hasAddress('a', VIP51) && l.hasAddress('b', VIP52), 5000);
      await sleep(1500); // a few VI_51 adverts before the reload, to measure the interval across it
      const count = (name: string): Record<'MASTER' | 'BACKUP' | 'FAULT', number> => ({ MASTER: r.entered(name, 'MASTER'), BACKUP: r.entered(name, 'BACKUP'), FAULT: r.entered(name, 'FAULT') });

      // 1. VI_52 raised to 200: preempts b (150) in place.
      const before51 = count('VI_51');
      const before52 = count('VI_52');
      const hupAt = captureNow();
      r.reload([VI51, { ...VI52, priority: 200 }]);
      await r.waitEntered('VI_52', 'MASTER', before52.MASTER, 10_000);
      await until(`${VIP52} on a only`, () => l.hasAddress('a', VIP52) && !l.hasAddress('b', VIP52), 5000);
      // It did not restart: no BACKUP (or FAULT) entered before MASTER.
      expect(count('VI_52')).toEqual({ ...before52, MASTER: before52.MASTER + 1 });
      const a52 = await obs.waitFor('VI_52 advertising 200 from a', (h) => h.find((x): x is Advert => x.kind === 'vrrp' && x.src === a && x.vrid === 52 && x.t > hupAt), 5000);
      expect(a52.priority).toBe(200);
      console.log(`${kind}: VI_52's first advert as master ${(a52.t - hupAt).toFixed(3)} s after the SIGHUP`);
      // keepalived restarts a backup's Master_Down_Timer at the reload: Master_Down_Interval at 200 from the SIGHUP.
      const { mdi } = rfcTimers(200, 1);
      expect(a52.t - hupAt).toBeGreaterThan(mdi - 0.2);
      expect(a52.t - hupAt).toBeLessThan(mdi + 0.4);
      const endAt = captureNow() + 1.5;
      await obs.waitFor('VI_51 adverts past the reload', (h) => (h.some((x) => x.kind === 'vrrp' && x.src === a && x.vrid === 51 && x.t > endAt) ? true : null), 5000);
      const a51 = (await obs.adverts({ src: a, vrid: 51 })).filter((x) => x.t > hupAt - 1.5 && x.t < endAt);
      expect(a51.filter((x) => x.priority === 0)).toEqual([]);
      const g = gaps(a51);
      console.log(`${kind}: VI_51 advert intervals across the SIGHUP: ${g.map((x) => x.toFixed(3)).join(' ')} s`);
      expect(Math.max(...g)).toBeLessThan(1.15); // advert_int 1 s: no gap
      expect(count('VI_51')).toEqual(before51);

      // 2. VI_51 removed, VI_54 added; VI_52 untouched.
      const removedAt = captureNow();
      const mid52 = count('VI_52');
      r.reload([{ ...VI52, priority: 200 }, VI54]);
      await obs.waitFor('a priority-0 advert from a for the removed VI_51', (h) => h.find((x) => x.kind === 'vrrp' && x.src === a && x.vrid === 51 && x.priority === 0 && x.t > removedAt), 5000);
      await until(`${VIP51} on b only (b took the removed instance's VRID)`, () => l.hasAddress('b', VIP51) && !l.hasAddress('a', VIP51), 5000);
      await r.waitEntered('VI_54', 'MASTER', 0, 10_000);
      await until(`${VIP54} on a`, () => l.hasAddress('a', VIP54), 5000);
      const fromB = await obs.adverts({ src: b, vrid: 51 });
      expect(fromB.some((x) => x.t > removedAt && x.priority === 100)).toBe(true);
      expect(count('VI_52')).toEqual(mid52);
      expect(l.hasAddress('a', VIP52)).toBe(true);

      // 3. VI_54's address changed while master: the new one added, the gone one removed, no transition.
      const before54 = count('VI_54');
      r.reload([{ ...VI52, priority: 200 }, { ...VI54, vips: [VIP54B] }]);
      await until(`${VIP54B} on a and ${VIP54} gone`, () => l.hasAddress('a', VIP54B) && !l.hasAddress('a', VIP54), 5000);
      await sleep(1500);
      expect(count('VI_54')).toEqual(before54);
      expect(count('VI_52')).toEqual(mid52);
      if (r.vrrpwatch !== null) {
        expect(r.log()).toMatch(/ VI_52: SIGHUP: applying priority 100 -> 200 in place \(state BACKUP kept\)/);
        expect(r.log()).toMatch(/ VI_54: SIGHUP: applying virtual_ipaddress \+192\.0\.2\.105\/24 -192\.0\.2\.104\/24 in place \(state MASTER kept\)/);
      }
      await r.stop();
    }, 120_000);
  }
});
