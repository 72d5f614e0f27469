// Which frames are repeats: the fast path of `analyze` and `decode`. A healthy VRID repeats the
// same advert every interval: byte for byte the same frame except the IPv4 identification and
// header checksum. The memo keeps the last complete advert of each sender, with what its user
// made of it (the analyzer: the router it updated; `decode`: the text of its line); a frame equal
// to it (those 4 bytes aside) is the same advert again, so what was made of it stands, and only
// time moves (Tracker.repeat). Anything else is decoded in full. Nothing judged reads the
// identification; the IPv4 header checksum is read only to know whether it is right (routers
// drop the advert when not): with every other header byte equal, it is right exactly when the
// identification and the checksum add up (one's complement) to what they did in the remembered
// frame, so that is compared. (`decode --json` also names a wrong one's value, so it does not
// remember such an advert: format/packet.ts jsonTail.)
//
// Most frames of a capture are repeats, so a repeat is found by reading the frame in place and a
// few contiguous words of two flat tables: the sender's slot, then its entry's remembered bytes.

/** What a frame is remembered for. */
export interface Remembered {
  /**
   * Moves whenever what was made of the frame no longer holds (a router's state changed): a
   * repeat matches only while it is the stamp the frame was remembered with.
   */
  stamp: number;
  /** The entry remembering it, -1 for none: kept by the memo. */
  memoEntry: number;
}

const SLOTS = 8192; // a power of two
/** Slots looked at for one sender (linear probing). */
const PROBES = 4;
/** find()'s answer when every probe slot of a sender is taken by others. */
const FULL = -SLOTS - 1;
const MAX_FRAME = 512;
/** A frame of n bytes is compared 8 bytes at a time from its start, then as its last 8 bytes. */
const MAX_CHUNKS = MAX_FRAME / 8 + 1;
/**
 * Layout of an entry in the table, in 32-bit words: the frame's length and link type, then for
 * the IPv4 identification and header checksum (the bytes that need not match) the 8-byte chunk
 * holding each (-1: none) and the bits of its two words that must match; then the frame's 8-byte
 * chunks, its last 8 bytes last, unmatched bits zeroed. A repeat reads only the start of it.
 */
const LENGTH = 0;
const LINK_TYPE = 1;
/** Two of: chunk index, then the masks of its low and high word. */
const MASKED_1 = 2;
const MASKED_2 = 5;
const CHUNKS = 8; // even: 8-byte aligned
const STRIDE = (CHUNKS + 2 * MAX_CHUNKS + 15) & ~15; // whole cache lines
/** The table's typed arrays use the platform's byte order: frames are read in the same one. */
const NATIVE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What an entry remembers besides the bytes. */
interface Entry<V extends Remembered> {
  iface: string | null;
  /** Null once it is forgotten (the Tracker's onForget): the memo keeps no evicted state reachable. */
  value: V | null;
  /** Its stamp when the frame was remembered; -1 once the sender is forgotten. */
  stamp: number;
  /** IPv4: the one's complement sum of the identification and the header checksum; -1 for IPv6. */
  ipSum: number;
}

/** The one's complement sum of two 16-bit words, 0xffff taken as 0 (the same number). */
function onesSum(a: number, b: number): number {
  let x = a + b;
  x = (x & 0xffff) + (x >>> 16);
  return x === 0xffff ? 0 : x;
}

/** onesSum of the identification and header checksum of the IPv4 header at `b[ip]`. */
function ipv4Sum(b: Uint8Array, ip: number): number {
  return onesSum(((b[ip + 4] as number) << 8) | (b[ip + 5] as number), ((b[ip + 10] as number) << 8) | (b[ip + 11] as number));
}

// Scratch output of locate(), so the hot path allocates nothing.
let hash = 0;
let ipOffset = 0;

/**
 * Finds the IP header of the VRRP frame `b[s, s + n)` without decoding it and hashes the sender
 * and VRID into `hash`; `ipOffset` is relative to `s`. False for anything the memo does not handle
 * (it then goes the slow way). It runs for every frame, so it calls nothing.
 */
function locate(linkType: number, b: Uint8Array, s: number, n: number): boolean {
  let o: number;
  let type: number;
  switch (linkType) {
    case 1: // Ethernet
      if (n < 14) return false;
      type = ((b[s + 12] as number) << 8) | (b[s + 13] as number);
      o = 14;
      break;
    case 113: // Linux cooked
      if (n < 16) return false;
      type = ((b[s + 14] as number) << 8) | (b[s + 15] as number);
      o = 16;
      break;
    case 276: // Linux cooked v2
      if (n < 20) return false;
      type = ((b[s] as number) << 8) | (b[s + 1] as number);
      o = 20;
      break;
    case 101:
    case 228:
    case 229: // raw IP
      if (n < 1) return false;
      type = (b[s] as number) >> 4 === 4 ? 0x0800 : 0x86dd;
      o = 0;
      break;
    default:
      return false;
  }
  for (let tags = 0; (type === 0x8100 || type === 0x88a8 || type === 0x9100) && tags < 4; tags++) {
    if (o + 4 > n) return false;
    type = ((b[s + o + 2] as number) << 8) | (b[s + o + 3] as number);
    o += 4;
  }
  const ip = s + o;
  let h: number;
  if (type === 0x0800) {
    if (o + 28 > n || b[ip] !== 0x45 || b[ip + 9] !== 112) return false;
    h = ipv4Key(b, ip);
  } else if (type === 0x86dd) {
    if (o + 48 > n || (b[ip] as number) >> 4 !== 6 || b[ip + 6] !== 112) return false;
    h = Math.imul((b[ip + 41] as number) + 1, 0x85ebca6b);
    for (let i = ip + 8; i < ip + 24; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  } else {
    return false;
  }
  hash = mix(h);
  ipOffset = type === 0x0800 ? o : -1;
  return true;
}

/** The sender's address and the VRID of the IPv4 VRRP packet at `b[ip]`, in one word. */
function ipv4Key(b: Uint8Array, ip: number): number {
  const src = ((b[ip + 12] as number) << 24) | ((b[ip + 13] as number) << 16) | ((b[ip + 14] as number) << 8) | (b[ip + 15] as number);
  return Math.imul(src, 0x9e3779b1) ^ Math.imul((b[ip + 21] as number) + 1, 0x85ebca6b);
}

/** MurmurHash3's finaliser (every input bit moves every output bit), as a small integer: storing it allocates nothing. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff;
}

/** Whether the 8 bytes at `a` of `x` equal those at `b` of `y`. */
function sameChunk(x: DataView<ArrayBufferLike>, a: number, y: DataView<ArrayBufferLike>, b: number): boolean {
  const u = x.getFloat64(a, true);
  if (u === y.getFloat64(b, true) && u !== 0) return true;
  return x.getInt32(a, true) === y.getInt32(b, true) && x.getInt32(a + 4, true) === y.getInt32(b + 4, true);
}

export class FrameMemo<V extends Remembered> {
  /** Per slot, the sender's key (its hash + 1; 0: free) and its entry. Senders hash to slots. */
  private readonly slots = new Int32Array(2 * SLOTS);
  /**
   * Per entry, STRIDE words: see LENGTH to CHUNKS. Entries are numbered in the order senders
   * arrive, so the few a capture has sit together in memory; the table grows as they come.
   */
  private table = new Int32Array(16 * STRIDE);
  /** The same memory: the chunks compare as doubles, 8 bytes at once. */
  private chunks = new Float64Array(this.table.buffer);
  private bytes = new Uint8Array(this.table.buffer);
  private tableView = new DataView(this.table.buffer);
  private readonly entries: Entry<V>[] = [];
  /** A DataView over the last buffer matched in: a chunk holds thousands of frames. */
  private viewOf: Uint8Array | null = null;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** Per slot, a sender asked about by seenBefore() (its hash + 1), by the low bits of its hash. */
  private seen: Int32Array | null = null;

  /**
   * Whether the sender of the VRRP advert `b[s, s + n)` (its address and VRID) was asked about
   * before; from now on it was. A user that makes something costly of an advert to remember it
   * (decode's line) remembers a sender's second advert, not its first: a flood's senders, each
   * heard once, then cost a lookup and no memory. A sender whose place another took since counts
   * as new again.
   */
  seenBefore(linkType: number, b: Uint8Array, s: number, n: number): boolean {
    if (!locate(linkType, b, s, n)) return false;
    const seen = (this.seen ??= new Int32Array(SLOTS));
    const i = hash & (SLOTS - 1);
    if (seen[i] === hash + 1) return true;
    seen[i] = hash + 1;
    return false;
  }

  /** The slot holding sender `h`; else -1 - the first free one of its probe slots, or FULL when none is free. */
  private find(h: number): number {
    const slots = this.slots;
    for (let i = 0; i < PROBES; i++) {
      const slot = (h + i) & (SLOTS - 1);
      const k = slots[2 * slot] as number;
      if (k === h + 1) return slot;
      if (k === 0) return -1 - slot;
    }
    return FULL;
  }

  /**
   * What the remembered advert that the frame `b[s, s + n)` repeats was remembered for, or null.
   * Whether a router can still take a repeat is the tracker's to say. A repeat is a complete VRRP
   * advert: the memo remembers nothing else.
   */
  match(linkType: number, b: Uint8Array, s: number, n: number, iface: string | null): V | null {
    if (!locate(linkType, b, s, n)) return null;
    const slot = this.find(hash);
    if (slot < 0) return null;
    const entry = this.slots[2 * slot + 1] as number;
    const base = entry * STRIDE;
    const table = this.table;
    if (table[base + LENGTH] !== n || table[base + LINK_TYPE] !== linkType) return null;
    if (b !== this.viewOf) {
      this.viewOf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const view = this.view;
    const chunks = this.chunks;
    const c0 = (base + CHUNKS) >> 1;
    const full = n & ~7;
    // Two doubles that are equal and not zero have the same bits. Anything else (a chunk that
    // differs, holds a skipped field, or reads as +0, -0 or NaN) is compared as masked words.
    let c = c0;
    for (let i = 0; i < full; i += 8, c++) {
      const x = view.getFloat64(s + i, NATIVE_LE);
      if ((x !== chunks[c] || x === 0) && !this.sameWords(base, c - c0, view, s + i)) return null;
    }
    if (full < n) {
      // The last chunk, cut by the frame's end, is its last 8 bytes.
      const x = view.getFloat64(s + n - 8, NATIVE_LE);
      if ((x !== chunks[c] || x === 0) && !this.sameWords(base, c - c0, view, s + n - 8)) return null;
    }
    const e = this.entries[entry] as Entry<V>;
    if (ipOffset >= 0 && ipv4Sum(b, s + ipOffset) !== e.ipSum) return null;
    const r = e.value;
    return e.iface === iface && r !== null && r.stamp === e.stamp ? r : null;
  }

  /**
   * match() for an Ethernet frame (link type 1). Untagged IPv4, what nearly every capture holds,
   * is done here in one piece (its helpers are small enough for the JIT to take in): located,
   * hashed, looked up in the first two probe slots and compared, so that it is cheap before the
   * JIT has optimised anything and quick to optimise. Anything else goes the general way.
   */
  matchEthernet(b: Uint8Array, s: number, n: number, iface: string | null): V | null {
    if (n < 42 || n > MAX_FRAME || b[s + 12] !== 0x08 || b[s + 13] !== 0x00) return this.match(1, b, s, n, iface);
    if (b[s + 14] !== 0x45 || b[s + 23] !== 112) return null;
    const h = mix(ipv4Key(b, s + 14));
    const slots = this.slots;
    let slot = h & (SLOTS - 1);
    if (slots[2 * slot] !== h + 1) {
      if (slots[2 * slot] === 0) return null; // a free slot ends the probes: a sender never remembered (a flood's)
      slot = (slot + 1) & (SLOTS - 1);
      if (slots[2 * slot] !== h + 1) return slots[2 * slot] === 0 ? null : this.match(1, b, s, n, iface); // further along its probe slots, or absent
    }
    const entry = slots[2 * slot + 1] as number;
    const base = entry * STRIDE;
    const table = this.table;
    if (table[base + LENGTH] !== n || table[base + LINK_TYPE] !== 1 || table[base + MASKED_1] !== 2 || table[base + MASKED_2] !== 3) return null;
    if (b !== this.viewOf) {
      this.viewOf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const view = this.view;
    // Both sides read little endian, whatever the platform. The identification is the high half of
    // the word at byte 16, the header checksum the low half of the word at byte 24: neither is
    // compared. Two equal doubles that are not zero have the same bits; anything else is compared
    // as words.
    const tv = this.tableView;
    const at = 4 * (base + CHUNKS);
    if (!sameChunk(view, s, tv, at)) return null;
    if (!sameChunk(view, s + 8, tv, at + 8)) return null;
    const w16 = view.getInt32(s + 16, true);
    if (((w16 ^ tv.getInt32(at + 16, true)) & 0xffff) !== 0) return null;
    if (view.getInt32(s + 20, true) !== tv.getInt32(at + 20, true)) return null;
    const w24 = view.getInt32(s + 24, true);
    if (((w24 ^ tv.getInt32(at + 24, true)) & 0xffff0000) !== 0) return null;
    if (view.getInt32(s + 28, true) !== tv.getInt32(at + 28, true)) return null;
    const full = n & ~7;
    for (let i = 32; i < full; i += 8) if (!sameChunk(view, s + i, tv, at + i)) return null;
    if (full < n && !sameChunk(view, s + n - 8, tv, at + full)) return null; // the last 8 bytes
    const e = this.entries[entry] as Entry<V>;
    // The identification (bytes 18-19) and header checksum (24-25), big endian, from the words read.
    if (onesSum(((w16 >>> 8) & 0xff00) | (w16 >>> 24), ((w24 & 0xff) << 8) | ((w24 >>> 8) & 0xff)) !== e.ipSum) return null;
    const r = e.value;
    return e.iface === iface && r !== null && r.stamp === e.stamp ? r : null;
  }

  /** Whether the 8 bytes at `at` equal chunk `k` of the entry at `base`, in the bits that must match. */
  private sameWords(base: number, k: number, view: DataView<ArrayBufferLike>, at: number): boolean {
    const table = this.table;
    const m = table[base + MASKED_1] === k ? base + MASKED_1 : table[base + MASKED_2] === k ? base + MASKED_2 : -1;
    const lo = m < 0 ? -1 : (table[m + 1] as number);
    const hi = m < 0 ? -1 : (table[m + 2] as number);
    const w = base + CHUNKS + 2 * k;
    return (((view.getInt32(at, NATIVE_LE) ^ (table[w] as number)) & lo) | ((view.getInt32(at + 4, NATIVE_LE) ^ (table[w + 1] as number)) & hi)) === 0;
  }

  /**
   * After a full decode of the frame `b[s, s + n)`: remember it for `value`, or forget the sender
   * when null. Only a complete VRRP advert is to be remembered.
   */
  remember(linkType: number, b: Uint8Array, s: number, n: number, iface: string | null, value: V | null): void {
    if (!locate(linkType, b, s, n)) return;
    const h = hash;
    let slot = this.find(h);
    if (value === null || n > MAX_FRAME) {
      if (slot >= 0) this.release(this.slots[2 * slot + 1] as number); // never matches again
      return;
    }
    let entry: number;
    if (slot >= 0) {
      entry = this.slots[2 * slot + 1] as number;
    } else if (slot !== FULL) {
      // A free probe slot: a new entry.
      slot = -1 - slot;
      entry = this.entries.length;
      this.entries.push({ iface, value: null, stamp: -1, ipSum: -1 });
      if ((entry + 1) * STRIDE > this.table.length) this.grow();
    } else {
      // No free probe slot: take the first one's entry (its sender simply takes the slow path next time).
      slot = h & (SLOTS - 1);
      entry = this.slots[2 * slot + 1] as number;
    }
    this.slots[2 * slot] = h + 1;
    this.slots[2 * slot + 1] = entry;
    this.store(entry * STRIDE, linkType, b, s, n, ipOffset);
    const e = this.entries[entry] as Entry<V>;
    if (e.value !== null && e.value !== value) e.value.memoEntry = -1;
    e.iface = iface;
    e.value = value;
    e.stamp = value.stamp;
    e.ipSum = ipOffset >= 0 ? ipv4Sum(b, s + ipOffset) : -1;
    value.memoEntry = entry;
  }

  /** `v` is forgotten (the tracker forgot the router): its entry lets go of it. */
  forget(v: V): void {
    if (v.memoEntry >= 0 && this.entries[v.memoEntry]?.value === v) this.release(v.memoEntry);
    v.memoEntry = -1;
  }

  /** The entry no longer matches, nor holds its value. */
  private release(entry: number): void {
    const e = this.entries[entry] as Entry<V>;
    if (e.value !== null) e.value.memoEntry = -1;
    e.value = null;
    e.stamp = -1;
  }

  /** Doubles the table (at most SLOTS entries ever exist). */
  private grow(): void {
    const table = new Int32Array(2 * this.table.length);
    table.set(this.table);
    this.table = table;
    this.chunks = new Float64Array(table.buffer);
    this.bytes = new Uint8Array(table.buffer);
    this.tableView = new DataView(table.buffer);
  }

  /**
   * Lays the frame `b[s, s + n)` out at `base`; `ip`: where its IPv4 header starts (-1: IPv6),
   * whose identification (bytes 4-5) and header checksum (10-11) need not match.
   */
  private store(base: number, linkType: number, b: Uint8Array, s: number, n: number, ip: number): void {
    const table = this.table;
    table[base + LENGTH] = n;
    table[base + LINK_TYPE] = linkType;
    const at = 4 * (base + CHUNKS);
    const full = n & ~7;
    this.bytes.set(b.subarray(s, s + full), at);
    if (full < n) this.bytes.set(b.subarray(s + n - 8, s + n), at + full);
    table[base + MASKED_1] = -1;
    table[base + MASKED_2] = -1;
    if (ip < 0) return;
    for (const field of [ip + 4, ip + 10]) {
      // Even-aligned, so the field is the first or the second half of one word.
      const k = field >> 3;
      const m = table[base + MASKED_1] === -1 || table[base + MASKED_1] === k ? MASKED_1 : MASKED_2;
      if (table[base + m] !== k) {
        table[base + m] = k;
        table[base + m + 1] = -1;
        table[base + m + 2] = -1;
      }
      const word = (field >> 2) & 1;
      const keep = ((field & 3) === 0) === NATIVE_LE ? 0xffff0000 | 0 : 0x0000ffff;
      table[base + m + 1 + word] = (table[base + m + 1 + word] as number) & keep;
      table[base + CHUNKS + 2 * k + word] = (table[base + CHUNKS + 2 * k + word] as number) & keep;
    }
  }
}
