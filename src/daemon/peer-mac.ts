// Which MAC a unicast advert to a unicast_peer goes to. The daemon injects whole Ethernet frames,
// so it resolves its peers itself, the way the kernel's neighbour table would: an ARP request
// (IPv6: a neighbour solicitation) when a peer is unknown, a unicast probe to the known MAC once
// the answer is older than REACHABLE_SEC, and the entry is dropped (back to broadcast requests)
// after PROBES probes go unanswered. Anything the peer sends from its address (an ARP, an NA,
// its own adverts) confirms it, and a new MAC replaces the old at once. Probes ride on the
// adverts (one per advert and peer at most), so a backup, which sends nothing, asks nothing.
// Pure: the time comes with each call.

export const PEER_MAC = {
  /** An answer is trusted this long (Linux's base_reachable_time is 30 s). */
  reachableSec: 30,
  /** Unanswered probes before the MAC is forgotten, and unanswered requests before a failure is said. */
  probes: 3,
} as const;

/** A request to send now: to the known MAC (a refresh), or to everyone (null: ARP broadcast / solicited-node multicast). */
export interface Probe {
  peer: string;
  unicastTo: string | null;
}

export interface Route {
  /** Where the advert goes, or null: unknown yet (hold it until the peer answers). */
  mac: string | null;
  probe: Probe | null;
  /** This request is the PROBES-th unanswered one: say so, once per failure. */
  failed: boolean;
}

interface Entry {
  mac: string | null;
  confirmedSec: number;
  /** Probes or requests sent since the last answer. */
  unanswered: number;
}

export class PeerMacs {
  readonly #entries = new Map<string, Entry>();

  constructor(peers: readonly string[]) {
    for (const p of peers) this.#entries.set(p, { mac: null, confirmedSec: 0, unanswered: 0 });
  }

  /** Where an advert to `peer` goes now, and the probe to send with it. */
  route(peer: string, nowSec: number): Route {
    const e = this.#entries.get(peer);
    if (e === undefined) return { mac: null, probe: null, failed: false };
    if (e.mac !== null) {
      if (nowSec - e.confirmedSec < PEER_MAC.reachableSec) return { mac: e.mac, probe: null, failed: false };
      if (e.unanswered < PEER_MAC.probes) {
        e.unanswered++;
        return { mac: e.mac, probe: { peer, unicastTo: e.mac }, failed: false };
      }
      // The known MAC stopped answering: ask everyone again.
      e.mac = null;
      e.unanswered = 0;
    }
    e.unanswered++;
    return { mac: null, probe: { peer, unicastTo: null }, failed: e.unanswered === PEER_MAC.probes };
  }

  /** `peer` spoke from `mac`. Returns what changed (the MAC it had, null if none), or null when nothing did (or it is no peer). */
  heard(peer: string, mac: string, nowSec: number): { was: string | null } | null {
    const e = this.#entries.get(peer);
    if (e === undefined) return null;
    const m = mac.toLowerCase();
    const was = e.mac;
    e.confirmedSec = nowSec;
    e.unanswered = 0;
    if (was === m) return null;
    e.mac = m;
    return { was };
  }

  mac(peer: string): string | null {
    return this.#entries.get(peer)?.mac ?? null;
  }
}
