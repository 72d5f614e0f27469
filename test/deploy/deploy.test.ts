// What deploy/ ships: the Prometheus rules pass promtool (syntax and a unit test of their
// firing and summaries), every metric the rules and the Grafana dashboard query is one vrrpwatch
// exports, and the systemd units pass `systemd-analyze verify` with the least privilege asked.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { daemonMetrics } from '../../src/service/daemon-metrics.js';
import { EventHistory } from '../../src/service/history.js';
import { hookMetrics, watchMetrics } from '../../src/service/metrics.js';
import { hasTool } from '../support/tools.js';

const ROOT = join(import.meta.dirname, '../..');
const RULES = join(ROOT, 'deploy/prometheus/alerts.yml');
const DASHBOARD = join(ROOT, 'deploy/prometheus/grafana-dashboard.json');
const UNITS = join(ROOT, 'deploy/systemd');

/** Every metric name vrrpwatch exports, from the mappings themselves. */
const EXPORTED = new Set([
  ...watchMetrics({
    analysis: new Analyzer().result(),
    history: new EventHistory(),
    nowUs: 0,
    capture: { source: 'eth0', drops: null, up: true },
    hook: null,
    build: { version: '0', nodejs: '0' },
  }).map((f) => f.name),
  ...daemonMetrics([], { version: '0', nodejs: '0' }).map((f) => f.name),
  ...hookMetrics({ run: 0, failed: 0, dropped: 0 }).map((f) => f.name),
]);

function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\bvrrpwatch_[a-z_]+/g)].map((m) => m[0]);
}

describe('deploy/prometheus', () => {
  it('exports every name the issue lists', () => {
    for (const n of [
      'vrrpwatch_router_master', 'vrrpwatch_router_priority', 'vrrpwatch_router_adverts_total', 'vrrpwatch_router_last_advert_age_seconds',
      'vrrpwatch_vrid_split_brain', 'vrrpwatch_vrid_masters', 'vrrpwatch_master_changes_total', 'vrrpwatch_vrid_condition', 'vrrpwatch_events_total',
      'vrrpwatch_capture_packets_total', 'vrrpwatch_capture_drops_total', 'vrrpwatch_evictions_total', 'vrrpwatch_build_info',
      'vrrpwatch_instance_state', 'vrrpwatch_instance_effective_priority', 'vrrpwatch_instance_transitions_total',
      'vrrpwatch_instance_adverts_sent_total', 'vrrpwatch_instance_adverts_received_total', 'vrrpwatch_instance_adverts_dropped_total',
    ]) expect(EXPORTED, n).toContain(n);
  });

  it('the rules query only exported metrics, and name the rules the issue asks for', () => {
    const text = readFileSync(RULES, 'utf8');
    const used = metricNames(text);
    expect(used.length).toBeGreaterThan(10);
    for (const n of used) expect(EXPORTED, `${n} in alerts.yml`).toContain(n);
    const alerts = [...text.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts).toEqual(expect.arrayContaining(['VrrpSplitBrain', 'VrrpNoMaster', 'VrrpMasterDown', 'VrrpMasterFlapping', 'VrrpConfigMismatch', 'VrrpVipClaimedTwice', 'VrrpCaptureDrops', 'VrrpWatcherDown']));
  });

  it.skipIf(!hasTool('promtool'))('promtool check rules, and promtool test rules (firing, summaries naming VRID and routers)', () => {
    expect(execFileSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' })).toMatch(/SUCCESS: \d+ rules found/);
    const r = spawnSync('promtool', ['test', 'rules', join(import.meta.dirname, 'alerts-test.yml')], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });

  it('the Grafana dashboard is JSON whose panel queries use exported metrics', () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[]; templating: { list: { query: unknown }[] } };
    expect(d.panels.length).toBeGreaterThan(5);
    const queries = [...d.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...d.templating.list.map((t) => (typeof t.query === 'string' ? t.query : ''))];
    for (const p of d.panels) expect(p.targets.length, p.title).toBeGreaterThan(0);
    for (const q of queries) for (const n of metricNames(q)) expect(EXPORTED, `${n} in the dashboard`).toContain(n);
  });
});

describe('deploy/systemd', () => {
  const unit = (name: string) => readFileSync(join(UNITS, name), 'utf8');

  it('no root: a dynamic user with only the capabilities needed, and hardening', () => {
    const watch = unit('vrrpwatch-watch@.service');
    const daemon = unit('vrrpwatch-daemon.service');
    for (const u of [watch, daemon]) {
      expect(u).toMatch(/^DynamicUser=yes$/m);
      expect(u).toMatch(/^NoNewPrivileges=yes$/m);
      expect(u).toMatch(/^ProtectSystem=strict$/m);
      expect(u).not.toMatch(/^User=root/m);
    }
    expect(watch).toMatch(/^AmbientCapabilities=CAP_NET_RAW$/m);
    expect(watch).toMatch(/^CapabilityBoundingSet=CAP_NET_RAW$/m);
    expect(watch).toMatch(/^ExecStart=\/usr\/bin\/vrrpwatch watch -i %i --no-tui --metrics /m);
    expect(daemon).toMatch(/^AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN$/m);
  });

  it.skipIf(!hasTool('systemd-analyze'))('systemd-analyze verify passes with no warning (the binary pointed at this checkout)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-units-'));
    const bin = join(dir, 'vrrpwatch');
    writeFileSync(bin, `#!/bin/sh\nexec node ${join(ROOT, 'bin/vrrpwatch.js')} "$@"\n`);
    chmodSync(bin, 0o755);
    for (const f of readdirSync(UNITS)) writeFileSync(join(dir, f), unit(f).replaceAll('/usr/bin/vrrpwatch', bin));
    for (const name of ['vrrpwatch-watch@eth0.service', 'vrrpwatch-daemon.service']) {
      const r = spawnSync('systemd-analyze', ['verify', join(dir, name)], { encoding: 'utf8', cwd: dir });
      expect(r.stderr, name).toBe('');
      expect(r.status, name).toBe(0);
    }
  });
});

describe('npm package', () => {
  it('ships the bundle, the units, the rules and the licence, not the unbundled modules', () => {
    // --ignore-scripts: the build already ran (test/setup/build.ts); prepack would run it again.
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path).sort() ?? [];
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'bin/vrrpwatch.js', 'dist/vrrpwatch.cjs', 'deploy/prometheus/alerts.yml', 'deploy/systemd/vrrpwatch-watch@.service']));
    expect(files.filter((f) => f.startsWith('dist/'))).toEqual(['dist/vrrpwatch.cjs', 'dist/vrrpwatch.cjs.cache']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(new RegExp(`^${String(pkg.license)} License`));
    expect(pkg).toHaveProperty('repository');
    expect(pkg).toHaveProperty('homepage');
    expect((pkg.scripts as Record<string, string>).prepack).toBe('npm run build');
  });
});
