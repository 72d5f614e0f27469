// The service figures of `npm run bench` (issue 15), run by bench.mjs after its own:
//   scrape: /metrics of a watcher tracking 1,000 VRIDs with 3 routers each   target: under 50 ms
//   RSS of a watcher with --metrics after a 10,000,000-advert replay with random VRIDs and
//   sources (a hostile flood)                                              target: under 150 MB
// Both watchers replay from a pipe held open (`watch -r - --speed 0`), so they keep serving.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin/vrrpwatch.js');

function csum(b, from = 0, to = b.length) {
  let s = 0;
  for (let i = from; i < to; i += 2) s += (b[i] << 8) + (i + 1 < to ? b[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** One VRRPv2 advert (auth "secret"), Ethernet, from `src` (4 bytes) for `vrid` at `priority`. */
function advert(vrid, src, priority) {
  const f = Buffer.alloc(14 + 20 + 20);
  Buffer.from([1, 0, 0x5e, 0, 0, 0x12, 0x52, 0x54, src[1], src[2], src[3], vrid, 8, 0]).copy(f, 0);
  Buffer.from([0x45, 0xc0, 0, 40, 0, 0, 0, 0, 255, 112, 0, 0, ...src, 224, 0, 0, 18]).copy(f, 14);
  f.writeUInt16BE(csum(f, 14, 34), 24);
  Buffer.from([0x21, vrid, priority, 1, 1, 1, 0, 0, 198, 51, 100, vrid, ...Buffer.from('secret\0\0')]).copy(f, 34);
  f.writeUInt16BE(csum(f, 34, 54), 40);
  return f;
}

/** The same advert with an 802.1Q tag: VRIDs are per segment, so 1,000 of them need 4 VLANs. */
function tagged(f, vlan) {
  const tag = Buffer.from([0x81, 0x00, vlan >> 8, vlan & 0xff]);
  return Buffer.concat([f.subarray(0, 12), tag, f.subarray(12)]);
}

function pcapHeader() {
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0); hdr.writeUInt16LE(2, 4); hdr.writeUInt16LE(4, 6); hdr.writeUInt32LE(262144, 16); hdr.writeUInt32LE(1, 20);
  return hdr;
}

function record(f, us) {
  const rh = Buffer.alloc(16);
  rh.writeUInt32LE(Math.floor(us / 1e6), 0); rh.writeUInt32LE(us % 1e6, 4); rh.writeUInt32LE(f.length, 8); rh.writeUInt32LE(f.length, 12);
  return [rh, f];
}

/** CPU time (user + system) a process has used, in ms: /proc/PID/stat fields 14 and 15, in clock ticks of 10 ms. */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** A watcher replaying from its stdin, serving on a free port; resolves with its base URL. */
async function watcher() {
  const child = spawn('node', [cli, 'watch', '-r', '-', '--speed', '0', '--no-tui', '--metrics', '127.0.0.1:0'], { stdio: ['pipe', 'ignore', 'pipe'] });
  child.stdin.write(pcapHeader());
  let err = '';
  const base = await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      const m = /serving \/metrics and \/status on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`the watcher exited ${code}: ${err}`)));
  });
  return { child, base };
}

async function write(stream, parts) {
  if (!stream.write(Buffer.concat(parts))) await once(stream, 'drain');
}

/** Waits until the watcher has analysed `n` frames (its own counter, read from /metrics). */
async function analysed(base, n) {
  for (;;) {
    const text = await (await fetch(`${base}/metrics`)).text();
    const m = /^vrrpwatch_capture_packets_total\{[^}]*kind="all"\} (\d+)/m.exec(text);
    if (m && Number(m[1]) >= n) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function benchService({ runs = 5, flood = 10_000_000 } = {}) {
  // 1,000 VRIDs, 3 routers each: all three advertise once, then the master alone, once a second.
  {
    const { child, base } = await watcher();
    const t0 = 1_795_000_000_000_000;
    let n = 0;
    const batch = [];
    const vlanOf = (i) => 100 + Math.floor((i - 1) / 250);
    const vridOf = (i) => ((i - 1) % 250) + 1;
    for (let i = 1; i <= 1000; i++) {
      for (let r = 0; r < 3; r++) batch.push(...record(tagged(advert(vridOf(i), [10, vlanOf(i) - 100, r, vridOf(i)], 150 - r * 50), vlanOf(i)), t0 + n++));
    }
    for (let s = 1; s <= 3; s++) {
      for (let i = 1; i <= 1000; i++) batch.push(...record(tagged(advert(vridOf(i), [10, vlanOf(i) - 100, 0, vridOf(i)], 150), vlanOf(i)), t0 + s * 1e6 + n++));
    }
    await write(child.stdin, batch);
    const text = await analysed(base, n);
    const series = text.split('\n').filter((l) => l.startsWith('vrrpwatch_')).length;
    const masters = (text.match(/^vrrpwatch_vrid_masters\{/gm) ?? []).length;
    const routers = (text.match(/^vrrpwatch_router_master\{/gm) ?? []).length;
    const times = [];
    const cpu0 = cpuMs(child.pid);
    for (let i = 0; i < Math.max(runs, 5) * 4; i++) {
      const t = performance.now();
      const body = await (await fetch(`${base}/metrics`)).text();
      times.push(performance.now() - t);
      if (body.length < 1000) throw new Error('empty scrape');
    }
    const cpuPerScrape = (cpuMs(child.pid) - cpu0) / times.length;
    times.sort((a, b) => a - b);
    const best = times[0];
    const median = times[Math.floor(times.length / 2)];
    console.log(`\nscrape /metrics of a watcher tracking ${masters} virtual routers, ${routers} routers (${series} series, ${(text.length / 1e6).toFixed(1)} MB): best ${best.toFixed(1)} ms, median ${median.toFixed(1)} ms of ${times.length} (the watcher's CPU ${cpuPerScrape.toFixed(0)} ms a scrape); target under 50 ms: ${best < 50 ? 'met' : 'NOT met'} on the best time`);
    child.stdin.end();
    child.kill('SIGTERM');
  }

  // A flood of random VRIDs and sources; then the watcher's resident memory.
  if (flood > 0) {
    const { child, base } = await watcher();
    const t0 = 1_795_000_000_000_000;
    const started = performance.now();
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const template = advert(1, [10, 0, 0, 1], 100);
    let batch = [];
    for (let i = 0; i < flood; i++) {
      const f = Buffer.from(template);
      const x = rnd();
      const vrid = 1 + (x % 255);
      f[26 + 1] = (x >>> 8) & 0xff; f[26 + 2] = (x >>> 16) & 0xff; f[26 + 3] = (x >>> 24) & 0xff; // source 10.a.b.c
      f[24] = 0; f[25] = 0; f.writeUInt16BE(csum(f, 14, 34), 24);
      f[11] = vrid; f[35] = vrid; f[45] = vrid; f[40] = 0; f[41] = 0; f.writeUInt16BE(csum(f, 34, 54), 40);
      batch.push(...record(f, t0 + i * 10));
      if (batch.length >= 20_000) {
        await write(child.stdin, batch);
        batch = [];
      }
    }
    await write(child.stdin, batch);
    const text = await analysed(base, flood);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    const series = text.split('\n').filter((l) => l.startsWith('vrrpwatch_')).length;
    const evicted = /^vrrpwatch_evictions_total\{kind="routers"\} (\d+)/m.exec(text)?.[1];
    console.log(`watcher with --metrics after ${flood.toLocaleString('en')} adverts of random VRIDs and sources (${((performance.now() - started) / 1000).toFixed(1)} s): RSS ${(kb('VmRSS') / 1024).toFixed(0)} MB, peak ${(kb('VmHWM') / 1024).toFixed(0)} MB, ${series} series, ${evicted} routers evicted; target under 150 MB: ${kb('VmHWM') / 1024 < 150 ? 'met' : 'NOT met'}`);
    child.stdin.end();
    child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchService({ runs: Number(process.env.BENCH_RUNS ?? 5), flood: Number(process.env.BENCH_FLOOD ?? 10_000_000) });
  process.exit(0);
}
