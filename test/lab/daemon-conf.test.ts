// `vrrpwatch daemon -f keepalived.conf` (issue 13): two instances in one process against
// keepalived running the mirror configuration on the other host. The same body runs with
// keepalived on host a instead of vrrpwatch, so it asserts only what keepalived really does.
//
// a: VI_51 at 150 (master), VI_52 at 100, and VI_53 over IPv6 at 150 (master). b (keepalived): VI_51 at 100, VI_52 at 150 (master).
// keepalived on b crashes: a takes VI_52 within Master_Down_Interval + 0.1 s and keeps VI_51
// without a priority-0 advert; b returns and preempts VI_52 back. b crashes again, a masters
// both; SIGTERM on a: a priority-0 advert for each instance, no VIP left on a.
import { describe, expect, it } from 'vitest';
import { LAB_SKIP, rfcTimers, type KaInstance } from './harness.js';
import { writeFileSync } from 'node:fs';
import { captureNow, Observer, sleep, takeover, until } from '../daemon/lab-support.js';
import { bothKinds, labPerTest, startConfRouter } from '../daemon/lab-router.js';

const VIP51 = '192.0.2.100';
const VIP52 = '192.0.2.101';
const A: KaInstance[] = [
  { name: 'VI_51', vrid: 51, priority: 150, vips: [VIP51] },
  { name: 'VI_52', vrid: 52, priority: 100, vips: [VIP52] },
];
const VIP53 = '2001:db8::53';
/** An IPv6 instance beside them (VRRPv3), a master: the shared capture serves both families. */
const A6: KaInstance = { name: 'VI_53', vrid: 53, priority: 150, family: 6, vips: [VIP53] };
const B6: KaInstance = { ...A6, priority: 100 };
const B: KaInstance[] = [
  { name: 'VI_51', vrid: 51, priority: 100, vips: [VIP51] },
  { name: 'VI_52', vrid: 52, priority: 150, vips: [VIP52] },
];

describe.skipIf(LAB_SKIP !== null)(`daemon -f keepalived.conf: two instances in one process${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  const labs = labPerTest();

  for (const [kind, id] of bothKinds('g1', 'g2')) {
    it(`${kind} on a: master of one, backup of the other; takes both on b's crash, gives VI_52 back, priority 0 for each on SIGTERM`, async () => {
      const l = labs.lab(id);
      const obs = await Observer.start(l, 'conf');
      const a = l.ip4('a');
      const b = l.ip4('b');
      const { mdi } = rfcTimers(100, 1);
      l.startKeepalived('b', [...B, B6]);
      const r = labs.router(await startConfRouter(kind, l, 'a', [...A, A6]));
      await r.waitEntered('VI_51', 'MASTER', 0, 10_000);
      await r.waitEntered('VI_53', 'MASTER', 0, 10_000);
      await until('keepalived on b master of VI_52', () => l.keepalivedLog('b').includes('(VI_52) Entering MASTER STATE'), 10_000);
      await until('each VIP on its master', () => l.hasAddress('a', VIP51) && l.hasAddress('a', VIP53) && l.hasAddress('b', VIP52) && !l.hasAddress('a', VIP52), 5000);

      // b crashes: a takes VI_52 within Master_Down_Interval + 0.1 s.
      const crashAt = captureNow();
      await l.stopKeepalived('b', 'KILL');
      const t = await takeover(obs, b, a, 52, 8000);
      expect(t.gapSec).toBeLessThanOrEqual(mdi + 0.1);
      await until(`${VIP52} on a`, () => l.hasAddress('a', VIP52), 3000);

      // b returns at 150 and preempts VI_52; VI_51 stays with a throughout, never at priority 0.
      const backups = r.entered('VI_52', 'BACKUP');
      l.startKeepalived('b', [...B, B6]);
      await r.waitEntered('VI_52', 'BACKUP', backups, 10_000);
      await until(`${VIP52} back on b only`, () => l.hasAddress('b', VIP52) && !l.hasAddress('a', VIP52), 5000);
      const a51 = await obs.adverts({ src: a, vrid: 51 });
      expect(a51.filter((x) => x.t > crashAt && x.priority === 0)).toEqual([]);
      expect(l.hasAddress('a', VIP51)).toBe(true);

      // b crashes again; a masters both; SIGTERM: priority 0 for each, no VIP left.
      const masters = r.entered('VI_52', 'MASTER');
      await l.stopKeepalived('b', 'KILL');
      await r.waitEntered('VI_52', 'MASTER', masters, 8000);
      const termAt = captureNow();
      await r.stop();
      const a6 = l.ll6('a');
      const zero = await obs.waitFor('a priority-0 advert from a for VI_51, VI_52 and VI_53', (h) => {
        const vrids = new Set(h.flatMap((x) => (x.kind === 'vrrp' && (x.src === a || x.src === a6) && x.priority === 0 && x.t >= termAt - 0.05 ? [x.vrid] : [])));
        return vrids.has(51) && vrids.has(52) && vrids.has(53) ? vrids : null;
      }, 5000);
      expect([...zero].sort()).toEqual([51, 52, 53]);
      expect(l.hasAddress('a', VIP53)).toBe(false);
      expect(l.hasAddress('a', VIP51)).toBe(false);
      expect(l.hasAddress('a', VIP52)).toBe(false);
    }, 90_000);
  }
  for (const [kind, id] of bothKinds('g3', 'g4')) {
    it(`${kind} on a, SIGHUP raising VI_52's priority: VI_52 preempts; VI_51 sees no priority-0 advert and no gap`, async () => {
      const l = labs.lab(id);
      const obs = await Observer.start(l, 'hup');
      const a = l.ip4('a');
      l.startKeepalived('b', B);
      const r = labs.router(await startConfRouter(kind, l, 'a', A));
      await r.waitEntered('VI_51', 'MASTER', 0, 10_000);
      await until('keepalived on b master of VI_52', () => l.keepalivedLog('b').includes('(VI_52) Entering MASTER STATE'), 10_000);
      await until('each VIP on its master', () => l.hasAddress('a', VIP51) && l.hasAddress('b', VIP52), 5000);
      const masters51 = r.entered('VI_51', 'MASTER');
      const masters52 = r.entered('VI_52', 'MASTER');
      const hupAt = captureNow();
      r.reload([A[0] as KaInstance, { ...(A[1] as KaInstance), priority: 200 }]);
      await r.waitEntered('VI_52', 'MASTER', masters52, 10_000);
      await until(`${VIP52} on a only`, () => l.hasAddress('a', VIP52) && !l.hasAddress('b', VIP52), 5000);
      const endAt = captureNow() + 1.5;
      await obs.waitFor('two more VI_51 adverts from a', (h) => (h.some((x) => x.kind === 'vrrp' && x.src === a && x.vrid === 51 && x.t > endAt) ? true : null), 5000);
      const a51 = (await obs.adverts({ src: a, vrid: 51 })).filter((x) => x.t > hupAt - 1.2 && x.t < endAt);
      expect(a51.filter((x) => x.priority === 0)).toEqual([]);
      const gaps = a51.slice(1).map((x, k) => x.t - (a51[k] as { t: number }).t);
      expect(Math.max(...gaps)).toBeLessThan(1.2);
      expect(r.entered('VI_51', 'MASTER')).toBe(masters51);
      expect(l.hasAddress('a', VIP51)).toBe(true);
      const a52 = (await obs.adverts({ src: a, vrid: 52 })).at(-1);
      expect(a52?.priority).toBe(200);

      // vrrpwatch: a file that no longer parses is refused with file:line; everything runs on.
      const vw = r.vrrpwatch;
      if (vw !== null) {
        const conf = vw.log.match(/from (\S+\.conf):\d+/)?.[1] as string;
        const from = vw.lines.length;
        writeFileSync(conf, 'vrrp_instance VI_51 {\n  virtual_router_id 999\n');
        vw.proc.kill('SIGHUP');
        await vw.waitForLog(new RegExp(`error: SIGHUP: ${conf.replace(/[.]/g, '\\.')} is not run: ${conf.replace(/[.]/g, '\\.')}:\\d+: .*; the running configuration stays`), 5000, from);
        await sleep(1500);
        expect(vw.lines.slice(from).filter((x) => /stopping|-> /.test(x))).toEqual([]);
        expect(l.hasAddress('a', VIP51) && l.hasAddress('a', VIP52)).toBe(true);
      }
    }, 90_000);
  }
});
