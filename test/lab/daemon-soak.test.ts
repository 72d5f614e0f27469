// The soak (issue 14), opt-in with VRRPWATCH_SOAK=1 (10 minutes; VRRPWATCH_SOAK_SECONDS to
// change it): a keepalived pair (a at 200, b at 150), `vrrpwatch daemon` beside them (c at 100)
// and `vrrpwatch watch -i --json` on the observer port, under a mixed flood at 20,000 frames a
// second from a fourth host (d): random VRIDs, sources and priorities, and for VRID 51
// lower-priority masters, bad checksums, bad TTLs and wrong authentication. At 90 s and every
// 150 s after, the master is killed and restarted 20 s later: real failovers, each reported with
// its gap as the watcher saw it. The resident memory of the watcher and the daemon is sampled every 10 s and must stay
// flat: the last minute's mean within 10% of the mean of the second minute (after warm-up).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { buildPcap } from '../support/pcap-builder.js';
import { hasTool } from '../support/tools.js';
import { vrrpFrame } from '../support/vrrp-frames.js';
import { JsonWatcher } from '../tui/watcher.js';
import { sleep, until, Vrrpwatch } from '../daemon/lab-support.js';
import { Lab, LAB_SKIP } from './harness.js';
import { memoryMiB, tcpreplay } from './load.js';

const VIP = '192.0.2.100';
const VRID = 51;
const RATE = 20_000;
const SECONDS = Number(process.env.VRRPWATCH_SOAK_SECONDS ?? 600);
const SKIP =
  process.env.VRRPWATCH_SOAK !== '1'
    ? 'the soak runs for 10 minutes: set VRRPWATCH_SOAK=1 to run it'
    : (LAB_SKIP ?? (hasTool('tcpreplay') ? null : 'the soak needs tcpreplay: apt-get install tcpreplay'));

/** A small seeded generator (mulberry32), so the flood is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 4,000 frames, looped by tcpreplay: a mix of noise and of bad adverts for our VRID. */
function mixedFlood(): Uint8Array {
  const rnd = random(14);
  const int = (n: number): number => Math.floor(rnd() * n);
  const spoofed = (): string => (rnd() < 0.5 ? `198.51.100.${1 + int(254)}` : `203.0.113.${1 + int(254)}`);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 4000; i++) {
    const kind = rnd();
    const src = spoofed();
    if (kind < 0.4) {
      const vrid = 1 + int(254);
      frames.push(vrrpFrame({ vrid: vrid === VRID ? 52 : vrid, src, priority: int(256), addresses: [`203.0.113.${int(256)}`] }));
    } else if (kind < 0.6) frames.push(vrrpFrame({ vrid: VRID, src, priority: 1 + int(99), addresses: [VIP] }));
    else if (kind < 0.75) frames.push(vrrpFrame({ vrid: VRID, src, priority: 250, addresses: [VIP], checksum: int(65536) }));
    else if (kind < 0.9) frames.push(vrrpFrame({ vrid: VRID, src, priority: 250, addresses: [VIP], ttl: 64 }));
    else frames.push(vrrpFrame({ vrid: VRID, src, priority: 250, addresses: [VIP], authType: 1, auth: 'guess' }));
  }
  return buildPcap({ variant: 'usec-le', linkType: 1, records: frames.map((data, k) => ({ tsSec: 1_795_000_000, tsFrac: k, data })) }).bytes;
}

describe.skipIf(SKIP !== null)(`soak: a watcher and a daemon beside a keepalived pair under a mixed flood${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let lab: Lab | undefined;
  let vw: Vrrpwatch | undefined;
  let watcher: JsonWatcher | undefined;
  afterAll(async () => {
    await vw?.stop('SIGTERM').catch(() => undefined);
    watcher?.proc.kill('SIGKILL');
    lab?.destroySync();
  });

  it(`${SECONDS} s at ${RATE}/s: memory flat, every failover reported`, async () => {
    lab = Lab.create('f8', 4);
    const l = lab;
    const pcap = join(l.dir, 'mixed.pcap');
    writeFileSync(pcap, mixedFlood());
    watcher = new JsonWatcher(l.spawnIn(l.obsNs, process.execPath, [BIN, 'watch', '-i', l.obsIf, '--json']));
    const pair = (): void => {
      l.startKeepalived('a', [{ vrid: VRID, priority: 200, vips: [VIP] }]);
    };
    pair();
    l.startKeepalived('b', [{ vrid: VRID, priority: 150, vips: [VIP] }]);
    await until('keepalived a master', () => l.keepalivedLog('a').includes(`(VI_${VRID}) Entering MASTER STATE`), 8000);
    vw = new Vrrpwatch(l, 'c', ['--vrid', String(VRID), '--priority', '100', '--vip', `${VIP}/24`]);
    await vw.waitForLog(/INITIALIZE -> BACKUP/, 10_000);

    const flood = tcpreplay(l, pcap, RATE, SECONDS, 'd');
    const t0 = Date.now();
    const samples: { t: number; watcher: number; daemon: number }[] = [];
    const failovers: string[] = [];
    let nextFlap = 90;
    const kills: number[] = [];
    while (Date.now() - t0 < SECONDS * 1000) {
      await sleep(10_000);
      const t = Math.round((Date.now() - t0) / 1000);
      samples.push({ t, watcher: memoryMiB(watcher.proc.pid as number).rss, daemon: memoryMiB(vw.proc.pid as number).rss });
      if (t >= nextFlap && t + 60 < SECONDS) {
        nextFlap += 150;
        kills.push(Date.now());
        await l.stopKeepalived('a', 'KILL'); // a crash: b takes over
        await sleep(20_000);
        pair(); // a returns and preempts
      }
    }
    const sent = await flood;
    const mine = [l.ip4('a'), l.ip4('b'), l.ip4('c')];
    // Each crash of a: the watcher's first master change of VRID 51 to a real router after it
    // (the flood's lower-priority masters are masters too, to the watcher, so `from` may be one).
    for (const k of kills) {
      const x = watcher.events.find((w) => w.at > k && w.e.type === 'master-change' && w.e.vrid === VRID && mine.includes(w.e.to ?? ''));
      failovers.push(
        x === undefined
          ? `${new Date(k).toISOString()} a killed: the watcher reported no master change to a real router`
          : `${new Date(k).toISOString()} a killed: ${x.e.from} -> ${x.e.to} ${((x.at - k) / 1000).toFixed(2)} s later, gap ${x.e.gap?.toFixed(3)} s (${x.e.cause})`,
      );
    }
    // keepalived logs every bad advert of the flood: its log outgrows a string (512 MB); grep counts.
    const entered = spawnSync('grep', ['-c', `(VI_${VRID}) Entering MASTER STATE`, join(l.dir, 'b.log')], { encoding: 'utf8' }).stdout.trim();
    failovers.push(`keepalived b entered MASTER ${entered || 0} times`);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const second = samples.filter((s) => s.t > 60 && s.t <= 120);
    const last = samples.filter((s) => s.t > SECONDS - 60);
    const growth = (k: 'watcher' | 'daemon'): number => mean(last.map((s) => s[k])) / mean(second.map((s) => s[k])) - 1;
    console.log(
      `soak: tcpreplay sent ${sent.packets} frames in ${sent.seconds} s (${Math.round(sent.pps)}/s)\n` +
        `RSS MiB every 10 s (t watcher daemon):\n${samples.map((s) => `${s.t} ${s.watcher.toFixed(1)} ${s.daemon.toFixed(1)}`).join('\n')}\n` +
        `growth, last minute against the second: watcher ${(growth('watcher') * 100).toFixed(1)}%, daemon ${(growth('daemon') * 100).toFixed(1)}%\n` +
        `failovers (VRID ${VRID}, as the watcher saw them):\n${failovers.join('\n')}\n` +
        `daemon transitions: ${vw.lines.filter((x) => / -> /.test(x)).length}`,
    );
    expect(watcher.proc.exitCode).toBeNull();
    expect(vw.proc.exitCode).toBeNull();
    expect(growth('daemon')).toBeLessThanOrEqual(0.1);
    expect(growth('watcher')).toBeLessThanOrEqual(0.1);
    expect(kills.length).toBeGreaterThanOrEqual(2);
    expect(failovers.filter((f) => f.includes('no master change'))).toEqual([]);
  }, (SECONDS + 180) * 1000);
});
