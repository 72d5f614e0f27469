// check --config (issue 12): the configs' findings join the verdict. A config mismatch is
// WARNING and the first line names the field and the line; with a CRITICAL condition it follows
// it, as its cause.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check.js';

const CAPTURES = join(import.meta.dirname, '../../captures');

function configs(scenario: string, edit?: { host: string; from: string; to: string }): { args: string[]; file: string; line: number } {
  const dir = mkdtempSync(join(tmpdir(), `vrrpwatch-check-config-${scenario}-`));
  const names = readdirSync(join(CAPTURES, 'configs', scenario)).sort();
  for (const f of names) copyFileSync(join(CAPTURES, 'configs', scenario, f), join(dir, f));
  let file = '';
  let line = 0;
  if (edit !== undefined) {
    file = join(dir, `${edit.host}.conf`);
    const text = readFileSync(file, 'utf8').replace(edit.from, edit.to);
    writeFileSync(file, text);
    line = text.split('\n').findIndex((l) => l.includes(edit.to)) + 1;
  }
  return { args: names.flatMap((f) => ['--config', join(dir, f)]), file, line };
}

const check = (scenario: string, args: string[]) => runCheck(['-r', join(CAPTURES, `${scenario}.pcap`), ...args], 'test');

describe('check --config', () => {
  it('a capture with its own configs stays OK', async () => {
    const r = await check('master-crash', configs('master-crash').args);
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/^VRRP OK - /);
  });

  it('a priority the config does not give is WARNING, the first line naming the field and the line', async () => {
    const c = configs('master-crash', { host: 'vwt-a', from: 'priority 150', to: 'priority 200' });
    const r = await check('master-crash', c.args);
    expect(r.code).toBe(1);
    expect(r.text.split('\n')[0]).toContain(`VRRP WARNING - config mismatch on VRID 51: priority 150 on the wire, 200 in ${c.file}:${c.line} (192.0.2.11, node vwt-a)`);
  });

  it('a password changed on one node: the split brain is CRITICAL and the first line says which file', async () => {
    // The capture's nodes had different passwords; a config that says they agree is not what runs on vwt-b.
    const c = configs('password-mismatch', { host: 'vwt-b', from: 'auth_pass secret2', to: 'auth_pass secret1' });
    const r = await check('password-mismatch', c.args);
    expect(r.code).toBe(2);
    const first = r.text.split('\n')[0] ?? '';
    expect(first).toMatch(/^VRRP CRITICAL - split brain on VRID 51/);
    expect(first).toContain(`config mismatch: password on the wire differs from ${c.file}:${c.line} (192.0.2.12, node vwt-b)`);
    expect(first).not.toContain('secret');
  });

  it('a router of no config is WARNING', async () => {
    const c = configs('vrid-collision');
    const r = await check('vrid-collision', c.args.slice(0, 4));
    expect(r.verdict?.problems.some((p) => p.kind === 'unexpected-router' && p.routers.includes('192.0.2.13'))).toBe(true);
  });

  it('-v lists the configs\' lint findings with file:line', async () => {
    const c = configs('interval-mismatch');
    const r = await check('interval-mismatch', [...c.args, '-v']);
    expect(r.text).toMatch(/vwt-b\.conf:12: error: .*\[interval-mismatch\]/);
  });

  it('a --config value with nothing after ADDR= is a usage error (UNKNOWN)', async () => {
    const r = await check('steady-pair', ['--config', '192.0.2.11=']);
    expect(r.code).toBe(3);
    expect(r.text).toContain('no file after');
  });
});
