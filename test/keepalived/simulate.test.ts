// The election simulation: the seeds' example, weights too small to fail over, node crashes, and
// the failure table without steps.
import { describe, expect, it } from 'vitest';
import { readNodes } from '../../src/keepalived/node.js';
import { parseStep, simulate, simulationText, type Step } from '../../src/keepalived/simulate.js';
import { memoryReader } from '../../src/keepalived/source.js';
import { CASES, GLOBAL, instance, script, seeds } from './configs.js';

function run(files: Record<string, string>, args: string[], stepTexts: string[]) {
  const nodes = readNodes(args, memoryReader(files));
  const steps = stepTexts.map((s) => parseStep(s, nodes));
  for (const s of steps) if (typeof s === 'string') throw new Error(s);
  return simulate(nodes, steps as Step[]);
}

describe('simulate', () => {
  it("the seeds' example: A master, A's check fails -> B, B's fails too -> B stays (A has nopreempt)", () => {
    const r = run(seeds(), ['a.conf', 'b.conf'], ['A:chk=fail', 'B:chk=fail']);
    expect(r.instances).toHaveLength(1);
    expect(r.instances[0]?.steps.map((s) => [s.step, s.priorities, s.master])).toEqual([
      ['start', { A: 80, B: 70 }, 'A'],
      ['A:chk=fail', { A: 60, B: 70 }, 'B'],
      ['B:chk=fail', { A: 60, B: 50 }, 'B'],
    ]);
  });

  it('without nopreempt A takes over at the last step', () => {
    const r = run(seeds(false), ['a.conf', 'b.conf'], ['A:chk=fail', 'B:chk=fail']);
    expect(r.instances[0]?.steps.map((s) => s.master)).toEqual(['A', 'B', 'A']);
  });

  it('MASTER 150 / BACKUP 100 with weight -5: the failing check keeps the VIP (no failover)', () => {
    const c = CASES['weight-cannot-failover'];
    const r = run(c?.files ?? {}, ['a.conf', 'b.conf'], ['a:chk=fail']);
    const last = r.instances[0]?.steps.at(-1);
    expect(last?.priorities).toEqual({ a: 145, b: 100 });
    expect(last?.master).toBe('a');
    expect(last?.failingMaster).toContain('a holds the VIP although its track_script chk is failing');
  });

  it('a crashed master hands over; its return preempts back; nopreempt keeps the new master', () => {
    const pair = (np: boolean) => ({
      'a.conf': GLOBAL + instance({ state: 'BACKUP', prio: 150, extra: np ? 'nopreempt' : '' }),
      'b.conf': GLOBAL + instance({ state: 'BACKUP', prio: 100, extra: np ? 'nopreempt' : '' }),
    });
    expect(run(pair(false), ['a.conf', 'b.conf'], ['a:down', 'a:up']).instances[0]?.steps.map((s) => s.master)).toEqual(['a', 'b', 'a']);
    expect(run(pair(true), ['a.conf', 'b.conf'], ['a:down', 'a:up']).instances[0]?.steps.map((s) => s.master)).toEqual(['a', 'b', 'b']);
    expect(run(pair(false), ['a.conf', 'b.conf'], ['a:down']).instances[0]?.steps.at(-1)?.priorities).toEqual({ a: null, b: 100 });
  });

  it('preempt_delay: the returning higher node still preempts, after its delay', () => {
    const files = {
      'a.conf': GLOBAL + instance({ state: 'BACKUP', prio: 150, extra: 'preempt_delay 5' }),
      'b.conf': GLOBAL + instance({ state: 'BACKUP', prio: 100 }),
    };
    expect(run(files, ['a.conf', 'b.conf'], ['a:down', 'a:up']).instances[0]?.steps.map((s) => s.master)).toEqual(['a', 'b', 'a']);
  });

  it('a weight-0 script failing is FAULT (priority 0), and an interface going down too', () => {
    const files = {
      'a.conf': GLOBAL + script('chk') + instance({ prio: 150, track: ['chk'] }),
      'b.conf': GLOBAL + instance({ prio: 100 }),
    };
    const r = run(files, ['a.conf', 'b.conf'], ['a:chk=fail', 'a:chk=ok', 'a:eth0=down']);
    expect(r.instances[0]?.steps.map((s) => [s.priorities.a, s.master])).toEqual([[150, 'a'], [0, 'b'], [150, 'a'], [0, 'b']]);
  });

  it('a sync group moves together: a weight-0 check failing on one member takes both to FAULT, and both VIPs move', () => {
    const node = (prio: number, track: boolean): string =>
      `${GLOBAL}${script('chk')}vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}\n` +
      instance({ prio, track: track ? ['chk'] : undefined }) +
      instance({ name: 'VI_2', vrid: 52, prio, vips: ['192.0.2.101/24'] });
    const files = { 'a.conf': node(150, true), 'b.conf': node(100, false) };
    const r = run(files, ['a.conf', 'b.conf'], ['a:chk=fail', 'a:chk=ok']);
    expect(r.instances.map((i) => [i.vrid, i.steps.map((s) => s.master)])).toEqual([
      [51, ['a', 'b', 'a']],
      [52, ['a', 'b', 'a']],
    ]);
    expect(r.instances[1]?.steps[1]?.priorities).toEqual({ a: 0, b: 100 });
  });

  it('mismatched passwords: both become master (split brain)', () => {
    const c = CASES['auth-mismatch'];
    const r = run(c?.files ?? {}, ['a.conf', 'b.conf'], []);
    expect(r.instances[0]?.steps[0]?.masters).toEqual(['a', 'b']);
  });

  it('without steps: a table of every single failure and every pair, each from the steady state', () => {
    const r = run(seeds(), ['a.conf', 'b.conf'], []);
    const cases = r.instances[0]?.cases ?? [];
    // atoms: A:chk, A:down, B:chk, B:down -> 4 singles + 4 pairs (a node down with its own check failing says nothing more)
    expect(cases).toHaveLength(8);
    expect(cases.map((c) => c.step)).not.toContain('A:chk=fail + A:down');
    expect(cases.map((c) => c.step)).toContain('A:chk=fail + B:chk=fail');
    const both = cases.find((c) => c.step === 'A:chk=fail + B:chk=fail');
    expect(both?.master).toBe('B');
    expect(both?.failingMaster).toBeDefined();
    expect(simulationText(r)).toContain('B holds the VIP although its track_script chk is failing');
  });

  it('bad steps are sentences naming what exists', () => {
    const nodes = readNodes(['a.conf', 'b.conf'], memoryReader(seeds()));
    expect(parseStep('C:chk=fail', nodes)).toContain('no node C (nodes: A, B)');
    expect(parseStep('A:nochk=fail', nodes)).toContain('A has no vrrp_script nochk (it has: chk)');
    expect(parseStep('A:eth9=down', nodes)).toContain('neither runs on nor tracks an interface eth9');
    expect(parseStep('A-chk', nodes)).toContain('expected NODE:SCRIPT=fail|ok');
  });
});
