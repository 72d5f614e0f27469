// One captured frame in, one DecodedFrame out: dispatch by link type, ethertype and IP protocol.
// Never throws on input; layers decoded before a problem are kept in the `malformed` result.
import { decodeLink, encodeEthernet, ethernetEncodingLength, isUnsupported, type EthernetHeader } from './link.js';
import { decodeIpv4, decodeIpv6, encodeIpv4, encodeIpv6, type Ipv4Header, type Ipv6Header } from './ip.js';
import { decodeCarp, decodeVrrp, encodeVrrp, isVrrpCut, looksLikeCarp, vrrpEncodingLength, type VrrpEncodeOptions, type VrrpMessage } from './vrrp.js';
import { decodeArp, decodeNeighborAdvert, ICMPV6 } from './neighbor.js';
import { verifyVrrpChecksum } from './checksum.js';
import { EtherType, IP_PROTO_VRRP, isDecodeError, type DecodeError, type DecodedFrame, type IpInfo, type LinkInfo, type VrrpHeaderPart } from './types.js';

const OTHER: DecodedFrame = { kind: 'other' };

function malformed(e: DecodeError, link: LinkInfo | null, ip: IpInfo | null, vrrp: VrrpHeaderPart | null = null): DecodedFrame {
  return { kind: 'malformed', cause: e.kind, layer: e.layer, offset: e.offset, reason: e.reason, link, ip, vrrp };
}

export function decodeFrame(linkType: number, b: Uint8Array): DecodedFrame {
  const link = decodeLink(linkType, b);
  if (isUnsupported(link)) return { kind: 'unsupported-link', linkType };
  if (isDecodeError(link)) return malformed(link, null, null);
  const o = link.networkOffset;
  switch (link.etherType) {
    case EtherType.IPV4: {
      const ip = decodeIpv4(b, o);
      if (isDecodeError(ip)) return malformed(ip, link, null);
      if (ip.protocol !== IP_PROTO_VRRP) return OTHER;
      return decodeProto112(b, link, ip);
    }
    case EtherType.IPV6: {
      const ip = decodeIpv6(b, o);
      if (isDecodeError(ip)) return malformed(ip, link, null);
      if (ip.protocol === IP_PROTO_VRRP) return decodeProto112(b, link, ip);
      if (ip.protocol === ICMPV6 && !ip.fragment) {
        const na = decodeNeighborAdvert(b, ip.payloadOffset, ip.payloadLength);
        if (na === null) return OTHER;
        if (isDecodeError(na)) return malformed(na, link, ip);
        return { kind: 'neighbor-advert', link, ip, na };
      }
      return OTHER;
    }
    case EtherType.ARP: {
      const arp = decodeArp(b, o);
      if (arp === null) return OTHER;
      if (isDecodeError(arp)) return malformed(arp, link, null);
      return { kind: 'arp', link, arp };
    }
    default:
      return OTHER;
  }
}

function decodeProto112(b: Uint8Array, link: LinkInfo, ip: IpInfo): DecodedFrame {
  if (ip.fragment) return { kind: 'vrrp-fragment', link, ip };
  const o = ip.payloadOffset;
  if (looksLikeCarp(b, o, ip.payloadLength)) {
    const carp = decodeCarp(b, o);
    if (isDecodeError(carp)) return malformed(carp, link, ip);
    return { kind: 'carp', link, ip, carp };
  }
  const vrrp = decodeVrrp(b, o, ip.payloadLength, ip);
  if (isVrrpCut(vrrp)) return malformed(vrrp.error, link, ip, vrrp.part);
  return { kind: 'vrrp', link, ip, vrrp, checksum: verifyVrrpChecksum(b, ip, o, ip.payloadLength, vrrp.version) };
}

/** A whole advertisement frame to build (the daemon's adverts, test fixtures). */
export type AdvertFrameSpec = {
  ethernet: Omit<EthernetHeader, 'etherType'>;
  vrrp: VrrpMessage;
} & (
  | { ip: Omit<Ipv4Header, 'protocol' | 'payloadLength'> & { family: 4 } }
  | { ip: Omit<Ipv6Header, 'protocol' | 'payloadLength'> & { family: 6 } }
);

export function advertFrameLength(spec: AdvertFrameSpec): number {
  const eth = ethernetEncodingLength({ ...spec.ethernet, etherType: 0 });
  return eth + (spec.ip.family === 4 ? 20 : 40) + vrrpEncodingLength(spec.vrrp, spec.ip.family);
}

/** Build Ethernet + IP + VRRP into `buf` at `o` (checksums computed unless told otherwise). */
export function encodeAdvertFrame(spec: AdvertFrameSpec, buf: Uint8Array, o = 0, opts: VrrpEncodeOptions = {}): number {
  const family = spec.ip.family;
  let p = o + encodeEthernet({ ...spec.ethernet, etherType: family === 4 ? EtherType.IPV4 : EtherType.IPV6 }, buf, o);
  const payloadLength = vrrpEncodingLength(spec.vrrp, family);
  const ipOffset = p;
  if (spec.ip.family === 4) p += encodeIpv4({ ...spec.ip, protocol: IP_PROTO_VRRP, payloadLength }, buf, p, opts);
  else p += encodeIpv6({ ...spec.ip, protocol: IP_PROTO_VRRP, payloadLength }, buf, p);
  const ipInfo = { family, offset: ipOffset } as IpInfo; // pseudoHeaderSum reads only these
  p += encodeVrrp(spec.vrrp, buf, p, { ...opts, family }, ipInfo);
  return p - o;
}
