// The VRRPv2 password: what a password file may hold, and a mistyped flag that must not echo it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/daemon/config.js';
import { runCli } from '../support/cli.js';

const base = { interface: 'eth0', vrid: 51, vip: ['192.0.2.100'], authPassSource: 'file' as const };
const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-secrets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the password from a file', () => {
  it.each([
    ['secret1', true],
    ['secret1\n', true],
    ['secret1\r\n', true],
  ])('%j: one trailing newline is not part of it', (text, ok) => {
    const r = validateConfig({ ...base, authPass: text });
    expect(r.ok).toBe(ok);
    if (r.ok) expect(r.config.auth?.matches(new Uint8Array([...Buffer.from('secret1'), 0]))).toBe(true);
  });

  it.each([
    ['secret1\n\n', 'a line break (0x0a) at byte 8'],
    ['sec\tret', 'a tab (0x09) at byte 4'],
    ['\u001b[2Jx', 'a control character (0x1b) at byte 1'],
  ])('%j is refused with a sentence, never silently used', (text, what) => {
    const r = validateConfig({ ...base, authPass: text });
    expect(r).toEqual({ ok: false, errors: [`the password from --auth-pass-file has ${what}: a VRRPv2 password is printable text; keep it alone on the first line, with at most one newline after it`] });
  });
});

describe('vrrpwatch daemon on the command line', () => {
  it('an unknown --auth-pass=VALUE is named, its value never shown; a password file with a blank line is refused', async () => {
    const r = await runCli(['daemon', '-i', 'eth0', '--vrid', '51', '--vip', '192.0.2.100', '--auth-pass=hunter2']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^error: unknown option '--auth-pass'\n/);
    expect(r.stderr).not.toContain('hunter2');
    const file = join(tmp, 'pass');
    writeFileSync(file, 'hunter2\n\n', { mode: 0o600 });
    const blank = await runCli(['daemon', '-i', 'eth0', '--vrid', '51', '--vip', '192.0.2.100', '--auth-pass-file', file]);
    expect(blank.code).toBe(64);
    expect(blank.stderr).toBe('vrrpwatch: the password from --auth-pass-file has a line break (0x0a) at byte 8: a VRRPv2 password is printable text; keep it alone on the first line, with at most one newline after it\n');
  });
});
