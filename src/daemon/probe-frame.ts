// The frames that resolve a unicast peer's MAC (peer-mac.ts decides when): an ARP request
// (RFC 826) or a neighbour solicitation (RFC 4861 7.2.2), from the address our adverts come
// from, broadcast (IPv6: to the peer's solicited-node group) or, to refresh a known entry,
// unicast to the MAC we have. Pure: bytes out.
import { writeIpv6 } from '../decode/bytes.js';
import { encodeIpv6 } from '../decode/ip.js';
import { encodeEthernet } from '../decode/link.js';
import { ARP_LENGTH, encodeArp, encodeNeighborSolicit, ICMPV6, NS_LENGTH } from '../decode/neighbor.js';
import { EtherType } from '../decode/types.js';
import type { Probe } from './peer-mac.js';

const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const ETHERNET_LENGTH = 14;
const IPV6_LENGTH = 40;

/** Our side of the request: the adverts' source address and the interface's MAC. */
export interface ProbeSource {
  address: string;
  mac: string;
}

export function probeFrame(family: 4 | 6, probe: Probe, from: ProbeSource): Uint8Array {
  if (family === 4) {
    const buf = new Uint8Array(ETHERNET_LENGTH + ARP_LENGTH);
    const o = encodeEthernet({ dstMac: probe.unicastTo ?? BROADCAST, srcMac: from.mac, vlans: [], etherType: EtherType.ARP }, buf, 0);
    encodeArp({ operation: 1, senderMac: from.mac, senderIp: from.address, targetMac: '00:00:00:00:00:00', targetIp: probe.peer }, buf, o);
    return buf;
  }
  const group = solicitedNode(probe.peer);
  const buf = new Uint8Array(ETHERNET_LENGTH + IPV6_LENGTH + NS_LENGTH);
  const ipOffset = encodeEthernet({ dstMac: probe.unicastTo ?? group.mac, srcMac: from.mac, vlans: [], etherType: EtherType.IPV6 }, buf, 0);
  // RFC 4861 7.1.1: hop limit 255; a refresh goes to the peer's own address.
  const dst = probe.unicastTo === null ? group.address : probe.peer;
  const icmp = ipOffset + encodeIpv6({ src: from.address, dst, hopLimit: 255, trafficClass: 0, flowLabel: 0, protocol: ICMPV6, payloadLength: NS_LENGTH }, buf, ipOffset);
  encodeNeighborSolicit({ target: probe.peer, sourceMac: from.mac }, buf, icmp, ipOffset);
  return buf;
}

/** RFC 4291 2.7.1: ff02::1:ffXX:XXXX from the address's low 24 bits, and its MAC (RFC 2464 7). */
export function solicitedNode(address: string): { address: string; mac: string } {
  const b = new Uint8Array(16);
  if (!writeIpv6(address, b, 0)) throw new Error(`${address} is not an IPv6 address`);
  const hex = (i: number): string => (b[i] as number).toString(16).padStart(2, '0');
  return { address: `ff02::1:ff${hex(13)}:${hex(14)}${hex(15)}`, mac: `33:33:ff:${hex(13)}:${hex(14)}:${hex(15)}` };
}
