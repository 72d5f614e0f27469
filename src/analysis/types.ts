// What the analyzer says: events, and snapshots of every virtual router. Pure data, no I/O.
//
// Times are microseconds since the Unix epoch (`timeUs`): the packets' own timestamps, exact to
// the microsecond the report prints. Durations a person reads are seconds (`gapSeconds`).

import type { ChecksumForm } from '../decode/types.js';
import type { DiscardReason } from '../rules/receive.js';
import type { IntentFields, TrackingEntry } from '../intent/events.js';

export type Family = 'ipv4' | 'ipv6';
export type EventSeverity = 'info' | 'warning' | 'critical';

/** Where a virtual router lives: VRIDs are only unique within one broadcast domain. */
export interface SegmentId {
  /** pcapng interface name (or the live interface); null when the capture does not say. */
  interface: string | null;
  /** Innermost VLAN id; null when untagged. */
  vlan: number | null;
  /** Every VLAN id, outermost first (QinQ gives two). */
  vlans: readonly number[];
}

interface EventBase {
  timeUs: number;
  /** null only for a malformed packet whose VRID could not be read. */
  vrid: number | null;
  family: Family | null;
  severity: EventSeverity;
  /** One sentence for a person: the VRID, the routers, the values and, where it helps, what to do. */
  message: string;
  segment: SegmentId;
}

export interface MismatchEntry {
  address: string;
  advertInterval?: number;
  authType?: number | null;
  authData?: string | null;
  vips?: string[];
}

export interface ClaimEntry {
  mac: string;
  /** The advertising router that uses this MAC, when one does. */
  router: string | null;
}

/** Conditions that start and end: each has a `<type>-end` event carrying `durationSeconds`. */
export const CONDITION_TYPES = [
  'master-down',
  'split-brain',
  'interval-mismatch',
  'auth-mismatch',
  'vip-mismatch',
  'vip-conflict',
  'owner-conflict',
  'bad-checksum',
  'bad-ttl',
  'malformed',
  'vip-arp-conflict',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** The fields that identify what a condition is about; its end event repeats them. */
export type ConditionFields =
  | { type: 'master-down'; router: string; silentSeconds: number }
  | { type: 'split-brain'; routers: string[] }
  | { type: 'interval-mismatch'; routers: MismatchEntry[] }
  | { type: 'auth-mismatch'; routers: MismatchEntry[] }
  | { type: 'vip-mismatch'; routers: MismatchEntry[] }
  | { type: 'vip-conflict'; vip: string; vrids: number[] }
  | { type: 'owner-conflict'; routers: string[] }
  /** `layer` ipv4: the IPv4 header checksum (the kernel drops those); vrrp: the VRRP checksum. */
  | { type: 'bad-checksum'; router: string; checksum: number; expected: number | null; layer: 'vrrp' | 'ipv4' }
  | { type: 'bad-ttl'; router: string; ttl: number }
  | { type: 'malformed'; router: string | null; reason: string }
  | { type: 'vip-arp-conflict'; vip: string; macs: ClaimEntry[] };

/** Conditions made of bad packets: one condition while such packets keep coming, with a count. */
export const HELD_TYPES = ['bad-checksum', 'bad-ttl', 'malformed'] as const;
export type HeldType = (typeof HELD_TYPES)[number];

/**
 * The end of a condition repeats its start's fields; `durationSeconds` runs from the start to the
 * last packet that showed it. Held conditions also say how many packets showed it (`count`).
 */
export type EndFields = {
  [T in ConditionType]: Omit<Extract<ConditionFields, { type: T }>, 'type'> & { type: `${T}-end`; durationSeconds: number } & (T extends HeldType ? { count: number } : unknown);
}[ConditionType];

export type EventFields =
  | { type: 'router-seen'; router: string; mac: string | null; priority: number }
  /**
   * More new routers in `windowSeconds` than are reported one by one (src/analysis/flood.ts);
   * `untracked` of the `unreported` advertised once into a full virtual router and were given no
   * state (src/analysis/bounded.ts).
   */
  | { type: 'router-flood'; routers: number; unreported: number; windowSeconds: number; untracked: number }
  /**
   * Frame `frame` (from 1) is stamped out of order by `lateSeconds`: `behind` the frame before it,
   * or `ahead` of the frame after it (src/analysis/analyzer.ts). It counts as captured at the
   * latest time seen, so it neither moves a router's last advert back nor fakes a silence.
   */
  | { type: 'out-of-order'; frame: number; lateSeconds: number; direction: 'behind' | 'ahead' }
  /** More events of `eventType` in `windowSeconds` than are reported one by one (src/analysis/flood.ts): `events` in all, `unreported` of them not listed. */
  | { type: 'event-flood'; eventType: EventType; events: number; unreported: number; windowSeconds: number }
  | {
      type: 'master-change';
      from: string | null;
      to: string;
      /** Seconds from the old master's last advert to the new master's first; 0 when the new one was already advertising. */
      gapSeconds: number;
      /** Why: the old master was outranked, released, or went silent. */
      cause: 'preempted' | 'released' | 'silent';
    }
  | { type: 'release'; router: string }
  | {
      type: 'priority-change';
      router: string;
      from: number;
      to: number;
      /** With --config: the tracked weights that explain `to` ([] for the base priority), null when none does. */
      tracking?: TrackingEntry[] | null;
    }
  | IntentFields
  | ConditionFields
  | EndFields;

export type AnalysisEvent = EventBase & EventFields;
export type EventType = AnalysisEvent['type'];

export { severityRank } from '../rules/severity.js';

/** A condition still open at the end of the input: its start event, and how long it has held. */
export type OpenCondition = Extract<AnalysisEvent, { type: ConditionType }> & {
  sinceUs: number;
  /** The latest packet that showed it (the end of the input for a silence). */
  lastEvidenceUs: number;
  /** From sinceUs to lastEvidenceUs. */
  durationSeconds: number;
  /** Packets that showed it (held conditions; 1 for the others). */
  count: number;
};

/** Measured time between consecutive adverts of one router (silences longer than the down limit are not intervals). */
export interface IntervalStats {
  count: number;
  minSeconds: number;
  meanSeconds: number;
  maxSeconds: number;
}

export interface RouterSnapshot {
  address: string;
  mac: string | null;
  version: number;
  priority: number;
  advertIntervalCs: number;
  authType: number | null;
  /** The simple-text password (auth type 1); null otherwise. */
  authData: string | null;
  vips: string[];
  ttl: number;
  checksumForm: ChecksumForm | null;
  packets: number;
  firstSeenUs: number;
  lastSeenUs: number;
  measured: IntervalStats | null;
  /** Adverts from it that routers drop (src/rules/receive.ts), and why the last one was. */
  discarded: number;
  discardReason: DiscardReason | null;
  /** Not heard for its Master_Down_Interval (with the skew of priority 0) at the snapshot's time. */
  silent: boolean;
  /** Seconds since it was last heard, at the snapshot's time. */
  ageSeconds: number;
}

export type VridStatus =
  | 'ok'
  | 'master-down'
  | 'no-master'
  | 'split-brain'
  | 'vip-arp-conflict'
  | 'owner-conflict'
  | 'auth-mismatch'
  | 'interval-mismatch'
  | 'vip-mismatch'
  | 'vip-conflict'
  | 'bad-checksum'
  | 'bad-ttl'
  | 'malformed';

export interface VridSnapshot {
  segment: SegmentId;
  family: Family;
  vrid: number;
  /** The master's version, else the most recent advert's. */
  version: number;
  master: string | null;
  /** The most severe open condition, 'ok' when none. */
  status: VridStatus;
  /** Every open condition, most severe first. */
  conditions: VridStatus[];
  /** Master first, then by priority (highest first) and address. */
  routers: RouterSnapshot[];
}

/** Caps that keep memory bounded whatever the capture holds. */
export interface Limits {
  maxSegments: number;
  /** Virtual routers (segment + family + VRID) across all segments. */
  maxVrids: number;
  maxRoutersPerVrid: number;
  /** VIP index entries (one per VIP per segment), used for vip-conflict and vip-arp-conflict. */
  maxVips: number;
  /** Sources with a malformed packet still waiting for a good one, per segment. */
  maxMalformedSources: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  // A trunk of many VLANs (more than 256 is seen); more costs a VLAN flood time (V8 Map churn).
  maxSegments: 1024,
  maxVrids: 2048,
  maxRoutersPerVrid: 8,
  maxVips: 65_536,
  maxMalformedSources: 64,
};

/** How much was forgotten to stay within the limits. */
export interface Evictions {
  segments: number;
  vrids: number;
  routers: number;
  /** VIPs not indexed because the index was full. */
  vips: number;
  malformedSources: number;
  /**
   * First adverts of routers nobody heard before, into a full virtual router whose master
   * advertises: not given state (bounded.ts); such a router is tracked from its second advert.
   */
  unadmitted: number;
}
