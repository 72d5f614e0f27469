#!/usr/bin/env node
// `npm run bench`: generate captures, then time vrrpwatch against `tcpdump -nn -v -r` on the same
// file (best and median of 5 runs, the tools in turn, wall clock, output to /dev/null). Needs
// `npm run build` and tcpdump.
//   decode : 1,000,000 packets          target: at least as fast as tcpdump
//   analyze: 1,000,000 packets, 200 VRIDs  target: at least 10x faster than tcpdump
//   analyze peak RSS on a 10,000,000-packet stream  target: under 150 MB
//   report : the same 1,000,000 packets       target: at most 3x analyze's time, at most 5 MB of HTML
//   lint, simulate: 50 keepalived.conf nodes (25 pairs) with 200 instances each  target: under 2 s
//   analyze of a flood (random VRIDs, sources, priorities, intervals, VIPs) against benign traffic,
//     200,000, 500,000 (also text and check -r) and 1,000,000 adverts   target: 200,000 and
//     500,000 within 3x the benign time, under 150 MB; 1,000,000 linear in time and flat in
//     memory (`--flood`: only this)
//   the service's scrape and a flooded watcher's RSS: see bench-service.mjs
//   `--daemon-200`: vrrpwatch daemon vs keepalived, 200 masters for 30 s (CPU, advert interval
//     spread; root): see bench-daemon.mjs. Not in the default run, which says how to run it.
import { spawnSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin/vrrpwatch.js');
const dir = process.env.BENCH_DIR ?? join(tmpdir(), 'vrrpwatch-bench');
mkdirSync(dir, { recursive: true });
const runs = Number(process.env.BENCH_RUNS ?? 5);
const bigPackets = Number(process.env.BENCH_BIG ?? 10_000_000);

function csum(b) {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) + (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** 200 VRIDs, two routers each (a master at 150, a backup at 100 that stays quiet as backups do,
 *  plus a few VRIDs where both advertise), VRRPv2 with auth and VRRPv3, 1 s apart per VRID. */
function frames(vrids = 200) {
  const out = [];
  for (let vrid = 1; vrid <= vrids; vrid++) {
    const v3 = vrid % 4 === 0;
    const routers = vrid % 25 === 0 ? 2 : 1;
    for (let r = 0; r < routers; r++) {
      const src = [192, 0, 2, 1 + ((vrid + r * 100) % 250)];
      const vrrp = Buffer.from([v3 ? 0x31 : 0x21, vrid, r === 0 ? 150 : 100, 1, v3 ? 0 : 1, v3 ? 100 : 1, 0, 0, 198, 51, 100, vrid, ...(v3 ? [] : [...Buffer.from('secret\0\0')])]);
      const pseudo = v3 ? Buffer.from([...src, 224, 0, 0, 18, 0, 112, 0, vrrp.length]) : Buffer.alloc(0);
      vrrp.writeUInt16BE(csum(Buffer.concat([pseudo, vrrp])), 6);
      const ip = Buffer.from([0x45, 0xc0, 0, 20 + vrrp.length, 0, 0, 0, 0, 255, 112, 0, 0, ...src, 224, 0, 0, 18]);
      ip.writeUInt16BE(csum(ip), 10);
      out.push(Buffer.concat([Buffer.from([1, 0, 0x5e, 0, 0, 0x12, 0x52, 0x54, 0, 0, r, vrid, 8, 0]), ip, vrrp]));
    }
  }
  return out;
}

/** A pcap of `packets` records; `record(i)` gives the i-th frame and its time (s, µs). */
async function writeRecords(stream, packets, record) {
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0); hdr.writeUInt16LE(2, 4); hdr.writeUInt16LE(4, 6); hdr.writeUInt32LE(262144, 16); hdr.writeUInt32LE(1, 20);
  stream.write(hdr);
  let batch = [];
  for (let i = 0; i < packets; i++) {
    const [f, sec, us] = record(i);
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(sec, 0); rh.writeUInt32LE(us, 4); rh.writeUInt32LE(f.length, 8); rh.writeUInt32LE(f.length, 12);
    batch.push(rh, f);
    if (batch.length >= 20_000) {
      if (!stream.write(Buffer.concat(batch))) await once(stream, 'drain');
      batch = [];
    }
  }
  stream.end(Buffer.concat(batch));
  await once(stream, 'finish').catch(() => undefined);
}

async function writeCapture(stream, packets) {
  const fr = frames();
  await writeRecords(stream, packets, (i) => [fr[i % fr.length], 1_795_000_000 + Math.floor(i / fr.length), Math.floor((i % fr.length) * (1e6 / fr.length))]);
}

/** xorshift32: the flood is the same at every run. */
function seeded(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

/** `packets` spoofed VRRPv2 adverts at 20,000 a second, every field random, checksums valid. */
async function writeFlood(stream, packets, seed = 14) {
  const rnd = seeded(seed);
  const b = () => rnd() & 0xff;
  await writeRecords(stream, packets, (i) => {
    const src = [10, b(), b(), 1 + (rnd() % 254)];
    const vrrp = Buffer.from([0x21, 1 + (rnd() % 255), 1 + (rnd() % 254), 1, 0, 1 + (rnd() % 10), 0, 0, 198, 51, b(), b(), 0, 0, 0, 0, 0, 0, 0, 0]);
    vrrp.writeUInt16BE(csum(vrrp), 6);
    const ip = Buffer.from([0x45, 0xc0, 0, 20 + vrrp.length, 0, 0, 0, 0, 255, 112, 0, 0, ...src, 224, 0, 0, 18]);
    ip.writeUInt16BE(csum(ip), 10);
    const us = i * 50;
    return [Buffer.concat([Buffer.from([1, 0, 0x5e, 0, 0, 0x12, 0x52, 0x54, 0, src[1], src[2], src[3], 8, 0]), ip, vrrp]), 1_795_000_000 + Math.floor(us / 1e6), us % 1e6];
  });
}

/**
 * CPU time (user + system) of one `node ARGS` run, as text ('' without /usr/bin/time): on a
 * shared machine the wall clock also measures the neighbours.
 */
function cpuText(args) {
  if (!existsSync('/usr/bin/time')) return '';
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'node', ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return m ? `   CPU ${(Number(m[1]) + Number(m[2])).toFixed(2)} s (user + sys)` : '';
}

/** Peak RSS (MB) of one vrrpwatch run, through scripts/max-rss.mjs. */
function peakMb(args) {
  const r = spawnSync('node', [join(root, 'scripts/max-rss.mjs'), cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const m = /max-rss-kb (\d+)/.exec(String(r.stderr));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * A flood against a benign capture of the same size: time ratio and peak RSS, for the rows of
 * issue 14's table. 200,000 adverts, `analyze --json`: within 3x the benign time and under
 * 150 MB. 500,000, `analyze --json`, `analyze` (text) and `check -r`: "as the first row", the
 * same 3x. 1,000,000: linear time (at most 5 x 1.2 the 200,000's) and flat memory (under the
 * same 150 MB); its ratio to benign is shown too.
 */
async function floodBench() {
  console.log(`
a flood of random adverts against benign traffic (200 VRIDs) of the same size; best (and median) of ${runs} runs`);
  let met = true;
  let small = null;
  for (const n of [200_000, 500_000, 1_000_000]) {
    const flood = join(dir, `bench-flood-${n}.pcap`);
    const benign = join(dir, `bench-benign-${n}.pcap`);
    if (!existsSync(flood)) await writeFlood(createWriteStream(flood), n);
    if (!existsSync(benign)) await writeCapture(createWriteStream(benign), n);
    const faces = n === 500_000 ? [['analyze', '--json'], ['analyze'], ['check', '-r']] : [['analyze', '--json']];
    for (const face of faces) {
      const [f, b] = race(['node', [cli, ...face, flood]], ['node', [cli, ...face, benign]]);
      const ratio = f.best / b.best;
      const rssF = peakMb([...face, flood]);
      const rssB = peakMb([...face, benign]);
      let target;
      let ok;
      if (n === 1_000_000) {
        const growth = f.best / small.time;
        const scale = n / small.n;
        ok = growth <= scale * 1.2 && rssF < 150;
        target = `${scale}x the adverts in ${growth.toFixed(1)}x the time, ${(rssF / small.rss).toFixed(2)}x the memory (target linear and flat: <= ${(scale * 1.2).toFixed(1)}x the time, < 150 MB: ${ok ? 'met' : 'NOT met'})`;
      } else {
        ok = ratio <= 3 && rssF < 150;
        target = `target <= 3x, < 150 MB: ${ok ? 'met' : 'NOT met'}`;
        if (n === 200_000) small = { n, time: f.best, rss: rssF };
      }
      met &&= ok;
      console.log(
        `${`${face.join(' ')} ${n.toLocaleString('en')} flood/benign`.padEnd(44)} flood ${f.best.toFixed(3)} s (median ${f.median.toFixed(3)}), ${rssF.toFixed(0)} MB   ` +
          `benign ${b.best.toFixed(3)} s (median ${b.median.toFixed(3)}), ${rssB.toFixed(0)} MB   flood/benign = ${ratio.toFixed(1)}x (${target})`,
      );
      if (face.length === 2 && face[1] === '--json') {
        const cpuF = cpuText([cli, ...face, flood]);
        const cpuB = cpuText([cli, ...face, benign]);
        console.log(`${''.padEnd(44)} one run each:${cpuF.replace('   CPU', ' flood CPU')},${cpuB.replace('   CPU', ' benign CPU')}`);
      }
    }
  }
  return met;
}

/** Wall-clock seconds of one run; vrrpwatch may exit 1 or 2 (its verdict), tcpdump must exit 0. */
function timeRun(cmd, args, env = process.env) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, env });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0 && !(cmd !== 'tcpdump' && r.status !== null && r.status <= 2)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return s;
}

/**
 * Runs the commands in turn, `runs` rounds, so that whatever else the machine does falls on all
 * of them alike; returns the best and the median time of each.
 */
function race(...commands) {
  const times = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach(([cmd, args, env], j) => times[j].push(timeRun(cmd, args, env)));
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { best: t[0], median: t[t.length >> 1] };
  });
}

function row(name, ours, theirs) {
  const ratio = theirs.best / ours.best;
  console.log(
    `${name.padEnd(44)} vrrpwatch ${ours.best.toFixed(3)} s (median ${ours.median.toFixed(3)})   tcpdump ${theirs.best.toFixed(3)} s (median ${theirs.median.toFixed(3)})   ` +
      `tcpdump/vrrpwatch = ${ratio.toFixed(2)}x (medians ${(theirs.median / ours.median).toFixed(2)}x)`,
  );
  return ratio;
}

/** 50 nodes in 25 pairs, each pair on its own VLAN interface, 200 instances a node, 4 track scripts. */
function keepalivedFleet(nodes = 50, instances = 200) {
  const kdir = join(dir, 'keepalived-fleet');
  mkdirSync(kdir, { recursive: true });
  const files = [];
  for (let n = 0; n < nodes; n++) {
    const pair = n >> 1;
    const master = n % 2 === 0;
    const out = [`global_defs {\n  router_id lb${n}\n  enable_script_security\n  script_user root\n}`];
    for (let s = 0; s < 4; s++) out.push(`vrrp_script chk_${s} {\n  script "/usr/bin/test -f /run/ok${s}"\n  interval 2\n  weight -${20 + s * 15}\n  fall 2\n  rise 2\n}`);
    for (let i = 1; i <= instances; i++) {
      out.push(`vrrp_instance VI_${i} {
  state ${master ? 'MASTER' : 'BACKUP'}
  interface bond0.${100 + pair}
  virtual_router_id ${i}
  priority ${master ? 150 + (i % 50) : 100 + (i % 40)}
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass p${pair}x${i}
  }
  virtual_ipaddress {
    198.18.${pair}.${i}/24 dev bond0.${100 + pair}
  }
  track_script {
    chk_${i % 4} weight -${10 + (i % 60)}
  }
}`);
    }
    const f = join(kdir, `lb${n}.conf`);
    writeFileSync(f, `${out.join('\n')}\n`);
    files.push(f);
  }
  return files;
}

function keepalivedBench() {
  const files = keepalivedFleet();
  console.log(`\nkeepalived.conf: 50 nodes (25 pairs) x 200 instances, 4 track scripts each; best (and median) of ${runs} runs`);
  const target = 2;
  const cases = [
    ['lint', [cli, 'lint', '--json', ...files]],
    ['simulate (every failure and pair)', [cli, 'simulate', '--json', ...files]],
    ['simulate --step x3', [cli, 'simulate', '--json', ...files, '--step', 'lb0:chk_1=fail', '--step', 'lb1:down', '--step', 'lb0:chk_1=ok']],
  ];
  let met = true;
  for (const [name, args] of cases) {
    const [t] = race(['node', args]);
    const cpu = cpuText(args);
    met &&= t.best < target;
    console.log(`${name.padEnd(44)} vrrpwatch ${t.best.toFixed(3)} s (median ${t.median.toFixed(3)})${cpu}   target < ${target} s: ${t.best < target ? 'met' : 'NOT met'}`);
  }
  return met;
}

async function main() {
  if (process.argv.includes('--daemon-200')) {
    const { benchDaemon } = await import('./bench-daemon.mjs');
    await benchDaemon();
    return;
  }
  if (process.argv.includes('--keepalived')) {
    keepalivedBench();
    return;
  }
  if (process.argv.includes('--flood')) {
    await floodBench();
    return;
  }
  if (!existsSync(join(root, 'dist/vrrpwatch.cjs'))) throw new Error('run `npm run build` first');
  if (spawnSync('tcpdump', ['--version']).status !== 0) throw new Error('tcpdump is not installed: apt-get install tcpdump');
  const file = join(dir, 'bench-1m-200vrids.pcap');
  if (!existsSync(file)) {
    process.stdout.write(`generating ${file} ... `);
    await writeCapture(createWriteStream(file), 1_000_000);
    console.log(`${(statSync(file).size / 1e6).toFixed(0)} MB`);
  }
  console.log(`1,000,000 packets, 200 VRIDs; best (and median) of ${runs} runs, each tool in turn, output to /dev/null\n`);
  const tcpdumpArgs = ['tcpdump', ['-nn', '-v', '-r', file]];
  const [dec, tcp1] = race(['node', [cli, 'decode', file]], tcpdumpArgs);
  const decode = row('decode', dec, tcp1);
  const [decJson, tcp2] = race(['node', [cli, 'decode', '--json', file]], tcpdumpArgs);
  row('decode --json', decJson, tcp2);
  const [ana, tcp3] = race(['node', [cli, 'analyze', '--json', file]], tcpdumpArgs);
  const analyze = row('analyze --json', ana, tcp3);

  // The report of the same capture against analyze (its own peer: the same reading and tracking).
  const html = join(dir, 'bench-1m-200vrids.html');
  const [rep, ana2] = race(['node', [cli, 'report', file, '-o', html]], ['node', [cli, 'analyze', '--json', file]]);
  const reportRatio = rep.best / ana2.best;
  const reportMB = statSync(html).size / 1e6;
  console.log(
    `${'report'.padEnd(44)} vrrpwatch ${rep.best.toFixed(3)} s (median ${rep.median.toFixed(3)})   analyze --json ${ana2.best.toFixed(3)} s (median ${ana2.median.toFixed(3)})   ` +
      `report/analyze = ${reportRatio.toFixed(2)}x (medians ${(rep.median / ana2.median).toFixed(2)}x), ${reportMB.toFixed(2)} MB of HTML`,
  );
  // The capture parser alone, in memory (was a wall-clock budget in test/capture/parser.test.ts).
  {
    const { CaptureParser } = await import(join(root, 'dist/capture/parser.js'));
    const rec = Buffer.alloc(16 + 60);
    rec.writeUInt32LE(1, 0); rec.writeUInt32LE(60, 8); rec.writeUInt32LE(60, 12);
    const count = 1_000_000;
    const bytes = Buffer.alloc(24 + count * rec.length);
    bytes.writeUInt32LE(0xa1b2c3d4, 0); bytes.writeUInt16LE(2, 4); bytes.writeUInt16LE(4, 6); bytes.writeUInt32LE(262144, 16); bytes.writeUInt32LE(1, 20);
    for (let i = 0; i < count; i++) rec.copy(bytes, 24 + i * rec.length);
    let best = Infinity;
    for (let r = 0; r < runs; r++) {
      let frames = 0;
      const t = performance.now();
      const parser = new CaptureParser('bench', () => frames++);
      for (let at = 0; at < bytes.length; at += 1 << 20) parser.push(bytes.subarray(at, at + (1 << 20)));
      parser.end();
      best = Math.min(best, (performance.now() - t) / 1000);
      if (frames !== count) throw new Error(`parser gave ${frames} frames of ${count}`);
    }
    console.log(`${'parse 1,000,000 records in memory'.padEnd(44)} ${best.toFixed(3)} s best of ${runs} (target: under 0.3 s)`);
  }

  // What Node itself costs before vrrpwatch runs a line: part of every figure above.
  const [bare] = race(['node', ['-e', '0']]);
  console.log(`\nnode -e 0 (Node's own start, in every vrrpwatch figure): ${(bare.best * 1000).toFixed(0)} ms`);
  if (process.env.NODE_EXTRA_CA_CERTS) {
    // Node 20 reads and parses that file at every start, TLS or not. Shown, not used for the target.
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const [bareClean] = race(['node', ['-e', '0'], env]);
    const [anaClean, tcp4] = race(['node', [cli, 'analyze', '--json', file], env], tcpdumpArgs);
    console.log(`NODE_EXTRA_CA_CERTS is set here; Node parses those certificates at every start. Without it, node -e 0 takes ${(bareClean.best * 1000).toFixed(0)} ms, and:`);
    row('analyze --json (NODE_EXTRA_CA_CERTS unset)', anaClean, tcp4);
  }

  if (bigPackets > 0) {
    // Peak RSS of analyze reading a 10M-packet capture from a pipe (no 700 MB file on disk).
    const child = spawn('node', [join(root, 'scripts/max-rss.mjs'), cli, 'analyze', '--json', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const t = performance.now();
    await writeCapture(child.stdin, bigPackets);
    await once(child, 'close');
    const m = /max-rss-kb (\d+)/.exec(err);
    console.log(`analyze ${bigPackets.toLocaleString('en')} packets from a pipe: ${((performance.now() - t) / 1000).toFixed(1)} s, peak RSS ${m ? (Number(m[1]) / 1024).toFixed(0) : '?'} MB`);
  }
  const floodMet = await floodBench();
  const fleet = keepalivedBench();
  // The service (issue 15): a scrape of 1,000 VRIDs, and a watcher's memory after a flood.
  const { benchService } = await import('./bench-service.mjs');
  await benchService({ runs, flood: bigPackets });
  console.log('\ndaemon vs keepalived (200 masters for 30 s, CPU and advert interval spread; root, about 90 s): npm run bench -- --daemon-200');
  console.log(`\ntargets: lint/simulate of 50 x 200 instances < 2 s (${fleet ? 'met' : 'NOT met'}); decode >= 1x tcpdump (${decode >= 1 ? 'met' : 'NOT met'}), analyze >= 10x tcpdump (${analyze >= 10 ? 'met' : 'NOT met'}), ` +
    `report <= 3x analyze and <= 5 MB (${reportRatio <= 3 && reportMB <= 5 ? 'met' : 'NOT met'}), flood <= 3x benign and < 150 MB at 200k and 500k, linear and flat at 1M (${floodMet ? 'met' : 'NOT met'}), on the best times`);
}

main().then(() => process.exit(0), (e) => { console.error(`bench: ${e.message}`); process.exit(1); });
