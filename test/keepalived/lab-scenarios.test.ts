// The lab's own recordings: the configs keepalived ran (captures/configs/SCENARIO/), simulated
// with the events the lab applied (captures/SCENARIO.events.json timeline), predict the masters
// keepalived's logs and the captures show. And the shipped configs say what the sidecars say.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '../support/tools.js';
import { describe, expect, it } from 'vitest';
import { fsReader } from '../../src/keepalived-fs.js';
import { lint } from '../../src/keepalived/lint.js';
import { readNodes } from '../../src/keepalived/node.js';
import { parseStep, simulate, type Step } from '../../src/keepalived/simulate.js';

const CAPTURES = join(import.meta.dirname, '../../captures');

interface Sidecar {
  timeline: { action: string; host?: string; t_rel_s: number }[];
  keepalived_log: { host: string; line: string; t_rel_s: number }[];
  hosts: { name: string; keepalived: { instances: { name: string; vrid: number; priority: number; advert_int: number; version: number; initial_state: string; auth: { type: string; password?: string }; vips: string[]; nopreempt: boolean; track_scripts: string[] }[] } }[];
}

const sidecar = (sc: string): Sidecar => JSON.parse(readFileSync(join(CAPTURES, `${sc}.events.json`), 'utf8')) as Sidecar;
const configs = (sc: string): string[] => readdirSync(join(CAPTURES, 'configs', sc)).sort().map((f) => join(CAPTURES, 'configs', sc, f));

/** The lab's actions during the capture, as simulate steps. */
function stepsOf(s: Sidecar): { step: string; at: number }[] {
  const out: { step: string; at: number }[] = [];
  for (const e of s.timeline) {
    if (e.t_rel_s <= 0 || e.host === undefined) continue;
    if (e.action.startsWith('kill -9 keepalived')) out.push({ step: `${e.host}:down`, at: e.t_rel_s });
    else if (e.action.startsWith('start keepalived')) out.push({ step: `${e.host}:up`, at: e.t_rel_s });
    else if (e.action.startsWith('remove flag file')) out.push({ step: `${e.host}:chk_flag=fail`, at: e.t_rel_s });
    else if (e.action.startsWith('restore flag file')) out.push({ step: `${e.host}:chk_flag=ok`, at: e.t_rel_s });
    else throw new Error(`no step for lab action '${e.action}'`);
  }
  return out;
}

/** Who keepalived says was master just before each time: the last host to log "Entering MASTER STATE". */
function masterBefore(s: Sidecar, t: number): string | null {
  const entries = s.keepalived_log.filter((l) => /Entering MASTER STATE/.test(l.line) && l.t_rel_s < t).sort((a, b) => a.t_rel_s - b.t_rel_s);
  return entries.at(-1)?.host ?? null;
}

const SCENARIOS = ['track-script', 'nopreempt', 'master-crash'] as const;
const HAVE = existsSync(join(CAPTURES, 'configs'));

describe.skipIf(!HAVE)('the lab scenarios, simulated from the configs the lab used', () => {
  for (const sc of SCENARIOS) {
    it(`${sc}: the simulated masters are the masters keepalived had`, () => {
      const s = sidecar(sc);
      const nodes = readNodes(configs(sc), fsReader);
      expect(nodes.map((n) => n.name)).toEqual(s.hosts.map((h) => h.name));
      const steps = stepsOf(s);
      expect(steps.length).toBeGreaterThan(0);
      const parsed = steps.map((x) => parseStep(x.step, nodes));
      for (const p of parsed) expect(typeof p, String(p)).not.toBe('string');
      const r = simulate(nodes, parsed as Step[]);
      expect(r.instances).toHaveLength(1);
      const simulated = r.instances[0]?.steps.map((x) => x.master);
      // keepalived's master at the end of each interval: before the next action, or the capture's end
      const end = Math.max(...s.timeline.map((e) => e.t_rel_s));
      const times = [...steps.map((x) => x.at), end];
      const recorded = times.map((t) => masterBefore(s, t));
      expect(simulated).toEqual(recorded);
      // and each interval has one master, none in split brain
      for (const x of r.instances[0]?.steps ?? []) expect(x.masters).toHaveLength(1);
    });
  }

  it('track-script: the drop is 150 -> 90 (chk_flag weight -60), as keepalived logged it', () => {
    const nodes = readNodes(configs('track-script'), fsReader);
    const r = simulate(nodes, [parseStep('vwt-a:chk_flag=fail', nodes) as Step]);
    expect(r.instances[0]?.steps.map((x) => x.priorities['vwt-a'])).toEqual([150, 90]);
    expect(sidecar('track-script').keepalived_log.some((l) => l.line.includes('Changing effective priority from 150 to 90'))).toBe(true);
  });
});

describe.skipIf(!HAVE)('captures/configs are the configs the sidecars describe', () => {
  const scenarios = HAVE ? readdirSync(join(CAPTURES, 'configs')) : [];
  it('one directory per recorded scenario', () => {
    const recorded = readdirSync(CAPTURES).filter((f) => f.endsWith('.events.json')).map((f) => f.replace('.events.json', ''));
    expect(scenarios.sort()).toEqual(recorded.sort());
  });
  for (const sc of scenarios) {
    it(`${sc}: every instance as the sidecar records it`, () => {
      const s = sidecar(sc);
      const nodes = readNodes(configs(sc), fsReader);
      for (const h of s.hosts) {
        const n = nodes.find((x) => x.name === h.name);
        expect(n, h.name).toBeDefined();
        const got = n?.instances.map((i) => ({
          name: i.name, vrid: i.vrid?.value, priority: i.priority.value, advert_int: i.advertIntervalCs.value / 100, version: i.version.value,
          initial_state: i.state.value, auth: i.auth.value.type === 'PASS' ? { type: 'PASS', password: i.auth.value.password } : { type: i.auth.value.type },
          vips: i.vips.map((v) => `${v.address}/${v.prefixLength}`), nopreempt: !i.preempt.value, track_scripts: i.tracked.map((t) => t.name),
        }));
        const want = h.keepalived.instances.map((i) => ({ name: i.name, vrid: i.vrid, priority: i.priority, advert_int: i.advert_int, version: i.version, initial_state: i.initial_state, auth: i.auth, vips: i.vips, nopreempt: i.nopreempt, track_scripts: i.track_scripts }));
        expect(got).toEqual(want);
      }
    });
  }

  it.skipIf(!hasTool('jq'))('scripts/lab/record-captures.sh --configs-only writes them again, byte for byte (needs jq)', () => {
    const out = mkdtempSync(join(tmpdir(), 'vwt-configs-'));
    try {
      const r = spawnSync('bash', [join(CAPTURES, '../scripts/lab/record-captures.sh'), '--configs-only'], { env: { ...process.env, VWT_CAPTURE_DIR: out }, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      for (const sc of scenarios) {
        for (const f of readdirSync(join(CAPTURES, 'configs', sc))) {
          expect(readFileSync(join(out, 'configs', sc, f), 'utf8'), `${sc}/${f}`).toBe(readFileSync(join(CAPTURES, 'configs', sc, f), 'utf8'));
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('lint finds in them what the scenarios were made to show', () => {
    const codes = (sc: string): string[] => lint(readNodes(configs(sc), fsReader)).findings.map((f) => f.code);
    expect(codes('password-mismatch')).toContain('auth-mismatch');
    expect(codes('interval-mismatch')).toContain('interval-mismatch');
    expect(codes('vip-two-vrids')).toContain('vrid-mismatch');
    // two clusters, one VRID, one subnet: their interfaces are named per host, the subnet joins them
    expect(codes('vrid-collision')).toContain('vip-mismatch');
    expect(codes('steady-pair').filter((c) => c !== 'script-security')).toEqual([]);
  });
});
