// `vrrpwatch decode` as a user runs it: output, JSON, stdin, damaged files, bad options.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { buildPcap } from '../support/pcap-builder.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

const CAPTURE = join(import.meta.dirname, '../../captures/master-crash.pcap');

function capture(frames: Buffer[], t0 = 1_795_000_000): Buffer {
  return Buffer.from(buildPcap({
    variant: 'usec-le', linkType: 1,
    records: frames.map((data, i) => ({ tsSec: t0 + i, tsFrac: 123456, data })),
  }).bytes);
}

const three = capture([
  vrrpFrame({ vrid: 51, priority: 150, src: '192.0.2.11', authType: 1, auth: 'secret' }),
  vrrpFrame({ vrid: 51, priority: 100, src: '192.0.2.12', ttl: 64 }),
  vrrpFrame({ version: 3, interval: 50, vrid: 52, src: '192.0.2.13', vlans: [30] }),
]);

describe('vrrpwatch decode', () => {
  it('prints one tcpdump-style line per packet and a summary on stderr', async () => {
    const r = await runCli(['decode', '-'], { stdin: three });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      '11:06:40.123456 192.0.2.11 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 150, authtype simple, intvl 1s, length 20, addrs: 192.0.2.100 auth "secret"',
      '11:06:41.123456 192.0.2.12 > 224.0.0.18: VRRPv2, Advertisement, (ttl 64), vrid 51, prio 100, authtype none, intvl 1s, length 20, addrs: 192.0.2.100',
      '11:06:42.123456 vlan 30 192.0.2.13 > 224.0.0.18: VRRPv3, Advertisement, vrid 52, prio 100, intvl 50cs, length 12, addrs: 192.0.2.100',
      '',
    ]);
    expect(r.stderr).toBe('vrrpwatch: 3 frames, 3 VRRP packets, 0 malformed\n');
  });

  it('--json gives the documented fields', async () => {
    const r = await runCli(['decode', '--json', '-'], { stdin: three });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      frame: 1, time: '2026-11-18T11:06:40.123456Z', interface: null, vlan: null, srcMac: '00:00:5e:00:01:33', dstMac: '01:00:5e:00:00:12',
      src: '192.0.2.11', dst: '224.0.0.18', ttl: 255, version: 2, type: 1, vrid: 51, priority: 150, count: 1, authType: 1, authData: 'secret',
      advertInterval: 1, checksumOk: true, checksumForm: 'message', vips: ['192.0.2.100'], findings: [],
    });
    expect(lines[1].findings.map((f: { code: string }) => f.code)).toEqual(['bad-ttl']);
    expect(lines[2]).toMatchObject({ frame: 3, vlan: 30, version: 3, authType: null, authData: null, advertInterval: 0.5, checksumForm: 'pseudo-header' });
  });

  it('-v shows the VRRP layer field by field with offsets and raw bytes; -x adds hex', async () => {
    const r = await runCli(['decode', '-v', '-x', '-'], { stdin: three });
    expect(r.stdout).toContain('      34  21                Version 2, Type 1 (Advertisement)');
    expect(r.stdout).toContain('      36  96                Priority 150 (backup priority)');
    expect(r.stdout).toMatch(/ {6}40 {2}[0-9a-f]{4} {14}Checksum 0x[0-9a-f]{4} \(correct, message form\)/);
    expect(r.stdout).toContain('Authentication Data "secret"');
    expect(r.stdout).toContain('error bad-ttl: VRID 51 from 192.0.2.12: TTL 64, must be 255');
    expect(r.stdout).toContain('\t0x0000:  0100 5e00 0012 0000 5e00 0133 0800 45c0');
  });

  it('reading a path and reading stdin give the same output', async () => {
    const a = await runCli(['decode', '--json', CAPTURE]);
    const b = await runCli(['decode', '--json', '-'], { stdin: readFileSync(CAPTURE) });
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(b.stdout).toBe(a.stdout);
  });

  it('a truncated file: every packet before the damage, then the file and offset, exit 2', async () => {
    const cut = three.subarray(0, three.length - 10);
    const r = await runCli(['decode', '-'], { stdin: cut });
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    const thirdRecordAt = three.length - (16 + vrrpFrame({ version: 3, interval: 50, vrid: 52, src: '192.0.2.13', vlans: [30] }).length);
    expect(r.stderr).toContain('vrrpwatch: 2 frames, 2 VRRP packets, 0 malformed');
    expect(r.stderr).toMatch(new RegExp(`<stdin>: .*at byte offset ${thirdRecordAt}`));
  });

  it('a file that is not a capture, and a missing file, exit 2 naming the file', async () => {
    const junk = await runCli(['decode', '-'], { stdin: Buffer.from('hello, this is not a pcap file at all') });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/<stdin>: .*offset 0/);
    const missing = await runCli(['decode', '/nonexistent/x.pcap']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/x.pcap');
  });

  it('a malformed packet is reported with layer and offset, and counted', async () => {
    const bad = capture([vrrpFrame().subarray(0, 30), vrrpFrame()]);
    const r = await runCli(['decode', '-'], { stdin: bad });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('frame 1: malformed ipv4 at byte 14: IPv4 header needs 20 bytes, 16 captured');
    expect(r.stderr).toContain('2 frames, 1 VRRP packets, 1 malformed');
    const j = await runCli(['decode', '--json', '-'], { stdin: bad });
    expect(j.stdout.trim().split('\n')).toHaveLength(1);
    expect(j.stderr).toContain('frame 1: malformed ipv4 at byte 14');
  });

  it('bad options get a usage message and exit 64', async () => {
    for (const args of [['decode'], ['decode', '--frobnicate', 'x'], ['nosuchcommand']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(64);
      expect(r.stderr, args.join(' ')).toMatch(/error: .*\n[\s\S]*Usage: vrrpwatch/);
    }
    expect((await runCli(['--help'])).code).toBe(0);
  });
});
