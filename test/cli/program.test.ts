// The program's own line: a mistyped command word and an unknown option get the program's help,
// not the default command's, and exit 64.
import { describe, expect, it } from 'vitest';
import { closestCommand } from '../../src/cli/program.js';
import { runCli } from '../support/cli.js';

describe('the program line', () => {
  it("an unknown first word: \"unknown command 'analyse' (did you mean analyze?)\", the program's help, exit 64", async () => {
    const r = await runCli(['analyse', 'capture.pcap']);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: unknown command 'analyse' \(did you mean analyze\?\)\n\nUsage: vrrpwatch \[options\] \[command\]\n/);
    expect(r.stderr).toContain('  decode [options] <file>');
    const far = await runCli(['frobnicate']);
    expect(far.code).toBe(64);
    expect(far.stderr).toMatch(/^error: unknown command 'frobnicate'\n\nUsage: vrrpwatch \[options\]/);
  });

  it("an unknown option with no command word shows the program's help, not watch's", async () => {
    const r = await runCli(['--bogus']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^error: unknown option '--bogus'\n\nUsage: vrrpwatch \[options\] \[command\]\n/);
    expect(r.stderr).not.toContain('Usage: vrrpwatch watch');
    // Named, watch's own mistakes still get watch's help.
    const named = await runCli(['watch', '--bogus']);
    expect(named.code).toBe(64);
    expect(named.stderr).toContain('Usage: vrrpwatch watch [options]');
  });

  it('guesses within two edits, whatever the case', () => {
    expect(closestCommand('analyse')).toBe('analyze');
    expect(closestCommand('DECODE')).toBe('decode');
    expect(closestCommand('chek')).toBe('check');
    expect(closestCommand('deamon')).toBe('daemon');
    expect(closestCommand('xyzzy')).toBeNull();
  });
});
