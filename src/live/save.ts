// `-w FILE.pcap`: every live record, as captured, to a classic pcap file with the live link type.
import type { CaptureRecord } from '../capture/types.js';
import { PcapFileWriter, type PcapWriteRecord } from '../capture/writer.js';

/**
 * Takes records synchronously from the capture callback from the first frame on, even while the
 * file is still opening, and writes them in order, one write in flight at a time (the writer's
 * back-pressure). Frames wait in memory while the disk is slower than the network.
 */
export class CaptureSaver {
  private writer: PcapFileWriter | null = null;
  private queue: PcapWriteRecord[] = [];
  private pumping: Promise<void> | null = null;
  private failure: Error | null = null;
  private closing = false;
  private count = 0;
  /** Resolves when the file is open; rejects (e.g. "cannot write FILE: …") when it cannot be. */
  readonly ready: Promise<void>;

  constructor(readonly path: string, linkType: number) {
    this.ready = PcapFileWriter.open(path, linkType).then((w) => {
      this.writer = w;
      this.pump();
    });
    // close() reports an open failure; without this, it would also be an unhandled rejection.
    this.ready.catch((e: Error) => {
      this.failure ??= e;
    });
  }

  /** Frames saved so far (accepted; written by the time close() resolves). */
  get frames(): number {
    return this.count;
  }

  /** Copies the record (its data is only valid during the capture callback) and queues it. */
  save(rec: CaptureRecord): void {
    if (this.closing) return;
    this.count++;
    // new Uint8Array(view) copies; Buffer#slice would not.
    this.queue.push({ tsSec: rec.tsSec, tsNsec: rec.tsNsec, originalLength: rec.originalLength, data: new Uint8Array(rec.data) });
    this.pump();
  }

  private pump(): void {
    if (this.pumping || !this.writer || this.queue.length === 0 || this.failure) return;
    const writer = this.writer;
    this.pumping = (async () => {
      while (this.queue.length > 0 && !this.failure) {
        const batch = this.queue;
        this.queue = [];
        for (const r of batch) await writer.write(r);
      }
    })()
      .catch((e: Error) => {
        this.failure ??= e;
      })
      .finally(() => {
        this.pumping = null;
        // Records saved between the loop's last check and here.
        this.pump();
      });
  }

  /** Writes everything saved before the call, flushes and closes; rejects with the first error. */
  async close(): Promise<void> {
    this.closing = true;
    await this.ready.catch(() => undefined);
    while (this.pumping) await this.pumping;
    if (this.writer) {
      const writer = this.writer;
      this.writer = null;
      await writer.close().catch((e: Error) => {
        this.failure ??= e;
      });
    }
    if (this.failure) throw this.failure;
  }
}
