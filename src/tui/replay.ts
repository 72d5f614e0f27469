// `-r FILE`: a capture replayed at its recorded pace (or N times faster, or at once with speed 0)
// without blocking the event loop. Frames reach the analyzer with their own timestamps; the pace
// only decides when, so the analysis is the same at any speed. Reading runs ahead of the pace by
// a bounded queue of copied frames.
import { microsToSeconds } from '../time/timestamp.js';
import { open, type FileHandle } from 'node:fs/promises';
import { ioError } from '../capture/file.js';
import { CaptureParser } from '../capture/parser.js';
import type { CaptureRecord } from '../capture/types.js';
import { CliError, Exit } from '../errors.js';
import { recordTimeUs } from './monitor.js';
import { clockUs, type Clock, type Source } from './source.js';

export interface ReplayOptions {
  /** A pcap or pcapng file, or '-' for standard input. */
  path: string;
  /** 1 is the recorded pace, 2 twice as fast, 0 as fast as possible. */
  speed: number;
  clock: Clock;
  onRecord: (rec: CaptureRecord) => void;
  /** Bytes per read (64 KiB). */
  chunkBytes?: number;
  stdin?: NodeJS.ReadableStream;
  /**
   * Asked before more frames go out: a promise makes the replay wait for it (line mode's stdout
   * backpressure, as ReadCaptureOptions.pace in decode), null goes on at once.
   */
  pace?: () => Promise<void> | null;
}

/** How often paced frames are let out: finer than the screen's 10 redraws a second. */
const PUMP_MS = 20;
/** Read-ahead bounds, in frames. */
const QUEUE_HIGH = 20_000;
const QUEUE_LOW = 5_000;

class Replay implements Source {
  readonly finished: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private readonly parser: CaptureParser;
  private readonly queue: CaptureRecord[] = [];
  private head = 0;
  private ended = false;
  private done = false;
  private closed = false;
  /** Why reading stopped early: the file is damaged or unreadable. */
  failure: Error | null = null;
  private firstUs: number | null = null;
  private lastUs = -Infinity;
  /** Wall time (µs) the first frame is pinned to; moves forward by the time spent paused. */
  private wallStartUs = 0;
  private pausedAtUs: number | null = null;
  private wake: (() => void) | null = null;
  private stopPump: (() => void) | null = null;
  /** The output's backpressure being waited for (paced replays: the pump skips its turns meanwhile). */
  private pacing: Promise<void> | null = null;
  frames = 0;

  constructor(
    private readonly opts: ReplayOptions,
    private readonly chunks: AsyncIterator<Uint8Array>,
    private readonly name: string,
  ) {
    this.finished = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Callers that only poll must not see an unhandled rejection.
    this.finished.catch(() => undefined);
    this.parser = new CaptureParser(name, (rec) => this.take(rec));
    if (opts.speed > 0) this.stopPump = opts.clock.every(PUMP_MS, () => this.pump());
  }

  private take(rec: CaptureRecord): void {
    const t = recordTimeUs(rec);
    if (this.firstUs === null) {
      this.firstUs = t;
      this.wallStartUs = clockUs(this.opts.clock);
    }
    if (this.opts.speed === 0) this.deliver(rec, t);
    else this.queue.push({ ...rec, data: new Uint8Array(rec.data) });
  }

  private deliver(rec: CaptureRecord, t: number): void {
    if (t > this.lastUs) this.lastUs = t;
    this.frames++;
    this.opts.onRecord(rec);
  }

  /** Reads the next chunk; false at the end (or on failure). */
  async step(): Promise<boolean> {
    if (this.failure !== null || this.closed) return false;
    let next: IteratorResult<Uint8Array>;
    try {
      next = await this.chunks.next();
    } catch (e) {
      this.fail(ioError('read', this.name, e as Error));
      return false;
    }
    if (this.closed) return false;
    try {
      if (next.done === true) {
        this.parser.end();
        return false;
      }
      this.parser.push(next.value);
    } catch (e) {
      this.fail(e as Error);
      return false;
    }
    return true;
  }

  async run(): Promise<void> {
    while (await this.step()) {
      // The output is full (a stalled reader of stdout): read no further until it drains.
      const wait = this.opts.pace?.() ?? null;
      if (wait !== null) await wait;
      // Paced: wait while the queue is full. Instant: wait while paused.
      while (!this.closed && (this.pending() > QUEUE_HIGH || (this.opts.speed === 0 && this.pausedAtUs !== null))) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    }
    this.ended = true;
    if (this.opts.speed === 0) this.finish();
    else this.pump();
  }

  private pending(): number {
    return this.queue.length - this.head;
  }

  /** Frames read and waiting for their time. */
  get queued(): number {
    return this.pending();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.ended = true;
  }

  /** The replay's position in capture time: the first frame's time plus the wall time since, scaled. */
  private positionUs(): number {
    if (this.firstUs === null) return -Infinity;
    const wall = this.pausedAtUs ?? clockUs(this.opts.clock);
    return this.firstUs + (wall - this.wallStartUs) * this.opts.speed;
  }

  private pump(): void {
    if (this.done || this.pausedAtUs !== null || this.pacing !== null) return;
    const wait = this.opts.pace?.() ?? null;
    if (wait !== null) {
      this.pacing = wait.then(() => {
        this.pacing = null;
      });
      return;
    }
    const pos = this.positionUs();
    while (this.head < this.queue.length) {
      const rec = this.queue[this.head] as CaptureRecord;
      const t = recordTimeUs(rec);
      if (t > pos) {
        // A frame stamped ahead of the one after it (src/analysis/analyzer.ts: out of order) must
        // not hold the others back: that would open the very silence its stamp fakes.
        const after = this.queue[this.head + 1];
        if (after === undefined || recordTimeUs(after) >= t) break;
      }
      this.queue[this.head++] = undefined as unknown as CaptureRecord;
      this.deliver(rec, t);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.pending() < QUEUE_LOW) this.wakeReader();
    if (this.ended && this.pending() === 0) this.finish();
  }

  private wakeReader(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.stopPump?.();
    if (this.failure) this.settle.reject(this.failure);
    else this.settle.resolve();
  }

  nowUs(): number {
    if (this.done || this.opts.speed === 0) return this.lastUs;
    const pos = this.positionUs();
    const next = this.queue[this.head];
    // Never ahead of a frame not yet delivered: the analyzer's time only moves forward.
    if (next !== undefined) return Math.min(pos, recordTimeUs(next));
    return this.ended ? this.lastUs : Math.min(pos, this.lastUs);
  }

  drops(): null {
    return null;
  }

  replay(): { elapsedSeconds: number; done: boolean } {
    const now = this.nowUs();
    return { elapsedSeconds: this.firstUs === null || !Number.isFinite(now) ? 0 : microsToSeconds(now - this.firstUs), done: this.done };
  }

  pause(): void {
    this.pausedAtUs ??= clockUs(this.opts.clock);
  }

  resume(): void {
    if (this.pausedAtUs === null) return;
    this.wallStartUs += clockUs(this.opts.clock) - this.pausedAtUs;
    this.pausedAtUs = null;
    this.wakeReader();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopPump?.();
    this.wakeReader();
    await this.chunks.return?.();
  }
}

async function* fileChunks(handle: FileHandle, size: number): AsyncGenerator<Uint8Array> {
  try {
    // The parser copies a record cut by the end of a chunk, so one buffer serves every read.
    const buf = new Uint8Array(size);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, size, null);
      if (bytesRead === 0) return;
      yield bytesRead === size ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

async function* streamChunks(input: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    if (typeof chunk === 'string') throw new Error('the stream was set to decode text');
    yield chunk;
  }
}

/**
 * Opens the file and reads its first chunk before returning, so that a missing or non-capture
 * file is an error before any screen starts. Frames then flow to onRecord at the chosen pace.
 */
export async function openReplay(opts: ReplayOptions): Promise<Source & { frames: number }> {
  const size = opts.chunkBytes ?? 64 * 1024;
  let chunks: AsyncIterator<Uint8Array>;
  let name = opts.path;
  if (opts.path === '-') {
    name = '<stdin>';
    chunks = streamChunks(opts.stdin ?? process.stdin);
  } else {
    let handle: FileHandle;
    try {
      handle = await open(opts.path, 'r');
    } catch (e) {
      throw new CliError(ioError('read', opts.path, e as Error).message, Exit.INPUT);
    }
    chunks = fileChunks(handle, size);
  }
  const replay = new Replay(opts, chunks, name);
  await replay.step();
  if (replay.failure !== null && replay.frames + replay.queued === 0) {
    // Nothing readable at all: say why now, as `analyze` does.
    await replay.close();
    throw new CliError(replay.failure.message, Exit.INPUT);
  }
  void replay.run();
  return replay;
}
