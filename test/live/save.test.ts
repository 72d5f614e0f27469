// -w: the saver keeps every record handed to it, in order, with the data as it was during the
// callback, including records that arrive while the file is still opening.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/file.js';
import type { CaptureRecord } from '../../src/capture/types.js';
import { CaptureSaver } from '../../src/live/save.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readBack(path: string): Promise<CaptureRecord[]> {
  const out: CaptureRecord[] = [];
  await readCaptureFile(path, (r) => out.push({ ...r, data: r.data.slice() }));
  return out;
}

describe('CaptureSaver', () => {
  it('writes every record, from before the file is open to close, with the bytes of the moment', async () => {
    const path = join(dir, 'a.pcap');
    const frames = Array.from({ length: 5000 }, (_, i) => vrrpFrame({ vrid: 1 + (i % 255), priority: 1 + (i % 254) }));
    const saver = new CaptureSaver(path, 1);
    // One reused buffer, as the capture hands them out: overwritten right after each save().
    const shared = Buffer.alloc(2048);
    const save = (i: number): void => {
      const f = frames[i]!;
      f.copy(shared);
      saver.save({ frame: i + 1, tsSec: 1_795_000_000 + i, tsNsec: 123_456_000, linkType: 1, interfaceId: 0, interfaceName: 'eth0', originalLength: f.length + 4, data: shared.subarray(0, f.length) });
      shared.fill(0xff);
    };
    for (let i = 0; i < 2500; i++) save(i); // the file is not open yet
    await saver.ready;
    for (let i = 2500; i < 5000; i++) save(i);
    expect(saver.frames).toBe(5000);
    await saver.close();

    const back = await readBack(path);
    expect(back).toHaveLength(5000);
    expect(back.map((r) => Buffer.from(r.data).toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
    expect(back[4999]).toMatchObject({ frame: 5000, tsSec: 1_795_004_999, tsNsec: 123_456_000, linkType: 1, originalLength: frames[4999]!.length + 4 });
  });

  it('keeps the link type: a cooked (-i any) capture', async () => {
    const path = join(dir, 'sll.pcap');
    const saver = new CaptureSaver(path, 113);
    saver.save({ frame: 1, tsSec: 1, tsNsec: 0, linkType: 113, interfaceId: 0, interfaceName: 'any', originalLength: 20, data: new Uint8Array(20) });
    await saver.close();
    expect((await readBack(path)).map((r) => r.linkType)).toEqual([113]);
  });

  it('an empty capture is a valid file', async () => {
    const path = join(dir, 'empty.pcap');
    await new CaptureSaver(path, 1).close();
    expect(await readBack(path)).toEqual([]);
  });

  it('a file it cannot create: ready and close reject with the path and the reason', async () => {
    const path = join(dir, 'no/such/dir/x.pcap');
    const saver = new CaptureSaver(path, 1);
    saver.save({ frame: 1, tsSec: 1, tsNsec: 0, linkType: 1, interfaceId: 0, interfaceName: 'eth0', originalLength: 1, data: new Uint8Array(1) });
    await expect(saver.ready).rejects.toThrow(`cannot write ${path}: no such directory`);
    await expect(saver.close()).rejects.toThrow(`cannot write ${path}: no such directory`);
  });

  it('ignores records after close', async () => {
    const path = join(dir, 'late.pcap');
    const saver = new CaptureSaver(path, 1);
    const closing = saver.close();
    saver.save({ frame: 1, tsSec: 1, tsNsec: 0, linkType: 1, interfaceId: 0, interfaceName: 'eth0', originalLength: 1, data: new Uint8Array(1) });
    await closing;
    expect(await readBack(path)).toEqual([]);
  });
});
