// `npm run bench -- --daemon-200` (issue 13): `vrrpwatch daemon -f` running 200 instances
// (advert_int 1) as master, then keepalived running the same generated keepalived.conf, each
// alone on one side of a veth pair in its own network namespaces, with tcpdump on the other side.
// For each, over a 30 s window once every instance is master: CPU time (utime + stime from
// /proc, every process of the daemon) and the spread of the intervals between its adverts as
// seen on the wire (max - min, per VRID and over all of them), reported as ratios
// vrrpwatch / keepalived. Target: vrrpwatch's spread within keepalived's + 5 ms.
// Needs root, keepalived, tcpdump and `npm run build`. Sends nothing outside its namespaces.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin/vrrpwatch.js');
const INSTANCES = Number(process.env.BENCH_DAEMON_INSTANCES ?? 200);
const WINDOW_SEC = Number(process.env.BENCH_DAEMON_SEC ?? 30);
const NS_A = 'vwtbd-a';
const NS_B = 'vwtbd-b';
const IF_A = 'vwtbda0';
const IF_B = 'vwtbdb0';
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sh = (cmd, args, allowFail = false) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
};

function teardown() {
  for (const ns of [NS_A, NS_B]) {
    for (const pid of sh('ip', ['netns', 'pids', ns], true).split('\n').filter(Boolean)) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
    }
    sh('ip', ['netns', 'del', ns], true);
  }
}

function setup() {
  teardown();
  for (const ns of [NS_A, NS_B]) {
    sh('ip', ['netns', 'add', ns]);
    sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }
  sh('ip', ['-n', NS_A, 'link', 'add', IF_A, 'type', 'veth', 'peer', 'name', IF_B, 'netns', NS_B]);
  sh('ip', ['-n', NS_A, 'addr', 'add', '192.0.2.11/24', 'dev', IF_A]);
  sh('ip', ['-n', NS_B, 'addr', 'add', '192.0.2.12/24', 'dev', IF_B]);
  sh('ip', ['-n', NS_A, 'link', 'set', IF_A, 'up']);
  sh('ip', ['-n', NS_B, 'link', 'set', IF_B, 'up']);
}

/** The one keepalived.conf both run: INSTANCES masters (priority 150, nobody else), VRRPv2, 1 s. */
function conf() {
  const lines = ['global_defs {', '  router_id vwtbd', '  enable_script_security', '  script_user root', '  vrrp_garp_master_repeat 1', '}'];
  for (let v = 1; v <= INSTANCES; v++) {
    lines.push(`vrrp_instance VI_${v} {`, '  state BACKUP', `  interface ${IF_A}`, `  virtual_router_id ${v}`, '  priority 150', '  advert_int 1',
      '  virtual_ipaddress {', `    198.51.${100 + (v >> 8)}.${v & 0xff}/32 dev ${IF_A}`, '  }', '}');
  }
  return `${lines.join('\n')}\n`;
}

/** utime + stime of `pids`, in seconds. */
function cpuSec(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return ticks / TICK;
}

/** Each VRID's advert times from the capture (seconds), priority > 0 only. */
async function advertTimes(file) {
  const { readCaptureFile } = await import(join(root, 'dist/capture/file.js'));
  const { decodeFrame } = await import(join(root, 'dist/decode/frame.js'));
  const byVrid = new Map();
  await readCaptureFile(file, (r) => {
    const f = decodeFrame(r.linkType, r.data);
    if (f.kind !== 'vrrp' || f.vrrp.priority === 0) return;
    const t = r.tsSec + r.tsNsec / 1e9;
    const list = byVrid.get(f.vrrp.vrid) ?? [];
    list.push(t);
    byVrid.set(f.vrrp.vrid, list);
  }).catch(() => undefined);
  return byVrid;
}

/** Intervals within [from, to]: per VRID spread (max - min), and over all. Milliseconds. */
function spreads(byVrid, from, to) {
  const per = [];
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const times of byVrid.values()) {
    const t = times.filter((x) => x >= from && x <= to);
    let a = Infinity;
    let b = -Infinity;
    for (let i = 1; i < t.length; i++) {
      const d = (t[i] - t[i - 1]) * 1000;
      a = Math.min(a, d); b = Math.max(b, d); n++;
    }
    if (t.length > 1) { per.push(b - a); lo = Math.min(lo, a); hi = Math.max(hi, b); }
  }
  per.sort((x, y) => x - y);
  return { vrids: per.length, intervals: n, overall: hi - lo, min: lo, max: hi, perMedian: per[Math.floor(per.length / 2)] ?? NaN, perMax: per.at(-1) ?? NaN };
}

/** One daemon: start it, wait until every instance is master, measure WINDOW_SEC, stop it. */
async function measure(name, dir, start, pidsOf) {
  const pcap = join(dir, `${name}.pcap`);
  const dump = spawn('ip', ['netns', 'exec', NS_B, 'tcpdump', '-i', IF_B, '-U', '-n', '-w', pcap, 'ip proto 112'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let dumpErr = '';
  dump.stderr.on('data', (d) => { dumpErr += d; });
  for (let i = 0; i < 100 && !/listening on/.test(dumpErr); i++) await sleep(50);
  const proc = start();
  // Every instance master (Master_Down_Interval 3.4 s), its VIP added and both ARP bursts (the
  // second 5 s later) done: then the window.
  await sleep(12_000);
  const pids = pidsOf(proc);
  const from = Date.now() / 1000;
  const cpu0 = cpuSec(pids);
  await sleep(WINDOW_SEC * 1000);
  const cpu = cpuSec(pids) - cpu0;
  const to = Date.now() / 1000;
  proc.kill('SIGTERM');
  await new Promise((r) => { proc.once('exit', r); setTimeout(r, 10_000); });
  for (const p of pidsOf(proc)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  await sleep(500);
  dump.kill('SIGTERM');
  await new Promise((r) => dump.once('exit', r));
  if (process.env.BENCH_DAEMON_KEEP) writeFileSync(join(dir, `${name}.window.json`), JSON.stringify({ from, to }));
  const times = await advertTimes(pcap);
  if (process.env.BENCH_DAEMON_DEBUG) {
    for (const [vrid, t] of times) for (let i = 1; i < t.length; i++) if (t[i] >= from && t[i - 1] >= from && t[i] <= to && Math.abs(t[i] - t[i - 1] - 1) > 0.02) console.log(name, vrid, (t[i - 1] - from).toFixed(3), ((t[i] - t[i - 1]) * 1000).toFixed(1));
  }
  const s = spreads(times, from, to);
  return { cpu, ...s };
}

export async function benchDaemon() {
  if (process.getuid?.() !== 0) { console.log('\ndaemon bench: skipped, it needs root (network namespaces)'); return null; }
  for (const tool of ['keepalived', 'tcpdump']) if (spawnSync('which', [tool]).status !== 0) { console.log(`\ndaemon bench: skipped, ${tool} is not installed`); return null; }
  if (!existsSync(join(root, 'dist/vrrpwatch.cjs'))) throw new Error('run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'vwtbd-'));
  const file = join(dir, 'keepalived.conf');
  writeFileSync(file, conf());
  console.log(`\ndaemon: ${INSTANCES} instances (advert_int 1) as master for ${WINDOW_SEC} s, vrrpwatch daemon -f and keepalived on the same keepalived.conf, each alone; the wire seen from the peer side`);
  const results = {};
  try {
    setup();
    results.vrrpwatch = await measure('vrrpwatch', dir, () => spawn('ip', ['netns', 'exec', NS_A, process.execPath, ...(process.env.BENCH_DAEMON_NODE_ARGS ?? '').split(' ').filter(Boolean), cli, 'daemon', '-f', file], { stdio: ['ignore', process.env.BENCH_DAEMON_DEBUG ? 'inherit' : 'ignore', 'ignore'] }), (p) => [p.pid]);
    if (process.env.BENCH_DAEMON_ONLY === 'vrrpwatch') {
      const r = results.vrrpwatch;
      console.log(`vrrpwatch CPU ${r.cpu.toFixed(2)} s; ${r.min.toFixed(1)} .. ${r.max.toFixed(1)} ms: spread overall ${r.overall.toFixed(1)} ms, per VRID median ${r.perMedian.toFixed(1)}, worst ${r.perMax.toFixed(1)}`);
      return null;
    }
    setup();
    const pidFiles = [join(dir, 'ka.pid'), join(dir, 'ka-vrrp.pid')];
    results.keepalived = await measure('keepalived', dir,
      () => spawn('ip', ['netns', 'exec', NS_A, 'keepalived', '-n', '-l', '-D', '-P', '-f', file, '-p', pidFiles[0], '-r', pidFiles[1]], { stdio: 'ignore' }),
      () => pidFiles.flatMap((f) => (existsSync(f) ? [Number(readFileSync(f, 'utf8').trim())] : [])));
  } finally {
    teardown();
    if (process.env.BENCH_DAEMON_KEEP) console.log(`captures kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  const v = results.vrrpwatch;
  const k = results.keepalived;
  const ms = (x) => `${x.toFixed(1)} ms`;
  for (const [name, r] of [['vrrpwatch', v], ['keepalived', k]]) {
    console.log(`${name.padEnd(11)} CPU ${r.cpu.toFixed(2)} s in ${WINDOW_SEC} s; ${r.intervals} intervals of ${r.vrids} VRIDs, ${ms(r.min)} .. ${ms(r.max)}: spread overall ${ms(r.overall)}, per VRID median ${ms(r.perMedian)}, worst ${ms(r.perMax)}`);
  }
  const met = v.overall <= k.overall + 5 && v.perMax <= k.perMax + 5;
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (the machine's other work delays both daemons' timers)`);
  console.log(`vrrpwatch/keepalived: CPU ${(v.cpu / k.cpu).toFixed(2)}x; spread overall ${(v.overall / k.overall).toFixed(2)}x, per VRID worst ${(v.perMax / k.perMax).toFixed(2)}x, median ${(v.perMedian / k.perMedian).toFixed(2)}x; ` +
    `target: spread within keepalived's + 5 ms (${met ? 'met' : 'NOT met'})`);
  return met;
}
