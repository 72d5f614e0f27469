// `vrrpwatch decode` as a user runs it: output, JSON, stdin, damaged files, bad options.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { buildPcap } from '../support/pcap-builder.js';
import { inetChecksum, vrrpFrame } from '../support/vrrp-frames.js';

const CAPTURE = join(import.meta.dirname, '../../captures/master-crash.pcap');

function capture(frames: Buffer[], t0 = 1_795_000_000): Buffer {
  return Buffer.from(buildPcap({
    variant: 'usec-le', linkType: 1,
    records: frames.map((data, i) => ({ tsSec: t0 + i, tsFrac: 123456, data })),
  }).bytes);
}

/** After editing an untagged IPv4 frame's header (at 14): its checksum, from the builder's own sum. */
function fixIpChecksum(frame: Buffer): void {
  frame.writeUInt16BE(0, 24);
  frame.writeUInt16BE(inetChecksum(frame.subarray(14, 34)), 24);
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

  it('a VRRP header cut by the snap length or the sender: every field present, tcpdump\'s [|vrrp], in text, -v and --json', async () => {
    // Frame 1: the IPv4 total length leaves 6 bytes of VRRP; frame 2: the capture keeps 4 of 20.
    const short = vrrpFrame({ vrid: 2, priority: 0, authType: 1, auth: 'pw', interval: 255 });
    short.writeUInt16BE(26, 16);
    fixIpChecksum(short);
    const cut = vrrpFrame({ vrid: 9, priority: 120, snap: 38 });
    const file = capture([short.subarray(0, 40), cut]);
    const text = await runCli(['decode', '-'], { stdin: file });
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')).toEqual([
      '11:06:40.123456 192.0.2.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 2, prio 0, authtype simple, intvl 255s, length 6 [|vrrp]',
      '11:06:41.123456 192.0.2.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 9, prio 120 [|vrrp]',
      '',
    ]);
    expect(text.stderr).toBe('vrrpwatch: 2 frames, 2 VRRP packets, 2 malformed\n');
    const v = await runCli(['decode', '-v', '-'], { stdin: file });
    expect(v.stdout).toContain('      39  ff                Adver Int 255 s\n  Truncated: cut at frame byte 40: the message is only 6 bytes\n');
    expect(v.stdout).toContain('      37  01                Count IPv4 Addrs 1\n  Truncated: cut at frame byte 38: 4 of the message\'s 20 bytes captured\n');
    const j = (await runCli(['decode', '--json', '-'], { stdin: file })).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(j[0]).toMatchObject({ frame: 1, version: 2, type: 1, vrid: 2, priority: 0, count: 1, authType: 1, advertInterval: 255, checksum: null, checksumOk: null, vips: [], length: 6, capturedLength: 6, truncated: true, truncatedAt: 40 });
    expect(j[1]).toMatchObject({ frame: 2, version: 2, vrid: 9, priority: 120, count: 1, authType: null, advertInterval: null, checksum: null, length: 20, capturedLength: 4, truncated: true, truncatedAt: 38 });
    expect(j[1].findings.map((f: { code: string }) => f.code)).toEqual(['truncated']);
  });

  it('a v2 advert with no auth bytes is shown, with its finding, in every form', async () => {
    const full = vrrpFrame({ addresses: ['192.0.2.100', '192.0.2.101'] });
    const noAuth = Buffer.from(full.subarray(0, full.length - 8));
    noAuth.writeUInt16BE(noAuth.readUInt16BE(16) - 8, 16);
    fixIpChecksum(noAuth);
    const file = capture([noAuth]);
    const text = await runCli(['decode', '-'], { stdin: file });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('vrid 51, prio 100, authtype none, intvl 1s, length 16, addrs(2): 192.0.2.100,192.0.2.101 [auth-missing]');
    const j = JSON.parse((await runCli(['decode', '--json', '-'], { stdin: file })).stdout);
    expect(j).toMatchObject({ vrid: 51, authBytes: null, vips: ['192.0.2.100', '192.0.2.101'], truncated: false });
    expect(j.findings.map((f: { code: string }) => f.code)).toContain('auth-missing');
  });

  it('Cisco MD5 auth (type 254): -v shows every byte after the addresses, none skipped', async () => {
    const trailer = Buffer.from('000102030405060708090a0b0c0d0e0f1011121314151617', 'hex');
    const f = vrrpFrame({ authType: 254, auth: '\x01\x02\x03\x04\x05\x06\x07\x08', trailer });
    const r = await runCli(['decode', '-v', '-'], { stdin: capture([f]) });
    // Message at 34: header 8, one address to 46, 8 auth bytes to 54, then 24 bytes of MD5 data to 78.
    expect(r.stdout).toContain('      46  0102030405060708  Authentication Data\n');
    expect(r.stdout).toContain('      54  0001020304050607  Cisco MD5 authentication (24 bytes)\n');
    expect(r.stdout).toContain('      62  08090a0b0c0d0e0f  \n');
    expect(r.stdout).toContain('      70  1011121314151617  \n');
    const j = JSON.parse((await runCli(['decode', '--json', '-'], { stdin: capture([f]) })).stdout);
    expect(j.md5AuthData).toBe(trailer.toString('hex'));
  });

  it('--json with -x puts the frame in a "hex" field; --json with -v is refused (exit 64), saying why', async () => {
    const x = await runCli(['decode', '--json', '-x', '-'], { stdin: three });
    expect(x.code).toBe(0);
    const lines = x.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!).hex).toBe(vrrpFrame({ vrid: 51, priority: 150, src: '192.0.2.11', authType: 1, auth: 'secret' }).toString('hex'));
    const v = await runCli(['decode', '--json', '-v', '-'], { stdin: three });
    expect(v.code).toBe(64);
    expect(v.stdout).toBe('');
    expect(v.stderr).toBe('vrrpwatch: --json and -v exclude each other: the JSON object already has every field -v shows; use -x with --json for the raw bytes\n');
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
