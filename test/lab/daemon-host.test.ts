// vrrpwatch daemon on a host, without keepalived: what it does to the host and says about it.
// --json logs, --notify with keepalived's arguments, SIGUSR1, an interface deleted under it
// (FAULT, no exit), and --vmac (a macvlan with the virtual MAC that answers for the VIP). Nothing
// is left behind on any of these exits.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LAB_SKIP } from './harness.js';
import { captureNow, Observer, until, Vrrpwatch } from '../daemon/lab-support.js';

const VIP = '192.0.2.100';
const VMAC = '00:00:5e:00:01:33';

describe.skipIf(LAB_SKIP !== null)(`vrrpwatch daemon on the host${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab;
  let obs: Observer;
  let vw: Vrrpwatch | undefined;
  const a = 'a'; // vrrpwatch
  const b = 'b'; // a plain host on the same segment

  const inA = (...args: string[]): string => execFileSync('ip', ['-n', lab.ns(a), ...args], { encoding: 'utf8' });
  /** Whether host b reaches the VIP: a TCP connection to a closed port is refused by whoever holds it (no ping here). */
  const reachable = (): boolean => {
    const probe = `require('net').connect(9, '${VIP}').on('error', (e) => process.exit(e.code === 'ECONNREFUSED' ? 0 : 1)); setTimeout(() => process.exit(2), 2000);`;
    try {
      execFileSync('ip', ['netns', 'exec', lab.ns(b), process.execPath, '-e', probe], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  const neighbourMac = (): string => /lladdr ([0-9a-f:]+)/.exec(execFileSync('ip', ['-n', lab.ns(b), 'neigh', 'show', VIP], { encoding: 'utf8' }))?.[1] ?? 'none';

  beforeAll(async () => {
    lab = Lab.create('d7', 2);
    obs = await Observer.start(lab, 'host');
  }, 30_000);

  afterEach(async () => {
    // a test that failed half way must not leave its daemon running into the next one
    if (vw && vw.proc.exitCode === null && vw.proc.signalCode === null) await vw.stop('SIGTERM').catch(() => undefined);
  });

  afterAll(() => {
    vw?.proc.kill('SIGKILL');
    lab?.destroySync();
  });

  it('alone, --json and --notify: master after Master_Down_Interval, JSON lines, keepalived\'s notify arguments, SIGUSR1', async () => {
    const out = join(lab.dir, 'notify.out');
    const notify = join(lab.dir, 'notify.sh');
    writeFileSync(notify, `#!/bin/sh\necho "$*" >> ${out}\n`, { mode: 0o755 });
    vw = new Vrrpwatch(lab, a, ['--vrid', '51', '--priority', '120', '--vip', VIP, '--json', '--notify', notify, '--name', 'web']);
    await vw.waitForLog(/"to":"MASTER"/, 8000);
    const objects = vw.lines.map((l) => JSON.parse(l) as { time: string; level: string; message: string; transition?: { from: string; to: string; reason: string } });
    expect(objects.every((o) => !Number.isNaN(Date.parse(o.time)) && ['info', 'warning', 'error'].includes(o.level) && typeof o.message === 'string')).toBe(true);
    expect(objects.flatMap((o) => (o.transition ? [o.transition] : []))).toEqual([
      { from: 'INITIALIZE', to: 'BACKUP', reason: 'startup' },
      { from: 'BACKUP', to: 'MASTER', reason: 'master-down' },
    ]);
    expect(objects.find((o) => o.transition?.to === 'MASTER')?.message).toBe('VRID 51: BACKUP -> MASTER: no advert heard for 3.53 s since startup (Master_Down_Interval)');
    await until('the VIP on the interface', () => lab.hasAddress(a, VIP), 2000);
    expect(reachable()).toBe(true);
    expect(neighbourMac()).toBe(lab.mac(a));

    vw.proc.kill('SIGUSR1');
    const status = JSON.parse(await vw.waitForLog(/"status":/, 2000)) as { message: string; status: { state: string; priority: number; holding: string[] }; counters: { advertsSent: number } };
    expect(status.message).toMatch(/^VRID 51: MASTER, priority 120, advertising every 1 s; adverts sent \d+, received 0; holding 192\.0\.2\.100$/);
    expect(status.status).toMatchObject({ state: 'MASTER', priority: 120, holding: [VIP] });
    expect(status.counters.advertsSent).toBeGreaterThan(0);

    expect((await vw.stop('SIGTERM')).code).toBe(0);
    expect(lab.hasAddress(a, VIP)).toBe(false);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual(['INSTANCE web BACKUP 120', 'INSTANCE web MASTER 120', 'INSTANCE web STOP 120']);
  }, 30_000);

  it('the link goes down: FAULT, the VIP released; back up: backup, then master again (as keepalived)', async () => {
    vw = new Vrrpwatch(lab, a, ['--vrid', '51', '--priority', '120', '--vip', VIP]);
    await vw.waitForLog(/-> MASTER/, 8000);
    await until('the VIP on the interface', () => lab.hasAddress(a, VIP), 2000);
    inA('link', 'set', 'dev', lab.iface(a), 'down');
    try {
      await vw.waitForLog(new RegExp(`MASTER -> FAULT: interface ${lab.iface(a)} is down; released the virtual addresses \\(no priority-0 advert: nothing can be sent\\)`), 2000);
      expect(lab.hasAddress(a, VIP)).toBe(false);
    } finally {
      inA('link', 'set', 'dev', lab.iface(a), 'up');
    }
    await vw.waitForLog(new RegExp(`FAULT -> BACKUP: interface ${lab.iface(a)} is up again`), 2000);
    const t0 = captureNow();
    await vw.waitForLog(/BACKUP -> MASTER/, 6000, vw.lines.length);
    await until('the VIP back on the interface', () => lab.hasAddress(a, VIP), 2000);
    await obs.waitFor('adverts again', (h) => h.find((x) => x.kind === 'vrrp' && x.src === lab.ip4(a) && x.t > t0 && x.priority === 120), 3000);
    expect((await vw.stop('SIGTERM')).code).toBe(0);
    expect(lab.hasAddress(a, VIP)).toBe(false);
  }, 30_000);

  it('--vmac: adverts and gratuitous ARPs from 00:00:5e:00:01:VRID, the VIP on a macvlan that answers from it; all gone after SIGTERM', async () => {
    const t0 = captureNow();
    const sysctl = (key: string): string => execFileSync('ip', ['netns', 'exec', lab.ns(a), 'cat', `/proc/sys/net/ipv4/conf/${lab.iface(a)}/${key}`], { encoding: 'utf8' }).trim();
    const readArpIgnore = (): string => sysctl('arp_ignore');
    expect(readArpIgnore()).toBe('0');
    execFileSync('ip', ['-n', lab.ns(b), 'neigh', 'flush', 'all']);
    vw = new Vrrpwatch(lab, a, ['--vrid', '51', '--priority', '120', '--vip', `${VIP}/24`, '--vmac']);
    await vw.waitForLog(/-> MASTER/, 8000);
    const link = `vw51.${lab.iface(a)}`;
    await until('the VIP on the macvlan', () => inA('addr', 'show', 'dev', link).includes(` ${VIP}/24`), 2000);
    expect(lab.hasAddress(a, VIP)).toBe(false); // not on the interface itself
    expect(inA('-d', 'link', 'show', 'dev', link)).toMatch(new RegExp(`link/ether ${VMAC}[\\s\\S]*macvlan mode private`));
    expect(readArpIgnore()).toBe('1');
    expect([sysctl('arp_filter'), sysctl('arp_announce')]).toEqual(['1', '2']);
    expect(reachable()).toBe(true);
    expect(neighbourMac()).toBe(VMAC);
    const heard = await obs.waitFor('adverts and gratuitous ARPs from the virtual MAC', (h) => {
      const mine = h.filter((x) => x.t > t0 && (x.kind === 'vrrp' ? x.src === lab.ip4(a) && x.priority > 0 : x.kind === 'arp' && x.senderIp === VIP)); // not the last test's goodbye
      return mine.filter((x) => x.kind === 'vrrp').length >= 2 ? mine : null;
    }, 5000);
    expect(heard.filter((x) => x.kind === 'arp' && x.gratuitous).length).toBeGreaterThanOrEqual(5);
    expect(heard.filter((x) => x.srcMac !== VMAC || (x.kind === 'arp' && x.senderMac !== VMAC))).toEqual([]); // ARP replies included

    expect((await vw.stop('SIGTERM')).code).toBe(0);
    expect(inA('link', 'show')).not.toContain(link);
    expect([readArpIgnore(), sysctl('arp_filter'), sysctl('arp_announce')]).toEqual(['0', '0', '0']); // as they were
    expect(inA('addr', 'show')).not.toContain(VIP);
  }, 30_000);

  it('refuses a VRRP setup the interface cannot carry, saying why (exit 69)', async () => {
    inA('addr', 'flush', 'dev', lab.iface(a), 'scope', 'global');
    try {
      vw = new Vrrpwatch(lab, a, ['--vrid', '51', '--vip', VIP]);
      const exit = await vw.exited;
      expect(exit.code).toBe(69);
      expect(vw.stderr).toBe(`vrrpwatch: interface ${lab.iface(a)} has no IPv4 address, and VRRP adverts need one as their source: add one (ip addr add 192.0.2.11/24 dev ${lab.iface(a)})\n`);
    } finally {
      inA('addr', 'add', `${lab.ip4(a)}/24`, 'dev', lab.iface(a));
    }
  }, 30_000);

  it('the interface is deleted: FAULT with one line saying so, no exit; SIGTERM leaves nothing behind', async () => {
    vw = new Vrrpwatch(lab, a, ['--vrid', '51', '--priority', '120', '--vip', VIP, '--vmac']);
    await vw.waitForLog(/-> MASTER/, 8000);
    // The VIP in place first: the master logs its state before `ip addr add` has run, and an
    // interface deleted in between is an add that fails (a line of its own) before the FAULT.
    for (let i = 0; i < 60 && !inA('addr', 'show').includes(`${VIP}/32`); i++) await new Promise((r) => setTimeout(r, 50));
    expect(inA('addr', 'show')).toContain(`${VIP}/32`);
    const from = vw.lines.length;
    inA('link', 'del', 'dev', lab.iface(a)); // the lab's last test: the interface is gone for good
    await vw.waitForLog(new RegExp(`MASTER -> FAULT: interface ${lab.iface(a)} was deleted; waiting for an interface of that name to return`), 3000, from);
    await new Promise((r) => setTimeout(r, 1500));
    expect(vw.lines.slice(from), vw.lines.slice(from).join('\n')).toHaveLength(1);
    expect(vw.proc.exitCode).toBeNull();
    expect((await vw.stop('SIGTERM')).code).toBe(0);
    expect(inA('link', 'show')).not.toContain('vw51.');
  }, 30_000);
});
