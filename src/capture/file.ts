// Reading capture files: the I/O edge around CaptureParser. Streams, so memory stays flat.

import { createReadStream } from 'node:fs';
import { CaptureParser } from './parser.js';
import type { CaptureRecord, CaptureSummary } from './types.js';

export interface ReadCaptureOptions {
  /** Bytes per read; 1 MiB by default. */
  highWaterMark?: number;
  /** What path '-' reads; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
}

const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;

/**
 * Streams the pcap or pcapng file at `path` ('-' for standard input) through `onRecord`.
 * Rejects with a CaptureFileError for corrupt data, after every frame before the damage was
 * delivered, and with an Error naming the file when it cannot be read. An error thrown by
 * `onRecord` stops the read and rejects unchanged.
 */
export async function readCaptureFile(
  path: string,
  onRecord: (record: CaptureRecord) => void,
  opts: ReadCaptureOptions = {},
): Promise<CaptureSummary> {
  const name = path === '-' ? '<stdin>' : path;
  const input =
    path === '-'
      ? (opts.stdin ?? process.stdin)
      : createReadStream(path, { highWaterMark: opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK });
  const parser = new CaptureParser(name, onRecord);
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
      else parser.push(step.value);
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
