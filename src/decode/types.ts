// The decoded shapes of every layer vrrpwatch understands. Pure data: no I/O here.

/** pcap/pcapng LINKTYPE_* values we decode (tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0, // BSD loopback: 4-byte address family in host byte order
  ETHERNET: 1,
  RAW: 101, // raw IPv4 or IPv6, version nibble decides
  FRELAY: 107, // Frame Relay (Q.922 address + RFC 2427 NLPID)
  LOOP: 108, // OpenBSD loopback: address family in network byte order
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
export type LinkTypeValue = (typeof LinkType)[keyof typeof LinkType];

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
  IPV6: 0x86dd,
} as const;

export const IP_PROTO_VRRP = 112;

/** Where a decode error happened, so a person can find the byte. */
export type Layer = 'link' | 'vlan' | 'ipv4' | 'ipv6' | 'vrrp' | 'carp' | 'arp' | 'icmpv6';

/** What kind of damage a decoder found. */
export type DecodeErrorKind =
  | 'truncated' // the layer needs more bytes than the frame (or the enclosing length) holds
  | 'bad-length' // a length field contradicts itself or the layer below
  | 'bad-version' // the version field does not match the layer the frame claims
  | 'too-deep'; // more nested headers than any real frame has (VLAN tags)

/** Every decoder returns its layer's value or one of these; decoders never throw. */
export interface DecodeError {
  kind: DecodeErrorKind;
  layer: Layer;
  /** Frame offset of the byte that could not be decoded. */
  offset: number;
  reason: string;
}

export function decodeError(kind: DecodeErrorKind, layer: Layer, offset: number, reason: string): DecodeError {
  return { kind, layer, offset, reason };
}

/** The one guard: no decoded layer value has a `reason`. */
export function isDecodeError(r: object): r is DecodeError {
  return 'reason' in r;
}

export interface LinkInfo {
  /** "aa:bb:cc:dd:ee:ff", or null when the link type carries no MAC (raw IP, null). */
  srcMac: string | null;
  dstMac: string | null;
  /** VLAN ids, outermost first (QinQ gives two). */
  vlans: number[];
  /** Ethertype of the network layer (0x0800, 0x86dd, 0x0806...). */
  etherType: number;
  /** Offset of the network layer in the frame. */
  networkOffset: number;
}

export interface Ipv4Info {
  family: 4;
  src: string;
  dst: string;
  ttl: number;
  tos: number;
  id: number;
  /** The 3 flag bits (reserved, DF, MF) as the top bits of the 16-bit field >> 13. */
  flags: number;
  fragmentOffset: number;
  headerLength: number;
  totalLength: number;
  protocol: number;
  headerChecksum: number;
  /** null when the header is not entirely captured. */
  headerChecksumOk: boolean | null;
  /** Frame offset of the IP header (needed for pseudo-header checksums and encoders). */
  offset: number;
  /** Frame offset of the upper-layer payload. */
  payloadOffset: number;
  /** Upper-layer length per the IP header (Total Length - IHL*4), not the captured length. */
  payloadLength: number;
  /** True for any fragment (MF set or offset > 0). */
  fragment: boolean;
}

export interface Ipv6Info {
  family: 6;
  src: string;
  dst: string;
  hopLimit: number;
  trafficClass: number;
  flowLabel: number;
  /** Upper-layer protocol after hop-by-hop, routing and destination-options headers. */
  protocol: number;
  offset: number;
  payloadOffset: number;
  /** Upper-layer length per the IPv6 header (payload length minus the extension headers). */
  payloadLength: number;
  fragment: boolean;
}

export type IpInfo = Ipv4Info | Ipv6Info;

/** Which checksum computation the VRRP checksum field satisfies. */
export type ChecksumForm =
  | 'message' // VRRPv2: over the VRRP message alone
  | 'pseudo-header' // VRRPv3 per RFC 5798 5.2.8 (IPv4 and IPv6)
  | 'message-only'; // VRRPv3 over IPv4 without the pseudo-header (Cisco IOS, Juniper, RFC 9568)

export interface ChecksumVerdict {
  /** null when the message is not entirely captured and cannot be verified. */
  ok: boolean | null;
  /** The form the packet matches, null when it matches none (or was not verified). */
  form: ChecksumForm | null;
  /** What the checksum field should hold in the form we expect (pseudo-header for v3). */
  expected: number | null;
}

/** What every VRRP message has, whatever its version (RFC 3768 5.1, RFC 5798 5.1). */
interface VrrpCommon {
  type: number;
  vrid: number;
  priority: number;
  count: number;
  /** Raw interval field: v2 seconds (byte 5), v3 12-bit centiseconds. */
  intervalRaw: number;
  /** Advertisement interval in centiseconds whatever the version (v2: seconds * 100). */
  intervalCs: number;
  checksum: number;
  /** Virtual addresses decoded, in the IP layer's family; fewer than count when truncated. */
  addresses: string[];
  /** Message length per the IP layer. */
  length: number;
  /** Bytes of the message actually present in the frame. */
  capturedLength: number;
  /** The address list (or v2 auth data) runs past the message or the capture: decoded partially. */
  truncated: boolean;
  /** Frame offset of the first byte the message needs and the frame lacks; null when not truncated. */
  truncatedAt: number | null;
  /** Bytes after the fields the version defines (Cisco MD5 trailer, padding...). */
  trailingBytes: number;
  /** Frame offset of the VRRP message. */
  offset: number;
}

/**
 * VRRPv2 (RFC 3768), and any version other than 3, decoded with the v2 layout as Wireshark does
 * (validate.ts flags the version).
 */
export interface VrrpV2 extends VrrpCommon {
  version: number;
  /** Byte 4. */
  authType: number;
  /** The 8 auth bytes following the addresses, null when absent. */
  authData: Uint8Array | null;
  /** Printable auth string (type 1), without trailing NULs; null otherwise. Raw: escape to print. */
  authString: string | null;
  /** Cisco MD5 (auth type 254): the bytes after the 8 auth bytes, to the end of the message. */
  md5Digest: Uint8Array | null;
  /** Frame offset of md5Digest; null without one. */
  md5Offset: number | null;
  reserved: 0;
  /** The message ends before the 8 bytes of auth data RFC 3768 requires (seen from synthetic generators). */
  authMissing: boolean;
}

/** VRRPv3 (RFC 5798 / RFC 9568): no authentication, a 12-bit interval in centiseconds. */
export interface VrrpV3 extends VrrpCommon {
  version: 3;
  authType: null;
  authData: null;
  authString: null;
  md5Digest: null;
  md5Offset: null;
  /** The 4 reserved bits. */
  reserved: number;
  authMissing: false;
}

export type VrrpPacket = VrrpV2 | VrrpV3;

export function isVrrpV3(v: VrrpPacket): v is VrrpV3 {
  return v.version === 3;
}

/**
 * The part of a VRRP header that a frame cut before its 8th byte still holds, as tcpdump and
 * tshark show it: every field present, absent ones null.
 */
export interface VrrpHeaderPart {
  version: number | null;
  type: number | null;
  vrid: number | null;
  priority: number | null;
  count: number | null;
  /** v2 layout only (byte 4). */
  authType: number | null;
  intervalRaw: number | null;
  intervalCs: number | null;
  /** Never present: it is bytes 6-7. */
  checksum: null;
  length: number;
  capturedLength: number;
  truncated: true;
  truncatedAt: number;
  offset: number;
}

/** CARP (OpenBSD/FreeBSD) also uses IP protocol 112 with version nibble 2. */
export interface CarpPacket {
  version: number;
  type: number;
  vhid: number;
  advskew: number;
  authLength: number;
  demotion: number;
  advbase: number;
  checksum: number;
  counter: Uint8Array;
  offset: number;
}

export interface ArpPacket {
  operation: number; // 1 request, 2 reply
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
  /** Gratuitous: sender IP equals target IP. */
  gratuitous: boolean;
}

export interface NeighborAdvert {
  target: string;
  /** Target link-layer address option, when present. */
  targetMac: string | null;
  override: boolean;
  solicited: boolean;
  router: boolean;
}

/** The result of decoding one captured frame. Decoders never throw: a problem is a `malformed`. */
export type DecodedFrame =
  | { kind: 'vrrp'; link: LinkInfo; ip: IpInfo; vrrp: VrrpPacket; checksum: ChecksumVerdict }
  | { kind: 'carp'; link: LinkInfo; ip: IpInfo; carp: CarpPacket }
  | { kind: 'arp'; link: LinkInfo; arp: ArpPacket }
  | { kind: 'neighbor-advert'; link: LinkInfo; ip: Ipv6Info; na: NeighborAdvert }
  /** An IP fragment carrying protocol 112: counted, never decoded as VRRP. */
  | { kind: 'vrrp-fragment'; link: LinkInfo; ip: IpInfo }
  | {
      kind: 'malformed';
      /** The DecodeError's kind. */
      cause: DecodeErrorKind;
      layer: Layer;
      /** Frame offset of the byte that could not be decoded. */
      offset: number;
      reason: string;
      link: LinkInfo | null;
      ip: IpInfo | null;
      /** A VRRP header cut before its 8th byte: the fields it still holds (layer 'vrrp' only). */
      vrrp: VrrpHeaderPart | null;
    }
  /** A link type we do not decode (Frame Relay, 802.11...): counted once per type, not per frame. */
  | { kind: 'unsupported-link'; linkType: number }
  /** Anything that is none of the above (other protocols): skipped. */
  | { kind: 'other' };

export type VrrpFrame = Extract<DecodedFrame, { kind: 'vrrp' }>;
/** A VRRP message cut before the end of its 8-byte header: shown with the fields it holds. */
export type CutVrrpFrame = Extract<DecodedFrame, { kind: 'malformed' }> & { vrrp: VrrpHeaderPart; ip: IpInfo };
/** What decode shows as a VRRP packet: a decoded one, or one cut inside its header. */
export type ShownVrrp = VrrpFrame | CutVrrpFrame;

export function isCutVrrp(f: DecodedFrame): f is CutVrrpFrame {
  return f.kind === 'malformed' && f.vrrp !== null && f.ip !== null;
}

export type Severity = 'error' | 'warning' | 'info';

/** A rule broken by a packet, from the separate validation step. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
}

export const FINDING_CODES = [
  'bad-checksum',
  'checksum-message-only',
  'bad-ip-checksum',
  'bad-ttl',
  'unknown-version',
  'unknown-type',
  'truncated',
  'auth-missing',
  'trailing-bytes',
  'count-zero',
  'vrid-zero',
  'interval-zero',
  'reserved-bits',
  'v3-auth',
  'auth-type',
  'family-mismatch',
  'ipv6-first-not-link-local',
  'unicast-destination',
  'source-mac',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
