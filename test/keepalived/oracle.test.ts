// keepalived itself as the oracle: every config of the suite (configs.ts, and the lab's shipped
// captures/configs) through `keepalived -t -f FILE -l -D` (Debian's 2.2.7), in a namespace of our
// own that has an eth0 (keepalived -t checks that interfaces exist). Its exit code is unreliable
// (users-2026.md 4), so what it prints is compared: every line keepalived warns or errs with, we
// report too, at the same file:line when keepalived gives one.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNode, parseNodeArg } from '../../src/keepalived/node.js';
import { memoryReader } from '../../src/keepalived/source.js';
import { lint } from '../../src/keepalived/lint.js';
import type { LintFinding } from '../../src/keepalived/findings.js';
import { hasTool } from '../support/tools.js';
import { CASES, type ConfigCase } from './configs.js';

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const SKIP = !IS_ROOT ? 'needs root for a network namespace with an eth0' : !hasTool('keepalived') ? 'needs keepalived: apt-get install keepalived' : !hasTool('ip') ? 'needs iproute2' : null;
const NS = 'vwtk-oracle';

/** Lines keepalived prints that judge the host, not the file. */
const HOST_LINES = [/^Non-existent interface specified/, /Unknown interface!/, /doesn't exist$/];

/** keepalived's messages without a position, and the code that must say the same. */
const UNPOSITIONED: [RegExp, string[]][] = [
  [/SECURITY VIOLATION - scripts are being executed but script_security not enabled/, ['script-security']],
  [/No VIP specified; at least one is sensible/, ['no-vip']],
  [/both use VRID \d+ with IPv\d on interface/, ['vrid-reused']],
  [/Warning - script \S+ is not used/, ['script-unused']],
  [/ignoring tracked script \S+ with weights due to SYNC group/, ['sync-group-weight-ignored']],
  [/ignoring tracked script \S+ with weights due to address_owner/, ['owner-tracking-ignored']],
  [/nopreempt will not work with initial state MASTER/, ['nopreempt-ignored']],
  [/advertisement interval .* rounding/, ['bad-value']],
  [/Config files missing/, ['include-missing']],
  [/There are \d+ missing/, ['parse-error']],
  [/does not support authentication/, ['bad-value']],
  [/Authentication specified but no password given/, ['bad-value']],
  [/preempt_delay is incompatible with/, ['bad-value']],
  [/preempt delay will not work with initial state MASTER/, ['bad-value']],
  [/nopreempt is incompatible with priority 255/, ['nopreempt-ignored']],
  [/virtual router id must be set/, ['parse-error']],
  [/No VIP specified; at least one is required/, ['parse-error']],
];

interface KeepalivedSays {
  file: string | null;
  line: number | null;
  text: string;
}

function runKeepalived(dir: string, arg: string): KeepalivedSays[] {
  const { file, configId } = parseNodeArg(arg);
  const args = ['netns', 'exec', NS, 'keepalived', '-t', '-f', join(dir, file), '-l', '-D', ...(configId ? ['-i', configId] : [])];
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 15_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !HOST_LINES.some((re) => re.test(l)))
    .map((l) => {
      // "(FILE: Line N) text", or "(Line N) text" for the file given with -f
      const m = /^\((?:(.*): )?Line (\d+)\) (.*)$/.exec(l);
      if (m === null) return { file: null, line: null, text: l };
      return { file: m[1] === undefined ? file : m[1].slice(dir.length + 1), line: Number(m[2]), text: m[3] as string };
    });
}

function writeCase(c: ConfigCase): string {
  const dir = mkdtempSync(join(tmpdir(), 'vwtk-oracle-'));
  for (const [name, text] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function check(says: KeepalivedSays[], ours: LintFinding[], label: string): void {
  for (const s of says) {
    if (s.file !== null && s.line !== null) {
      const hit = ours.filter((f) => f.file === s.file && f.line === s.line);
      expect(hit.length, `${label}: keepalived says "${s.text}" at ${s.file}:${s.line}; we say: ${JSON.stringify(ours.map((f) => `${f.file}:${f.line} ${f.code}`))}`).toBeGreaterThan(0);
      continue;
    }
    const known = UNPOSITIONED.find(([re]) => re.test(s.text));
    expect(known, `${label}: keepalived says "${s.text}" and the oracle table does not know it`).toBeDefined();
    const codes = ours.map((f) => f.code as string);
    expect(codes.some((c) => known?.[1].includes(c)), `${label}: keepalived says "${s.text}"; we say ${codes.join(', ')}`).toBe(true);
  }
}

/** The lab's shipped configs, each scenario's nodes (captures/configs/SCENARIO/NODE.conf). */
function labCases(): [string, ConfigCase][] {
  const root = join(import.meta.dirname, '../../captures/configs');
  if (!existsSync(root)) return [];
  return readdirSync(root).map((sc) => {
    const files = Object.fromEntries(readdirSync(join(root, sc)).filter((f) => f.endsWith('.conf')).map((f) => [f, readFileSync(join(root, sc, f), 'utf8')]));
    return [`lab ${sc}`, { files, nodes: Object.keys(files), codes: [] }];
  });
}

describe.skipIf(SKIP !== null)(`keepalived -t as the oracle${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  beforeAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['-n', NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1']);
    for (const i of ['eth0', 'eth1', 'lo']) execFileSync('ip', ['-n', NS, 'link', 'set', i, 'up']);
    // the lab's configs name their own interfaces
    for (const h of ['a', 'b', 'c', 'd']) execFileSync('ip', ['-n', NS, 'link', 'add', `vwt-${h}0`, 'type', 'veth', 'peer', 'name', `vwt-${h}9`]);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  for (const [name, c] of [...Object.entries(CASES), ...labCases()]) {
    it(`${name}: what keepalived reports, we report`, () => {
      const dir = writeCase(c);
      try {
        const reader = memoryReader(c.files);
        for (const node of c.nodes) {
          const says = runKeepalived(dir, node);
          const ours = lint([readNode(parseNodeArg(node), reader)]).findings;
          check(says, ours, `${name} ${node}`);
          if (c.oracle !== undefined) expect(says.map((x) => x.text).join('\n'), `${name}: keepalived itself should say this`).toContain(c.oracle);
          // and the other way: a config keepalived takes silently gives no error from us
          if (says.length === 0) expect(ours.filter((f) => f.severity === 'error' && f.code !== 'vrid-reused'), `${name} ${node}: keepalived says nothing`).toEqual([]);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
