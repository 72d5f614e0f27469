// keepalived's number readers (lib/parser.c read_unsigned_func, read_int_func,
// read_decimal_unsigned_long_func) as `keepalived -t` applies them: the whole word must be the
// number, in range; decimals have at most `digits` places (more are rounded, with a warning).
import { ipv4At, ipv6At, writeIpv4, writeIpv6 } from '../decode/bytes.js';

export type NumberRead = { ok: true; value: number; note?: string } | { ok: false; why: string };

/** read_unsigned / read_int with base 10 (strtol also takes 0x.. only with base 0, which VRRP keywords do not use). */
export function readInteger(word: string | undefined, min: number, max: number): NumberRead {
  if (word === undefined) return { ok: false, why: 'no value' };
  if (!/^[-+]?[0-9]+$/.test(word)) return { ok: false, why: `'${word}' is not a whole number` };
  const v = Number(word);
  if (v < min || v > max) return { ok: false, why: `${word} is outside ${min}..${max}` };
  return { ok: true, value: v };
}

/** read_decimal_unsigned: a non-negative decimal with `digits` places kept, as an integer count of 10^-digits. */
export function readDecimal(word: string | undefined, min: number, max: number, digits: number): NumberRead {
  if (word === undefined) return { ok: false, why: 'no value' };
  if (word.startsWith('-')) return { ok: false, why: `'${word}' is negative` };
  const m = /^([0-9]*)(?:\.([0-9]*))?$/.exec(word);
  if (m === null || (m[1] === '' && (m[2] ?? '') === '')) return { ok: false, why: `'${word}' is not a number` };
  const frac = m[2] ?? '';
  let note: string | undefined;
  let v = Number(`${m[1] || '0'}${frac.slice(0, digits).padEnd(digits, '0')}`);
  if (frac.length > digits) {
    note = `'${word}' has more than ${digits} decimal places; keepalived rounds it`;
    if ((frac[digits] as string) >= '5') v++;
  }
  if (v < min || v > max) return { ok: false, why: `${word} is outside ${min / 10 ** digits}..${max / 10 ** digits}` };
  return note === undefined ? { ok: true, value: v } : { ok: true, value: v, note };
}

/** check_true_false(): on/true/yes, off/false/no, else null. */
export function readBool(word: string | undefined): boolean | null {
  if (word === 'true' || word === 'on' || word === 'yes') return true;
  if (word === 'false' || word === 'off' || word === 'no') return false;
  return null;
}

/** An address as text the decoder would print, with its family; null when it is none. */
export function canonicalAddress(text: string): { address: string; family: 4 | 6 } | null {
  const b = new Uint8Array(16);
  if (writeIpv4(text, b, 0)) return { address: ipv4At(b, 0), family: 4 };
  if (text.includes(':') && writeIpv6(text, b, 0)) return { address: ipv6At(b, 0), family: 6 };
  return null;
}

/** The address's bytes in network order, or null. */
export function addressBytes(text: string, family: 4 | 6): Uint8Array | null {
  const b = new Uint8Array(family === 4 ? 4 : 16);
  return (family === 4 ? writeIpv4(text, b, 0) : writeIpv6(text, b, 0)) ? b : null;
}
