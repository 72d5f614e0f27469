// The whole frame around a send-advert effect: what the edge hands to encodeAdvertFrame.
import type { AdvertFrameSpec } from '../decode/frame.js';
import { virtualMac } from '../decode/validate.js';
import type { VrrpMessage } from '../decode/vrrp.js';

export const VRRP_GROUP = { 4: '224.0.0.18', 6: 'ff02::12' } as const;
export const VRRP_GROUP_MAC = { 4: '01:00:5e:00:00:12', 6: '33:33:00:00:00:12' } as const;
/** IP precedence 6 (internetwork control), what keepalived and FRR send. */
export const VRRP_TOS = 0xc0;

export interface AdvertLink {
  family: 4 | 6;
  /** Our primary address on the interface (IPv6: link-local), the advert's source. */
  srcAddress: string;
  /** The interface's MAC (keepalived's default), or null to send from the virtual MAC (--vmac). */
  interfaceMac: string | null;
  /** IPv4 identification; keepalived counts up per advert. Default 0. */
  ipId?: number;
  vlans?: number[];
}

/** A unicast advert's destination (keepalived's unicast_peer): the peer and the MAC it answers from. */
export interface UnicastDestination {
  address: string;
  mac: string;
}

export function advertFrameSpec(message: VrrpMessage, link: AdvertLink, to: UnicastDestination | null = null): AdvertFrameSpec {
  const srcMac = link.interfaceMac ?? virtualMac(link.family, message.vrid);
  const ethernet = { dstMac: to?.mac ?? VRRP_GROUP_MAC[link.family], srcMac, vlans: link.vlans ?? [] };
  // RFC 3768 5.2.3 / 5798 5.1.1.3: TTL / Hop Limit 255, sent to the VRRP multicast group (or, as
  // keepalived's unicast_peer, to each peer, still at 255).
  if (link.family === 4) {
    return {
      ethernet,
      ip: { family: 4, src: link.srcAddress, dst: to?.address ?? VRRP_GROUP[4], ttl: 255, tos: VRRP_TOS, id: link.ipId ?? 0, flags: 0, fragmentOffset: 0 },
      vrrp: message,
    };
  }
  return {
    ethernet,
    ip: { family: 6, src: link.srcAddress, dst: to?.address ?? VRRP_GROUP[6], hopLimit: 255, trafficClass: VRRP_TOS, flowLabel: 0 },
    vrrp: message,
  };
}
