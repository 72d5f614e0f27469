// Byte-level helpers shared by every layer: reads and address formatting.
// Formatting is cached because real captures repeat a handful of addresses millions of times.

export function u16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

export function u32(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;
}

// The caches are direct-mapped: a slot per hash of the address, overwritten on a miss. A flood of
// random addresses (spoofed adverts) then costs a string per packet and nothing more: no map that
// grows, is cleared and grows again, and no old strings kept alive long enough to age.
const SLOTS = 4096; // a power of two

/** Knuth's multiplicative hash of a 32-bit key, as a slot. */
function slotOf(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 20; // the top 12 bits: SLOTS = 2^12
}

const ipv4Keys = new Float64Array(SLOTS).fill(-1);
const ipv4Texts: string[] = new Array<string>(SLOTS).fill('');

type Fifteen = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
/** The character codes of a dotted quad being written (7 to 15 of them). */
const quad: Fifteen = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/**
 * Dotted quad of the 4 bytes at `o`, as one flat string: joined from its pieces, a string of 13
 * characters or more is a tree of them (a cons string), which the first Map lookup or comparison
 * copies flat again (every new router and VIP of a flood is looked up).
 */
export function ipv4At(b: Uint8Array, o: number): string {
  const key = u32(b, o);
  const slot = slotOf(key);
  if (ipv4Keys[slot] === key) return ipv4Texts[slot] as string;
  const q = quad;
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const x = b[o + i] as number;
    if (x >= 100) q[n++] = 48 + ((x / 100) | 0);
    if (x >= 10) q[n++] = 48 + (((x / 10) | 0) % 10);
    q[n++] = 48 + (x % 10);
    if (i < 3) q[n++] = 46;
  }
  const c = String.fromCharCode;
  // A call of fixed arity per length: no array to spread, and one string.
  const s =
    n === 7 ? c(q[0], q[1], q[2], q[3], q[4], q[5], q[6])
    : n === 8 ? c(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7])
    : n === 9 ? c(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8])
    : n === 10 ? c(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9])
    : n === 11 ? c(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10])
    : n === 12 ? c(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11])
    : n === 13 ? c(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12])
    : n === 14 ? c(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13])
    : c(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13], q[14]);
  ipv4Keys[slot] = key;
  ipv4Texts[slot] = s;
  return s;
}

/** Whether bytes `b[from, to)` are all zero. */
export function allZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * A copy of `b[from, to)` that owns its bytes (the capture reuses its buffers). For the few bytes
 * of a field, copied one by one: Uint8Array.prototype.slice costs a runtime call and a separate
 * ArrayBuffer, on every advert.
 */
export function copyOf(b: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = b[i] as number;
  return out;
}

const CACHE_LIMIT = 65_536;
const ipv6Cache = new Map<string, string>();

/** RFC 5952 text of the 16 bytes at `o`, exactly as glibc inet_ntop (and so tcpdump and tshark) print it. */
export function ipv6At(b: Uint8Array, o: number): string {
  let key = '';
  for (let i = 0; i < 16; i += 2) key += String.fromCharCode(u16(b, o + i));
  let s = ipv6Cache.get(key);
  if (s === undefined) {
    s = formatIpv6(b, o);
    if (ipv6Cache.size >= CACHE_LIMIT) ipv6Cache.clear();
    ipv6Cache.set(key, s);
  }
  return s;
}

function formatIpv6(b: Uint8Array, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(u16(b, o + 2 * i));
  // Longest run of zero words (first one on ties), only if at least 2 long.
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase < 0) { curBase = i; curLen = 1; } else curLen++;
      if (curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // glibc: an IPv4-compatible (::a.b.c.d) or IPv4-mapped (::ffff:a.b.c.d) address ends in a dotted quad.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      out += `${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
      break;
    }
    out += (w[i] as number).toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hexByte(v: number): string {
  return HEX[v & 0xff] as string;
}

/** The character code of a lower-case hex digit. */
function digit(n: number): number {
  return n < 10 ? 0x30 + n : 0x57 + n;
}
function hi(x: number): number {
  return digit(x >> 4);
}
function lo(x: number): number {
  return digit(x & 15);
}

/** The 8 hex digits of a 32-bit number, as one string. */
export function hexWord(n: number): string {
  return String.fromCharCode(
    digit((n >>> 28) & 15), digit((n >>> 24) & 15), digit((n >>> 20) & 15), digit((n >>> 16) & 15),
    digit((n >>> 12) & 15), digit((n >>> 8) & 15), digit((n >>> 4) & 15), digit(n & 15),
  );
}

const macKeys = new Float64Array(SLOTS).fill(-1);
const macTexts: string[] = new Array<string>(SLOTS).fill('');

/** "aa:bb:cc:dd:ee:ff" of the 6 bytes at `o`. */
export function macAt(b: Uint8Array, o: number): string {
  const high = u32(b, o);
  const low = u16(b, o + 4);
  const key = high * 65536 + low; // 48 bits: exact in a double
  const slot = slotOf(high ^ Math.imul(low, 0x85ebca6b));
  if (macKeys[slot] === key) return macTexts[slot] as string;
  // One string of 17 characters, not the ten a template's pieces would make on the way.
  const s = String.fromCharCode(
    hi(b[o] as number), lo(b[o] as number), 0x3a, hi(b[o + 1] as number), lo(b[o + 1] as number), 0x3a,
    hi(b[o + 2] as number), lo(b[o + 2] as number), 0x3a, hi(b[o + 3] as number), lo(b[o + 3] as number), 0x3a,
    hi(b[o + 4] as number), lo(b[o + 4] as number), 0x3a, hi(b[o + 5] as number), lo(b[o + 5] as number),
  );
  macKeys[slot] = key;
  macTexts[slot] = s;
  return s;
}

/** Parse "a.b.c.d" (1 to 3 digits each, at most 255) into `out` at `o`; false when it is not a dotted quad. */
export function writeIpv4(text: string, out: Uint8Array, o: number): boolean {
  // By character codes: a router's address is parsed for every new router of a flood.
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || part > 3) return false;
      out[o + part] = value;
      part++;
      digits = 0;
      value = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = 10 * value + (c - 0x30);
      digits++;
    } else {
      return false;
    }
  }
  return part === 4;
}

/** Parse an IPv6 text address (with :: and an optional trailing dotted quad) into 16 bytes at `o`. */
export function writeIpv6(text: string, out: Uint8Array, o: number): boolean {
  const words: number[] = [];
  let tailQuad: Uint8Array | null = null;
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    tailQuad = new Uint8Array(4);
    if (!writeIpv4(s.slice(lastColon + 1), tailQuad, 0)) return false;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const parse = (h: string): number[] | null => {
    if (h === '') return [];
    const r: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      r.push(parseInt(g, 16));
    }
    return r;
  };
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !tail) return false;
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return false;
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    if (head.length !== 8) return false;
    words.push(...head);
  }
  for (let i = 0; i < 8; i++) {
    out[o + 2 * i] = (words[i] as number) >> 8;
    out[o + 2 * i + 1] = (words[i] as number) & 0xff;
  }
  if (tailQuad) out.set(tailQuad, o + 12);
  return true;
}

/** Parse "aa:bb:cc:dd:ee:ff" into 6 bytes at `o`. */
export function writeMac(text: string, out: Uint8Array, o: number): boolean {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) return false;
  for (let i = 0; i < 6; i++) {
    const p = parts[i] as string;
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return false;
    out[o + i] = parseInt(p, 16);
  }
  return true;
}
