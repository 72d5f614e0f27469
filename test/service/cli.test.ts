// The service options end to end, through the built CLI: a watch replaying a capture from a
// stdin held open (so it keeps serving) with --metrics on a free port and --events; its
// /metrics pass `promtool check metrics`; `check --from` judges its /status as `check -r` judges
// the file; a watcher that does not answer is UNKNOWN naming the URL.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';
import { PROJECT_CAPTURES } from '../support/captures.js';
import { hasTool } from '../support/tools.js';

const CAPTURE = join(PROJECT_CAPTURES, 'one-way-loss.pcap');
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-service-'));
const eventsPath = join(dir, 'events.jsonl');

let watcher: ChildProcess;
let base = '';

beforeAll(async () => {
  watcher = spawn(process.execPath, [BIN, 'watch', '-r', '-', '--speed', '0', '--no-tui', '--json', '--metrics', '127.0.0.1:0', '--events', eventsPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  // The whole capture, and stdin left open: the replay waits for more and the server stays up.
  watcher.stdin?.write(readFileSync(CAPTURE));
  let stderr = '';
  base = await new Promise<string>((resolve, reject) => {
    watcher.stderr?.on('data', (d: Buffer) => {
      stderr += d;
      const m = /serving \/metrics and \/status on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1] as string);
    });
    watcher.on('exit', () => reject(new Error(`the watcher exited: ${stderr}`)));
  });
  // Replayed at once: wait until its last event is in the events file.
  const expected = (await runCli(['analyze', '--json', CAPTURE])).stdout;
  const n = (JSON.parse(expected) as { events: unknown[] }).events.length;
  for (;;) {
    const got = (() => { try { return readFileSync(eventsPath, 'utf8').split('\n').filter(Boolean).length; } catch { return 0; } })();
    if (got >= n) break;
    await new Promise((r) => setTimeout(r, 20));
  }
});

afterAll(() => {
  watcher?.kill('SIGTERM');
});

describe('watch --metrics --events', () => {
  it('serves the metrics of the state now, names and labels as documented', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^vrrpwatch_router_master\{segment="-",family="ipv4",vrid="51",router="192\.0\.2\.11"\} 1$/m);
    expect(text).toMatch(/^vrrpwatch_vrid_condition\{segment="-",family="ipv4",vrid="51",condition="vip-arp-conflict"\} 1$/m);
    expect(text).toMatch(/^vrrpwatch_build_info\{version="\d+\.\d+\.\d+",nodejs="[\d.]+"\} 1$/m);
    expect(text).not.toMatch(/process_cpu|nodejs_heap/); // no default process metrics
  });

  it.skipIf(!hasTool('promtool'))('passes promtool check metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const out = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(out).toBe('');
  });

  it('the events file holds what watch --json prints, line for line', async () => {
    const r = await runCli(['watch', '-r', CAPTURE, '--speed', '0', '--json']);
    expect(readFileSync(eventsPath, 'utf8')).toBe(r.stdout);
  });

  it('/status is the analyze --json document plus `watcher`; check --from judges it as check -r judges the file', async () => {
    const doc = (await (await fetch(`${base}/status`)).json()) as Record<string, unknown>;
    const analyzed = JSON.parse((await runCli(['analyze', '--json', CAPTURE])).stdout) as Record<string, unknown>;
    expect(doc.vrids).toEqual(analyzed.vrids);
    expect(doc.events).toEqual(analyzed.events);
    const fromFile = await runCli(['check', '-r', CAPTURE]);
    const fromWatcher = await runCli(['check', '--from', base]);
    expect(fromWatcher.code).toBe(2);
    expect(fromWatcher.stdout.split('\n')[0]).toMatch(/^VRRP CRITICAL - split brain on VRID 51: 192\.0\.2\.11 and 192\.0\.2\.12/);
    // The same judgement; only the window (first to last frame) is measured differently.
    const strip = (s: string) => s.replace(/'window'=[^ \n]*/, '');
    expect(strip(fromWatcher.stdout)).toBe(strip(fromFile.stdout));
  });
});

describe('--metrics, refused', () => {
  it('a taken port exits 69 naming the address; a bad address is a usage error (64)', async () => {
    const at = base.replace('http://', '');
    const taken = await runCli(['watch', '-r', CAPTURE, '--speed', '0', '--no-tui', '--metrics', at]);
    expect(taken.code).toBe(69);
    expect(taken.stderr).toBe(`vrrpwatch: --metrics ${at}: cannot listen: the port is taken (another watcher?)\n`);
    const bad = await runCli(['watch', '-r', CAPTURE, '--no-tui', '--metrics', ':9612']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/":9612" is not ADDR:PORT: no address before ":"/);
  });
});

describe('check --from', () => {
  it('a watcher that does not answer is UNKNOWN naming the URL', async () => {
    // A port that was free a moment ago.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await runCli(['check', '--from', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(`VRRP UNKNOWN - the watcher at http://127.0.0.1:${port}/status does not answer (ECONNREFUSED): is \`vrrpwatch watch --metrics\` running there?\n`);
  });

  it('usage: --from excludes -i and -r; --window needs --from', async () => {
    expect((await runCli(['check', '--from', 'http://127.0.0.1:9', '-r', CAPTURE])).stdout).toMatch(/^VRRP UNKNOWN - -i, -r and --from exclude each other/);
    expect((await runCli(['check', '-r', CAPTURE, '--window', '60'])).stdout).toMatch(/^VRRP UNKNOWN - --window is for --from/);
    expect((await runCli(['check', '--from', 'localhost:9612'])).stdout).toMatch(/^VRRP UNKNOWN - --from localhost:9612: not an http:\/\/ URL/);
  });
});

describe('the journal', () => {
  it('stderr lines carry their syslog priority when stderr is the stream JOURNAL_STREAM names', async () => {
    const path = join(dir, 'journal.txt');
    const fd = openSync(path, 'w');
    const st = fstatSync(fd);
    const child = spawn(process.execPath, [BIN, 'watch', '-r', CAPTURE, '--speed', '0', '--no-tui', '--metrics', '127.0.0.1:0', '--on-event', 'exit 3'], {
      stdio: ['ignore', 'ignore', fd],
      env: { ...process.env, JOURNAL_STREAM: `${st.dev}:${st.ino}` },
    });
    await new Promise((r) => child.on('exit', r));
    closeSync(fd);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^<6>vrrpwatch: serving \/metrics and \/status on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.filter((l) => l.includes('--on-event'))[0]).toMatch(/^<4>vrrpwatch: --on-event "exit 3" for a router-seen event: exit 3$/);
    for (const l of lines) expect(l).toMatch(/^<[346]>/);
  });
});
