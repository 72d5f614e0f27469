// What the daemon's interface did between two looks at it: down, deleted, or usable again (and
// then whether the capture must be reopened). keepalived hears this from netlink at once; the
// edge reads /sys/class/net/IFACE every 200 ms (host.ts readLink). Pure.
//
// Why a return needs a new capture: taking a link down gives the capture socket an ENETDOWN
// error, after which libuv stops polling it for good (src/live/capture.ts); a deleted and
// re-created interface has a new ifindex, which the old socket is bound to no more. The
// carrier_changes counter shows a flap shorter than the polling period.

export interface LinkSnapshot {
  /** An interface of that name exists. */
  exists: boolean;
  ifindex: number;
  /** IFF_UP with an operstate of up (or unknown: drivers without link detection). */
  up: boolean;
  /** /sys/class/net/IFACE/carrier_changes: it moves on every carrier change, seen or not. */
  carrierChanges: number;
}

export const NO_LINK: LinkSnapshot = { exists: false, ifindex: 0, up: false, carrierChanges: 0 };

export type LinkChange =
  | { type: 'none' }
  | { type: 'down' }
  | { type: 'gone' }
  /** Usable again: reopen the capture and rejoin the group before hearing adverts. */
  | { type: 'back'; why: 'up again' | 're-created' | 'flapped' };

export function linkChange(before: LinkSnapshot, now: LinkSnapshot): LinkChange {
  if (!now.exists) return before.exists ? { type: 'gone' } : { type: 'none' };
  if (!now.up) return before.up || !before.exists ? { type: 'down' } : { type: 'none' };
  if (!before.exists || before.ifindex !== now.ifindex) return { type: 'back', why: 're-created' };
  if (!before.up) return { type: 'back', why: 'up again' };
  if (before.carrierChanges !== now.carrierChanges) return { type: 'back', why: 'flapped' };
  return { type: 'none' };
}
