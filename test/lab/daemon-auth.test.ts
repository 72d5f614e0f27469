// VRRPv2 simple-text authentication against keepalived (issue 6, "Accepted when" item 7): with a
// different password vrrpwatch drops keepalived's adverts and names the sender once; with the same
// one they elect normally. The password is never on a command line or in a log.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LAB_SKIP } from './harness.js';
import { kaEntered, Observer, sleep, until, Vrrpwatch } from '../daemon/lab-support.js';

const VIP = '192.0.2.100';
const VRID = 51;

describe.skipIf(LAB_SKIP !== null)(`vrrpwatch daemon authentication against keepalived${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab;
  let obs: Observer;
  let vw: Vrrpwatch | undefined;
  const a = 'a'; // vrrpwatch, 150
  const b = 'b'; // keepalived, 100

  beforeAll(async () => {
    lab = Lab.create('d4', 2);
    obs = await Observer.start(lab, 'auth');
  }, 30_000);

  afterEach(async () => {
    // a test that failed half way leaves neither router running into the next one
    if (vw && vw.proc.exitCode === null && vw.proc.signalCode === null) await vw.stop('SIGTERM').catch(() => undefined);
    await lab.stopKeepalived(b, 'TERM');
  });

  afterAll(() => {
    vw?.proc.kill('SIGKILL');
    lab?.destroySync();
  });

  it('7. a password mismatch: vrrpwatch drops keepalived\'s adverts and logs the sender once', async () => {
    const passFile = join(lab.dir, 'vrrp.pass');
    writeFileSync(passFile, 'secret1\n', { mode: 0o600 });
    // vrrpwatch advertises every 2 s and keepalived every 1 s. keepalived re-arms its advert timer
    // on every advert it hears, even one it discards (captures/README.md, auth-mismatch). With equal
    // intervals our adverts can hold its timer off for many seconds. At 2 s against 1 s, its timer
    // fires between two of ours. Both check the password before the interval, so each logs only the
    // password mismatch.
    vw = new Vrrpwatch(lab, a, ['--vrid', String(VRID), '--priority', '150', '--advert-int', '2', '--vip', `${VIP}/24`, '--auth-pass-file', passFile]);
    await vw.waitForLog(/-> BACKUP/, 10_000);
    lab.startKeepalived(b, [{ vrid: VRID, priority: 100, vips: [VIP], authPass: 'secret2' }]);
    await vw.waitForLog(/-> MASTER/, 12_000);
    // keepalived discards ours too, so it becomes master as well: split brain, each dropping the other
    await until('keepalived master', () => kaEntered(lab, b, 'MASTER') > 0, 8000);
    await obs.waitFor('three adverts from keepalived', (h) => (h.filter((x) => x.kind === 'vrrp' && x.src === lab.ip4(b) && x.priority === 100).length >= 3 ? true : null), 15_000);
    await sleep(200);
    const logged = vw.lines.filter((l) => l.includes('auth mismatch from 192.0.2.12'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/auth mismatch from 192\.0\.2\.12: its password \(7 bytes\) differs from ours; advert dropped \(not logged again for this sender within 10 minutes\)/);
    // still master: the dropped adverts never reached the election
    expect(vw.log).not.toMatch(/MASTER -> BACKUP/);
    expect(lab.keepalivedLog(b)).toMatch(/received an invalid passwd/);
    expect(lab.keepalivedLog(b)).not.toMatch(/advertisement interval mismatch/);
    expect(vw.log).not.toMatch(/interval mismatch/);
    // our own password: not in our log, not on our command line
    expect(vw.log + vw.stderr).not.toContain('secret1');
    const cmdline = readFileSync(`/proc/${vw.proc.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--auth-pass-file');
    expect(cmdline).not.toContain('secret1');
    // SIGUSR1 shows the drops counted
    vw.proc.kill('SIGUSR1');
    await vw.waitForLog(/VRID 51: MASTER, priority 150, advertising every 2 s; adverts sent \d+, received \d+, dropped: auth \d+/, 2000);
    expect((await vw.stop('SIGTERM')).code).toBe(0);
    await lab.stopKeepalived(b, 'TERM');
  }, 40_000);

  it('the same password, from VRRPWATCH_AUTH_PASS: keepalived accepts vrrpwatch as master, and scripts never see the password', async () => {
    const notified = join(lab.dir, 'notify.out');
    const notify = join(lab.dir, 'notify.sh');
    writeFileSync(notify, `#!/bin/sh\necho "$@ pass=\${VRRPWATCH_AUTH_PASS:-unset}" >> ${notified}\n`, { mode: 0o755 });
    vw = new Vrrpwatch(lab, a, ['--vrid', String(VRID), '--priority', '150', '--vip', `${VIP}/24`, '--notify', notify], { ...process.env, VRRPWATCH_AUTH_PASS: 'secret1' });
    await vw.waitForLog(/-> BACKUP/, 10_000);
    lab.startKeepalived(b, [{ vrid: VRID, priority: 100, vips: [VIP], authPass: 'secret1' }]);
    await vw.waitForLog(/-> MASTER/, 8000);
    await sleep(2500);
    expect(kaEntered(lab, b, 'MASTER')).toBe(0);
    expect(lab.keepalivedLog(b)).not.toMatch(/invalid passwd/);
    expect(vw.log).not.toMatch(/auth mismatch|auth type mismatch|dropped/);
    expect(execFileSync('ps', ['-o', 'args=', '-p', String(vw.proc.pid)], { encoding: 'utf8' })).not.toContain('secret1');
    expect((await vw.stop('SIGTERM')).code).toBe(0);
    const lines = readFileSync(notified, 'utf8').trim().split('\n');
    expect(lines).toEqual(['INSTANCE VI_51 BACKUP 150 pass=unset', 'INSTANCE VI_51 MASTER 150 pass=unset', 'INSTANCE VI_51 STOP 150 pass=unset']);
  }, 40_000);
});
