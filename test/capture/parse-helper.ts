// Runs CaptureParser over bytes cut at given points and collects what it delivered.

import { CaptureParser } from '../../src/capture/parser.js';
import { CaptureFileError, type CaptureRecord, type CaptureSummary } from '../../src/capture/types.js';

export interface ParseOutcome {
  /** Records with their data copied (views are only valid during the callback). */
  records: CaptureRecord[];
  summary: CaptureSummary | null;
  error: CaptureFileError | null;
}

/** Parses `bytes`, pushed as chunks split at the sorted offsets `cuts`. Anything but a CaptureFileError escapes. */
export function parseBytes(bytes: Uint8Array, cuts: readonly number[] = [], file = 'test.pcap'): ParseOutcome {
  const records: CaptureRecord[] = [];
  const parser = new CaptureParser(file, (r) => records.push({ ...r, data: r.data.slice() }));
  const bounds = [...new Set([0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length])].sort((a, b) => a - b);
  try {
    for (let i = 0; i + 1 < bounds.length; i++) parser.push(bytes.subarray(bounds[i], bounds[i + 1]));
    return { records, summary: parser.end(), error: null };
  } catch (err) {
    if (err instanceof CaptureFileError) return { records, summary: null, error: err };
    throw err;
  }
}

/** Cut points that push the bytes `size` at a time. */
export function everyN(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let at = size; at < length; at += size) cuts.push(at);
  return cuts;
}
