// One live capture per interface, shared by every instance on it (`daemon -f` runs several):
// libpcap through node_pcap allows one capture per interface in a process. Each frame is
// decoded once here and handed only to the instance of its VRID and address family; injection
// goes through the same session. The capture closes when its last instance lets go, and one
// that died (the interface went away) is forgotten at once, so the next opening starts afresh.
import type { CaptureRecord } from '../capture/types.js';
import { decodeFrame } from '../decode/frame.js';
import { openLiveCapture, type LiveCapture } from '../live/capture.js';

export interface CaptureTap {
  readonly linkType: number;
  inject(frame: Uint8Array): void;
  close(): void;
}

interface Subscriber {
  family: 4 | 6;
  vrid: number;
  /** unicast_peer: also the ARP (IPv4) or neighbour advertisements (IPv6) that tell the peers' MACs. */
  neighbors?: boolean;
  deliver: (frame: Uint8Array) => void;
  onError: (message: string) => void;
}

interface Shared {
  ready: Promise<LiveCapture>;
  subscribers: Set<Subscriber>;
  dead: boolean;
}

/**
 * Every VRRP advert of both families (the instances on one interface may be of either), and ARP
 * and neighbour advertisements (ICMPv6 136, no extension header), which unicast instances learn
 * their peers' MACs from.
 */
const FILTER = 'ip proto 112 or ip6 proto 112 or arp or (icmp6 and ip6[40] == 136)';

const sessions = new Map<string, Shared>();

/**
 * The adverts of VRID `vrid` over IPv`family` on `iface`, from the interface's one capture
 * (opened now if none is). `onError`: the capture stopped by itself. Rejects when it cannot open.
 */
export async function tapCapture(iface: string, sub: Subscriber, promiscuous: boolean): Promise<CaptureTap> {
  let s = sessions.get(iface);
  if (s === undefined) {
    const subscribers = new Set<Subscriber>();
    const entry: Shared = { ready: openLiveCapture({ iface, filter: FILTER, promiscuous, immediate: true }, (r) => route(subscribers, r)), subscribers, dead: false };
    sessions.set(iface, entry);
    entry.ready.then(
      (cap) =>
        cap.on('error', (err) => {
          forget(iface, entry);
          for (const x of [...entry.subscribers]) x.onError(err.message);
        }),
      () => forget(iface, entry),
    );
    s = entry;
  }
  const session = s;
  const cap = await session.ready;
  if (session.dead) throw new Error(`the capture on ${iface} stopped while opening`);
  session.subscribers.add(sub);
  return {
    linkType: cap.linkType,
    inject: (frame) => cap.inject(frame),
    close: () => {
      if (!session.subscribers.delete(sub) || session.subscribers.size > 0) return;
      const wasDead = session.dead;
      forget(iface, session);
      if (!wasDead) cap.close();
    },
  };
}

function forget(iface: string, s: Shared): void {
  s.dead = true;
  if (sessions.get(iface) === s) sessions.delete(iface);
}

function route(subscribers: Set<Subscriber>, r: CaptureRecord): void {
  const f = decodeFrame(r.linkType, r.data);
  if (f.kind === 'vrrp') {
    for (const x of subscribers) if (x.vrid === f.vrrp.vrid && x.family === f.ip.family) x.deliver(r.data);
  } else if (f.kind === 'arp' || f.kind === 'neighbor-advert') {
    const family = f.kind === 'arp' ? 4 : 6;
    for (const x of subscribers) if (x.neighbors === true && x.family === family) x.deliver(r.data);
  }
}
