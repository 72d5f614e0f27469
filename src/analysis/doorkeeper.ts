// Which routers came back: a router whose state a flood evicted before it could advertise three
// times would start from nothing at every advert, and never look regular. The doorkeeper remembers
// every router it is shown (its VRID's key and address) in a fixed-size Bloom filter, so that a
// router seen again is known as one that returns: the same source on the same VRID of the same
// segment twice, which a flood of random sources, VLANs and VRIDs almost never is. Two
// generations, each kept for ROTATE routers, so a router is remembered for at least that many
// newcomers. Bounded: 2 x 2^22 bits (1 MB) whatever comes. Pure.
//
// A segment's routers are a few hundred at most; only a flood brings thousands. So the first
// SMALL_ROTATE newcomers go into a filter of the same bits per router (the same false positives)
// 64 times smaller, and their hashes are kept; the 1 MB arrives with the first newcomer past them,
// which is when they are put into it. A capture without a flood never pays for the large filter:
// its memory, reached at random, costs a page fault on every new page touched (2 ms of a
// 1,000,000-advert `analyze`).

import { ipv4Word } from '../decode/address.js';

const BITS = 1 << 22;
/** Newcomers per generation: 64k in 2^22 bits with 2 hashes keeps false positives near 0.1 % a generation. */
const ROTATE = 65_536;
/** The first newcomers, before the large filter: as many bits per newcomer as a generation has. */
const SMALL_ROTATE = 1024;
const SMALL_BITS = (BITS / ROTATE) * SMALL_ROTATE;

const SEED_1 = 0x811c9dc5;
const SEED_2 = 0x01000193;

/** FNV-1a over the UTF-16 units of `a` from `h`. */
function fnv(a: string, h: number): number {
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 16_777_619);
  return h;
}

/** Hashes `v`'s key once, into the key itself. */
function keyHashes(v: DoorkeeperKey): void {
  if (v.keyHash1 === 0 && v.keyHash2 === 0) {
    v.keyHash1 = Math.imul(fnv(v.key, SEED_1) ^ 0x7c, 16_777_619);
    v.keyHash2 = Math.imul(fnv(v.key, SEED_2) ^ 0x7c, 16_777_619);
  }
}

/** What the doorkeeper keeps on a VRID: both hashes of its key, so that only the address is hashed per router. */
export interface DoorkeeperKey {
  readonly key: string;
  /** FNV-1a of the key and a separator, from SEED_1 and SEED_2; both 0 until first asked. */
  keyHash1: number;
  keyHash2: number;
}

export class Doorkeeper {
  private current = new Uint32Array(SMALL_BITS / 32);
  /** All zero until the large filter: the small one has one generation. */
  private previous = new Uint32Array(SMALL_BITS / 32);
  /** BITS - 1 once the large filter is in use; SMALL_BITS - 1 before. */
  private mask = SMALL_BITS - 1;
  private added = 0;
  /** Before the large filter: the two hashes of every newcomer so far (null after). */
  private firstHashes: Int32Array | null = new Int32Array(2 * SMALL_ROTATE);

  /**
   * Remembers the router `address` of the VRID `v`; true when it was seen before. An IPv4 address
   * is remembered by its number (seenIpv4), so that a flood's adverts read in place, never given
   * text, are asked about the same way.
   */
  seen(v: DoorkeeperKey, address: string): boolean {
    const word = ipv4Word(address);
    if (word >= 0) return this.seenIpv4(v, word);
    keyHashes(v);
    // FNV-1a over the key, a separator and the address, from two seeds, in one pass over the address.
    let a = v.keyHash1;
    let b = v.keyHash2;
    for (let i = 0; i < address.length; i++) {
      const c = address.charCodeAt(i);
      a = Math.imul(a ^ c, 16_777_619);
      b = Math.imul(b ^ c, 16_777_619);
    }
    return this.remember(a, b);
  }

  /** seen() of the IPv4 router whose address is `word` (decode/address.ts ipv4Word). */
  seenIpv4(v: DoorkeeperKey, word: number): boolean {
    keyHashes(v);
    // FNV-1a over the key, a separator and the address's 4 bytes (a 4 marks the family).
    let a = Math.imul(v.keyHash1 ^ 4, 16_777_619);
    let b = Math.imul(v.keyHash2 ^ 4, 16_777_619);
    for (let shift = 24; shift >= 0; shift -= 8) {
      const c = (word >>> shift) & 0xff;
      a = Math.imul(a ^ c, 16_777_619);
      b = Math.imul(b ^ c, 16_777_619);
    }
    return this.remember(a, b);
  }

  /** The filter's answer for the two hashes `a` and `b`, which it remembers when it had not. */
  private remember(a: number, b: number): boolean {
    const h1 = (a >>> 0) & this.mask;
    const h2 = (b >>> 0) & this.mask;
    const w1 = h1 >>> 5, m1 = 1 << (h1 & 31);
    const w2 = h2 >>> 5, m2 = 1 << (h2 & 31);
    const cur = this.current, prev = this.previous;
    const before = ((cur[w1]! & m1) !== 0 && (cur[w2]! & m2) !== 0) || ((prev[w1]! & m1) !== 0 && (prev[w2]! & m2) !== 0);
    if (before) return true;
    const first = this.firstHashes;
    if (first !== null) {
      if (this.added < SMALL_ROTATE) {
        first[2 * this.added] = a;
        first[2 * this.added + 1] = b;
        this.added++;
        this.set(a, b);
        return false;
      }
      this.enlarge(first);
    }
    if (++this.added > ROTATE) {
      const oldest = this.previous;
      this.previous = this.current;
      this.current = oldest.fill(0);
      this.added = 1;
    }
    this.set(a, b);
    return false;
  }

  /** Sets the bits of `a` and `b` in the current generation. */
  private set(a: number, b: number): void {
    const h1 = (a >>> 0) & this.mask;
    const h2 = (b >>> 0) & this.mask;
    this.current[h1 >>> 5]! |= 1 << (h1 & 31);
    this.current[h2 >>> 5]! |= 1 << (h2 & 31);
  }

  /** From the small filter to the large one, with every newcomer so far (`first`: their hashes). */
  private enlarge(first: Int32Array): void {
    this.current = new Uint32Array(BITS / 32);
    this.previous = new Uint32Array(BITS / 32);
    this.mask = BITS - 1;
    this.firstHashes = null;
    for (let i = 0; i < SMALL_ROTATE; i++) this.set(first[2 * i] as number, first[2 * i + 1] as number);
  }

  /** Whether the large filter is in use (tests). */
  get enlarged(): boolean {
    return this.firstHashes === null;
  }
}
