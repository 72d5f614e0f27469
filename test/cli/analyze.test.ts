// `vrrpwatch analyze` as a user runs it: the report, the JSON document and its field names, the
// exit codes, stdin, and damaged or missing files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { buildPcap } from '../support/pcap-builder.js';
import { arpFrame, vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

const T0 = 1_795_000_000;
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-analyze-'));

/** A pcap of frames at the given times (seconds after T0, with microseconds). */
function capture(frames: [number, Uint8Array][]): Buffer {
  return Buffer.from(
    buildPcap({
      variant: 'usec-le',
      linkType: 1,
      records: frames.map(([at, data]) => ({ tsSec: T0 + Math.floor(at), tsFrac: Math.round((at % 1) * 1e6), data })),
    }).bytes,
  );
}

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const a: FrameSpec = { src: '192.0.2.11', srcMac: '02:00:00:00:00:11', priority: 150, authType: 1, auth: 'secret' };
const b: FrameSpec = { src: '192.0.2.12', srcMac: '02:00:00:00:00:12', priority: 100, authType: 1, auth: 'secret' };

function series(from: number, to: number, spec: FrameSpec, step = 1): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  for (let t = from; t < to - 1e-9; t += step) out.push([Math.round(t * 1e6) / 1e6, vrrpFrame(spec)]);
  return out;
}

function merge(...parts: [number, Uint8Array][][]): [number, Uint8Array][] {
  return parts.flat().sort((x, y) => x[0] - y[0]);
}

const steady = capture(series(0, 5, a));
/** a crashes after 4 s; b takes over after its Master_Down_Interval (3.609375 s). */
const failover = capture(merge(series(0, 5, a), series(4 + 3.609375, 10, b)));
/** b stops hearing a: both advertise. */
const splitBrain = capture(merge(series(0, 14, a), series(3.5, 8, b)));

describe('vrrpwatch analyze', () => {
  it('prints a table of virtual routers and the timeline of events', async () => {
    const r = await runCli(['analyze', file('failover.pcap', failover)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'SEGMENT  VRID  VER  MASTER      PRIO  OTHER ROUTERS                INTERVAL  VIPS         AUTH               STATUS',
        '-        51    v2   192.0.2.12  100   192.0.2.11 (150, silent 5s)  1 s       192.0.2.100  password "secret"  ok',
        '',
        'Events (3):',
        '2026-11-18T11:06:40.000000Z  info      VRID 51: router 192.0.2.11 (02:00:00:00:00:11) advertises priority 150, every 1 s, for 192.0.2.100.',
        '2026-11-18T11:06:47.609375Z  info      VRID 51: router 192.0.2.12 (02:00:00:00:00:12) advertises priority 100, every 1 s, for 192.0.2.100.',
        "2026-11-18T11:06:47.609375Z  warning   VRID 51: master changed from 192.0.2.11 to 192.0.2.12 3.609 s after 192.0.2.11's last advert (192.0.2.11 went silent).",
        '',
        '8 frames, 8 VRRP, 0 malformed; 1 virtual router; 0 critical, 1 warning.',
        '',
      ].join('\n'),
    );
  });

  it('--json: one document with the documented field names', async () => {
    const r = await runCli(['analyze', '--json', file('failover.pcap', failover)]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.packets).toEqual({ total: 8, vrrp: 8, malformed: 0, outOfOrder: 0 });
    expect(doc.vrids).toHaveLength(1);
    const [v] = doc.vrids;
    expect(v).toMatchObject({ vrid: 51, family: 'ipv4', vlan: null, interface: null, version: 2, master: '192.0.2.12', status: 'ok' });
    expect(v.routers.map((x: { address: string }) => x.address)).toEqual(['192.0.2.12', '192.0.2.11']);
    expect(v.routers[1]).toMatchObject({
      address: '192.0.2.11',
      mac: '02:00:00:00:00:11',
      priority: 150,
      advertInterval: 1,
      authType: 1,
      authData: 'secret',
      vips: ['192.0.2.100'],
      packets: 5,
      firstSeen: '2026-11-18T11:06:40.000000Z',
      lastSeen: '2026-11-18T11:06:44.000000Z',
    });
    const change = doc.events.find((e: { type: string }) => e.type === 'master-change');
    expect(Object.keys(change)).toEqual(['time', 'type', 'severity', 'vrid', 'family', 'interface', 'vlan', 'from', 'to', 'gap', 'cause', 'message']);
    expect(change).toMatchObject({ time: '2026-11-18T11:06:47.609375Z', from: '192.0.2.11', to: '192.0.2.12', gap: 3.609375, severity: 'warning' });
    for (const e of doc.events) expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(doc.captureError).toBeNull();
  });

  it('exits 0 with no warning, 1 with warnings, 2 with critical events', async () => {
    expect((await runCli(['analyze', file('steady.pcap', steady)])).code).toBe(0);
    expect((await runCli(['analyze', file('failover.pcap', failover)])).code).toBe(1);
    const split = await runCli(['analyze', '--json', file('split.pcap', splitBrain)]);
    expect(split.code).toBe(2);
    const types = JSON.parse(split.stdout).events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['router-seen', 'router-seen', 'split-brain', 'split-brain-end']);
    const end = JSON.parse(split.stdout).events[3];
    expect(end).toMatchObject({ routers: ['192.0.2.11', '192.0.2.12'], duration: 4 }); // b's first advert to its last
  });

  it('conditions still open at the end: openConditions in JSON, "(open at end, N s)" in the text', async () => {
    const open = capture(merge(series(0, 14, a), series(3.5, 14, b)));
    const json = await runCli(['analyze', '--json', file('open.pcap', open)]);
    const doc = JSON.parse(json.stdout);
    expect(doc.openConditions).toHaveLength(1);
    const [c] = doc.openConditions;
    expect(c).toMatchObject({
      type: 'split-brain', severity: 'critical', vrid: 51, family: 'ipv4', routers: ['192.0.2.11', '192.0.2.12'],
      since: '2026-11-18T11:06:43.500000Z', lastEvidence: '2026-11-18T11:06:53.000000Z', duration: 9.5, // to a's last advert (b's came later)
    });
    expect(Object.keys(c)).toEqual(['time', 'type', 'severity', 'vrid', 'family', 'interface', 'vlan', 'routers', 'since', 'lastEvidence', 'duration', 'count', 'message']);
    const text = await runCli(['analyze', file('open.pcap', open)]);
    expect(text.stdout).toMatch(/critical  VRID 51: split brain: .* \(open at end, 10 s\)\n/);
  });

  it('a router not heard for its Master_Down_Interval is silent, with its age', async () => {
    const doc = JSON.parse((await runCli(['analyze', '--json', file('failover.pcap', failover)])).stdout);
    const [b1, a1] = doc.vrids[0].routers;
    expect(b1).toMatchObject({ address: '192.0.2.12', silent: false });
    expect(a1).toMatchObject({ address: '192.0.2.11', silent: true });
    expect(a1.age).toBeCloseTo(5.609375, 6);
  });

  it('reports a VIP claimed from another MAC as critical', async () => {
    const r = await runCli(['analyze', '-'], { stdin: capture(merge(series(0, 5, a), [[2.5, arpFrame('192.0.2.100', '02:00:00:00:00:99')]])) });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('critical  VRID 51: VIP 192.0.2.100 is claimed by 02:00:00:00:00:11 (192.0.2.11) and 02:00:00:00:00:99 at once');
  });

  it('gives the same output from a path and from stdin', async () => {
    for (const args of [[], ['--json']]) {
      const fromPath = await runCli(['analyze', ...args, file('split.pcap', splitBrain)]);
      const fromStdin = await runCli(['analyze', ...args, '-'], { stdin: splitBrain });
      expect(fromStdin).toEqual(fromPath);
    }
  });

  it('gives the same output from a path and from stdin for a capture larger than a read', async () => {
    // 4 hours of two routers: 1.6 MB, so records cross the chunks of both readers.
    const long = capture(merge(series(0, 14_400, a), series(7_200, 7_210, b), series(10_000, 14_400, b, 0.5)));
    expect(long.length).toBeGreaterThan(1024 * 1024);
    const fromPath = await runCli(['analyze', '--json', file('long.pcap', long)]);
    const fromStdin = await runCli(['analyze', '--json', '-'], { stdin: long });
    expect(fromStdin).toEqual(fromPath);
    expect(JSON.parse(fromPath.stdout).packets.total).toBe(14_400 + 10 + 8_800);
  });

  it('a damaged file: everything before the damage is reported, stderr names the file and offset, exit 2', async () => {
    const cut = failover.subarray(0, failover.length - 10);
    const path = file('cut.pcap', cut);
    const r = await runCli(['analyze', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('7 frames, 7 VRRP');
    expect(r.stdout).toContain('The capture is damaged at byte offset');
    expect(r.stderr).toMatch(new RegExp(`^vrrpwatch: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: truncated: .* at byte offset \\d+\\n$`));
    const j = await runCli(['analyze', '--json', '-'], { stdin: cut });
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).captureError).toMatchObject({ offset: expect.any(Number), reason: expect.stringContaining('truncated') });
    expect(j.stderr).toContain('<stdin>');
  });

  it('a file that cannot be read: a message and exit 2, nothing on stdout', async () => {
    const r = await runCli(['analyze', join(dir, 'nope.pcap')]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `vrrpwatch: cannot read ${join(dir, 'nope.pcap')}: no such file\n` });
  });

  it('no file given is a usage error (64)', async () => {
    const r = await runCli(['analyze']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("missing required argument 'file'");
  });

  it('a capture without VRRP says so', async () => {
    const r = await runCli(['analyze', '-'], { stdin: capture([[0, arpFrame('192.0.2.1', '02:00:00:00:00:01')]]) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No VRRP advertisement in this capture\.\n/);
  });
});
