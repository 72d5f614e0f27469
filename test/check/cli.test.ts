// `vrrpwatch check` as Nagios runs it, on the lab's captures: the exit code, and the whole
// output checked against golden files in test/check/golden/ (UPDATE_GOLDEN=1 rewrites them after
// a deliberate change; review the diff). Nothing may go to stderr: Nagios does not read it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const cap = (name: string) => `captures/${name}.pcap`;

async function golden(name: string, args: string[], code: number): Promise<string> {
  const r = await runCli(['check', ...args]);
  const path = join(GOLDEN, `${name}.txt`);
  if (UPDATE) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, r.stdout);
  }
  expect(existsSync(path), `${path} is missing: UPDATE_GOLDEN=1 writes it`).toBe(true);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: '' });
  expect(r.stdout).toBe(readFileSync(path, 'utf8'));
  return r.stdout;
}

const firstLine = (out: string) => out.split('\n')[0] ?? '';

describe('vrrpwatch check -r on the lab captures', () => {
  it('steady pair: OK (0)', async () => {
    const out = await golden('steady-pair', ['-r', cap('steady-pair')], 0);
    expect(firstLine(out)).toMatch(/^VRRP OK - VRID 51: master 192\.0\.2\.11 \| 'vrids'=1;;;0 'masters'=1;;;0 'routers'=1;;;0 'master_changes'=0;;;0 'packets'=10;;;0 'window'=/);
  });

  it('one-way heartbeat loss: CRITICAL (2), naming the VRID and both routers', async () => {
    const out = await golden('one-way-loss', ['-r', cap('one-way-loss')], 2);
    expect(firstLine(out)).toMatch(/^VRRP CRITICAL - split brain on VRID 51: 192\.0\.2\.11 and 192\.0\.2\.12 /);
  });

  it('interval mismatch: CRITICAL (2), the backup advertising while the master is alive (a split brain, one advert), with the mismatch named', async () => {
    const out = await golden('interval-mismatch', ['-r', cap('interval-mismatch')], 2);
    expect(firstLine(out)).toMatch(/^VRRP CRITICAL - split brain on VRID 51: 192\.0\.2\.11 and 192\.0\.2\.12 both master \(interval mismatch\) \|/);
    expect(out).toContain('duplicate VIP: 192.0.2.100 claimed by 192.0.2.11 and 192.0.2.12');
  });

  it('password mismatch: CRITICAL (2), the split brain it causes, with the mismatch named', async () => {
    const out = await golden('password-mismatch', ['-r', cap('password-mismatch')], 2);
    expect(firstLine(out)).toMatch(/^VRRP CRITICAL - split brain on VRID 51: 192\.0\.2\.11 and 192\.0\.2\.12 both master \(auth mismatch\) \|/);
    expect(out).toContain('auth mismatch: 192.0.2.11 and 192.0.2.12 use different passwords');
    expect(out).not.toContain('secret');
  });

  it('an expected VRID that is absent: CRITICAL (2)', async () => {
    const out = await golden('vrid-absent', ['-r', cap('steady-pair'), '--vrid', '51', '--vrid', '52'], 2);
    expect(firstLine(out)).toMatch(/^VRRP CRITICAL - VRID 52 not seen in 9\.0 s \|/);
  });

  it('another router than --expect-master is master: WARNING (1)', async () => {
    await golden('expect-master', ['-r', cap('steady-pair'), '--expect-master', '51=192.0.2.12'], 1);
  });

  it('master changes against -w and -c', async () => {
    await golden('master-crash', ['-r', cap('master-crash')], 0);
    await golden('master-crash-w1', ['-r', cap('master-crash'), '-w', '1', '-c', '3'], 1);
    await golden('master-crash-c1', ['-r', cap('master-crash'), '-w', '0', '-c', '1'], 2);
  });

  it('one VIP under two VRIDs, claimed by both masters: CRITICAL (2), on both VRID lines', async () => {
    await golden('vip-two-vrids', ['-r', cap('vip-two-vrids')], 2);
  });

  it('four healthy VRIDs, a VLAN, IPv6: OK (0)', async () => {
    await golden('multi-vrid', ['-r', cap('multi-vrid'), '--vrid', '10', '--vrid', '20', '--vrid', '30', '--vrid', '40'], 0);
    await golden('vlan', ['-r', cap('vlan')], 0);
    await golden('v3-ipv6', ['-r', cap('v3-ipv6'), '--expect-master', '61=fe80::76:77ff:fe74:11'], 0);
  });

  it('-v adds what was read and the events, -vvv the routers', async () => {
    await golden('password-mismatch-v', ['-r', cap('password-mismatch'), '-v'], 2);
    await golden('steady-pair-vvv', ['-r', cap('steady-pair'), '-vvv'], 0);
  });
});

describe('UNKNOWN (3): options, help, version, no capture', () => {
  it.each<[string, string[]]>([
    ['usage-unknown-option', ['-r', cap('steady-pair'), '--bogus']],
    ['usage-no-source', []],
    ['usage-both-sources', ['-r', cap('steady-pair'), '-i', 'eth0']],
    ['usage-bad-range', ['-r', cap('steady-pair'), '-w', '20:10']],
    ['usage-bad-vrid', ['-r', cap('steady-pair'), '--vrid', '300']],
    ['usage-bad-expect-master', ['-r', cap('steady-pair'), '--expect-master', '51=router-a']],
    ['usage-missing-value', ['-r', cap('steady-pair'), '-c']],
    ['usage-duration-with-file', ['-r', cap('steady-pair'), '--duration', '5']],
    ['usage-timeout-too-short', ['-i', 'eth0', '-t', '2']],
    ['usage-extra-argument', ['-r', cap('steady-pair'), 'extra']],
  ])('%s', async (name, args) => {
    const out = await golden(name, args, 3);
    expect(firstLine(out)).toMatch(/^VRRP UNKNOWN - /);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80 + 120); // the error echoes the bad value
  });

  it('-h prints the help (80 columns at most) and exits 3', async () => {
    const out = await golden('help', ['-h'], 3);
    for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect((await runCli(['check', '--help'])).stdout).toBe(out);
  });

  it('-V and --version exit 3, wherever they are on the line', async () => {
    for (const args of [['-V'], ['--version'], ['-r', cap('steady-pair'), '-V']]) {
      const r = await runCli(['check', ...args]);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 3, stdout: 'vrrpwatch check 0.1.0\n', stderr: '' });
    }
    // The root's -V is untouched.
    expect(await runCli(['-V'])).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('a missing file, a damaged file', async () => {
    await golden('no-such-file', ['-r', 'captures/no-such.pcap'], 3);
    const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-check-'));
    const bytes = readFileSync(cap('steady-pair'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    // The last record cut off, as `tcpdump -w` leaves a file when killed: judged up to the cut (the
    // damage is where that record's 16-byte header starts, before its 54-byte frame).
    const r = await runCli(['check', '-r', cut]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(firstLine(r.stdout)).toMatch(new RegExp(`^VRRP OK - VRID 51: master 192\\.0\\.2\\.11; file damaged at byte ${bytes.length - 54 - 16} \\| .*'packets'=9;`));
    // A split brain before the cut is still CRITICAL.
    const split = readFileSync(cap('password-mismatch'));
    const cutSplit = join(dir, 'cut-split.pcap');
    writeFileSync(cutSplit, split.subarray(0, split.length - 5));
    const s = await runCli(['check', '-r', cutSplit]);
    expect(s.code).toBe(2);
    expect(firstLine(s.stdout)).toMatch(/^VRRP CRITICAL - split brain on VRID 51: .*; file damaged at byte \d+ \|/);
    // Nothing readable at all: UNKNOWN.
    const empty = join(dir, 'cut-first.pcap');
    writeFileSync(empty, bytes.subarray(0, 24 + 16 + 10));
    const u = await runCli(['check', '-r', empty]);
    expect({ code: u.code, stderr: u.stderr }).toEqual({ code: 3, stderr: '' });
    expect(u.stdout).toMatch(/^VRRP UNKNOWN - .*cut-first\.pcap: .* at byte offset \d+\n$/);
  });

  describe('live capture without the libpcap binding', () => {
    afterEach(() => { delete process.env.VRRPWATCH_PCAP_MODULE; });
    it('is one UNKNOWN sentence saying what to install', async () => {
      process.env.VRRPWATCH_PCAP_MODULE = 'nonexistent-module';
      await golden('no-binding', ['-i', 'eth0'], 3);
    });
  });
});
