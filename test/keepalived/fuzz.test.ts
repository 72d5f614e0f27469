// Bad input never crashes lint or simulate: random configs made of keepalived's own words.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/keepalived/lint.js';
import { readNodes } from '../../src/keepalived/node.js';
import { memoryReader } from '../../src/keepalived/source.js';
import { parseStep, simulate, type Step } from '../../src/keepalived/simulate.js';
import { GLOBAL, instance, script } from './configs.js';

const WORDS = [
  'vrrp_instance', 'VI_1', 'VI_2', 'vrrp_script', 'chk', 'vrrp_sync_group', 'G', 'group', 'global_defs', 'router_id', 'state', 'MASTER', 'BACKUP',
  'Master', 'interface', 'eth0', 'virtual_router_id', '51', '52', '0', '256', 'priority', '255', '150', '100', '1', 'advert_int', '1.6', '0.5', '3',
  'version', '2', '3', 'nopreempt', 'preempt_delay', 'authentication', 'auth_type', 'PASS', 'AH', 'auth_pass', 'secretpassword', 'virtual_ipaddress',
  '192.0.2.1/24', 'fe80::1', '2001:db8::1/64', 'virtual_ipaddress_excluded', 'track_script', 'track_interface', 'weight', '-20', '-254', '0', 'reverse',
  'script', '"/bin/true"', 'interval', 'rise', 'fall', 'unicast_src_ip', 'unicast_peer', '192.0.2.2', 'use_vmac', 'notify_master', 'global_tracking',
  '{', '}', '{', '}', '$X=5', '$X', '${X}', '@a', '@^a', '~SEQ(I,1,3)', '~LST(I,a,b)', '${I}', 'include', '*.conf', '#', '!', '"', '\\',
];

const line = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
const file = fc.array(line, { maxLength: 60 }).map((ls) => ls.join('\n'));

describe('lint and simulate never throw', () => {
  it('on random configs of keepalived words', () => {
    fc.assert(
      fc.property(file, file, (a, b) => {
        const nodes = readNodes(['a.conf', 'b.conf@a'], memoryReader({ 'a.conf': a, 'b.conf': b, 'x.conf': a }));
        const r = lint(nodes);
        for (const f of r.findings) expect(f.line).toBeGreaterThanOrEqual(0);
        simulate(nodes, []);
      }),
      { numRuns: 300 },
    );
  });
});

describe('simulate on random well-formed pairs', () => {
  const node = fc.record({
    prio: fc.integer({ min: 1, max: 255 }),
    state: fc.constantFrom('MASTER', 'BACKUP'),
    weight: fc.integer({ min: -253, max: 253 }),
    nopreempt: fc.boolean(),
    advert: fc.constantFrom('1', '2', '0.5', '1.6'),
    version: fc.constantFrom('2', '3'),
    delay: fc.constantFrom('', 'preempt_delay 2'),
  });
  const text = (n: { prio: number; state: string; weight: number; nopreempt: boolean; advert: string; version: string; delay: string }): string =>
    GLOBAL + script('chk', n.weight) + instance({ state: n.state, prio: n.prio, track: ['chk'], extra: [`advert_int ${n.advert}`, `version ${n.version}`, n.nopreempt ? 'nopreempt' : '', n.delay].filter((x) => x).join('\n') });
  const step = fc.constantFrom('a:chk=fail', 'a:chk=ok', 'b:chk=fail', 'b:chk=ok', 'a:down', 'a:up', 'b:down', 'b:up', 'a:eth0=down', 'a:eth0=up');

  it('every step has a result for both nodes, and a master unless every node is down or in FAULT', () => {
    fc.assert(
      fc.property(node, node, fc.array(step, { maxLength: 5 }), (a, b, texts) => {
        const nodes = readNodes(['a.conf', 'b.conf'], memoryReader({ 'a.conf': text(a), 'b.conf': text(b) }));
        const steps = texts.map((t) => parseStep(t, nodes)) as Step[];
        const r = simulate(nodes, steps);
        for (const inst of r.instances) {
          expect(inst.steps).toHaveLength(steps.length + 1);
          for (const s of inst.steps) {
            const live = Object.values(s.priorities).some((p) => p !== null && p > 0);
            if (live && s.masters.length === 0) throw new Error(`no master at ${s.step}: ${JSON.stringify(s)}`);
            for (const m of s.masters) expect((s.priorities[m] ?? 0) > 0).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
