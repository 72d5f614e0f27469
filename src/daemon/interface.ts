// What the daemon needs to know about its interface, read from `ip -j addr show dev IFACE`
// (iproute2's JSON): its MAC, whether it is up, and the primary address adverts are sent from.
// Pure: the edge (host.ts) runs the command and hands the text over.
import { ipv4At, ipv6At, writeIpv4, writeIpv6 } from '../decode/bytes.js';
import type { Vip } from './config.js';

export interface InterfaceAddress {
  family: 4 | 6;
  address: string;
  prefixLength: number;
  scope: string;
  secondary: boolean;
}

export interface InterfaceFacts {
  name: string;
  ifindex: number;
  mac: string;
  /** IFF_UP (administratively up). */
  up: boolean;
  addresses: InterfaceAddress[];
}

interface IpJsonAddr {
  family?: string;
  local?: string;
  prefixlen?: number;
  scope?: string;
  secondary?: boolean;
}

interface IpJsonLink {
  ifindex?: number;
  ifname?: string;
  address?: string;
  link_type?: string;
  flags?: string[];
  addr_info?: IpJsonAddr[];
}

/** The interface in `ip -j addr show dev IFACE` output, or a sentence saying why it is unusable. */
export function parseIpAddrJson(text: string, iface: string): InterfaceFacts | string {
  let links: IpJsonLink[];
  try {
    links = JSON.parse(text) as IpJsonLink[];
  } catch {
    return `could not read \`ip -j addr show dev ${iface}\`: its output is not JSON (iproute2 too old?)`;
  }
  const link = Array.isArray(links) ? links.find((l) => l.ifname === iface) : undefined;
  if (link === undefined) return `no interface named ${iface}: \`ip link\` lists them`;
  if (link.link_type !== 'ether' || typeof link.address !== 'string') {
    return `interface ${iface} is not Ethernet (link type ${link.link_type ?? 'unknown'}): VRRP adverts are injected as Ethernet frames`;
  }
  const addresses: InterfaceAddress[] = [];
  for (const a of link.addr_info ?? []) {
    if ((a.family !== 'inet' && a.family !== 'inet6') || typeof a.local !== 'string') continue;
    addresses.push({
      family: a.family === 'inet' ? 4 : 6,
      address: canonical(a.local),
      prefixLength: a.prefixlen ?? (a.family === 'inet' ? 32 : 128),
      scope: a.scope ?? 'global',
      secondary: a.secondary === true,
    });
  }
  return { name: iface, ifindex: link.ifindex ?? 0, mac: link.address.toLowerCase(), up: (link.flags ?? []).includes('UP'), addresses };
}

/**
 * The address our adverts come from, which also breaks priority ties: keepalived's default,
 * the interface's primary IPv4 address, or for IPv6 its link-local address (RFC 5798 5.1.2.2).
 * A VIP left on the interface is never chosen, unless it is the only candidate (the address
 * owner, whose VIP is its real address). Null when there is none (see noPrimaryAddress).
 */
export function primaryAddress(facts: InterfaceFacts, family: 4 | 6, vips: readonly Vip[]): string | null {
  const candidates = facts.addresses.filter((a) =>
    family === 4 ? a.family === 4 && !a.secondary : a.family === 6 && a.scope === 'link' && /^fe[89ab]/i.test(a.address),
  );
  const chosen = candidates.find((a) => !vips.some((v) => v.address === a.address)) ?? candidates[0];
  return chosen?.address ?? null;
}

export function noPrimaryAddress(iface: string, family: 4 | 6): string {
  return family === 4
    ? `interface ${iface} has no IPv4 address, and VRRP adverts need one as their source: add one (ip addr add 192.0.2.11/24 dev ${iface})`
    : `interface ${iface} has no IPv6 link-local address, and VRRPv3 over IPv6 sends from it: is IPv6 disabled on it, or its addrgenmode none?`;
}

/** Which of `vips` are configured on the interface now. */
export function vipsPresent(facts: InterfaceFacts, vips: readonly Vip[]): Vip[] {
  return vips.filter((v) => facts.addresses.some((a) => a.address === v.address));
}

/** The decoder's spelling of an address, so that iproute2's text and the VIPs compare as strings. */
function canonical(a: string): string {
  const b = new Uint8Array(16);
  if (writeIpv4(a, b, 0)) return ipv4At(b, 0);
  if (writeIpv6(a, b, 0)) return ipv6At(b, 0);
  return a;
}

/**
 * The macvlan --vmac puts the VIPs on, as keepalived's use_vmac does: `vw<VRID>.<iface>`, or
 * `vw<VRID>.<ifindex>` when that would pass Linux's 15 characters.
 */
export function vmacLinkName(vrid: number, iface: string, ifindex: number): string {
  const name = `vw${vrid}.${iface}`;
  return name.length <= 15 ? name : `vw${vrid}.${ifindex}`;
}

interface IpJsonDetail {
  ifname?: string;
  link?: string;
  address?: string;
  linkinfo?: { info_kind?: string };
}

/** Whether `ip -j -d link show dev NAME` describes our macvlan (a leftover we may delete) or something else. */
export function isOurVmacLink(text: string, parent: string, mac: string): boolean {
  try {
    const [l] = JSON.parse(text) as IpJsonDetail[];
    return l?.linkinfo?.info_kind === 'macvlan' && l.link === parent && l.address?.toLowerCase() === mac;
  } catch {
    return false;
  }
}
