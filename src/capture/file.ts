// Reading capture files: the I/O edge around CaptureParser. Memory stays flat: a regular file is
// read ahead into two reused buffers (no stream machinery, no buffer per chunk); standard input,
// pipes and devices are streamed.

import { closeSync, createReadStream, fstatSync, openSync, read, type Stats } from 'node:fs';
import { CaptureParser, type PacketVisitor } from './parser.js';
import type { CaptureRecord, CaptureSummary } from './types.js';

export interface ReadCaptureOptions {
  /** Bytes per read; 1 MiB by default. */
  highWaterMark?: number;
  /** What path '-' reads; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
  /**
   * Asked before each chunk is parsed: a promise makes the read wait for it (the output's
   * backpressure), null goes on at once.
   */
  pace?: () => Promise<void> | null;
}

/** Large enough that a read costs little per record, small enough that the chunk stays in cache while it is parsed. */
const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;

/**
 * Reads the pcap or pcapng file at `path` ('-' for standard input) through `onRecord`.
 * Rejects with a CaptureFileError for corrupt data, after every frame before the damage was
 * delivered, and with an Error naming the file when it cannot be read. An error thrown by
 * `onRecord` stops the read and rejects unchanged.
 */
export function readCaptureFile(
  path: string,
  onRecord: (record: CaptureRecord) => void,
  opts: ReadCaptureOptions = {},
): Promise<CaptureSummary> {
  return feed(path, (name) => new CaptureParser(name, onRecord), opts);
}

/** readCaptureFile for a PacketVisitor: the same, with nothing allocated per packet. */
export function visitCaptureFile(path: string, visit: PacketVisitor, opts: ReadCaptureOptions = {}): Promise<CaptureSummary> {
  return feed(path, (name) => CaptureParser.visiting(name, visit), opts);
}

async function feed(path: string, parserFor: (name: string) => CaptureParser, opts: ReadCaptureOptions): Promise<CaptureSummary> {
  const chunkSize = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const pace = opts.pace ?? noPace;
  if (path === '-') return feedStream(opts.stdin ?? process.stdin, parserFor('<stdin>'), '<stdin>', pace);
  let fd: number;
  let stat: Stats;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw ioError('read', path, err as Error);
  }
  try {
    stat = fstatSync(fd);
  } catch (err) {
    closeSync(fd);
    throw ioError('read', path, err as Error);
  }
  // A pipe or device has no size and may trickle: it is read the way standard input is.
  if (!stat.isFile()) return feedStream(createReadStream(path, { fd, highWaterMark: chunkSize }), parserFor(path), path, pace);
  const parser = parserFor(path);
  // A small file gets small buffers; one that grows while read still reads to its end.
  const size = Math.min(chunkSize, Math.max(stat.size, 64 * 1024));
  // Two buffers: the next chunk is read on libuv's thread pool, so on the other core, while this
  // one is parsed. The parser copies a record cut by the end of a chunk, so buffers are reused.
  let current = new Uint8Array(size);
  let next = new Uint8Array(size);
  const readInto = (buf: Uint8Array): Promise<number> =>
    new Promise((resolve, reject) => read(fd, buf, 0, size, null, (err, n) => (err ? reject(ioError('read', path, err)) : resolve(n))));
  let pending = readInto(current);
  try {
    for (;;) {
      const n = await pending;
      if (n === 0) return parser.end();
      pending = readInto(next);
      const wait = pace();
      if (wait !== null) await wait;
      parser.push(n === size ? current : current.subarray(0, n));
      [current, next] = [next, current];
    }
  } finally {
    await pending.catch(() => 0); // never close the descriptor under a read in flight
    closeSync(fd);
  }
}

function noPace(): null {
  return null;
}

async function feedStream(input: NodeJS.ReadableStream, parser: CaptureParser, name: string, pace: () => Promise<void> | null): Promise<CaptureSummary> {
  const chunks = input[Symbol.asyncIterator]();
  let done = false;
  try {
    while (!done) {
      let step: IteratorResult<string | Buffer>;
      try {
        step = await chunks.next();
      } catch (err) {
        throw ioError('read', name, err as Error);
      }
      if (step.done) done = true;
      else if (typeof step.value === 'string') throw new Error(`cannot read ${name}: the stream was set to decode text`);
      else {
        const wait = pace();
        if (wait !== null) await wait;
        parser.push(step.value);
      }
    }
  } finally {
    if (!done) await chunks.return?.(); // stops and closes the stream
  }
  return parser.end();
}

/** An I/O error as a person needs it: which file, what went wrong. Shared by reader and writer. */
export function ioError(verb: 'read' | 'write', path: string, err: Error): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const what =
    code === 'ENOENT' ? (verb === 'read' ? 'no such file' : 'no such directory')
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory, not a capture file'
    : code === 'ENOSPC' ? 'no space left on the device'
    : err.message;
  return new Error(`cannot ${verb} ${path}: ${what}`, { cause: err });
}
