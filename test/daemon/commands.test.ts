// Track scripts and --notify as real child processes: arguments appended as keepalived does,
// exit status, the timeout (the script's whole process group is ended), and the environment.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/daemon/commands.js';
import { describeResult } from '../../src/daemon/daemon.js';

const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-commands-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Resolves once process `pid` has gone (or is a zombie): its parent, killed with it, cannot reap it. */
async function gone(pid: number): Promise<void> {
  const alive = (): boolean => {
    try {
      return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
    } catch {
      return false; // no such process
    }
  };
  while (alive()) await new Promise((res) => setImmediate(res));
}

const opts = { timeoutMs: 5000, env: { PATH: process.env.PATH, MARK: 'x' }, stderr: 'ignore' as const };

describe('runCommand', () => {
  it('appends the arguments as separate words, spaces and all, after a command line', async () => {
    const out = join(tmp, 'args');
    const r = await runCommand(`printf '%s\\n' >${out}`, ['INSTANCE', 'VI 51', 'MASTER', '150'], opts).done;
    expect(r).toEqual({ ok: true, code: 0, signal: null, timedOut: false, error: null });
    expect(readFileSync(out, 'utf8')).toBe('INSTANCE\nVI 51\nMASTER\n150\n');
  });

  it('a non-zero exit is a failure; the environment is the one given', async () => {
    const r = await runCommand('test "$MARK" = x && exit 3', [], opts).done;
    expect(r).toMatchObject({ ok: false, code: 3, timedOut: false });
    expect(describeResult(r, 1)).toBe('exit 3');
  });

  it('at the timeout the whole process group is ended, and it counts as a failure', async () => {
    const pidFile = join(tmp, 'grandchild');
    // Were the group not ended, the script would wait 30 s for its child: the test's own timeout fails it.
    const r = await runCommand(`sleep 30 & echo $! >${pidFile}; wait`, [], { ...opts, timeoutMs: 300 }).done;
    expect(r).toMatchObject({ ok: false, timedOut: true });
    expect(describeResult(r, 0.3)).toBe('timed out after 0.3 s and was killed');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await gone(grandchild);
  });

  it('kill() ends a running command', async () => {
    const c = runCommand('sleep 30', [], { ...opts, timeoutMs: null });
    c.kill();
    const r = await c.done;
    expect(r).toMatchObject({ ok: false, timedOut: false, signal: 'SIGTERM' });
  });
});
