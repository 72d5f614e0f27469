// --config on the lab captures (issue 12): each capture against the configs the lab recorded it
// with maps every router to its node and finds no mismatch; against copies altered in one node's
// file it finds exactly that change, at the altered file's line.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer, type Analysis } from '../../src/analysis/analyzer.js';
import type { AnalysisEvent } from '../../src/analysis/types.js';
import { visitCaptureFile } from '../../src/capture/file.js';
import { loadConfigs, type ConfigArg } from '../../src/cli/config-option.js';
import { holdAnalysis } from '../../src/intent/analysis.js';
import type { IntentWatch } from '../../src/intent/intent.js';

const CAPTURES = join(import.meta.dirname, '../../captures');
const SCENARIOS = readdirSync(join(CAPTURES, 'configs')).sort();

async function analyze(scenario: string, configs: ConfigArg[]): Promise<{ a: Analysis; watch: IntentWatch }> {
  const analyzer = new Analyzer();
  await visitCaptureFile(join(CAPTURES, `${scenario}.pcap`), analyzer.packet);
  const end = analyzer.tracker.nowMicros;
  const { watch } = loadConfigs(configs, { wholeInput: true });
  return { a: holdAnalysis(analyzer.result(end), watch, end), watch };
}

function own(scenario: string, dir = join(CAPTURES, 'configs', scenario)): ConfigArg[] {
  return readdirSync(dir).filter((f) => f.endsWith('.conf')).sort().map((f) => ({ address: null, node: join(dir, f) }));
}

/** The scenario's configs copied to a temp dir, `host`'s file with `from` replaced by `to`; the line it is on. */
function altered(scenario: string, host: string, from: RegExp, to: string): { configs: ConfigArg[]; file: string; line: number } {
  const dir = mkdtempSync(join(tmpdir(), `vrrpwatch-intent-${scenario}-`));
  for (const f of readdirSync(join(CAPTURES, 'configs', scenario))) copyFileSync(join(CAPTURES, 'configs', scenario, f), join(dir, f));
  const file = join(dir, `${host}.conf`);
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(from);
  const changed = text.replace(from, to);
  writeFileSync(file, changed);
  const line = changed.split('\n').findIndex((l) => l.includes(to.trim())) + 1;
  return { configs: own(scenario, dir), file, line };
}

const ofType = <T extends AnalysisEvent['type']>(a: Analysis, type: T): Extract<AnalysisEvent, { type: T }>[] =>
  a.events.filter((e): e is Extract<AnalysisEvent, { type: T }> => e.type === type);

describe('each lab capture against its own configs', () => {
  it.each(SCENARIOS)('%s: every router is its node, no mismatch, nothing unexpected', async (scenario) => {
    const { a, watch } = await analyze(scenario, own(scenario));
    expect(a.vrids.length).toBeGreaterThan(0);
    for (const v of a.vrids) {
      for (const r of v.routers) {
        // The lab's hosts: 192.0.2.1X and fe80::...:1X are vwt-a..vwt-d (captures/README.md).
        const digit = Number(r.address.slice(-1));
        expect(watch.nodeOf(v, r.address), `${scenario} VRID ${v.vrid} ${r.address}`).toBe(`vwt-${'abcd'[digit - 1]}`);
      }
    }
    expect(ofType(a, 'config-mismatch')).toEqual([]);
    expect(ofType(a, 'unexpected-router')).toEqual([]);
    expect(ofType(a, 'router-unmapped')).toEqual([]);
    expect(ofType(a, 'configured-not-seen').map((e) => e.message)).toEqual([]);
    // Which mapping was made, and why, is said once per router.
    expect(ofType(a, 'router-mapped').length).toBe(a.vrids.reduce((n, v) => n + v.routers.length, 0));
  });
});

describe('the same captures against a config altered in one node', () => {
  const cases = [
    { what: 'a priority', scenario: 'master-crash', host: 'vwt-a', from: /priority 150/, to: 'priority 200', router: '192.0.2.11', field: 'priority', wire: 150, config: 200 },
    { what: 'a password', scenario: 'master-crash', host: 'vwt-b', from: /auth_pass vrrplab1/, to: 'auth_pass changed1', router: '192.0.2.12', field: 'authData', wire: 'vrrplab1', config: 'changed1' },
    { what: 'an interval', scenario: 'master-crash', host: 'vwt-b', from: /advert_int 1/, to: 'advert_int 2', router: '192.0.2.12', field: 'advertInterval', wire: 1, config: 2 },
    { what: 'a VIP', scenario: 'master-crash', host: 'vwt-a', from: /192\.0\.2\.100\/24/, to: '192.0.2.101/24', router: '192.0.2.11', field: 'vips', wire: ['192.0.2.100'], config: ['192.0.2.101'] },
    { what: 'the version', scenario: 'steady-pair', host: 'vwt-a', from: /version 2/, to: 'version 3', router: '192.0.2.11', field: 'version', wire: 2, config: 3 },
  ] as const;
  it.each(cases)('$what changed in one node file: exactly that config-mismatch, at its line', async (c) => {
    const alt = altered(c.scenario, c.host, c.from, c.to);
    const { a, watch } = await analyze(c.scenario, alt.configs);
    const found = ofType(a, 'config-mismatch').map(({ router, node, field, wire, config, file, line }) => ({ router, node, field, wire, config, file, line }));
    expect(found).toEqual([{ router: c.router, node: c.host, field: c.field, wire: c.wire, config: c.config, file: alt.file, line: alt.line }]);
    const e = ofType(a, 'config-mismatch')[0];
    expect(e?.severity).toBe('warning');
    expect(e?.message).toContain(`${alt.file}:${alt.line}`);
    // The altered node is still found (by elimination when its priority or interval no longer fits).
    for (const v of a.vrids) for (const r of v.routers) expect(watch.nodeOf(v, r.address)).not.toBeNull();
  });

  it('a priority mismatch says both numbers and the line, as a person reads it', async () => {
    const alt = altered('master-crash', 'vwt-a', /priority 150/, 'priority 200');
    const { a } = await analyze('master-crash', alt.configs);
    expect(ofType(a, 'config-mismatch')[0]?.message).toContain(`192.0.2.11 (node vwt-a) advertises priority 150 but ${alt.file}:${alt.line} says 200`);
  });

  it('a password longer than 8 characters is compared as keepalived truncates it', async () => {
    const alt = altered('master-crash', 'vwt-b', /auth_pass vrrplab1/, 'auth_pass vrrplab1-and-more');
    const { a } = await analyze('master-crash', alt.configs);
    expect(ofType(a, 'config-mismatch')).toEqual([]);
  });

  it('a VRID changed in one node: its router is unexpected and the configured VRID is not seen', async () => {
    const alt = altered('master-crash', 'vwt-b', /virtual_router_id 51/, 'virtual_router_id 52');
    const { a } = await analyze('master-crash', alt.configs);
    expect(ofType(a, 'config-mismatch')).toEqual([]);
    expect(ofType(a, 'unexpected-router').map(({ router, vrid, reason }) => ({ router, vrid, reason }))).toEqual([{ router: '192.0.2.12', vrid: 51, reason: 'not-mapped' }]);
    expect(ofType(a, 'configured-not-seen').map(({ vrid, node, file, line }) => ({ vrid, node, file, line }))).toEqual([{ vrid: 52, node: 'vwt-b', file: alt.file, line: 7 }]);
  });
});

describe('tracking, strangers and absent VRIDs', () => {
  it("the track-script capture's priority drop is explained by its script", async () => {
    const { a } = await analyze('track-script', own('track-script'));
    const changes = ofType(a, 'priority-change');
    const drop = changes.find((e) => e.to < e.from);
    const file = join(CAPTURES, 'configs/track-script/vwt-a.conf');
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.trim() === 'chk_flag') + 1;
    expect(drop?.tracking).toEqual([{ script: 'chk_flag', kind: 'script', weight: -60, file, line }]);
    expect(drop?.message).toContain(`chk_flag failing (weight -60, ${file}:${line})`);
    // Back to 150: the configured priority, no weight.
    expect(changes.find((e) => e.to > e.from)?.tracking).toEqual([]);
  });

  it('a priority no combination of weights gives is said to be unexplained', async () => {
    const alt = altered('track-script', 'vwt-a', /weight -60/, 'weight -20');
    const { a } = await analyze('track-script', alt.configs);
    const drop = ofType(a, 'priority-change').find((e) => e.to < e.from);
    expect(drop?.tracking).toBeNull();
    expect(drop?.message).toContain('no combination of its tracked weights explains it');
    expect(ofType(a, 'config-mismatch').map((e) => [e.field, e.wire, e.config])).toEqual([['priority', 90, 150]]);
  });

  it('routers of VRIDs no config has are unexpected-router', async () => {
    const { a } = await analyze('multi-vrid', own('multi-vrid').slice(0, 1));
    const found = ofType(a, 'unexpected-router').map(({ router, vrid, reason }) => ({ router, vrid, reason })).sort((x, y) => (x.vrid ?? 0) - (y.vrid ?? 0));
    // VRID 20 is in vwt-a's file, but vwt-a is 192.0.2.11 on that interface (VRID 10): .12 is another node.
    expect(found).toEqual([
      { router: '192.0.2.12', vrid: 20, reason: 'not-mapped' },
      { router: '192.0.2.13', vrid: 30, reason: 'no-config' },
      { router: '192.0.2.14', vrid: 40, reason: 'no-config' },
    ]);
    expect(ofType(a, 'config-mismatch')).toEqual([]);
  });

  it('a router on a configured VRID that no given node is: unexpected-router, not a guess', async () => {
    const { a, watch } = await analyze('vrid-collision', own('vrid-collision').slice(0, 2));
    const unexpected = ofType(a, 'unexpected-router');
    expect(unexpected.map((e) => e.router)).toEqual(['192.0.2.13']);
    const v = a.vrids[0];
    expect(v === undefined ? null : watch.nodeOf(v, '192.0.2.13')).toBeNull();
  });

  it('a configured VRID that never appears is configured-not-seen, with its file:line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-intent-extra-'));
    const file = join(dir, 'vwt-a.conf');
    const text = readFileSync(join(CAPTURES, 'configs/steady-pair/vwt-a.conf'), 'utf8');
    writeFileSync(file, `${text}vrrp_instance VI_52 {\n  interface vwt-a0\n  virtual_router_id 52\n  priority 100\n  virtual_ipaddress {\n    192.0.2.152/24\n  }\n}\n`);
    const line = readFileSync(file, 'utf8').split('\n').indexOf('vrrp_instance VI_52 {') + 1;
    const { a } = await analyze('steady-pair', [{ address: null, node: file }]);
    const found = ofType(a, 'configured-not-seen');
    expect(found.map(({ vrid, node, instance, file: f, line: l }) => ({ vrid, node, instance, file: f, line: l }))).toEqual([{ vrid: 52, node: 'vwt-a', instance: 'VI_52', file, line }]);
    expect(found[0]?.message).toContain(`VRID 52: configured on node vwt-a (vrrp_instance VI_52, ${file}:${line}) and nobody advertises it`);
  });

  it("the nopreempt capture's master is not the highest priority, and the config says why", async () => {
    const { a } = await analyze('nopreempt', own('nopreempt'));
    const file = join(CAPTURES, 'configs/nopreempt/vwt-a.conf');
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.trim() === 'nopreempt') + 1;
    const found = ofType(a, 'unexpected-master');
    expect(found.map(({ router, node, expected, expectedNode, file: f, line: l }) => ({ router, node, expected, expectedNode, file: f, line: l })))
      .toEqual([{ router: '192.0.2.12', node: 'vwt-b', expected: '192.0.2.11', expectedNode: 'vwt-a', file, line }]);
    expect(found[0]?.reason).toContain(`nopreempt (${file}:${line})`);
    // Where preemption is on, a master that crashed and came back is no unexpected master.
    expect(ofType((await analyze('master-crash', own('master-crash'))).a, 'unexpected-master')).toEqual([]);
  });

  it('ADDR= ties a router to a node whatever its priority says', async () => {
    const [a1, b1] = own('master-crash');
    // Swapped on purpose: the user's word wins, and the fields then disagree.
    const { a, watch } = await analyze('master-crash', [{ address: '192.0.2.12', node: a1?.node ?? '' }, { address: '192.0.2.11', node: b1?.node ?? '' }]);
    const v = a.vrids[0];
    expect(v === undefined ? null : watch.nodeOf(v, '192.0.2.11')).toBe('vwt-b');
    expect(ofType(a, 'router-mapped').every((e) => e.by === 'address')).toBe(true);
    expect(ofType(a, 'config-mismatch').map((e) => [e.router, e.field])).toEqual(expect.arrayContaining([['192.0.2.11', 'priority'], ['192.0.2.12', 'priority']]));
  });

  it('two nodes that fit one router equally are said to be ambiguous, not guessed', async () => {
    const [a1] = own('steady-pair');
    const { a, watch } = await analyze('steady-pair', [a1 as ConfigArg, { address: null, node: `${a1?.node ?? ''}@other` }]);
    const v = a.vrids[0];
    expect(v === undefined ? 'no vrid' : watch.nodeOf(v, '192.0.2.11')).toBeNull();
    const u = ofType(a, 'router-unmapped');
    expect(u.map((e) => [e.router, e.reason])).toEqual([['192.0.2.11', 'ambiguous']]);
    expect(u[0]?.message).toContain('--config 192.0.2.11=FILE');
  });
});
