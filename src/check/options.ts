// The values of `check`'s options, parsed: VRIDs, expected masters, durations. Pure: text in, a
// value or a one-sentence reason out (the CLI turns the reason into a usage error, exit 3).
import { canonicalAddress } from '../decode/address.js';
import type { Family } from '../analysis/types.js';

export type Parsed<T> = T | { error: string };

export function isError<T>(p: Parsed<T>): p is { error: string } {
  return typeof p === 'object' && p !== null && 'error' in p;
}

export interface ExpectedMaster {
  vrid: number;
  family: Family;
  /** As the analyzer prints addresses (RFC 5952 for IPv6), so a plain comparison works. */
  address: string;
}

/** A VRID: an integer from 1 to 255. */
export function parseVrid(text: string): Parsed<number> {
  const s = text.trim();
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 255) return { error: `"${text}" is not a VRID (an integer from 1 to 255)` };
  return Number(s);
}

// An IPv4 or IPv6 address in the analyzer's spelling, or null: one home, src/decode/address.ts.
export { canonicalAddress };

/** VRID=ADDRESS, e.g. 51=192.0.2.11 or 61=fe80::1. */
export function parseExpectMaster(text: string): Parsed<ExpectedMaster> {
  const eq = text.indexOf('=');
  const bad = (why: string) => ({ error: `"${text}" is not VRID=ADDRESS: ${why} (e.g. 51=192.0.2.11)` });
  if (eq < 0) return bad('no "="');
  const vrid = parseVrid(text.slice(0, eq));
  if (isError(vrid)) return bad(vrid.error);
  const a = canonicalAddress(text.slice(eq + 1).trim());
  if (a === null) return bad(`"${text.slice(eq + 1)}" is not an IPv4 or IPv6 address`);
  return { vrid, ...a };
}

const UNITS: Readonly<Record<string, number>> = { '': 1, s: 1, ms: 0.001, m: 60 };

/** A positive duration: seconds ("30", "2.5"), or with a unit ("30s", "500ms", "1m"). */
export function parseSeconds(text: string): Parsed<number> {
  const m = /^(\d+(?:\.\d*)?|\.\d+)(s|ms|m)?$/.exec(text.trim());
  const unit = m === null ? undefined : UNITS[m[2] ?? ''];
  const value = m === null || unit === undefined ? NaN : Number(m[1]) * unit;
  if (!(value > 0) || !Number.isFinite(value)) return { error: `"${text}" is not a duration (seconds, e.g. 10, 2.5, 500ms, 1m)` };
  return value;
}
