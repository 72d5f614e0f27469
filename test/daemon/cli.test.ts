// `vrrpwatch daemon` refusing to start, run as a user would: what it says and its exit code.
// Nothing here reaches the network (every case fails before the capture opens).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-daemon-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('vrrpwatch daemon: refusing to start', () => {
  it('without an interface, a VRID and a VIP: one sentence for each, exit 64', async () => {
    const r = await runCli(['daemon']);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe(
      'vrrpwatch: -i/--interface is required: the interface to run VRRP on (e.g. -i eth0)\n' +
        'vrrpwatch: --vrid is required: the virtual router id (1-255) shared with the peers\n' +
        'vrrpwatch: --vip is required: a virtual IP address the master holds (e.g. --vip 192.0.2.100); repeat it for more\n',
    );
    expect(r.stdout).toBe('');
  });

  it('bad values name the flag', async () => {
    const r = await runCli(['daemon', '-i', 'eth0', '--vrid', '300', '--vip', '192.0.2.100', '--advert-int', '0.5']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^vrrpwatch: --vrid must be a whole number from 1 to 255 \(got "300"\)\nvrrpwatch: --advert-int must be whole seconds from 1 to 255 for VRRPv2 \(got "0\.5"\); use --vrrp-version 3 for sub-second adverts\n$/);
  });

  it('--weight and friends belong to the --track-script before them', async () => {
    const early = await runCli(['daemon', '--weight', '-60', '--track-script', 'true']);
    expect(early.code).toBe(64);
    expect(early.stderr).toMatch(/--weight must follow the --track-script it applies to/);
    const twice = await runCli(['daemon', '--track-script', 'true', '--fall', '2', '--fall', '3']);
    expect(twice.code).toBe(64);
    expect(twice.stderr).toMatch(/--fall is given twice for --track-script "true"/);
    // grouped correctly, a bad value in the second script is named as such
    const second = await runCli(['daemon', '-i', 'eth0', '--vrid', '1', '--vip', '192.0.2.1', '--track-script', 'a', '--weight', '-60', '--track-script', 'b', '--weight', '300']);
    expect(second.code).toBe(64);
    expect(second.stderr).toBe('vrrpwatch: --weight for track script 2 must be a whole number from -254 to 254 (got "300"); 0 means FAULT when it fails\n');
  });

  it('a password file that cannot be read, exit 64; a password never echoed back', async () => {
    const missing = await runCli(['daemon', '-i', 'eth0', '--vrid', '1', '--vip', '192.0.2.1', '--auth-pass-file', join(tmp, 'nope')]);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toBe(`vrrpwatch: cannot read --auth-pass-file ${join(tmp, 'nope')}: ENOENT\n`);
    const long = join(tmp, 'long');
    writeFileSync(long, 'much-too-long-secret\n', { mode: 0o600 });
    const tooLong = await runCli(['daemon', '-i', 'eth0', '--vrid', '1', '--vip', '192.0.2.1', '--auth-pass-file', long]);
    expect(tooLong.code).toBe(64);
    expect(tooLong.stderr).toBe(`vrrpwatch: the password from --auth-pass-file is 20 bytes long; VRRPv2 simple-text authentication carries at most 8\n`);
    expect(tooLong.stderr + tooLong.stdout).not.toContain('much-too-long');
  });

  it('VRRPWATCH_AUTH_PASS with VRRPv3 is refused without showing it', async () => {
    process.env.VRRPWATCH_AUTH_PASS = 'hunter2';
    try {
      const r = await runCli(['daemon', '-i', 'eth0', '--vrid', '1', '--vip', '192.0.2.1', '--vrrp-version', '3']);
      expect(r.code).toBe(64);
      expect(r.stderr).toMatch(/VRRPWATCH_AUTH_PASS is for VRRPv2 only/);
      expect(r.stderr).not.toContain('hunter2');
    } finally {
      delete process.env.VRRPWATCH_AUTH_PASS;
    }
  });

  it('an interface that does not exist: exit 69, naming it', async () => {
    const r = await runCli(['daemon', '-i', 'vwtnosuch0', '--vrid', '1', '--vip', '192.0.2.1']);
    expect(r.code).toBe(69);
    expect(r.stderr).toBe('vrrpwatch: no interface named vwtnosuch0: `ip link` lists them\n');
  });

  it('-f: a file keepalived would not run is refused with file:line, exit 64', async () => {
    const conf = join(tmp, 'broken.conf');
    writeFileSync(conf, 'vrrp_instance VI_1 {\n  interface vwtnosuch0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.100/24\n  }\n');
    const r = await runCli(['daemon', '-f', conf]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(new RegExp(`^vrrpwatch: ${conf.replace(/[.]/g, '\\.')} is not run: ${conf.replace(/[.]/g, '\\.')}:\\d+: `));
  });

  it('-f with one-VRID flags, or --config-id without -f: usage, exit 64', async () => {
    const both = await runCli(['daemon', '-f', 'x.conf', '--vrid', '5', '-i', 'eth0']);
    expect(both.code).toBe(64);
    expect(both.stderr).toBe('vrrpwatch: -f x.conf runs the instances of the file: leave out --interface, --vrid (or run one VRID from flags without -f)\n');
    const id = await runCli(['daemon', '--config-id', 'lb1', '-i', 'eth0', '--vrid', '5', '--vip', '192.0.2.1']);
    expect(id.code).toBe(64);
    expect(id.stderr).toMatch(/--config-id is for -f FILE/);
  });

  it('-f: each instance that cannot start is one sentence naming it and its file:line; none started: exit 69; a readable auth_pass is said', async () => {
    const conf = join(tmp, 'two.conf');
    const inst = (name: string, vrid: number, iface: string): string =>
      `vrrp_instance ${name} {\n  interface ${iface}\n  virtual_router_id ${vrid}\n  authentication {\n    auth_type PASS\n    auth_pass secret\n  }\n  virtual_ipaddress {\n    192.0.2.${vrid}/24\n  }\n}\n`;
    writeFileSync(conf, inst('VI_A', 51, 'vwtnosuch1') + inst('VI_B', 52, 'vwtnosuch2'), { mode: 0o644 });
    const r = await runCli(['daemon', '-f', conf]);
    expect(r.code).toBe(69);
    const lines = r.stdout.trim().split('\n');
    expect(lines.shift()).toMatch(new RegExp(`warning: ${conf.replace(/[.]/g, '\\.')} holds an auth_pass and can be read by other users: chmod 600 `));
    expect(lines[0]).toMatch(new RegExp(`error: vrrp_instance VI_A \\(${conf.replace(/[.]/g, '\\.')}:1\\): no interface named vwtnosuch1: \`ip link\` lists them; not started$`));
    expect(lines[1]).toMatch(new RegExp(`error: vrrp_instance VI_B \\(${conf.replace(/[.]/g, '\\.')}:12\\): no interface named vwtnosuch2`));
    expect(r.stderr).toBe('vrrpwatch: no instance could start (VI_A, VI_B): see the errors above\n');
  });

  it('is listed in the program\'s help, and its own help names every flag', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/daemon \[options\]\s+run a VRRP router/);
    const help = (await runCli(['daemon', '--help'])).stdout;
    for (const flag of ['-i, --interface', '--vrid', '--priority', '--vip', '--advert-int', '--vrrp-version', '--auth-pass-file', '--no-preempt', '--preempt-delay', '--track-script', '--weight', '--interval', '--rise', '--fall', '--timeout', '--notify', '--vmac', '--json']) {
      expect(help).toContain(flag);
    }
  });
});
