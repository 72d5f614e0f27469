// The frames around a send-garp effect: gratuitous ARPs (IPv4) and unsolicited neighbour
// advertisements (IPv6) that tell the segment which MAC now answers for a virtual address.
// Pure: bytes out. Laid out as keepalived 2.2.7 sends them (captures/master-crash.pcap,
// captures/v3-ipv6.pcap), apart from the NA's Router flag, which RFC 5798 6.4.2 asks for.
import { encodeEthernet } from '../decode/link.js';
import { encodeIpv6 } from '../decode/ip.js';
import { ARP_LENGTH, encodeArp, encodeNeighborAdvert, ICMPV6, NA_LENGTH } from '../decode/neighbor.js';
import { EtherType } from '../decode/types.js';

const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const ALL_NODES = 'ff02::1';
const ALL_NODES_MAC = '33:33:00:00:00:01';
const ETHERNET_LENGTH = 14;
const IPV6_LENGTH = 40;

/**
 * One gratuitous ARP or unsolicited NA for `address`, from `mac` (the interface's or the
 * virtual MAC, whichever will answer for the address).
 */
export function garpFrame(family: 4 | 6, address: string, mac: string): Uint8Array {
  if (family === 4) {
    // RFC 3768 6.4.2 / RFC 5227 3: an ARP request for the address itself, broadcast; keepalived's target MAC is all ones.
    const buf = new Uint8Array(ETHERNET_LENGTH + ARP_LENGTH);
    const o = encodeEthernet({ dstMac: BROADCAST, srcMac: mac, vlans: [], etherType: EtherType.ARP }, buf, 0);
    encodeArp({ operation: 1, senderMac: mac, senderIp: address, targetMac: BROADCAST, targetIp: address }, buf, o);
    return buf;
  }
  // RFC 5798 6.4.2 / RFC 4861 7.2.6: an unsolicited NA to all nodes, Override set, Solicited clear, Router set.
  const buf = new Uint8Array(ETHERNET_LENGTH + IPV6_LENGTH + NA_LENGTH);
  const ipOffset = encodeEthernet({ dstMac: ALL_NODES_MAC, srcMac: mac, vlans: [], etherType: EtherType.IPV6 }, buf, 0);
  const icmpOffset = ipOffset + encodeIpv6({ src: address, dst: ALL_NODES, hopLimit: 255, trafficClass: 0, flowLabel: 0, protocol: ICMPV6, payloadLength: NA_LENGTH }, buf, ipOffset);
  encodeNeighborAdvert({ target: address, targetMac: mac, router: true, solicited: false, override: true }, buf, icmpOffset, ipOffset);
  return buf;
}
