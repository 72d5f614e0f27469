// Which routers came back: a router whose state a flood evicted before it could advertise three
// times would start from nothing at every advert, and never look regular. The doorkeeper remembers
// every router it is shown (its VRID's key and address) in a fixed-size Bloom filter, so that a
// router seen again is known as one that returns: the same source on the same VRID of the same
// segment twice, which a flood of random sources, VLANs and VRIDs almost never is. Two
// generations, each kept for ROTATE routers, so a router is remembered for at least that many
// newcomers. Bounded: 2 x 2^22 bits (1 MB) whatever comes. Pure.

const BITS = 1 << 22;
/** Newcomers per generation: 64k in 2^22 bits with 2 hashes keeps false positives near 0.1 % a generation. */
const ROTATE = 65_536;

/** FNV-1a over the UTF-16 units of `a`, then `b`, from `seed`. */
function hash(a: string, b: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 16_777_619);
  h = Math.imul(h ^ 0x7c, 16_777_619);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 16_777_619);
  return h >>> 0;
}

export class Doorkeeper {
  private current = new Uint32Array(BITS / 32);
  private previous = new Uint32Array(BITS / 32);
  private added = 0;

  /** Remembers the router `address` of the VRID `vridKey`; true when it was seen before. */
  seen(vridKey: string, address: string): boolean {
    const h1 = hash(vridKey, address, 0x811c9dc5) & (BITS - 1);
    const h2 = hash(vridKey, address, 0x01000193) & (BITS - 1);
    const w1 = h1 >>> 5, m1 = 1 << (h1 & 31);
    const w2 = h2 >>> 5, m2 = 1 << (h2 & 31);
    const cur = this.current, prev = this.previous;
    const before = ((cur[w1]! & m1) !== 0 && (cur[w2]! & m2) !== 0) || ((prev[w1]! & m1) !== 0 && (prev[w2]! & m2) !== 0);
    if (!before) {
      if (++this.added > ROTATE) {
        this.previous = cur;
        this.current = prev.fill(0);
        this.added = 1;
      }
      this.current[w1]! |= m1;
      this.current[w2]! |= m2;
    }
    return before;
  }
}
