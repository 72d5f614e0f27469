// The advert frame a master sends every Advertisement_Interval, built once and kept. The machine
// hands over the same message object for as long as nothing in it changes (priority, addresses,
// interval, authentication); for that message, from the same source to the same destination,
// the next frame is the last one with a new IPv4 identification and header checksum (the VRRP
// checksum does not cover them; an IPv6 frame does not change at all). No allocation and no
// address parsing per advert: 200 instances send 200 frames a second. Pure: bytes out.
import { finish, sum16 } from '../decode/checksum.js';
import { advertFrameLength, encodeAdvertFrame } from '../decode/frame.js';
import { ethernetEncodingLength, sameVlans } from '../decode/link.js';
import type { VrrpMessage } from '../decode/vrrp.js';
import { advertFrameSpec, type AdvertLink, type UnicastDestination } from './advert.js';

const IPV4_HEADER_LENGTH = 20;
/** No VLAN tag (shared, so that the check of every advert allocates nothing). */
const NO_VLANS: readonly number[] = [];

export class AdvertFrames {
  #message: VrrpMessage | null = null;
  #family: 4 | 6 = 4;
  #src = '';
  #mac: string | null = null;
  #to: UnicastDestination | null = null;
  #vlans: readonly number[] = [];
  #frame: Uint8Array = new Uint8Array(0);
  /** Where the IPv4 header starts (after Ethernet and any VLAN tags). */
  #ipOffset = 0;

  /**
   * The frame of `message` over `link` (to `to`, or the group): the kept one, its IPv4
   * identification set to `link.ipId`, or a new one when anything but the identification
   * differs from the last call. Valid until the next call: the caller sends it at once (the
   * kernel copies it) and keeps no reference.
   */
  frame(message: VrrpMessage, link: AdvertLink, to: UnicastDestination | null = null): Uint8Array {
    const ipId = link.ipId ?? 0;
    if (message !== this.#message || link.family !== this.#family || link.srcAddress !== this.#src || link.interfaceMac !== this.#mac || !sameDestination(to, this.#to) || !sameVlans(link.vlans ?? NO_VLANS, this.#vlans)) {
      const spec = advertFrameSpec(message, link, to);
      this.#frame = new Uint8Array(advertFrameLength(spec));
      encodeAdvertFrame(spec, this.#frame);
      this.#message = message;
      this.#family = link.family;
      this.#src = link.srcAddress;
      this.#mac = link.interfaceMac;
      this.#to = to === null ? null : { ...to };
      this.#vlans = [...(link.vlans ?? NO_VLANS)];
      this.#ipOffset = ethernetEncodingLength({ ...spec.ethernet, etherType: 0 });
      return this.#frame;
    }
    if (this.#family === 4) setIpv4Id(this.#frame, this.#ipOffset, ipId);
    return this.#frame;
  }
}

function sameDestination(a: UnicastDestination | null, b: UnicastDestination | null): boolean {
  return a === null || b === null ? a === b : a.address === b.address && a.mac === b.mac;
}

/** RFC 791 3.1: a new Identification, and the header checksum over the 20 bytes again. */
function setIpv4Id(frame: Uint8Array, o: number, id: number): void {
  frame[o + 4] = id >> 8;
  frame[o + 5] = id & 0xff;
  frame[o + 10] = 0;
  frame[o + 11] = 0;
  const ck = finish(sum16(frame, o, IPV4_HEADER_LENGTH));
  frame[o + 10] = ck >> 8;
  frame[o + 11] = ck & 0xff;
}
