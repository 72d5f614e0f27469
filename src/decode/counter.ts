// Tallies of what a capture held, for the summary line and the analyzer's `packets` figures.
import { isCutVrrp, type DecodedFrame } from './types.js';

export class FrameCounter {
  frames = 0;
  vrrp = 0;
  /** Frames that could not be decoded, plus VRRP packets cut short (inside the header, the address list or auth). */
  malformed = 0;
  fragments = 0;
  carp = 0;
  arp = 0;
  neighborAdverts = 0;
  readonly unsupportedLinks = new Map<number, number>();

  count(f: DecodedFrame): void {
    this.frames++;
    switch (f.kind) {
      case 'vrrp':
        this.vrrp++;
        if (f.vrrp.truncated) this.malformed++;
        break;
      case 'malformed':
        this.malformed++;
        // A VRRP message cut inside its header is still a VRRP packet, shown with what it holds.
        if (isCutVrrp(f)) this.vrrp++;
        break;
      case 'vrrp-fragment': this.fragments++; break;
      case 'carp': this.carp++; break;
      case 'arp': this.arp++; break;
      case 'neighbor-advert': this.neighborAdverts++; break;
      case 'unsupported-link': this.unsupportedLinks.set(f.linkType, (this.unsupportedLinks.get(f.linkType) ?? 0) + 1); break;
      case 'other': break;
    }
  }

  summary(): string {
    let s = `${this.frames} frames, ${this.vrrp} VRRP packets, ${this.malformed} malformed`;
    if (this.fragments) s += `, ${this.fragments} IP fragments of protocol 112 (not decoded)`;
    if (this.carp) s += `, ${this.carp} CARP packets (protocol 112 but not VRRP)`;
    for (const [lt, n] of this.unsupportedLinks) s += `, ${n} frames of unsupported link type ${lt} skipped`;
    return s;
  }
}
