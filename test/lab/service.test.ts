// vrrpwatch as a service, against real keepalived and a real Prometheus (Debian's package),
// all inside the lab: a watcher on the observer port with --metrics and --events; Prometheus in
// the observer's namespace scraping it every second with the shipped alert rules (their own
// `for:` durations: 5 s for VrrpSplitBrain); `check --from` run as an unprivileged user; and
// the daemon's StateSet following its state. Every scrape the test takes passes
// `promtool check metrics`. A second test runs the systemd unit's ExecStart line as systemd
// would: as nobody, with only CAP_NET_RAW, and sees it capture.
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { hasTool } from '../support/tools.js';
import { Lab, LAB_SKIP } from './harness.js';

const run = promisify(execFile);
const SKIP = LAB_SKIP ?? (!hasTool('prometheus') || !hasTool('promtool') ? 'needs Debian\'s prometheus package (prometheus, promtool): apt-get install prometheus' : !hasTool('setpriv') ? 'needs setpriv (util-linux)' : null);
const ROOT = join(import.meta.dirname, '../..');
const RULES = join(ROOT, 'deploy/prometheus/alerts.yml');
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/** GET inside a namespace (the observer's loopback is its own). */
async function get(ns: string, url: string): Promise<string> {
  const script = 'fetch(process.argv[1]).then(async (r) => { process.stdout.write(await r.text()); process.exitCode = r.ok ? 0 : 1; }, (e) => { console.error(String(e.cause ?? e)); process.exitCode = 2; })';
  const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, '-e', script, url], { maxBuffer: 64 << 20 });
  return stdout;
}

/** A scrape of /metrics, checked by promtool as it is taken. */
async function scrape(ns: string, base: string): Promise<string> {
  const text = await get(ns, `${base}/metrics`);
  const lint = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect(lint, 'promtool check metrics').toBe('');
  return text;
}

function sample(text: string, name: string, labels: Record<string, string>): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface PromVector { metric: Record<string, string>; value: [number, string] }

describe.skipIf(SKIP !== null)(`vrrpwatch as a service with Prometheus${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let lab: Lab | undefined;
  const dirs: string[] = [];
  afterAll(() => {
    lab?.destroySync();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('metrics and events through a failover and a split brain; the alert fires; check --from; the daemon state', async () => {
    lab = Lab.create('ms', 3);
    const l = lab;
    const dir = mkdtempSync(join(tmpdir(), 'vwtms-service-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    const events = join(dir, 'events.jsonl');
    const watchBase = 'http://127.0.0.1:19612';
    const promBase = 'http://127.0.0.1:19090';
    const stderrOf = (p: ChildProcess): (() => string) => {
      let s = '';
      p.stderr?.on('data', (d: Buffer) => { s += d; });
      return () => s;
    };

    const watcher = l.spawnIn(l.obsNs, process.execPath, [BIN, 'watch', '-i', l.obsIf, '--no-tui', '--metrics', '127.0.0.1:19612', '--events', events]);
    const watcherErr = stderrOf(watcher);
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
      'rule_files:', `  - ${RULES}`,
      'scrape_configs:', '  - job_name: vrrpwatch', '    static_configs:', '      - targets: ["127.0.0.1:19612"]', '',
    ].join('\n'));
    const prom = l.spawnIn(l.obsNs, 'prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:19090', '--log.level=warn']);
    const promErr = stderrOf(prom);
    const query = async (q: string): Promise<PromVector[]> => {
      const r = JSON.parse(await get(l.obsNs, `${promBase}/api/v1/query?query=${encodeURIComponent(q)}`)) as { data: { result: PromVector[] } };
      return r.data.result;
    };
    const promValue = async (q: string): Promise<number | null> => {
      const v = (await query(q))[0];
      return v === undefined ? null : Number(v.value[1]);
    };

    l.startKeepalived('a', [{ vrid: 51, priority: 150, state: 'MASTER', vips: ['192.0.2.100'] }]);
    l.startKeepalived('b', [{ vrid: 51, priority: 100, vips: ['192.0.2.100'] }]);
    const a = l.ip4('a');
    const b = l.ip4('b');
    const master = (router: string) => `vrrpwatch_router_master{job="vrrpwatch",vrid="51",router="${router}"}`;

    try {
      // The keepalived master is 1 in Prometheus; the watcher's own scrape says the same.
      await until('Prometheus: the master is 1', 30_000, async () => (await promValue(master(a))) === 1);
      let text = await scrape(l.obsNs, watchBase);
      expect(sample(text, 'vrrpwatch_router_master', { vrid: '51', router: a })).toBe(1);
      expect(sample(text, 'vrrpwatch_vrid_masters', { vrid: '51', segment: l.obsIf })).toBe(1);

      // A crash of the master: the backup takes over.
      await l.stopKeepalived('a', 'KILL');
      await until('Prometheus: the backup is 1', 20_000, async () => (await promValue(master(b))) === 1 && (await promValue(master(a))) === 0);
      expect(await promValue('vrrpwatch_master_changes_total{vrid="51"}')).toBeGreaterThanOrEqual(1);
      const change = readFileSync(events, 'utf8').split('\n').filter(Boolean).map((x) => JSON.parse(x) as Record<string, unknown>).find((e) => e.type === 'master-change');
      expect(change).toMatchObject({ vrid: 51, from: a, to: b, cause: 'silent', interface: l.obsIf });
      text = await scrape(l.obsNs, watchBase);
      expect(sample(text, 'vrrpwatch_router_master', { router: b })).toBe(1);

      // The daemon (host c, VRID 52 alone): its StateSet goes to master.
      const daemonBase = 'http://127.0.0.1:19613';
      const daemonEvents = join(dir, 'daemon.jsonl');
      l.spawnIn(l.ns('c'), process.execPath, [BIN, 'daemon', '-i', l.iface('c'), '--vrid', '52', '--priority', '100', '--vip', '192.0.2.152/24', '--metrics', '127.0.0.1:19613', '--events', daemonEvents]);
      const state = async (s: string) => sample(await scrape(l.ns('c'), daemonBase), 'vrrpwatch_instance_state', { instance: 'VI_52', vrid: '52', state: s });
      await until('daemon: vrrpwatch_instance_state master 1', 15_000, async () => (await state('master')) === 1);
      expect(await state('backup')).toBe(0);

      // The old master comes back (and outranks the daemon on VRID 52), then the backup goes deaf to multicast: split brain.
      l.startKeepalived('a', [
        { vrid: 51, priority: 150, state: 'MASTER', vips: ['192.0.2.100'] },
        { vrid: 52, priority: 200, state: 'MASTER', vips: ['192.0.2.152'] },
      ]);
      await until('Prometheus: the old master is back', 20_000, async () => (await promValue(master(a))) === 1 && (await promValue(master(b))) === 0);
      await until('daemon: backup once a outranks it', 15_000, async () => (await state('backup')) === 1 && (await state('master')) === 0);
      const changes = readFileSync(daemonEvents, 'utf8').split('\n').filter(Boolean).map((x) => JSON.parse(x) as Record<string, unknown>);
      expect(changes.map((e) => `${String(e.from)}>${String(e.to)}`)).toEqual(['initialize>backup', 'backup>master', 'master>backup']);
      expect(changes[2]).toMatchObject({ type: 'state-change', instance: 'VI_52', vrid: 52, reason: 'higher-priority' });
      expect(sample(await scrape(l.ns('c'), daemonBase), 'vrrpwatch_instance_transitions_total', { instance: 'VI_52' })).toBeGreaterThanOrEqual(2);

      l.deafen('b');
      await until('Prometheus: split brain 1', 20_000, async () => (await promValue('vrrpwatch_vrid_split_brain{vrid="51"}')) === 1);
      text = await scrape(l.obsNs, watchBase);
      expect(sample(text, 'vrrpwatch_vrid_masters', { vrid: '51' })).toBe(2);
      expect(sample(text, 'vrrpwatch_router_master', { router: a })).toBe(1);
      expect(sample(text, 'vrrpwatch_router_master', { router: b })).toBe(1);
      const alert = await until('the VrrpSplitBrain alert firing', 30_000, async () => {
        const r = JSON.parse(await get(l.obsNs, `${promBase}/api/v1/alerts`)) as { data: { alerts: { labels: Record<string, string>; annotations: Record<string, string>; state: string }[] } };
        return r.data.alerts.find((x) => x.labels.alertname === 'VrrpSplitBrain' && x.state === 'firing');
      });
      expect(alert.labels).toMatchObject({ vrid: '51', segment: l.obsIf, severity: 'critical' });
      expect(alert.annotations.summary).toBe(`Split brain on VRID 51 (ipv4) on ${l.obsIf}: ${a} ${b} all claim master`);

      // Nagios's view, as an unprivileged user: CRITICAL naming the split brain.
      const check = async (...extra: string[]) => {
        const r = await run('ip', ['netns', 'exec', l.obsNs, ...NOBODY, process.execPath, BIN, 'check', '--from', watchBase, ...extra]).then(
          (x) => ({ code: 0, stdout: x.stdout }),
          (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
        );
        return r;
      };
      const critical = await check('--vrid', '51');
      expect(critical.code).toBe(2);
      expect(critical.stdout).toMatch(new RegExp(`^VRRP CRITICAL - split brain on VRID 51: ${a.replaceAll('.', '\\.')} and ${b.replaceAll('.', '\\.')} both master`));

      // Healed: the split brain ends; judged over a window after it, OK again.
      l.deafen('b', false);
      await until('Prometheus: split brain 0', 20_000, async () => (await promValue('vrrpwatch_vrid_split_brain{vrid="51"}')) === 0);
      // The ARP conflict ends 30 s after the last conflicting claim (the analyzer's hold time).
      await until('the split brain and its ARP conflict over in the events', 50_000, async () => {
        const types = readFileSync(events, 'utf8').split('\n').filter(Boolean).map((x) => (JSON.parse(x) as { type: string }).type);
        return types.includes('split-brain-end') && (!types.includes('vip-arp-conflict') || types.includes('vip-arp-conflict-end'));
      });
      await new Promise((r) => setTimeout(r, 4000));
      const ok = await check('--vrid', '51', '--window', '3');
      expect(ok.stdout).toMatch(/^VRRP OK - /);
      expect(ok.code).toBe(0);
      expect(await promValue(master(a))).toBe(1);
    } catch (e) {
      console.log(`watcher stderr:\n${watcherErr()}\nprometheus stderr:\n${promErr().slice(-3000)}`);
      throw e;
    }
  }, 300_000);

  it('the systemd unit\'s ExecStart, run as systemd would (nobody, only CAP_NET_RAW), captures', async () => {
    lab?.destroySync();
    lab = Lab.create('mu', 2);
    const l = lab;
    const dir = mkdtempSync(join(tmpdir(), 'vwtmu-unit-'));
    dirs.push(dir);
    chmodSync(dir, 0o777); // LogsDirectory= would give the dynamic user its own directory
    const unit = readFileSync(join(ROOT, 'deploy/systemd/vrrpwatch-watch@.service'), 'utf8');
    const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
    const metrics = /^Environment=VRRPWATCH_METRICS=(\S+)$/m.exec(unit)?.[1] ?? '';
    const caps = /^AmbientCapabilities=(.*)$/m.exec(unit)?.[1]?.split(/\s+/) ?? [];
    expect(caps).toEqual(['CAP_NET_RAW']);
    const argv = exec
      .replaceAll('%i', l.obsIf)
      .replaceAll('${VRRPWATCH_METRICS}', metrics)
      .replace('/var/log/vrrpwatch/', `${dir}/`)
      .split(/\s+/);
    expect(argv[0]).toBe('/usr/bin/vrrpwatch');
    const capList = caps.map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`).join(',');
    const p = l.spawnIn(l.obsNs, 'setpriv', [
      '--reuid=65534', '--regid=65534', '--clear-groups', '--no-new-privs',
      `--inh-caps=-all,${capList}`, `--ambient-caps=-all,${capList}`, `--bounding-set=-all,${capList}`,
      process.execPath, BIN, ...argv.slice(1),
    ]);
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => { stderr += d; });
    l.startKeepalived('a', [{ vrid: 51, priority: 150, state: 'MASTER', vips: ['192.0.2.100'] }]);
    const events = join(dir, `${l.obsIf}.jsonl`);
    try {
      await until('router-seen in the unit\'s events file', 20_000, async () => existsSync(events) && readFileSync(events, 'utf8').includes('"router-seen"'));
      const text = await scrape(l.obsNs, `http://${metrics}`);
      expect(sample(text, 'vrrpwatch_router_master', { router: l.ip4('a') })).toBe(1);
      // It really is unprivileged: no effective UID 0.
      const status = readFileSync(`/proc/${p.pid}/status`, 'utf8');
      expect(status).toMatch(/^Uid:\s+65534\s+65534/m);
    } catch (e) {
      console.log(`unit stderr:\n${stderr}`);
      throw e;
    }
  }, 60_000);
});
