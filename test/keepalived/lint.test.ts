// One test per finding code, each from a config written here (configs.ts), read through the
// in-memory reader; the examples.
import { describe, expect, it } from 'vitest';
import { lint, lintExitCode } from '../../src/keepalived/lint.js';
import { readNodes } from '../../src/keepalived/node.js';
import { memoryReader } from '../../src/keepalived/source.js';
import { FINDING_SEVERITY } from '../../src/keepalived/findings.js';
import { CASES, type ConfigCase } from './configs.js';

export function lintCase(c: ConfigCase) {
  return lint(readNodes(c.nodes, memoryReader(c.files)));
}

describe('lint: a config per finding code', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: ${c.codes.join(', ') || 'clean'}`, () => {
      const r = lintCase(c);
      const codes = r.findings.map((f) => f.code);
      for (const code of c.codes) expect(codes, JSON.stringify(r.findings, null, 1)).toContain(code);
      if (c.codes.length === 0) expect(r.findings.filter((f) => f.severity !== 'info'), JSON.stringify(r.findings, null, 1)).toEqual([]);
    });
  }

  it('has a case for every code', () => {
    const tested = new Set(Object.values(CASES).flatMap((c) => c.codes));
    for (const code of Object.keys(FINDING_SEVERITY)) expect(tested, code).toContain(code);
  });

  it('every finding names a file and line that exist', () => {
    for (const c of Object.values(CASES)) {
      for (const f of lintCase(c).findings) {
        expect(Object.keys(c.files)).toContain(f.file);
        const lines = (c.files[f.file] as string).split('\n').length;
        expect(f.line).toBeGreaterThanOrEqual(1);
        expect(f.line).toBeLessThanOrEqual(lines);
      }
    }
  });
});

describe('lint: what the findings say', () => {
  it('extra tokens: priority is kept, advert_int dropped, line named', () => {
    const r = lintCase(CASES['extra-tokens'] as ConfigCase);
    const f = r.findings.find((x) => x.code === 'extra-tokens');
    expect(f?.message).toContain("'priority 150' is all keepalived reads");
    expect(f?.message).toContain("drops 'advert_int 5'");
    expect(r.nodes[0]?.instances[0]?.priority.value).toBe(150);
    expect(r.nodes[0]?.instances[0]?.advertIntervalCs.value).toBe(100);
  });

  it("state Master falls back to BACKUP; v2 advert_int 1.6 rounds to 2 s (keepalived adds 0.5 s and truncates)", () => {
    expect(lintCase(CASES['bad-value-state-case'] as ConfigCase).nodes[0]?.instances[0]?.state.value).toBe('BACKUP');
    expect(lintCase(CASES['bad-value-advert-round'] as ConfigCase).nodes[0]?.instances[0]?.advertIntervalCs.value).toBe(200);
  });

  it('auth_pass keeps 8 characters: two passwords equal in their first 8 match', () => {
    const r = lintCase(CASES['auth-match-after-truncation'] as ConfigCase);
    expect(r.findings.map((f) => f.code)).not.toContain('auth-mismatch');
    const f = r.findings.find((x) => x.code === 'password-truncated');
    expect(f?.message).toContain("'12345678'");
  });

  it('nopreempt with state MASTER is cleared', () => {
    expect(lintCase(CASES['nopreempt-ignored'] as ConfigCase).nodes[0]?.instances[0]?.preempt.value).toBe(true);
  });

  it('a track_script entry takes the script weight; a script defined after the instance is not found', () => {
    const r = lintCase(CASES['script-undefined'] as ConfigCase);
    expect(r.nodes[0]?.instances[0]?.tracked).toEqual([]);
    const w = lintCase(CASES['weight-cannot-failover'] as ConfigCase);
    expect(w.nodes[0]?.instances[0]?.tracked[0]?.weight.value).toBe(-5);
  });

  it('MASTER 150 / BACKUP 100 with weight -5: weight-cannot-failover with the weight that would work', () => {
    const r = lintCase(CASES['weight-cannot-failover'] as ConfigCase);
    const f = r.findings.find((x) => x.code === 'weight-cannot-failover');
    expect(f?.message).toContain('from 150 to 145');
    expect(f?.message).toContain('at most -51');
    expect(f?.node).toBe('a');
    expect(lintExitCode(r.findings)).toBe(1);
  });

  it('equal priorities with known addresses name the winner', () => {
    const f = lintCase(CASES['equal-priority'] as ConfigCase).findings.find((x) => x.code === 'equal-priority');
    expect(f?.message).toContain('b wins (192.0.2.12 is the higher address)');
  });

  it('one file for two nodes: @lb1/@lb2 and $VIP give two nodes with their own priorities and the same VIP', () => {
    const r = lintCase(CASES['one-file-two-nodes'] as ConfigCase);
    expect(r.nodes.map((n) => [n.name, n.nameFrom, n.instances[0]?.priority.value, n.instances[0]?.state.value])).toEqual([
      ['lb1', 'config-id', 150, 'MASTER'],
      ['lb2', 'config-id', 100, 'BACKUP'],
    ]);
    expect(r.nodes.map((n) => n.instances[0]?.vips.map((v) => v.address))).toEqual([['192.0.2.50'], ['192.0.2.50']]);
    expect(lintExitCode(r.findings)).toBe(0);
  });

  it('include globs relative to the including file, ~SEQ lines keep their line number', () => {
    const r = lintCase(CASES['include-and-seq'] as ConfigCase);
    const vips = r.nodes[0]?.instances[0]?.vips ?? [];
    // ~SEQ gives .21-.23; the next line's ${X} keeps the loop's last value, 3, as keepalived's definitions do
    expect(vips.map((v) => v.address)).toEqual(['192.0.2.21', '192.0.2.22', '192.0.2.23', '192.0.2.103']);
    expect(vips[0]?.at).toEqual({ file: 'conf.d/vi1.conf', line: 6 });
    expect(r.nodes[0]?.files).toEqual(['main.conf', 'conf.d/vi1.conf']);
  });

  it('node names: config-id, else router_id, else the file name', () => {
    const files = { 'x/lb-a.conf': 'global_defs {\n  router_id edge1\n}\n', 'x/lb-b.conf': '' };
    expect(readNodes(['x/lb-a.conf', 'x/lb-b.conf', 'x/lb-b.conf@n3'], memoryReader(files)).map((n) => n.name)).toEqual(['edge1', 'lb-b', 'n3']);
  });
});
