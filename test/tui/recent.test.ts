// The `w` key's memory of the capture so far: newest frames within a byte budget, saved as a
// pcap file the reader reads back frame for frame.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/file.js';
import type { CaptureRecord } from '../../src/capture/types.js';
import { RecentFrames, saveFileName } from '../../src/tui/recent.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-recent-'));

const FRAMES = Array.from({ length: 255 }, (_, p) => new Uint8Array(vrrpFrame({ priority: p })));

function rec(i: number, linkType = 1): CaptureRecord {
  const data = FRAMES[i % 255] as Uint8Array;
  return { frame: i, tsSec: 1_795_000_000 + i, tsNsec: 123_456_000, linkType, interfaceId: 0, interfaceName: null, originalLength: data.length, data };
}

async function readBack(path: string): Promise<CaptureRecord[]> {
  const out: CaptureRecord[] = [];
  await readCaptureFile(path, (r) => out.push({ ...r, data: new Uint8Array(r.data) }));
  return out;
}

describe('RecentFrames', () => {
  it('saves what it kept as a pcap file', async () => {
    const recent = new RecentFrames();
    for (let i = 1; i <= 50; i++) recent.push(rec(i));
    const path = join(dir, 'fifty.pcap');
    expect(await recent.save(path)).toBe(50);
    const back = await readBack(path);
    expect(back).toHaveLength(50);
    expect(back[49]?.tsSec).toBe(1_795_000_050);
    expect(back[49]?.tsNsec).toBe(123_456_000);
    expect(Buffer.from(back[0]?.data ?? []).equals(Buffer.from(rec(1).data))).toBe(true);
  });

  it('keeps the newest frames within its budget, oldest chunk first out', async () => {
    const recent = new RecentFrames(2 * 1024 * 1024);
    const n = 100_000; // 70 bytes each: ~7 MB pushed
    for (let i = 1; i <= n; i++) recent.push(rec(i));
    expect(recent.frames + recent.forgotten).toBe(n);
    expect(recent.frames * 70).toBeLessThanOrEqual(2 * 1024 * 1024);
    const path = join(dir, 'newest.pcap');
    await recent.save(path);
    const back = await readBack(path);
    expect(back.at(-1)?.tsSec).toBe(1_795_000_000 + n);
    expect(back[0]?.tsSec).toBe(1_795_000_000 + recent.forgotten + 1);
  });

  it('never writes over an existing file, and says which', async () => {
    const path = join(dir, 'taken.pcap');
    writeFileSync(path, 'x');
    const recent = new RecentFrames();
    recent.push(rec(1));
    await expect(recent.save(path)).rejects.toThrow(`cannot write ${path}`);
  });

  it('keeps one link type (a pcap file has one) and counts the others', () => {
    const recent = new RecentFrames();
    recent.push(rec(1, 1));
    recent.push(rec(2, 113));
    expect(recent.frames).toBe(1);
    expect(recent.otherLinkType).toBe(1);
  });

  it('names saves after the UTC time', () => {
    expect(saveFileName(1_795_000_000)).toBe('vrrpwatch-20261118-110640.pcap');
  });
});
