// The libpcap binding (npm package `pcap`, node_pcap 3.1.0): an optional native addon, loaded only
// when a live command runs, so that reading capture files, --help and the pure code never need it.
// Nothing that the file commands load may import this module at its top level.
import { createRequire } from 'node:module';
import { CliError, Exit } from '../errors.js';

/** The parts of node_pcap's API that vrrpwatch uses, typed here so type-checking never needs the addon. */
export interface PcapSession {
  /** 'LINKTYPE_ETHERNET', 'LINKTYPE_LINUX_SLL', … or 'Unknown linktype N' (see capture.ts). */
  readonly link_type: string;
  /** The binding's own session: the poll callback and the raw dispatch. */
  readonly session: { read_callback: () => void; dispatch(buf: Buffer, header: Buffer): number };
  /** The one packet buffer (snap length) and 16-byte header the binding fills for every packet. */
  readonly buf: Buffer;
  readonly header: Buffer;
  on(event: 'packet', listener: (packet: { buf: Buffer; header: Buffer }) => void): unknown;
  close(): void;
  stats(): { ps_recv: number; ps_drop: number; ps_ifdrop: number };
  inject(data: Buffer): void;
}

export interface PcapLiveOptions {
  filter?: string;
  buffer_size?: number;
  /** <= 0: immediate mode (pcap_set_immediate_mode); otherwise the packet buffer timeout in ms. */
  buffer_timeout?: number;
  snap_length?: number;
  promiscuous?: boolean;
}

export interface PcapDevice {
  name: string;
  description?: string;
  /** Holes (undefined/null) where the interface has a non-IP address, e.g. AF_PACKET. */
  addresses?: ({ addr?: string; netmask?: string; broadaddr?: string; dstaddr?: string } | null | undefined)[];
  /** Only ever 'PCAP_IF_LOOPBACK': the binding exports no other flag. */
  flags?: string;
}

export interface PcapBinding {
  createSession(device: string, options: PcapLiveOptions): PcapSession;
  findalldevs(): PcapDevice[];
  /** e.g. "libpcap version 1.10.3 (with TPACKET_V3)". */
  lib_version: string;
}

/**
 * Test aid: the module specifier to load instead of 'pcap', e.g. VRRPWATCH_PCAP_MODULE=nonexistent-module
 * to see what a user without the binding sees. Not a user option.
 */
export const PCAP_MODULE_ENV = 'VRRPWATCH_PCAP_MODULE';

let loading: Promise<PcapBinding> | null = null;

/** Loads the binding once per process; every way it can be missing becomes one CliError (exit 69). */
export function loadPcap(): Promise<PcapBinding> {
  loading ??= load();
  return loading;
}

async function load(): Promise<PcapBinding> {
  const specifier = process.env[PCAP_MODULE_ENV] || 'pcap';
  let mod: unknown;
  try {
    // require, not import(): node_pcap is CommonJS, and bin/vrrpwatch.js runs the bundle as a
    // vm.Script (for V8's code cache), where import() would need an experimental Node option.
    mod = createRequire(import.meta.url)(specifier);
  } catch (e) {
    throw bindingError(e);
  }
  // module.exports is the only object whose fields pcap.js reads.
  const binding = mod as PcapBinding & { warningHandler?: (text: string) => void };
  if (typeof binding.createSession !== 'function' || typeof binding.findalldevs !== 'function') {
    throw bindingError(new Error(`${specifier} is not node_pcap (no createSession or findalldevs)`));
  }
  // pcap_lookupnet warns on every interface without an IPv4 address ("SIOCGIFADDR: … No such
  // device"); the netmask only matters to filters that say `ip broadcast`, so stay quiet.
  binding.warningHandler = () => undefined;
  return binding;
}

/** Why the binding did not load, in a few words, from the error Node gave. */
export function bindingProblem(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const message = String(err?.message ?? e);
  if (/did not self-register/.test(message)) return 'cannot be loaded twice in one process (main thread and a worker)';
  if (/Cannot find module .*pcap_binding/.test(message)) return 'is installed but was never built';
  if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') return 'is not installed';
  const lib = /([\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(message);
  if (lib) return `cannot find ${lib[1]}`;
  return `failed to load (${message.split('\n')[0]})`;
}

/** The one sentence a person sees when live capture cannot start for lack of the binding. */
export function bindingError(e: unknown): CliError {
  return new CliError(
    `live capture needs the optional libpcap binding (npm package pcap), which ${bindingProblem(e)}: ` +
      'apt-get install libpcap-dev, then npm rebuild pcap (or reinstall vrrpwatch); reading capture files works without it',
    Exit.UNAVAILABLE,
  );
}
