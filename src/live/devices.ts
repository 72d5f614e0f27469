// The interfaces libpcap can capture on (pcap_findalldevs), with their IP addresses and whether
// they are up. The binding reports only the loopback flag, so up comes from Linux's sysfs.
import { readFileSync } from 'node:fs';
import type { PcapDevice } from './binding.js';
import { loadPcap } from './binding.js';

export interface InterfaceAddress {
  address: string;
  /** Prefix length from the netmask; null when libpcap gives none. */
  prefixLength: number | null;
}

export interface InterfaceInfo {
  name: string;
  /** libpcap's description (pseudo-devices such as `any` have one). */
  description: string | null;
  /** IFF_UP; null when the system does not say (pseudo-devices, non-Linux). */
  up: boolean | null;
  loopback: boolean;
  addresses: InterfaceAddress[];
}

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

/** Bits set in a netmask (IPv4 dotted or IPv6 colon form); null if there is none or it has holes. */
export function prefixLength(netmask: string | undefined): number | null {
  if (!netmask) return null;
  const v4 = netmask.includes('.');
  const width = v4 ? 8 : 16;
  let bits = 0;
  let ended = false;
  for (const part of v4 ? netmask.split('.').map(Number) : expandIpv6(netmask)) {
    for (let b = width - 1; b >= 0; b--) {
      if (((part >> b) & 1) === 0) ended = true;
      else if (ended) return null;
      else bits++;
    }
  }
  return bits;
}

function expandIpv6(a: string): number[] {
  const [head = '', tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...zeros, ...t].map((g) => parseInt(g, 16) || 0);
}

function sysfsFlags(name: string): number | null {
  try {
    return parseInt(readFileSync(`/sys/class/net/${name}/flags`, 'utf8').trim(), 16);
  } catch {
    return null;
  }
}

/** Pure: one device from the binding, with its sysfs flags (null when unknown). */
export function interfaceInfo(dev: PcapDevice, flags: number | null): InterfaceInfo {
  const addresses: InterfaceAddress[] = [];
  for (const a of dev.addresses ?? []) {
    if (a?.addr) addresses.push({ address: a.addr, prefixLength: prefixLength(a.netmask) });
  }
  return {
    name: dev.name,
    description: dev.description ?? null,
    up: flags === null ? null : (flags & IFF_UP) !== 0,
    loopback: dev.flags === 'PCAP_IF_LOOPBACK' || (flags !== null && (flags & IFF_LOOPBACK) !== 0),
    addresses,
  };
}

/** Every capture device, in libpcap's order; needs the binding, not root. */
export async function listInterfaces(): Promise<InterfaceInfo[]> {
  const pcap = await loadPcap();
  // Names come from the kernel; refuse anything that could leave /sys/class/net.
  return pcap.findalldevs().map((d) => interfaceInfo(d, /^[^/]+$/.test(d.name) && d.name !== '..' ? sysfsFlags(d.name) : null));
}
