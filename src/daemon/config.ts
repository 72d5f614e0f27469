// The daemon's configuration: flags in, a validated DaemonConfig (or sentences naming the flag)
// out. Pure: the edge reads --auth-pass-file or VRRPWATCH_AUTH_PASS and hands over the string.
import { ipv4At, ipv6At, writeIpv4, writeIpv6 } from '../decode/bytes.js';
import { isLinkLocal6 } from '../decode/validate.js';

/** A virtual address as iproute2 adds it; the advert carries `address` only. */
export interface Vip {
  /** Canonical text, as the decoder prints addresses (so received lists compare as strings). */
  address: string;
  prefixLength: number;
  /** keepalived's `dev`, `label`, `scope`, `brd` of a virtual_ipaddress entry: given to `ip addr add` as written. */
  dev?: string;
  label?: string;
  scope?: string;
  brd?: string;
}

/**
 * keepalived's unicast_src_ip / unicast_peer: adverts go to each peer by unicast instead of to
 * the group, and only the peers' adverts are accepted.
 */
export interface UnicastConfig {
  /** unicast_src_ip: the adverts' source; null = the interface's primary address. */
  srcAddress: string | null;
  /** Canonical text, of the instance's family. At least one. */
  peers: string[];
}

export interface TrackScriptConfig {
  /** The command line, run by the edge through the shell. Also the script's name in logs. */
  command: string;
  /** -254..254: added while OK when > 0, added (so subtracted) while KO when < 0, FAULT when 0. */
  weight: number;
  intervalSec: number;
  timeoutSec: number;
  rise: number;
  fall: number;
}

/** keepalived's track_interface: an interface whose link state moves the priority (weight) or, at weight 0, puts the instance in FAULT. */
export interface TrackInterfaceConfig {
  name: string;
  /** -253..253: added while up when > 0, added (so subtracted) while down when < 0, FAULT while down when 0. */
  weight: number;
  /** keepalived's `reverse`: up counts as down. */
  reverse: boolean;
}

/** The vrrp_sync_group an instance belongs to (src/daemon/sync-group.ts). */
export interface SyncGroupRef {
  name: string;
  /** The group's `notify`, run as `CMD GROUP NAME STATE 0`. */
  notify: string | null;
  /** The group's notify_master / notify_backup / notify_fault / notify_stop, run as written. */
  notifyState: Partial<Record<'MASTER' | 'BACKUP' | 'FAULT' | 'STOP', string>>;
}

/**
 * The VRRPv2 simple-text password (RFC 3768 5.3.6.1), zero padded to 8 bytes. It prints as
 * "[redacted]" however it is logged, so a config dump never leaks it.
 */
export class AuthPassword {
  readonly #bytes: Uint8Array;

  constructor(text: string) {
    this.#bytes = new Uint8Array(AUTH_DATA_LENGTH);
    this.#bytes.set(new TextEncoder().encode(text).subarray(0, AUTH_DATA_LENGTH));
  }

  /** A copy of the 8 bytes the advert carries. */
  authData(): Uint8Array {
    return this.#bytes.slice();
  }

  /** Compares all 8 bytes without stopping at the first difference. */
  matches(data: Uint8Array | null): boolean {
    if (data === null || data.length < AUTH_DATA_LENGTH) return false;
    let diff = 0;
    for (let i = 0; i < AUTH_DATA_LENGTH; i++) diff |= (data[i] as number) ^ (this.#bytes[i] as number);
    return diff === 0;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'AuthPassword [redacted]';
  }
}

const AUTH_DATA_LENGTH = 8;

/** How many bytes of a received auth data field are password (up to the first zero): for logs, which never show the password itself. */
export function passwordLength(data: Uint8Array | null): number {
  if (data === null) return 0;
  const end = data.indexOf(0);
  return end < 0 ? Math.min(data.length, AUTH_DATA_LENGTH) : end;
}

/** Where the password may come from besides --auth-pass-file; never passed on to scripts. */
export const AUTH_PASS_ENV = 'VRRPWATCH_AUTH_PASS';

export interface DaemonConfig {
  /** keepalived's instance name, passed to --notify as `INSTANCE NAME STATE PRIORITY`. */
  name: string;
  interface: string;
  vrid: number;
  family: 4 | 6;
  version: 2 | 3;
  /** Configured priority, 1-255; 255 = the address owner. Track scripts move the effective one. */
  priority: number;
  /** At least one, all of `family`; for IPv6 a link-local VIP, when there is one, comes first. */
  vips: Vip[];
  /** keepalived's virtual_ipaddress_excluded: added and removed with the VIPs, never advertised (either family). */
  excludedVips: Vip[];
  /** null: adverts to the VRRP multicast group (the default). */
  unicast: UnicastConfig | null;
  /** v2: whole seconds * 100; v3: 1-4095. */
  advertIntervalCs: number;
  /** VRRPv2 simple-text authentication; null = auth type 0. */
  auth: AuthPassword | null;
  preempt: boolean;
  preemptDelayCs: number;
  trackScripts: TrackScriptConfig[];
  notify: string | null;
  /**
   * keepalived's notify_master / notify_backup / notify_fault / notify_stop: run as written (no
   * arguments added) on entering that state, before the generic `notify`, as keepalived runs them.
   */
  notifyState: Partial<Record<'MASTER' | 'BACKUP' | 'FAULT' | 'STOP', string>>;
  /** Send from 00:00:5e:00:01:VRID (IPv6: 00:00:5e:00:02:VRID) instead of the interface's MAC. */
  vmac: boolean;
  /** keepalived's vrrp_garp_master_repeat / vrrp_garp_master_delay: 5 now, 5 more after 5 s. */
  garp: { repeat: number; delayCs: number };
  /** keepalived's default (and RFC 9568): a Master re-advertises at once on a lower-priority advert. */
  lowerPriorityAdvert: boolean;
  /** track_interface entries (keepalived.conf only); absent: none. */
  trackInterfaces?: TrackInterfaceConfig[];
  /** The vrrp_sync_group holding it (keepalived.conf only); absent: it runs on its own. */
  syncGroup?: SyncGroupRef;
}

/** What the CLI collected. Numbers may arrive as text (commander) or as numbers. */
export interface DaemonFlags {
  interface?: string | undefined;
  vrid?: string | number | undefined;
  priority?: string | number | undefined;
  vip?: string[] | undefined;
  advertInt?: string | number | undefined;
  vrrpVersion?: string | number | undefined;
  /** The password's text, already read from --auth-pass-file or VRRPWATCH_AUTH_PASS. */
  authPass?: string | undefined;
  /** Where authPass came from, to name it in errors. */
  authPassSource?: 'file' | 'env' | undefined;
  /** false for --no-preempt. */
  preempt?: boolean | undefined;
  preemptDelay?: string | number | undefined;
  trackScripts?: TrackScriptFlags[] | undefined;
  notify?: string | undefined;
  vmac?: boolean | undefined;
  name?: string | undefined;
}

/** One --track-script CMD with the --weight/--interval/--rise/--fall/--timeout that follow it. */
export interface TrackScriptFlags {
  command: string;
  weight?: string | number | undefined;
  interval?: string | number | undefined;
  rise?: string | number | undefined;
  fall?: string | number | undefined;
  timeout?: string | number | undefined;
}

export type ConfigResult =
  | { ok: true; config: DaemonConfig; warnings: string[] }
  | { ok: false; errors: string[] };

export const DEFAULTS = {
  priority: 100,
  advertIntervalSec: 1,
  versionIpv4: 2, // keepalived's vrrp_version default
  preemptDelaySec: 0,
  trackIntervalSec: 1,
  rise: 1,
  fall: 1,
  garpRepeat: 5,
  garpDelaySec: 5,
} as const;

const MAX_PREEMPT_DELAY_SEC = 1000; // keepalived's range
const MAX_VIPS = 255; // the advert's 8-bit count

export function validateConfig(flags: DaemonFlags): ConfigResult {
  const errors: string[] = [];
  const warnings: string[] = [];

  const ifname = flags.interface?.trim() ?? '';
  if (ifname === '') errors.push('-i/--interface is required: the interface to run VRRP on (e.g. -i eth0)');
  else if (ifname.length > 15 || /[\s/]/.test(ifname) || ifname === '.' || ifname === '..') {
    errors.push(`-i/--interface ${JSON.stringify(ifname)} is not a Linux interface name (at most 15 characters, no spaces or slashes)`);
  }

  let vrid = 0;
  if (isMissing(flags.vrid)) errors.push('--vrid is required: the virtual router id (1-255) shared with the peers');
  else {
    const v = wholeNumber(flags.vrid);
    if (v === null || v < 1 || v > 255) errors.push(`--vrid must be a whole number from 1 to 255 (got ${show(flags.vrid)})`);
    else vrid = v;
  }

  let priority: number = DEFAULTS.priority;
  if (!isMissing(flags.priority)) {
    const p = wholeNumber(flags.priority);
    if (p === null || p < 1 || p > 255) {
      errors.push(`--priority must be a whole number from 1 to 255 (got ${show(flags.priority)}); 255 means this router owns the virtual addresses`);
    } else priority = p;
  }

  const vips: Vip[] = [];
  const rawVips = flags.vip ?? [];
  if (rawVips.length === 0) errors.push('--vip is required: a virtual IP address the master holds (e.g. --vip 192.0.2.100); repeat it for more');
  for (const raw of rawVips) {
    const vip = parseVip(raw);
    if (typeof vip === 'string') errors.push(vip);
    else if (vips.some((x) => x.address === vip.address)) errors.push(`--vip ${vip.address} is given twice`);
    else vips.push(vip);
  }
  if (vips.length > MAX_VIPS) errors.push(`--vip is given ${vips.length} times; an advert carries at most ${MAX_VIPS} addresses`);
  const v4 = vips.find((v) => !v.address.includes(':'));
  const v6 = vips.find((v) => v.address.includes(':'));
  if (v4 && v6) errors.push(`--vip mixes IPv4 (${v4.address}) and IPv6 (${v6.address}); run one daemon per address family`);
  const family: 4 | 6 = v6 && !v4 ? 6 : 4;

  let version: 2 | 3 = family === 6 ? 3 : DEFAULTS.versionIpv4;
  if (!isMissing(flags.vrrpVersion)) {
    const v = wholeNumber(flags.vrrpVersion);
    if (v !== 2 && v !== 3) errors.push(`--vrrp-version must be 2 or 3 (got ${show(flags.vrrpVersion)})`);
    else if (v === 2 && family === 6) errors.push('--vrrp-version 2 cannot carry IPv6 virtual addresses (VRRPv2 is IPv4 only); use --vrrp-version 3, the default for IPv6');
    else version = v;
  }

  let advertIntervalCs = DEFAULTS.advertIntervalSec * 100;
  if (!isMissing(flags.advertInt)) {
    const cs = centiseconds(flags.advertInt);
    if (version === 2) {
      if (cs === null || cs % 100 !== 0 || cs < 100 || cs > 25_500) {
        errors.push(`--advert-int must be whole seconds from 1 to 255 for VRRPv2 (got ${show(flags.advertInt)}); use --vrrp-version 3 for sub-second adverts`);
      } else advertIntervalCs = cs;
    } else if (cs === null || cs < 1 || cs > 4095) {
      errors.push(`--advert-int must be from 0.01 to 40.95 seconds, in steps of 0.01, for VRRPv3 (got ${show(flags.advertInt)})`);
    } else advertIntervalCs = cs;
  }

  let auth: AuthPassword | null = null;
  if (flags.authPass !== undefined) {
    const source = flags.authPassSource === 'env' ? 'VRRPWATCH_AUTH_PASS' : '--auth-pass-file';
    // A file usually ends with a newline that is not part of the password; anything else that
    // is not printable (a second line, a tab) would silently become part of it.
    const text = flags.authPass.replace(/\r?\n$/, '');
    const bytes = new TextEncoder().encode(text).length;
    const control = /[\u0000-\u001f\u007f]/.exec(text);
    if (control !== null) {
      const at = new TextEncoder().encode(text.slice(0, control.index)).length + 1;
      const code = control[0].charCodeAt(0);
      const name = code === 10 || code === 13 ? 'a line break' : code === 9 ? 'a tab' : 'a control character';
      errors.push(`the password from ${source} has ${name} (0x${code.toString(16).padStart(2, '0')}) at byte ${at}: a VRRPv2 password is printable text; keep it alone on the first line, with at most one newline after it`);
    } else if (version === 3) errors.push(`${source} is for VRRPv2 only: VRRPv3 has no authentication (RFC 5798 removed it); remove it or use --vrrp-version 2`);
    else if (bytes === 0) errors.push(`the password from ${source} is empty; VRRPv2 simple-text authentication needs 1 to 8 bytes`);
    else if (bytes > AUTH_DATA_LENGTH) errors.push(`the password from ${source} is ${bytes} bytes long; VRRPv2 simple-text authentication carries at most 8`);
    else auth = new AuthPassword(text);
  }

  const owner = priority === 255;
  let preempt = flags.preempt ?? true;
  if (!preempt && owner) {
    warnings.push('--no-preempt is ignored with --priority 255: the address owner always takes over (RFC 3768 6.1)');
    preempt = true;
  }

  let preemptDelayCs = DEFAULTS.preemptDelaySec * 100;
  if (!isMissing(flags.preemptDelay)) {
    const cs = centiseconds(flags.preemptDelay);
    if (cs === null || cs > MAX_PREEMPT_DELAY_SEC * 100) {
      errors.push(`--preempt-delay must be from 0 to ${MAX_PREEMPT_DELAY_SEC} seconds (got ${show(flags.preemptDelay)})`);
    } else if (cs > 0 && flags.preempt === false) {
      errors.push('--preempt-delay has no meaning with --no-preempt: keep one of them');
    } else if (cs > 0 && owner) {
      warnings.push('--preempt-delay is ignored with --priority 255: the address owner becomes master at once');
    } else preemptDelayCs = cs;
  }

  const trackScripts: TrackScriptConfig[] = [];
  (flags.trackScripts ?? []).forEach((t, i) => {
    const r = parseTrackScript(t, i + 1);
    if (typeof r === 'string') errors.push(r);
    else trackScripts.push(r);
  });
  if (owner && trackScripts.some((t) => t.weight !== 0)) {
    warnings.push('track script weights never change the priority of the address owner (--priority 255); only weight 0 (FAULT) applies');
  }

  let notify: string | null = null;
  if (flags.notify !== undefined) {
    if (flags.notify.trim() === '') errors.push('--notify needs a command, run on every transition as CMD INSTANCE NAME STATE PRIORITY');
    else notify = flags.notify;
  }

  const name = flags.name?.trim() || `VI_${vrid}`;
  if (/\s/.test(name)) errors.push(`--name ${JSON.stringify(name)} must not contain spaces: it is passed to --notify as one argument`);

  if (family === 6 && vips.length > 0 && errors.length === 0) {
    // RFC 5798 5.2.9: the first IPv6 address of an advert is the link-local one. We move it to
    // the front rather than add one, so the list still matches the peers' configuration.
    const ll = vips.findIndex((v) => isLinkLocal6(v.address));
    if (ll > 0) {
      const [first] = vips.splice(ll, 1);
      vips.unshift(first as Vip);
      warnings.push(`--vip ${(first as Vip).address} moved first: RFC 5798 5.2.9 wants the link-local virtual address at the head of the advert`);
    } else if (ll < 0) {
      warnings.push('no link-local --vip (fe80::/10): RFC 5798 5.2.9 wants one first in every IPv6 advert; keepalived accepts this unless vrrp_strict is set');
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    warnings,
    config: {
      name,
      interface: ifname,
      vrid,
      family,
      version,
      priority,
      vips,
      excludedVips: [],
      unicast: null,
      advertIntervalCs,
      auth,
      preempt,
      preemptDelayCs,
      trackScripts,
      notify,
      notifyState: {},
      vmac: flags.vmac ?? false,
      garp: { repeat: DEFAULTS.garpRepeat, delayCs: DEFAULTS.garpDelaySec * 100 },
      lowerPriorityAdvert: true,
    },
  };
}

function parseVip(raw: string): Vip | string {
  const text = raw.trim();
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const buf = new Uint8Array(16);
  let address: string;
  let max: number;
  if (writeIpv4(addr, buf, 0)) {
    address = ipv4At(buf, 0);
    max = 32;
    const b0 = buf[0] as number;
    if (b0 === 0 || b0 >= 224) return `--vip ${address} is not a unicast IPv4 address`;
  } else if (addr.includes(':') && writeIpv6(addr, buf, 0)) {
    address = ipv6At(buf, 0);
    max = 128;
    if (buf[0] === 0xff || buf.every((b) => b === 0)) return `--vip ${address} is not a unicast IPv6 address`;
  } else {
    return `--vip ${JSON.stringify(raw)} is not an IPv4 or IPv6 address (e.g. --vip 192.0.2.100 or --vip 192.0.2.100/24)`;
  }
  if (slash < 0) return { address, prefixLength: max };
  const prefix = wholeNumber(text.slice(slash + 1));
  if (prefix === null || prefix < 1 || prefix > max) return `--vip ${JSON.stringify(raw)} has a prefix length outside 1-${max}`;
  return { address, prefixLength: prefix };
}

function parseTrackScript(t: TrackScriptFlags, n: number): TrackScriptConfig | string {
  const which = `track script ${n}`;
  if (t.command.trim() === '') return `--track-script needs a command (${which} is empty)`;
  let weight = 0;
  if (!isMissing(t.weight)) {
    const w = signedWholeNumber(t.weight);
    if (w === null || w < -254 || w > 254) return `--weight for ${which} must be a whole number from -254 to 254 (got ${show(t.weight)}); 0 means FAULT when it fails`;
    weight = w;
  }
  let intervalSec: number = DEFAULTS.trackIntervalSec;
  if (!isMissing(t.interval)) {
    const cs = centiseconds(t.interval);
    if (cs === null || cs < 1) return `--interval for ${which} must be a positive number of seconds (got ${show(t.interval)})`;
    intervalSec = cs / 100;
  }
  // keepalived: a timeout of 0 (or none) means the interval.
  let timeoutSec = intervalSec;
  if (!isMissing(t.timeout)) {
    const cs = centiseconds(t.timeout);
    if (cs === null) return `--timeout for ${which} must be a number of seconds (got ${show(t.timeout)})`;
    if (cs > 0) timeoutSec = cs / 100;
  }
  const counts: Record<'rise' | 'fall', number> = { rise: DEFAULTS.rise, fall: DEFAULTS.fall };
  for (const k of ['rise', 'fall'] as const) {
    if (isMissing(t[k])) continue;
    const v = wholeNumber(t[k]);
    if (v === null || v < 1 || v > 1000) return `--${k} for ${which} must be a whole number from 1 to 1000 (got ${show(t[k])})`;
    counts[k] = v;
  }
  return { command: t.command, weight, intervalSec, timeoutSec, rise: counts.rise, fall: counts.fall };
}

function isMissing(v: string | number | undefined): v is undefined {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

function show(v: string | number | undefined): string {
  return JSON.stringify(String(v));
}

function wholeNumber(v: string | number): number | null {
  const s = String(v).trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

function signedWholeNumber(v: string | number): number | null {
  const s = String(v).trim();
  return /^[+-]?\d{1,9}$/.test(s) ? Number(s) : null;
}

/** Seconds with at most two decimals, as a whole number of centiseconds. */
function centiseconds(v: string | number): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2})0*)?$/.exec(String(v).trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Whether two configurations run the same router (SIGHUP keeps such an instance undisturbed). The password counts. */
export function sameConfig(a: DaemonConfig, b: DaemonConfig): boolean {
  const plain = (c: DaemonConfig): string => JSON.stringify({ ...c, auth: c.auth === null ? null : Array.from(c.auth.authData()) });
  return plain(a) === plain(b);
}
