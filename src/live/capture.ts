// Live capture through libpcap (node_pcap): one session per interface, records in the same shape
// as the file reader's, drop statistics, and injection on the capturing session.
//
// node_pcap facts this file works around (see research/ecosystem.md §3):
// - #270/#108: creating and destroying sessions crashes sooner or later, so an interface has at
//   most one open session, close() is final for that session, and a session is only released the
//   way the binding expects: pcap_breakloop, then a dispatch that returns -2 (see Session.close).
// - A link taken down (ENETDOWN) makes the socket report POLLERR once; libuv then stops polling
//   it for good, so the session goes deaf when the link returns (the kernel still counts the
//   packets). A program that must keep hearing after a flap closes the session and opens a new
//   one (the daemon does: src/daemon/listener.ts).
// - #255: the binding's dispatch reads until the kernel ring is empty before it returns, so a flood
//   could hold the event loop. Measured (test/live, veth, every frame decoded): at 650,000 packets/s,
//   more than it can read, a 10 ms timer was at worst 36 ms late: the ring runs dry between reads.
// - The packet buffer is reused for every packet: a record's data is a view valid only during the
//   callback (the CaptureRecord contract).
// - close() only calls pcap_breakloop; the binding frees the socket and its poll handle in the
//   next dispatch that meets a packet. Until then the handle keeps Node's event loop alive, so a
//   program that is done capturing must exit explicitly (process.exit).
import { nanosOfMicros } from '../time/timestamp.js';
import { EventEmitter } from 'node:events';
import { endianness } from 'node:os';
import type { CaptureRecord } from '../capture/types.js';
import { CliError, Exit } from '../errors.js';
import { LinkType } from '../decode/types.js';
import { loadPcap, type PcapSession } from './binding.js';

const VRRP_ARP = 'ip proto 112 or ip6 proto 112 or arp';
const NA = '(icmp6 and ip6[40] == 136)';

/**
 * VRRP over IPv4 and IPv6, ARP, and IPv6 neighbour advertisements, untagged, 802.1Q/802.1ad
 * tagged, and double tagged, on Ethernet.
 *
 * Two libpcap traps shape it. `vlan` shifts the offsets of everything after it in the expression,
 * so the tagged forms come after the untagged ones and nest (`vlan and (… or (vlan and …))`).
 * And libpcap 1.10 gives a comparison like `ip6[40] == 136` scratch registers that the `vlan`
 * code later takes for its offsets (tcpdump -d shows `st M[2]` of 0x88 before `vlan` reads M[2]),
 * so no comparison may come before the first `vlan`: the untagged NA test is last, at fixed
 * Ethernet offsets, which `vlan` does not shift.
 */
export const DEFAULT_FILTER =
  `${VRRP_ARP} or (vlan and (${VRRP_ARP} or ${NA} or (vlan and (${VRRP_ARP} or ${NA})))) ` +
  'or (ether[12:2] == 0x86dd and ether[20] == 58 and ether[54] == 136)';

/**
 * The same for Linux cooked captures (`-i any`): libpcap has no `vlan` for them ("no VLAN support
 * for Linux cooked v1"). Single-tagged frames match anyway: the kernel hands them over with the
 * tag taken off into metadata. A double-tagged frame keeps its inner tag in the bytes, where this
 * filter cannot look past it: watch a QinQ trunk on its own interface, not on `any`.
 */
export const COOKED_DEFAULT_FILTER = `${VRRP_ARP} or ${NA}`;

/** The default filter for an interface: `any` is the cooked pseudo-device on Linux. */
export function defaultFilter(iface: string): string {
  return iface === 'any' ? COOKED_DEFAULT_FILTER : DEFAULT_FILTER;
}

export interface LiveCaptureOptions {
  iface: string;
  /** BPF expression; defaultFilter(iface) when absent. An empty string captures everything. */
  filter?: string;
  /** Default true: VRRP goes to multicast groups this host may not have joined. */
  promiscuous?: boolean;
  /** Bytes kept of each frame; default 4352 (see DEFAULT_SNAPLEN). */
  snaplen?: number;
  /** Kernel ring size in bytes; default 32 MiB. */
  bufferSize?: number;
  /** Default true: deliver each packet when it arrives, not after libpcap's 1 s buffer timeout. */
  immediate?: boolean;
}

export interface LiveStats {
  /** Packets that passed the filter (Linux: counted by the kernel, read or not yet read). */
  received: number;
  /** Dropped by the kernel because the ring was full: the reader was too slow. */
  dropped: number;
  /** Dropped by the interface or its driver (often not reported: 0). */
  ifDropped: number;
}

export interface LiveCapture {
  readonly iface: string;
  readonly filter: string;
  /** LINKTYPE_* of the capture: 1 for Ethernet, 113 for `any`. */
  readonly linkType: number;
  stats(): LiveStats;
  /** Send one whole link-layer frame on the interface (pcap_inject); this capture does not see it. */
  inject(frame: Uint8Array): void;
  /** Stops delivery at once and releases the session; final (see the note at the top). */
  close(): void;
  /** A capture that stopped by itself (the interface went away); closed already when emitted. */
  on(event: 'error', listener: (err: CliError) => void): this;
}

// Not 65535: with GRO on (veth, most NICs) libpcap sizes every ring slot by the snap length, so
// 64 KiB slots leave a 16 MiB ring 256 packets deep. The largest VRRP advert (v3, IPv6, 255
// addresses, two tags) is 4158 bytes; 4352-byte slots in a 32 MiB ring give ~7,000 slots, about
// 150 ms of a 50,000 packets/s flood, so a busy CPU does not turn into kernel drops.
const DEFAULT_SNAPLEN = 4352;
const DEFAULT_BUFFER_BYTES = 32 * 1024 * 1024;
/** libpcap's own default packet buffer timeout, used when immediate delivery is turned off. */
const BUFFERED_TIMEOUT_MS = 1000;

/** Interfaces with an open session in this process: never two at once (#270/#108). */
const opened = new Set<string>();

/** After close(): how often, and how many times, a dispatch is tried to release the session. */
const RELEASE_EVERY_MS = 100;
const RELEASE_TRIES = 600;

/** node_pcap names only five link types and spells the rest "Unknown linktype N" (N is the DLT). */
const LINK_TYPES: Record<string, number> = {
  LINKTYPE_NULL: LinkType.NULL,
  LINKTYPE_ETHERNET: LinkType.ETHERNET,
  LINKTYPE_IEEE802_11_RADIO: 127,
  // DLT_RAW is 12 or 14 depending on the OS; the binding maps it, the file format wants 101.
  LINKTYPE_RAW: LinkType.RAW,
  LINKTYPE_LINUX_SLL: LinkType.LINUX_SLL,
};

export function linkTypeNumber(name: string): number {
  const known = LINK_TYPES[name];
  if (known !== undefined) return known;
  const m = /^Unknown linktype (\d+)$/.exec(name);
  // For DLTs from 104 up, DLT and LINKTYPE are the same number (pcap-linktype(7)).
  return m ? Number(m[1]) : -1;
}

/** The binding copies struct pcap_pkthdr into 16 bytes in host order: sec, usec, caplen, len (u32 each). */
export interface PacketHeader {
  tsSec: number;
  tsUsec: number;
  caplen: number;
  len: number;
}

const HOST_LE = endianness() === 'LE';

export function readPacketHeader(header: Uint8Array, littleEndian = HOST_LE): PacketHeader {
  const v = new DataView(header.buffer, header.byteOffset, 16);
  return {
    tsSec: v.getUint32(0, littleEndian),
    tsUsec: v.getUint32(4, littleEndian),
    caplen: v.getUint32(8, littleEndian),
    len: v.getUint32(12, littleEndian),
  };
}

/**
 * One record from the binding's header and packet buffer. `buf` is the reused snap-length
 * buffer: data is a view of its first caplen bytes. The binding copies the first 4 bytes of the
 * 64-bit tv_sec/tv_usec, which are the low halves only on a little-endian host (all vrrpwatch
 * targets); tv_sec's low half is right until 2106.
 */
export function recordFromPacket(
  header: Uint8Array,
  buf: Uint8Array,
  frame: number,
  linkType: number,
  iface: string,
): CaptureRecord {
  const h = readPacketHeader(header);
  return {
    frame,
    tsSec: h.tsSec,
    tsNsec: nanosOfMicros(h.tsUsec),
    linkType,
    interfaceId: 0,
    interfaceName: iface,
    originalLength: h.len,
    // A plain Uint8Array view, not a Buffer: its slice() copies, as a consumer keeping it expects.
    data: new Uint8Array(buf.buffer, buf.byteOffset, Math.min(h.caplen, buf.length)),
  };
}

/** libpcap's error text when a session cannot be opened, as one sentence with the fix. */
export function liveOpenError(iface: string, filter: string, message: string): CliError {
  const m = message.trim();
  const unavailable = (s: string): CliError => new CliError(s, Exit.UNAVAILABLE);
  if (/operation not permitted|permission denied|don't have permission/i.test(m)) {
    return unavailable(
      `live capture on ${iface} needs root or CAP_NET_RAW: run as root or ` +
        '`setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which node))`',
    );
  }
  if (/no such device|doesn't exist|no such interface/i.test(m)) {
    return unavailable(`no interface named ${iface}: \`vrrpwatch interfaces\` lists them`);
  }
  if (/not up/i.test(m)) return unavailable(`interface ${iface} is down: \`ip link set ${iface} up\`, then try again`);
  if (/no VLAN support/i.test(m) && filter === DEFAULT_FILTER) {
    return unavailable(
      `interface ${iface} has no Ethernet header, so the default filter cannot look for VLAN tags: ` +
        `give -f '${COOKED_DEFAULT_FILTER}'`,
    );
  }
  // Everything libpcap says while opening the device is handled above or names a system call;
  // what remains comes from compiling the filter.
  const fromDevice = m.startsWith(`${iface}:`) || /^(socket|bind|setsockopt|ioctl|mmap|SIOC|error setting|can't mmap|couldn't)/i.test(m);
  if (filter !== '' && !fromDevice) {
    return new CliError(`bad capture filter '${filter}': ${m} (see man pcap-filter)`, Exit.USAGE);
  }
  return unavailable(`live capture on ${iface} failed: ${m}`);
}

class Session extends EventEmitter implements LiveCapture {
  private closed = false;
  /** The binding has freed the pcap handle (a dispatch returned -2): never touch it again. */
  private released = false;
  private frames = 0;
  private last: LiveStats = { received: 0, dropped: 0, ifDropped: 0 };

  constructor(
    readonly iface: string,
    readonly filter: string,
    readonly linkType: number,
    private readonly pcap: PcapSession,
    onRecord: (r: CaptureRecord) => void,
  ) {
    super();
    pcap.on('packet', (p) => {
      if (this.closed) return;
      onRecord(recordFromPacket(p.header, p.buf, ++this.frames, linkType, iface));
    });
    // pcap.js ignores dispatch's result; -1 is libpcap saying the interface went away.
    const inner = pcap.session;
    inner.read_callback = () => {
      const n = this.dispatch();
      if (n === -1 && !this.closed) {
        this.close();
        this.emit('error', new CliError(`live capture on ${iface} stopped: the interface went down or was removed`, Exit.UNAVAILABLE));
      }
    };
  }

  stats(): LiveStats {
    if (this.closed) return this.last;
    const s = this.pcap.stats();
    this.last = { received: s.ps_recv, dropped: s.ps_drop, ifDropped: s.ps_ifdrop };
    return this.last;
  }

  inject(frame: Uint8Array): void {
    if (this.closed) throw new Error(`inject on ${this.iface}: the capture is closed`);
    try {
      this.pcap.inject(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
    } catch {
      throw new CliError(
        `sending a ${frame.byteLength}-byte frame on ${this.iface} failed: is the interface up, and the frame no longer than its MTU?`,
        Exit.UNAVAILABLE,
      );
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      this.stats();
    } catch {
      // stats are best effort once the interface is gone
    }
    this.closed = true;
    opened.delete(this.iface);
    this.pcap.close();
    // The binding frees the socket and its ring in the first dispatch that meets a packet after
    // pcap_breakloop. Its poll may be dead (after a link flap), so dispatch from a timer until
    // that happens; a quiet interface may keep the old session a while, which does no harm.
    // Never from here: close() may be called from a packet callback, inside the binding's dispatch.
    let tries = 0;
    const release = (): void => {
      if (this.released || this.dispatch() === -2 || ++tries >= RELEASE_TRIES) return;
      setTimeout(release, RELEASE_EVERY_MS).unref();
    };
    setTimeout(release, 0).unref();
  }

  /** One binding dispatch; -2 once the session is released, and never a call after that. */
  private dispatch(): number {
    if (this.released) return -2;
    const n = this.pcap.session.dispatch(this.pcap.buf, this.pcap.header);
    if (n === -2) this.released = true;
    return n;
  }
}

/**
 * Opens a live capture and delivers every frame that passes the filter to onRecord, from the
 * event loop, frame numbers from 1. Rejects with a CliError a person can act on.
 */
export async function openLiveCapture(opts: LiveCaptureOptions, onRecord: (r: CaptureRecord) => void): Promise<LiveCapture> {
  const pcap = await loadPcap();
  const { iface } = opts;
  if (opened.has(iface)) {
    throw new Error(`${iface} has an open live capture in this process already; close it before opening another (node_pcap #270, #108)`);
  }
  const filter = opts.filter ?? defaultFilter(iface);
  let session: PcapSession;
  try {
    session = pcap.createSession(iface, {
      filter,
      promiscuous: opts.promiscuous ?? true,
      snap_length: opts.snaplen ?? DEFAULT_SNAPLEN,
      buffer_size: opts.bufferSize ?? DEFAULT_BUFFER_BYTES,
      buffer_timeout: opts.immediate === false ? BUFFERED_TIMEOUT_MS : 0,
    });
  } catch (e) {
    throw liveOpenError(iface, filter, (e as Error).message);
  }
  opened.add(iface);
  return new Session(iface, filter, linkTypeNumber(session.link_type), session, onRecord);
}
