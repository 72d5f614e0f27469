// A master under a flood (issue 14): 20,000 adverts a second for 5 s from a third namespace
// (tcpreplay of a capture the test builds) of each bad kind in turn: a lower-priority master's,
// priority 0 (both of which it would answer), a bad checksum, and a wrong auth type from 4,096
// spoofed senders. The router under test must stay master and answer at most a few a second;
// its adverts on the wire, CPU and memory are printed. The same body runs with keepalived in
// vrrpwatch's place, for the figures to compare.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPcap } from '../support/pcap-builder.js';
import { hasTool } from '../support/tools.js';
import { vrrpFrame } from '../support/vrrp-frames.js';
import { captureNow, Observer, sleep, until } from '../daemon/lab-support.js';
import { startRouter, type RouterKind, type RouterUnderTest } from '../daemon/lab-router.js';
import { Lab, LAB_SKIP } from './harness.js';
import { cpuSeconds, memoryMiB, tcpreplay } from './load.js';

const VIP = '192.0.2.100';
const VRID = 51;
const RATE = 20_000;
const SECONDS = 5;
const SKIP = LAB_SKIP ?? (hasTool('tcpreplay') ? null : 'the flood test needs tcpreplay: apt-get install tcpreplay');

type Kind = 'lower-priority' | 'priority-0' | 'bad checksum' | 'wrong auth type from 4,096 senders';

/** Spoofed adverts for our VRID, looped by tcpreplay (their timestamps do not matter with --pps). */
function floodPcap(kind: Kind): Uint8Array {
  const base = { vrid: VRID, src: '192.0.2.99', srcMac: '02:76:77:74:00:63', addresses: [VIP] };
  const frames =
    kind === 'lower-priority'
      ? [vrrpFrame({ ...base, priority: 100 })]
      : kind === 'priority-0'
        ? [vrrpFrame({ ...base, priority: 0 })]
        : kind === 'bad checksum'
          ? [vrrpFrame({ ...base, priority: 250, checksum: 0x1234 })]
          : Array.from({ length: 4096 }, (_, i) => vrrpFrame({ ...base, src: `198.51.${100 + (i >> 8)}.${i & 255}`, priority: 250, authType: 1, auth: 'guess' }));
  return buildPcap({ variant: 'usec-le', linkType: 1, records: frames.map((data, k) => ({ tsSec: 1_795_000_000, tsFrac: k, data })) }).bytes;
}

for (const [kind, id] of [['vrrpwatch', 'f5'], ['keepalived', 'f6']] as const satisfies readonly (readonly [RouterKind, string])[]) {
  describe.skipIf(SKIP !== null)(`${kind} as master under a ${RATE}/s flood of adverts it would answer${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
    let lab: Lab | undefined;
    let router: RouterUnderTest | undefined;
    let obs: Observer;
    afterAll(async () => {
      await router?.stop().catch(() => undefined);
      lab?.destroySync();
    });

    const pid = (): number => (router?.vrrpwatch ? (router.vrrpwatch.proc.pid as number) : Number(readFileSync(join(lab!.dir, 'a-vrrp.pid'), 'utf8').trim()));

    it.each<Kind>(['lower-priority', 'priority-0', 'bad checksum', 'wrong auth type from 4,096 senders'])('%s adverts: stays master, answers at most a few a second, bounded log', async (what) => {
      if (lab === undefined) {
        lab = Lab.create(id, 2);
        obs = await Observer.start(lab, 'flood');
        router = await startRouter(kind, lab, 'a', { vrid: VRID, priority: 150, vip: VIP });
        await router.waitEntered('MASTER', 0, 8000);
        await until('the VIP on a', () => lab!.hasAddress('a', VIP), 3000);
        await sleep(1000);
      }
      const l = lab;
      const pcap = join(l.dir, `flood-${what.replace(/\W+/g, '-')}.pcap`);
      writeFileSync(pcap, floodPcap(what));
      const logLines = router!.log().split('\n').length;
      const backups = router!.entered('BACKUP');
      const before = memoryMiB(pid());
      const cpu0 = cpuSeconds(pid());
      const t0 = captureNow();
      const sent = await tcpreplay(l, pcap, RATE, SECONDS, 'b');
      const t1 = captureNow();
      const cpu = cpuSeconds(pid()) - cpu0;
      const mem = memoryMiB(pid());
      await sleep(1500); // the capture file catches up
      const ours = (await obs.adverts({ src: l.ip4('a'), vrid: VRID })).filter((x) => x.t >= t0 && x.t <= t1);
      const perSecond = ours.length / (t1 - t0);
      console.log(
        `${kind}, ${what} flood: tcpreplay sent ${sent.packets} in ${sent.seconds} s (${Math.round(sent.pps)}/s); ` +
          `it sent ${ours.length} adverts in ${(t1 - t0).toFixed(2)} s (${perSecond.toFixed(1)}/s); ` +
          `CPU ${cpu.toFixed(2)} s (${((cpu / (t1 - t0)) * 100).toFixed(0)}% of a core); RSS ${before.rss.toFixed(0)} MiB before, ${mem.rss.toFixed(0)} MiB after, peak ${mem.peak.toFixed(0)} MiB`,
      );
      expect(sent.pps).toBeGreaterThanOrEqual(RATE * 0.9);
      expect(router!.entered('BACKUP'), router!.log()).toBe(backups);
      expect(l.hasAddress('a', VIP)).toBe(true);
      if (kind === 'vrrpwatch') {
        // at least the regular advert every second, at most the answer budget more (keepalived
        // re-arms its advert timer on every advert it hears, even one it drops: under the
        // bad-checksum and wrong-auth floods it sends none at all, printed above)
        expect(ours.length).toBeGreaterThanOrEqual(Math.floor(t1 - t0) - 1);
        expect(perSecond).toBeLessThanOrEqual(5);
        // one line per sender and reason at most, however long the flood
        const said = router!.log().split('\n').length - logLines;
        console.log(`${kind}, ${what} flood: ${said} log lines`);
        expect(said).toBeLessThanOrEqual(1024 + 5);
        if (what === 'lower-priority' || what === 'priority-0') {
          router!.vrrpwatch!.proc.kill('SIGUSR1');
          const status = await router!.vrrpwatch!.waitForLog(/answers held back/, 3000, 0);
          expect(status).toMatch(/; \d+ answers held back \(at most 3 per Advertisement_Interval\)/);
        }
      }
    }, 90_000);
  });
}
