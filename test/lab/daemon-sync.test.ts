// vrrp_sync_group and track_interface in `vrrpwatch daemon -f` against keepalived (issue 13). The
// same body runs with keepalived on host a instead of vrrpwatch, so it asserts only what keepalived
// itself does.
//
// a (under test): VI_1 and VI_2 at 150 in sync group G, VI_1 tracking a script with weight 0, VI_2
// tracking an interface of its own (a veth end); b (keepalived): the same two at 100, in a group too. a masters both;
// the script fails: BOTH go to FAULT (priority 0 for each) and b takes both VIPs; the script
// succeeds: a preempts both back. That interface goes down: the same again, and back up. The group's
// notify runs with keepalived's arguments (GROUP G STATE 0). Then b's VI_2 alone rises to 200:
// a's VI_2 goes to BACKUP and takes VI_1 with it (no priority 0), and VI_1 stays BACKUP while its
// group cannot be master. vrrpwatch: SIGUSR1 says a line per
// instance, naming its group.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAB_SKIP, type KaInstance } from './harness.js';
import { captureNow, firstAdvertAfter, type Heard, Observer, sleep, until } from '../daemon/lab-support.js';
import { bothKinds, labPerTest, startConfRouter } from '../daemon/lab-router.js';

const VIP1 = '192.0.2.110';
const VIP2 = '192.0.2.111';

describe.skipIf(LAB_SKIP !== null)(`daemon -f: vrrp_sync_group and track_interface${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  const labs = labPerTest();

  for (const [kind, id] of bothKinds('s1', 's2')) {
    it(`${kind} on a: one member's weight-0 script or tracked interface failing moves BOTH VIPs to b; recovered, a preempts both back; one member outbid takes the other to BACKUP`, async () => {
      const l = labs.lab(id);
      const obs = await Observer.start(l, 'sync');
      const a = l.ip4('a');
      const flag = join(l.dir, 'down');
      const dummy = `vwt${l.id}x0`;
      // A veth pair inside a (the kernel here has no dummy driver): the tracked end goes down and up.
      execFileSync('ip', ['-n', l.ns('a'), 'link', 'add', dummy, 'type', 'veth', 'peer', 'name', `vwt${l.id}x1`]);
      execFileSync('ip', ['-n', l.ns('a'), 'link', 'set', `vwt${l.id}x1`, 'up']);
      execFileSync('ip', ['-n', l.ns('a'), 'link', 'set', dummy, 'up']);
      const out = join(l.dir, 'group-notify.out');
      const notify = join(l.dir, 'group-notify.sh');
      writeFileSync(notify, `#!/bin/sh\necho "$*" >> ${out}\n`, { mode: 0o755 });
      const group = { name: 'G', notify };
      const A: KaInstance[] = [
        { name: 'VI_1', vrid: 61, priority: 150, vips: [VIP1], syncGroup: group, track: [{ script: 'chk', weight: 0 }] },
        { name: 'VI_2', vrid: 62, priority: 150, vips: [VIP2], syncGroup: group, trackInterface: [{ iface: dummy, weight: 0 }] },
      ];
      const B: KaInstance[] = [
        { name: 'VI_1', vrid: 61, priority: 100, vips: [VIP1], syncGroup: { name: 'G' } },
        { name: 'VI_2', vrid: 62, priority: 100, vips: [VIP2], syncGroup: { name: 'G' } },
      ];
      l.startKeepalived('b', B);
      const r = labs.router(await startConfRouter(kind, l, 'a', A, [{ name: 'chk', script: `test ! -e ${flag}`, interval: 1 }]));
      await r.waitEntered('VI_1', 'MASTER', 0, 10_000);
      await r.waitEntered('VI_2', 'MASTER', 0, 10_000);
      await until('both VIPs on a only', () => l.hasAddress('a', VIP1) && l.hasAddress('a', VIP2) && !l.hasAddress('b', VIP1) && !l.hasAddress('b', VIP2), 5000);

      const vw = r.vrrpwatch;
      if (vw !== null) {
        // SIGUSR1: one line per instance, naming its group.
        const from = vw.lines.length;
        vw.proc.kill('SIGUSR1');
        await vw.waitForLog(/ VI_1: VRID 61: MASTER, priority 150, advertising every 1 s \(sync group G\); adverts sent \d+/, 3000, from);
        await vw.waitForLog(/ VI_2: VRID 62: MASTER, priority 150, advertising every 1 s \(sync group G\); adverts sent \d+/, 3000, from);
        await vw.waitForLog(/ sync group G: MASTER; members VI_1 MASTER, VI_2 MASTER$/, 3000, from);
      }

      const failAndRecover = async (what: string, fail: () => void, recover: () => void): Promise<void> => {
        const faults = [r.entered('VI_1', 'FAULT'), r.entered('VI_2', 'FAULT')] as const;
        const masters = [r.entered('VI_1', 'MASTER'), r.entered('VI_2', 'MASTER')] as const;
        const at = captureNow();
        fail();
        // BOTH members go to FAULT: a priority-0 advert for each, both VIPs to b.
        await r.waitEntered('VI_1', 'FAULT', faults[0], 5000);
        await r.waitEntered('VI_2', 'FAULT', faults[1], 5000);
        const zero = await obs.waitFor(`${what}: a priority-0 advert from a for VRIDs 61 and 62`, (h) => {
          const vrids = new Set(h.flatMap((x) => (x.kind === 'vrrp' && x.src === a && x.priority === 0 && x.t >= at - 0.05 ? [x.vrid] : [])));
          return vrids.has(61) && vrids.has(62) ? vrids : null;
        }, 5000);
        expect([...zero].sort()).toEqual([61, 62]);
        await until(`${what}: both VIPs on b only`, () => l.hasAddress('b', VIP1) && l.hasAddress('b', VIP2) && !l.hasAddress('a', VIP1) && !l.hasAddress('a', VIP2), 5000);
        const firstOf = (h: Heard[], src: string, vrid: number, after: number): number | undefined => firstAdvertAfter(h, src, vrid, after)?.t;
        const bOver = await obs.waitFor(`${what}: b advertising both as master`, (h) => {
          const t = [firstOf(h, l.ip4('b'), 61, at), firstOf(h, l.ip4('b'), 62, at)];
          return t.every((x) => x !== undefined) ? Math.max(...(t as number[])) : null;
        }, 5000);
        const recoverAt = captureNow();
        recover();
        await r.waitEntered('VI_1', 'MASTER', masters[0], 15_000);
        await r.waitEntered('VI_2', 'MASTER', masters[1], 15_000);
        await until(`${what} recovered: both VIPs back on a only`, () => l.hasAddress('a', VIP1) && l.hasAddress('a', VIP2) && !l.hasAddress('b', VIP1) && !l.hasAddress('b', VIP2), 5000);
        const aBack = await obs.waitFor(`${what}: a advertising both at 150 again`, (h) => {
          const t = [61, 62].map((v) => h.find((x) => x.kind === 'vrrp' && x.src === a && x.vrid === v && x.t > recoverAt && x.priority === 150)?.t);
          return t.every((x) => x !== undefined) ? t as number[] : null;
        }, 5000);
        console.log(`${kind}, ${what}: failure -> b master of both ${(bOver - at).toFixed(3)} s; recovery -> a master of both ${(Math.max(...aBack) - recoverAt).toFixed(3)} s, the two VRIDs ${(Math.abs((aBack[0] as number) - (aBack[1] as number)) * 1000).toFixed(1)} ms apart`);
      };
      await failAndRecover('the track script on VI_1', () => writeFileSync(flag, ''), () => rmSync(flag));
      await failAndRecover(`the tracked interface of VI_2`, () => execFileSync('ip', ['-n', l.ns('a'), 'link', 'set', dummy, 'down']), () => execFileSync('ip', ['-n', l.ns('a'), 'link', 'set', dummy, 'up']));

      // b's VI_2 alone rises to 200 (b reloaded, its instances no longer grouped): a's VI_2 goes to
      // BACKUP and takes a's VI_1 with it, without a priority-0 advert; b's VI_1 (100) then masters
      // unopposed, and a's VI_1 (150) does not take it back: its group cannot be master while
      // VI_2 hears a better router (keepalived: "prefer backup state to avoid thrashing").
      const backups1 = r.entered('VI_1', 'BACKUP');
      const masters1 = r.entered('VI_1', 'MASTER');
      const raisedAt = captureNow();
      l.reloadKeepalived('b', [{ ...(B[0] as KaInstance), syncGroup: undefined }, { ...(B[1] as KaInstance), priority: 200, syncGroup: undefined }]);
      await r.waitEntered('VI_1', 'BACKUP', backups1, 10_000);
      await until('both VIPs on b only', () => l.hasAddress('b', VIP1) && l.hasAddress('b', VIP2) && !l.hasAddress('a', VIP1) && !l.hasAddress('a', VIP2), 10_000);
      await sleep(6000);
      expect(r.entered('VI_1', 'MASTER')).toBe(masters1);
      expect(l.hasAddress('b', VIP1) && !l.hasAddress('a', VIP1)).toBe(true);
      const a61 = (await obs.adverts({ src: a, vrid: 61 })).filter((x) => x.t > raisedAt);
      expect(a61.filter((x) => x.priority === 0)).toEqual([]);
      expect((await obs.adverts({ src: l.ip4('b'), vrid: 61 })).some((x) => x.t > raisedAt && x.priority === 100)).toBe(true);

      // The group's notify, with keepalived's arguments (the sequence keepalived 2.2.7 runs): FAULT, BACKUP, MASTER, twice.
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      const cycle = ['GROUP G FAULT 0', 'GROUP G BACKUP 0', 'GROUP G MASTER 0'];
      expect(lines).toEqual(['GROUP G BACKUP 0', 'GROUP G MASTER 0', ...cycle, ...cycle, 'GROUP G BACKUP 0']);
      // SIGTERM: the group's STOP after its members stopped.
      await r.stop();
      await until('the group STOP notification', () => readFileSync(out, 'utf8').trim().split('\n').at(-1) === 'GROUP G STOP 0', 3000);
      expect(l.hasAddress('a', VIP1) || l.hasAddress('a', VIP2)).toBe(false);
    }, 120_000);
  }
});
