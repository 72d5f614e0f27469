// The host side of the daemon, through iproute2: read the interface, add and remove virtual
// addresses. Synchronous on purpose: the machine's effects happen in their order (advert, then
// VIPs, then gratuitous ARPs), and the exit hooks that must leave nothing behind can only run
// synchronous code. One `ip` call takes a few milliseconds and happens only on a transition.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Vip } from './config.js';
import { isOurVmacLink, parseIpAddrJson, type InterfaceFacts } from './interface.js';
import { NO_LINK, type LinkSnapshot } from './link.js';

const IP_TIMEOUT_MS = 5000;

function ip(args: string[]): { ok: boolean; stdout: string; error: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: IP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, stdout: '', error: missing ? 'iproute2 (`ip`) is not installed: apt-get install iproute2' : r.error.message };
  }
  return { ok: r.status === 0, stdout: r.stdout, error: r.stderr.trim().split('\n').pop() ?? '' };
}

/** The interface's MAC, flags and addresses, or a sentence saying what is wrong. */
export function readInterface(iface: string): InterfaceFacts | string {
  const r = ip(['-j', 'addr', 'show', 'dev', iface]);
  if (!r.ok) {
    return /does not exist|cannot find device/i.test(r.error) ? `no interface named ${iface}: \`ip link\` lists them` : `cannot read interface ${iface}: ${r.error}`;
  }
  return parseIpAddrJson(r.stdout, iface);
}

export type AddResult = 'added' | 'present' | { error: string };
export type RemoveResult = 'removed' | 'absent' | { error: string };

function vipArgs(vip: Vip, dev: string, op: 'add' | 'del'): string[] {
  return [vip.address.includes(':') ? '-6' : '-4', 'addr', op, `${vip.address}/${vip.prefixLength}`, 'dev', dev];
}

/**
 * The argv of `ip` adding `vip` on `dev` as keepalived adds it: its brd, scope and label as
 * written in keepalived.conf; nodad for IPv6 (the address must answer at once: the VRRP election
 * already decided who holds it); `noPrefixRoute` for the --vmac macvlan (the interface already
 * has the route to the VIP's subnet, and a second one through the macvlan would send the host's
 * own traffic out of it).
 */
export function vipAddArgv(vip: Vip, dev: string, opts: { noPrefixRoute?: boolean } = {}): string[] {
  const argv = vipArgs(vip, dev, 'add');
  if (vip.brd !== undefined) argv.push('brd', vip.brd);
  if (vip.scope !== undefined) argv.push('scope', vip.scope);
  if (vip.label !== undefined) argv.push('label', vip.label);
  if (vip.address.includes(':')) argv.push('nodad');
  if (opts.noPrefixRoute) argv.push('noprefixroute');
  return argv;
}

/** Adds `vip` (see vipAddArgv); 'present' when the interface has it already. */
export function addVip(vip: Vip, dev: string, opts: { noPrefixRoute?: boolean } = {}): AddResult {
  const r = ip(vipAddArgv(vip, dev, opts));
  if (r.ok) return 'added';
  // iproute2 >= 5.x: "Error: ipv4: Address already assigned."; older: "RTNETLINK answers: File exists".
  if (/already assigned|file exists/i.test(r.error)) return 'present';
  return { error: `ip ${vipAddArgv(vip, dev, opts).join(' ')} failed: ${r.error}` };
}

export function removeVip(vip: Vip, dev: string): RemoveResult {
  const r = ip(vipArgs(vip, dev, 'del'));
  if (r.ok) return 'removed';
  // "Error: ipv4: Address not found."; older: "RTNETLINK answers: Cannot assign requested address".
  if (/not found|cannot assign requested address/i.test(r.error)) return 'absent';
  // The interface was deleted: its addresses went with it.
  if (/cannot find device|does not exist/i.test(r.error)) return 'absent';
  return { error: `ip addr del ${vip.address}/${vip.prefixLength} dev ${dev} failed: ${r.error}` };
}

/**
 * --vmac: a macvlan (private mode) with the virtual MAC on `parent`, up, to hold the VIPs, as
 * keepalived's use_vmac. A leftover of ours (same parent and MAC) is replaced. Null when done, or
 * a sentence saying what failed.
 */
export function createVmacLink(parent: string, name: string, mac: string): string | null {
  const existing = ip(['-j', '-d', 'link', 'show', 'dev', name]);
  if (existing.ok) {
    if (!isOurVmacLink(existing.stdout, parent, mac)) return `--vmac needs the interface name ${name}, which exists already and is not a macvlan on ${parent} with ${mac}: remove or rename it`;
    ip(['link', 'del', name]); // a killed run's: it may still hold the VIPs
  }
  const add = ip(['link', 'add', 'link', parent, 'name', name, 'address', mac, 'type', 'macvlan', 'mode', 'private']);
  if (!add.ok) return `--vmac could not create the macvlan ${name} on ${parent}: ${add.error}`;
  const up = ip(['link', 'set', 'dev', name, 'up']);
  if (!up.ok) {
    ip(['link', 'del', name]);
    return `--vmac could not bring ${name} up: ${up.error}`;
  }
  return null;
}

export function deleteLink(name: string): void {
  ip(['link', 'del', name]);
}

/**
 * Sets an IPv4 per-interface sysctl (net.ipv4.conf.IFACE.KEY); returns a function that puts
 * the old value back, or a sentence when it could not be set.
 */
export function setIpv4Conf(iface: string, key: string, value: string): (() => void) | string {
  const path = `/proc/sys/net/ipv4/conf/${iface}/${key}`;
  try {
    const old = readFileSync(path, 'utf8').trim();
    if (old !== value) writeFileSync(path, value);
    return () => {
      if (old !== value) {
        try {
          writeFileSync(path, old);
        } catch {
          // the interface is gone
        }
      }
    };
  } catch (e) {
    return `could not set net.ipv4.conf.${iface}.${key}=${value}: ${(e as Error).message}`;
  }
}

const IFF_UP = 0x1;

/**
 * The interface as /sys/class/net shows it now (see link.ts): whether it exists, its index,
 * whether it is up with a working link (IFF_UP, and an operstate of "up", or "unknown", what
 * drivers without link detection report), and its carrier change counter.
 */
export function readLink(iface: string): LinkSnapshot {
  try {
    const dir = `/sys/class/net/${iface}`;
    const read = (f: string): string => readFileSync(`${dir}/${f}`, 'utf8').trim();
    const flags = parseInt(read('flags'), 16);
    const operstate = read('operstate');
    let carrierChanges = 0;
    try {
      carrierChanges = Number(read('carrier_changes')) || 0;
    } catch {
      // kernels before 3.15 have no counter: a flap shorter than a poll goes unseen
    }
    return { exists: true, ifindex: Number(read('ifindex')), up: (flags & IFF_UP) !== 0 && (operstate === 'up' || operstate === 'unknown'), carrierChanges };
  } catch {
    return NO_LINK;
  }
}
