// The capture so far, for the `w` key: the newest frames, kept as pcap records in 1 MiB chunks up
// to a byte budget, so a watch that runs for days keeps the last tens of megabytes and no more.
// Saving writes the file header and the chunks as they are.
import { dateOfSecond, microsWithinSecond } from '../time/timestamp.js';
import { writeFile } from 'node:fs/promises';
import { ioError } from '../capture/file.js';
import type { CaptureRecord } from '../capture/types.js';
import { pcapHeader } from '../capture/writer.js';

const CHUNK_BYTES = 1024 * 1024;
export const DEFAULT_RECENT_BYTES = 32 * 1024 * 1024;

interface Chunk {
  bytes: Uint8Array;
  view: DataView;
  used: number;
  frames: number;
}

export class RecentFrames {
  private readonly chunks: Chunk[] = [];
  private linkType: number | null = null;
  /** Frames no longer kept (the budget), and frames of a second link type (a pcap file has one). */
  forgotten = 0;
  otherLinkType = 0;
  /** Saves in progress: their chunks are being written, so evicted chunks are not reused meanwhile. */
  private saving = 0;

  constructor(readonly maxBytes = DEFAULT_RECENT_BYTES) {}

  push(rec: CaptureRecord): void {
    this.linkType ??= rec.linkType;
    if (rec.linkType !== this.linkType) {
      this.otherLinkType++;
      return;
    }
    const length = 16 + rec.data.length;
    let c = this.chunks[this.chunks.length - 1];
    if (c === undefined || c.used + length > c.bytes.length) {
      let bytes: Uint8Array;
      if ((this.chunks.length + 1) * CHUNK_BYTES > this.maxBytes && this.chunks.length > 0) {
        const old = this.chunks.shift() as Chunk;
        this.forgotten += old.frames;
        bytes = this.saving === 0 && old.bytes.length >= length ? old.bytes : new Uint8Array(Math.max(CHUNK_BYTES, length));
      } else bytes = new Uint8Array(Math.max(CHUNK_BYTES, length));
      c = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), used: 0, frames: 0 };
      this.chunks.push(c);
    }
    // pcapRecord()'s layout, written in place: one allocation per frame shows under a flood.
    const o = c.used;
    c.view.setUint32(o, rec.tsSec, true);
    c.view.setUint32(o + 4, microsWithinSecond(rec.tsNsec), true);
    c.view.setUint32(o + 8, rec.data.length, true);
    c.view.setUint32(o + 12, rec.originalLength, true);
    c.bytes.set(rec.data, o + 16);
    c.used += length;
    c.frames++;
  }

  get frames(): number {
    let n = 0;
    for (const c of this.chunks) n += c.frames;
    return n;
  }

  /** Writes the kept frames to a new file at `path` (never over an existing one). */
  async save(path: string): Promise<number> {
    const frames = this.frames;
    const parts = [pcapHeader(this.linkType ?? 1), ...this.chunks.map((c) => c.bytes.subarray(0, c.used))];
    this.saving++;
    try {
      await writeFile(path, parts, { flag: 'wx' });
    } catch (e) {
      throw ioError('write', path, e as Error);
    } finally {
      this.saving--;
    }
    return frames;
  }
}

/** vrrpwatch-20261122-100000.pcap: the UTC time of the save. */
export function saveFileName(tsSec: number): string {
  const d = dateOfSecond(tsSec).toISOString(); // 2026-11-22T10:00:00.000Z
  return `vrrpwatch-${d.slice(0, 10).replaceAll('-', '')}-${d.slice(11, 19).replaceAll(':', '')}.pcap`;
}
