// The fast path. A healthy VRID repeats the same advert every interval: byte for byte the same
// frame except the IPv4 identification and header checksum. The memo keeps the last complete
// advert of each sender; a frame equal to it (those 4 bytes aside) is the same advert again, so
// only time moves (Tracker.repeat). Anything else is decoded in full. The analysis never reads
// the IPv4 identification or header checksum, so both paths give the same result.

import type { DecodedFrame } from '../decode/types.js';
import type { RouterState } from './state.js';

const SLOTS = 8192; // a power of two
/** Entries looked at for one sender (linear probing). */
const PROBES = 4;
const MAX_FRAME = 512;

interface Entry {
  /** The sender's 32-bit hash. */
  key: number;
  /** The frame as little-endian 32-bit words (the last one zero padded), skipped bytes zeroed. */
  words: Int32Array;
  /** Per word, the bits that must match: all but the IPv4 identification and header checksum. */
  masks: Int32Array;
  length: number;
  linkType: number;
  iface: string | null;
  router: RouterState;
  stamp: number;
  /** The decoded frame, so that counting a repeat is counting the original. */
  frame: DecodedFrame;
}

// Scratch output of locate(), so the hot path allocates nothing.
let hash = 0;
let ipOffset = 0;

function u16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

/**
 * Finds the IP header of a VRRP frame without decoding it and hashes the sender and VRID into
 * `slot`. False for anything the memo does not handle (it then goes the slow way).
 */
function locate(linkType: number, b: Uint8Array): boolean {
  const n = b.length;
  let o: number;
  let type: number;
  switch (linkType) {
    case 1: // Ethernet
      if (n < 14) return false;
      type = u16(b, 12);
      o = 14;
      break;
    case 113: // Linux cooked
      if (n < 16) return false;
      type = u16(b, 14);
      o = 16;
      break;
    case 276: // Linux cooked v2
      if (n < 20) return false;
      type = u16(b, 0);
      o = 20;
      break;
    case 101:
    case 228:
    case 229: // raw IP
      if (n < 1) return false;
      type = (b[0] as number) >> 4 === 4 ? 0x0800 : 0x86dd;
      o = 0;
      break;
    default:
      return false;
  }
  for (let tags = 0; (type === 0x8100 || type === 0x88a8 || type === 0x9100) && tags < 4; tags++) {
    if (o + 4 > n) return false;
    type = u16(b, o + 2);
    o += 4;
  }
  let h: number;
  if (type === 0x0800) {
    if (o + 28 > n || b[o] !== 0x45 || b[o + 9] !== 112) return false;
    h = ((b[o + 12] as number) << 24) | ((b[o + 13] as number) << 16) | ((b[o + 14] as number) << 8) | (b[o + 15] as number);
    h = mix(Math.imul(h, 0x9e3779b1) ^ Math.imul((b[o + 21] as number) + 1, 0x85ebca6b));
  } else if (type === 0x86dd) {
    if (o + 48 > n || (b[o] as number) >> 4 !== 6 || b[o + 6] !== 112) return false;
    h = Math.imul((b[o + 41] as number) + 1, 0x85ebca6b);
    for (let i = o + 8; i < o + 24; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
    h = mix(h);
  } else {
    return false;
  }
  hash = h & 0x3fffffff; // a small integer: storing it allocates nothing
  ipOffset = type === 0x0800 ? o : -1;
  return true;
}

/** MurmurHash3's finaliser: every input bit moves every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The bytes of `b` from `i` packed little-endian, as many as remain up to 4. */
function wordAt(b: Uint8Array, i: number, n: number): number {
  let w = 0;
  for (let k = Math.min(3, n - 1 - i); k >= 0; k--) w = (w << 8) | (b[i + k] as number);
  return w;
}

function same(e: Entry, b: Uint8Array): boolean {
  const words = e.words;
  const masks = e.masks;
  const n = b.length;
  let i = 0;
  let j = 0;
  for (; i + 3 < n; i += 4, j++) {
    const w = (b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24);
    if ((w & (masks[j] as number)) !== words[j]) return false;
  }
  return i === n || (wordAt(b, i, n) & (masks[j] as number)) === words[j];
}

/** Fills the entry's words and masks from `b`, masking the IPv4 identification and header checksum at `skip`. */
function store(e: Entry, b: Uint8Array, n: number, skip: number): void {
  const words = e.words;
  const masks = e.masks;
  const count = (n + 3) >> 2;
  masks.fill(-1, 0, count);
  if (skip >= 0) {
    for (const d of [4, 5, 10, 11]) {
      const at = skip + d;
      masks[at >> 2] = (masks[at >> 2] as number) & ~(0xff << ((at & 3) * 8));
    }
  }
  for (let j = 0; j < count; j++) words[j] = wordAt(b, 4 * j, n) & (masks[j] as number);
}

export class FrameMemo {
  private readonly slots: (Entry | undefined)[] = new Array<Entry | undefined>(SLOTS).fill(undefined);

  /** The sender's entry: its slot, or -1 when none of its probe slots holds it. */
  private find(h: number): number {
    for (let i = 0; i < PROBES; i++) {
      const at = (h + i) & (SLOTS - 1);
      const e = this.slots[at];
      if (e === undefined) return -1;
      if (e.key === h) return at;
    }
    return -1;
  }

  /** The remembered advert `b` repeats, or null. `valid` says whether its router can still take a repeat. */
  match(linkType: number, b: Uint8Array, iface: string | null, valid: (r: RouterState) => boolean): Entry | null {
    if (!locate(linkType, b)) return null;
    const h = hash;
    const slots = this.slots;
    let e = slots[h & (SLOTS - 1)];
    for (let i = 1; e !== undefined && e.key !== h; i++) e = i < PROBES ? slots[(h + i) & (SLOTS - 1)] : undefined;
    if (e === undefined || e.length !== b.length || e.linkType !== linkType || e.iface !== iface) return null;
    const r = e.router;
    if (r.stamp !== e.stamp || !same(e, b) || !valid(r)) return null;
    return e;
  }

  /** After a full decode: remember the frame for `router`, or forget the sender when null. */
  remember(linkType: number, b: Uint8Array, iface: string | null, frame: DecodedFrame, router: RouterState | null): void {
    if (!locate(linkType, b)) return;
    const h = hash;
    let at = this.find(h);
    if (router === null || b.length > MAX_FRAME) {
      if (at >= 0) (this.slots[at] as Entry).stamp = -1; // never matches again; the slot stays reusable by key
      return;
    }
    if (at < 0) {
      // A free probe slot, else the first one (its sender simply takes the slow path next time).
      at = h & (SLOTS - 1);
      for (let i = 0; i < PROBES; i++) {
        const j = (h + i) & (SLOTS - 1);
        if (this.slots[j] === undefined) {
          at = j;
          break;
        }
      }
    }
    let e = this.slots[at];
    if (e === undefined) {
      e = { key: h, words: new Int32Array(MAX_FRAME / 4), masks: new Int32Array(MAX_FRAME / 4), length: 0, linkType, iface, router, stamp: router.stamp, frame };
      this.slots[at] = e;
    }
    e.key = h;
    store(e, b, b.length, ipOffset);
    e.length = b.length;
    e.linkType = linkType;
    e.iface = iface;
    e.router = router;
    e.stamp = router.stamp;
    e.frame = frame;
  }
}

export type { Entry as MemoEntry };
