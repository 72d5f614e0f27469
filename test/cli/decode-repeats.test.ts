// `decode`'s line of a repeated advert comes from the frame memo (the line the advert had, with the
// new time, and with --json the new frame number): it must be exactly what decoding every frame
// prints, whatever differs between the frames, and count the same.
import { afterAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runDecode } from '../../src/cli/decode.js';
import { Output } from '../../src/cli/output.js';
import { FrameMemo } from '../../src/decode/frame-memo.js';
import { buildPcap } from '../support/pcap-builder.js';
import { inetChecksum, vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-decode-repeats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function decode(file: string, fastPath: boolean, json = false): Promise<{ stdout: string; stderr: string }> {
  const out = collector();
  const err = collector();
  await runDecode(file, { fastPath, json }, new Output(out.stream), new Output(err.stream));
  return { stdout: out.text(), stderr: err.text() };
}

/** The adverts a segment repeats: a few senders, two of them on one VRID, one with a VLAN tag. */
const BASES: FrameSpec[] = [
  { src: '192.0.2.11', vrid: 51, priority: 150, authType: 1, auth: 'secret', srcMac: '52:54:00:00:00:11' },
  { src: '192.0.2.12', vrid: 51, priority: 100, authType: 1, auth: 'secret' },
  { version: 3, interval: 100, src: '192.0.2.13', vrid: 52, addresses: ['198.51.100.1', '198.51.100.2'] },
  { version: 3, interval: 100, src: '192.0.2.14', vrid: 53, vlans: [30] },
  { family: 6, version: 3, interval: 100, src: 'fe80::15', vrid: 54 },
];

/** What happens to the base advert in one frame. */
type Change =
  | { kind: 'same' }
  | { kind: 'new id'; id: number; breakChecksum: boolean }
  | { kind: 'byte'; at: number; xor: number }
  | { kind: 'cut'; keep: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'same' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('new id' as const), id: fc.integer({ min: 0, max: 0xffff }), breakChecksum: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), keep: fc.nat() }) },
);

function frameOf(base: number, c: Change): Buffer {
  const spec = BASES[base] as FrameSpec;
  const frame = Buffer.from(vrrpFrame(spec));
  const ip = 14 + 4 * (spec.vlans?.length ?? 0);
  switch (c.kind) {
    case 'new id':
      if (spec.family === 6) break;
      frame.writeUInt16BE(c.id, ip + 4);
      frame.writeUInt16BE(0, ip + 10);
      frame.writeUInt16BE(inetChecksum(frame.subarray(ip, ip + 20)) ^ (c.breakChecksum ? 0x0101 : 0), ip + 10);
      break;
    case 'byte':
      frame[c.at % frame.length]! ^= c.xor;
      break;
    case 'cut':
      return frame.subarray(0, c.keep % frame.length);
  }
  return frame;
}

describe('decode: the line of a repeated advert', () => {
  it('is what decoding every frame prints, text and --json, under any mix of repeats, new identifications, broken checksums, changed bytes and cuts', async () => {
    const hits = vi.spyOn(FrameMemo.prototype, 'matchEthernet');
    let repeats = 0;
    let total = 0;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: BASES.length - 1 }), change), { minLength: 10, maxLength: 60, size: 'max' }), async (frames) => {
        const file = join(dir, `capture-${run++}.pcap`);
        writeFileSync(file, buildPcap({
          variant: 'usec-le', linkType: 1,
          records: frames.map(([base, c], i) => ({ tsSec: 1_795_000_000 + i, tsFrac: (i * 7919) % 1_000_000, data: frameOf(base, c) })),
        }).bytes);
        for (const json of [false, true]) {
          hits.mockClear();
          const fast = await decode(file, true, json);
          repeats += hits.mock.results.filter((r) => r.value !== null).length;
          total += frames.length;
          const slow = await decode(file, false, json);
          expect(fast).toEqual(slow);
        }
      }),
      { numRuns: 150 },
    );
    hits.mockRestore();
    // The memo did answer: the property is not held by decoding every frame anyway.
    expect(repeats).toBeGreaterThan(total / 4);
  });

  it('a repeat with a broken IPv4 header checksum says so, as its first decoding did not', async () => {
    const good = vrrpFrame({ src: '192.0.2.11', ipId: 1 });
    const bad = Buffer.from(vrrpFrame({ src: '192.0.2.11', ipId: 2 }));
    bad[25]! ^= 0xff;
    const file = join(dir, 'broken-checksum.pcap');
    writeFileSync(file, buildPcap({ variant: 'usec-le', linkType: 1, records: [good, good, bad].map((data, i) => ({ tsSec: 1_795_000_000 + i, tsFrac: 0, data })) }).bytes);
    const lines = (await decode(file, true)).stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).not.toContain('bad-ip-checksum');
    expect(lines[2]).toContain('[bad-ip-checksum]');
  });

  it('--json: adverts with a wrong IPv4 header checksum each name their own, though their identification and checksum add up the same', async () => {
    const base = vrrpFrame({ src: '192.0.2.11', ipId: 0x100 });
    const correct = base.readUInt16BE(24);
    // Three adverts with identification + checksum equal (one's complement), each checksum wrong.
    const frames = [0, 1, 2].map((k) => {
      const frame = Buffer.from(base);
      frame.writeUInt16BE(0x100 + k, 18);
      frame.writeUInt16BE((correct ^ 0x0101) - k, 24);
      return frame;
    });
    const file = join(dir, 'wrong-checksums.pcap');
    writeFileSync(file, buildPcap({ variant: 'usec-le', linkType: 1, records: frames.map((data, i) => ({ tsSec: 1_795_000_000 + i, tsFrac: 0, data })) }).bytes);
    const lines = (await decode(file, true, true)).stdout.trim().split('\n').map((l) => JSON.parse(l) as { frame: number; findings: { code: string; message: string }[] });
    expect(lines.map((l) => l.frame)).toEqual([1, 2, 3]);
    lines.forEach((l, k) => {
      const finding = l.findings.find((x) => x.code === 'bad-ip-checksum');
      expect(finding?.message).toContain(`0x${((correct ^ 0x0101) - k).toString(16).padStart(4, '0')} is wrong`);
    });
  });
});
