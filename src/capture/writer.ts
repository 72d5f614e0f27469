// Classic pcap writer (little endian): pure encoders, and PcapFileWriter at the edge that streams
// them to a file.

import { microsWithinSecond } from '../time/timestamp.js';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { ioError } from './file.js';
import { MAX_PCAP_CAPLEN } from './parser.js';
import type { CaptureRecord } from './types.js';

const MAGIC_MICROSECOND = 0xa1b2c3d4;
const MAGIC_NANOSECOND = 0xa1b23c4d;

export type PcapWriteRecord = Pick<CaptureRecord, 'tsSec' | 'tsNsec' | 'originalLength' | 'data'>;

/** The 24-byte file header: version 2.4, zone 0, sigfigs 0. */
export function pcapHeader(linkType: number, snaplen = MAX_PCAP_CAPLEN, nanosecond = false): Uint8Array {
  const out = new Uint8Array(24);
  const view = new DataView(out.buffer);
  view.setUint32(0, nanosecond ? MAGIC_NANOSECOND : MAGIC_MICROSECOND, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, snaplen, true);
  view.setUint32(20, linkType, true);
  return out;
}

/** One record: 16-byte header, then the data. Microsecond files truncate tsNsec to microseconds. */
export function pcapRecord(rec: PcapWriteRecord, nanosecond = false): Uint8Array {
  const out = new Uint8Array(16 + rec.data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, rec.tsSec, true);
  view.setUint32(4, nanosecond ? rec.tsNsec : microsWithinSecond(rec.tsNsec), true);
  view.setUint32(8, rec.data.length, true);
  view.setUint32(12, rec.originalLength, true);
  out.set(rec.data, 16);
  return out;
}

const READY: Promise<void> = Promise.resolve();

/** Writes a microsecond pcap file. Await write() to respect the stream's back-pressure. */
export class PcapFileWriter {
  private error: Error | null = null;

  private constructor(
    private readonly path: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (err) => {
      this.error ??= ioError('write', path, err);
    });
  }

  /** Creates (or truncates) the file and writes the header; rejects when the file cannot be opened. */
  static async open(path: string, linkType: number): Promise<PcapFileWriter> {
    const stream = createWriteStream(path);
    try {
      await once(stream, 'open');
    } catch (err) {
      throw ioError('write', path, err as Error);
    }
    const writer = new PcapFileWriter(path, stream);
    stream.write(pcapHeader(linkType));
    return writer;
  }

  write(rec: PcapWriteRecord): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (this.stream.write(pcapRecord(rec))) return READY;
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        this.stream.off('error', onError);
        resolve();
      };
      const onError = (err: Error): void => {
        this.stream.off('drain', onDrain);
        reject(ioError('write', this.path, err));
      };
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
    });
  }

  /** Flushes and closes; rejects with the first write error, if any. */
  async close(): Promise<void> {
    this.stream.end();
    try {
      await finished(this.stream);
    } catch (err) {
      throw this.error ?? ioError('write', this.path, err as Error);
    }
    if (this.error) throw this.error;
  }
}
