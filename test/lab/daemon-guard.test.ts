// What guards the host around `vrrpwatch daemon` (issue 14): one daemon per interface and VRID
// (a second is refused, naming the first; a dead one's lock is taken over), the password kept
// from every child (ip, notify) and from the log, and a --notify that hangs: killed after its
// bounded time, STOP still runs, nothing left running.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LAB_SKIP } from './harness.js';
import { until, Vrrpwatch } from '../daemon/lab-support.js';

const VIP = '192.0.2.100';

describe.skipIf(LAB_SKIP !== null)(`vrrpwatch daemon: lock, secrets, notify children${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab;
  const running: Vrrpwatch[] = [];
  const start = (args: string[], env?: NodeJS.ProcessEnv): Vrrpwatch => {
    const vw = new Vrrpwatch(lab, 'a', ['--vrid', '51', '--priority', '120', '--vip', VIP, ...args], env);
    running.push(vw);
    return vw;
  };
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(() => {
    lab = Lab.create('f7', 2);
  }, 30_000);
  afterEach(async () => {
    for (const vw of running.splice(0)) if (vw.proc.exitCode === null && vw.proc.signalCode === null) await vw.stop('SIGTERM').catch(() => vw.proc.kill('SIGKILL'));
  });
  afterAll(() => lab?.destroySync());

  it('a second daemon for the same interface and VRID is refused, naming the first; the first keeps its VIP', async () => {
    const first = start([]);
    await first.waitForLog(/-> MASTER/, 8000);
    await until('the VIP', () => lab.hasAddress('a', VIP), 2000);
    const lock = /; lock (\S+)$/.exec(first.lines[0] ?? '')?.[1];
    expect(lock).toMatch(/^\/run\/vrrpwatch\/vwt\w+a0-vrid51-ipv4-net\d+\.pid$/);
    expect(readFileSync(lock!, 'utf8')).toBe(`${first.proc.pid}\n`);

    const second = start(['--priority', '100']);
    const exit = await second.exited;
    expect(exit.code).toBe(69);
    expect(second.stderr).toBe(`vrrpwatch: VRID 51 (IPv4) on ${lab.iface('a')} is already run by vrrpwatch daemon pid ${first.proc.pid} (lock ${lock}); stop it first (kill ${first.proc.pid}), or choose another --vrid\n`);
    expect(lab.hasAddress('a', VIP)).toBe(true);
    expect(first.proc.exitCode).toBeNull();
    // another VRID on the same interface is fine
    const other = start(['--vrid', '52', '--vip', '192.0.2.101']);
    await other.waitForLog(/INITIALIZE -> BACKUP/, 8000);

    // killed outright, the first leaves its lock (and its VIP) behind: the next run takes both over
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(existsSync(lock!)).toBe(true);
    const third = start([]);
    await third.waitForLog(new RegExp(`took over the lock ${lock!.replace(/\./g, '\\.')} from pid ${first.proc.pid}, which is no longer running`), 8000);
    await third.waitForLog(/-> MASTER/, 8000);
    expect((await third.stop('SIGTERM')).code).toBe(0);
    expect(existsSync(lock!)).toBe(false);
  }, 60_000);

  it('the password: never in the log, not in the environment of ip, notify or track children; a mistyped flag is not echoed', async () => {
    // `ip` on the PATH records its environment, then runs the real one (not for the lab's own
    // `ip netns exec`, which starts the daemon and finds this PATH too)
    const bin = join(lab.dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const envs = join(lab.dir, 'child-env');
    const realIp = execFileSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'ip'), `#!/bin/sh\n[ "$1" = netns ] || env >> ${envs}\nexec ${realIp} "$@"\n`);
    chmodSync(join(bin, 'ip'), 0o755);
    const notify = join(lab.dir, 'notify.sh');
    writeFileSync(notify, `#!/bin/sh\nenv >> ${envs}\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, VRRPWATCH_AUTH_PASS: 'hunter2' };
    const vw = start(['--notify', notify, '--track-script', `env >> ${envs}`, '--weight', '10'], env);
    await vw.waitForLog(/-> MASTER/, 8000);
    await until('the VIP added through our ip', () => lab.hasAddress('a', VIP), 2000);
    expect((await vw.stop('SIGTERM')).code).toBe(0);
    const seen = readFileSync(envs, 'utf8');
    expect(seen.split('\n').filter((l) => l.startsWith('PATH=')).length).toBeGreaterThanOrEqual(4); // ip add, ip del, notify, track
    expect(seen).not.toContain('VRRPWATCH_AUTH_PASS');
    expect(seen).not.toContain('hunter2');
    expect(vw.log + vw.stderr).not.toContain('hunter2');

    const typo = new Vrrpwatch(lab, 'a', ['--vrid', '51', '--vip', VIP, '--auth-pass=hunter2']);
    expect((await typo.exited).code).toBe(64);
    expect(typo.stderr).toMatch(/unknown option '--auth-pass'/);
    expect(typo.stderr).not.toContain('hunter2');
  }, 60_000);

  it('a --notify that hangs and ignores SIGTERM: killed with its children after its time, STOP runs, nothing is left', async () => {
    const out = join(lab.dir, 'notify-hang.out');
    const pids = join(lab.dir, 'notify-hang.pids');
    const notify = join(lab.dir, 'notify-hang.sh');
    // MASTER hangs (its shell ignores SIGTERM and waits on a child); every call is recorded
    writeFileSync(notify, `#!/bin/sh\necho "$3" >> ${out}\nif [ "$3" = MASTER ]; then trap '' TERM; sleep 1000 & echo "$$ $!" >> ${pids}; wait; fi\n`, { mode: 0o755 });
    const vw = start(['--notify', notify]);
    await vw.waitForLog(/-> MASTER/, 8000);
    await until('the MASTER notify running', () => existsSync(pids), 3000);
    const [shell, sleeper] = readFileSync(pids, 'utf8').trim().split(' ').map(Number) as [number, number];
    const t0 = Date.now();
    const exit = await vw.stop('SIGTERM', 15_000);
    const took = (Date.now() - t0) / 1000;
    console.log(`notify hang: the daemon exited ${took.toFixed(2)} s after SIGTERM`);
    expect(exit.code).toBe(0);
    expect(took).toBeLessThan(5);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual(['BACKUP', 'MASTER', 'STOP']);
    expect(vw.log).toMatch(/warning: --notify ".*notify-hang\.sh" INSTANCE VI_51 MASTER 120: killed by SIG(TERM|KILL)/);
    await until('the hung notify and its child gone', () => !alive(shell) && !alive(sleeper), 3000);
    expect(lab.hasAddress('a', VIP)).toBe(false);
  }, 60_000);
});
