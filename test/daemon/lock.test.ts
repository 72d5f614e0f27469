// One daemon per interface, VRID and family: the pid-file lock, in a temporary directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockFileName, takeLock } from '../../src/daemon/lock.js';

const KEY = { interface: 'eth0', vrid: 51, family: 4 } as const;
const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'vrrpwatch-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('takeLock', () => {
  it('the first takes it (a pid file); a second for the same interface and VRID is refused, naming the first', () => {
    const dir = fresh();
    const first = takeLock(KEY, { dirs: [dir], pid: 4242, alive: () => true });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.path).toMatch(new RegExp(`^${dir}/eth0-vrid51-ipv4(-net\\d+)?\\.pid$`));
    expect(readFileSync(first.path, 'utf8')).toBe('4242\n');
    const second = takeLock(KEY, { dirs: [dir], pid: 4343, alive: (pid) => pid === 4242 });
    expect(second).toEqual({
      ok: false,
      message: `VRID 51 (IPv4) on eth0 is already run by vrrpwatch daemon pid 4242 (lock ${first.path}); stop it first (kill 4242), or choose another --vrid`,
    });
    // another VRID, another interface or family: their own locks
    expect(takeLock({ ...KEY, vrid: 52 }, { dirs: [dir], pid: 4343, alive: () => true }).ok).toBe(true);
    expect(takeLock({ ...KEY, family: 6 }, { dirs: [dir], pid: 4343, alive: () => true }).ok).toBe(true);
    expect(takeLock({ ...KEY, interface: 'eth1' }, { dirs: [dir], pid: 4343, alive: () => true }).ok).toBe(true);
    first.release();
    expect(takeLock(KEY, { dirs: [dir], pid: 4343, alive: () => true }).ok).toBe(true);
  });

  it('a stale lock (its process is gone, or the file is damaged) is taken over, saying from whom', () => {
    const dir = fresh();
    const a = takeLock(KEY, { dirs: [dir], pid: 4242, alive: () => true });
    if (!a.ok) throw new Error(a.message);
    const b = takeLock(KEY, { dirs: [dir], pid: 4343, alive: () => false });
    expect(b).toMatchObject({ ok: true, path: a.path, tookOverFrom: 4242 });
    expect(readFileSync(a.path, 'utf8')).toBe('4343\n');
    // the old holder's release does not remove the new holder's file
    a.release();
    expect(readFileSync(a.path, 'utf8')).toBe('4343\n');
    writeFileSync(a.path, 'garbage');
    expect(takeLock(KEY, { dirs: [dir], pid: 4444, alive: () => true })).toMatchObject({ ok: true, tookOverFrom: null });
  });

  it('falls back to the next directory when one cannot be written; says so when none can', () => {
    const ok = fresh();
    // root writes anywhere: a path under a plain file is what fails for root too
    writeFileSync(join(ok, 'x'), '');
    const notADir = join(ok, 'x', 'vrrpwatch');
    const r = takeLock(KEY, { dirs: [notADir, ok], pid: 1, alive: () => true });
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.path.startsWith(ok)).toBe(true);
    const none = takeLock(KEY, { dirs: [notADir], pid: 1, alive: () => true });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.message).toMatch(/^cannot create a lock file for VRID 51 \(IPv4\) on eth0 \(.*ENOTDIR\); is \/run writable\?$/);
  });

  it('names the network namespace when it is not the host\'s', () => {
    expect(lockFileName(KEY, null)).toBe('eth0-vrid51-ipv4.pid');
    expect(lockFileName({ ...KEY, family: 6 }, '4026532285')).toBe('eth0-vrid51-ipv6-net4026532285.pid');
  });
});
