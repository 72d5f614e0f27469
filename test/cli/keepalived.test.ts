// `vrrpwatch lint` and `vrrpwatch simulate` as a user runs them: the seeds' example in text and
// JSON, exit codes, usage errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { CASES } from '../keepalived/configs.js';
import { seeds } from '../keepalived/configs.js';

let dir = '';
const write = (files: Record<string, string>, sub: string): string[] => {
  const d = mkdtempSync(join(dir, `${sub}-`));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return Object.keys(files).map((n) => join(d, n));
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-ka-cli-'));
});

describe('vrrpwatch simulate', () => {
  it("the seeds' example, as text", async () => {
    const [a, b] = write(seeds(), 'seeds');
    const r = await runCli(['simulate', a as string, b as string, '--step', 'A:chk=fail', '--step', 'B:chk=fail']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s+(start|A:|B:)/.test(l)).map((l) => l.trim().split(/\s+/));
    expect(rows).toEqual([
      ['start', '80', '70', 'A'],
      ['A:chk=fail', '60', '70', 'B'],
      ['B:chk=fail', '60', '50', 'B'],
    ]);
    expect(r.stdout).toContain('! B holds the VIP although its track_script chk is failing');
  });

  it("the seeds' example, as JSON (steps[0] is start)", async () => {
    const [a, b] = write(seeds(), 'seeds-json');
    const r = await runCli(['simulate', a as string, b as string, '--step', 'A:chk=fail', '--step', 'B:chk=fail', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { instances: { name: string; vrid: number; steps: { step: string; priorities: Record<string, number>; master: string | null }[] }[] };
    expect(j.instances.map((i) => [i.name, i.vrid])).toEqual([['VI_1', 51]]);
    expect(j.instances[0]?.steps.map((s) => ({ step: s.step, priorities: s.priorities, master: s.master }))).toEqual([
      { step: 'start', priorities: { A: 80, B: 70 }, master: 'A' },
      { step: 'A:chk=fail', priorities: { A: 60, B: 70 }, master: 'B' },
      { step: 'B:chk=fail', priorities: { A: 60, B: 50 }, master: 'B' },
    ]);
  });

  it('without nopreempt A takes over at the last step', async () => {
    const [a, b] = write(seeds(false), 'seeds-preempt');
    const r = await runCli(['simulate', a as string, b as string, '--step', 'A:chk=fail', '--step', 'B:chk=fail', '--json']);
    const j = JSON.parse(r.stdout) as { instances: { steps: { master: string }[] }[] };
    expect(j.instances[0]?.steps.map((s) => s.master)).toEqual(['A', 'B', 'A']);
  });

  it('a step naming no node is a usage error (64) that names the nodes', async () => {
    const [a, b] = write(seeds(), 'seeds-bad');
    const r = await runCli(['simulate', a as string, b as string, '--step', 'C:chk=fail']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('no node C (nodes: A, B)');
    expect((await runCli(['simulate', '--bogus', a as string])).code).toBe(64);
    expect((await runCli(['simulate'])).code).toBe(64);
  });
});

describe('vrrpwatch lint', () => {
  it('clean: exit 0 and a summary', async () => {
    const c = CASES['one-file-two-nodes'];
    const [f] = write(c?.files ?? {}, 'clean');
    const r = await runCli(['lint', `${f}@lb1`, `${f}@lb2`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 node\(s\) \(lb1, lb2\), 2 instance\(s\): 0 error\(s\), 0 warning\(s\)/);
  });

  it('warnings: exit 1, compiler-style lines grouped per instance', async () => {
    const [a, b] = write(CASES['weight-cannot-failover']?.files ?? {}, 'weight');
    const r = await runCli(['lint', a as string, b as string]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a: vrrp_instance VI_1');
    expect(r.stdout).toMatch(/a\.conf:\d+: warning: VRID 51 \(VI_1\): track_script chk failing on a \(weight -5, [^)]*a\.conf:8\) takes it from 150 to 145, not below b's 100: the VIP stays on a while its check fails\. Use a weight of at most -51.*\[weight-cannot-failover\]/);
  });

  it('errors: exit 2; --json has nodes and findings with code, severity, file, line, message', async () => {
    const [a, b] = write(CASES['auth-mismatch']?.files ?? {}, 'auth');
    const r = await runCli(['lint', a as string, b as string, '--json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout) as { nodes: { name: string }[]; findings: { code: string; severity: string; file: string; line: number; message: string }[] };
    expect(j.nodes.map((n) => n.name)).toEqual(['a', 'b']);
    const f = j.findings.find((x) => x.code === 'auth-mismatch');
    expect(f).toMatchObject({ severity: 'error', file: b, line: 11 });
    expect(f?.message).toContain("b uses auth_type PASS 'secret2', a auth_type PASS 'secret1'");
  });

  it('bad options: usage and 64', async () => {
    const r = await runCli(['lint', '--bogus', 'x.conf']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('Usage: vrrpwatch lint');
    expect((await runCli(['lint'])).code).toBe(64);
  });
});
