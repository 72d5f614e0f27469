// One severity for every event and condition, read by every face: analyze (its exit code), watch
// and its terminal UI (colours, the header's worst), check (its verdict) and the metrics. Pure data.
//
// check judges the state now (one window), not a history; where that makes it judge differently,
// CHECK_DIFFERENCES below says so, and the README repeats it.
import type { ConditionType, EventType, VridStatus } from '../analysis/types.js';

export type Severity = 'info' | 'warning' | 'critical';

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

/** critical: the traffic has no gateway, or two. warning: something to fix before it does. */
export const CONDITION_SEVERITY = {
  'master-down': 'critical',
  'split-brain': 'critical',
  'vip-arp-conflict': 'critical',
  // Two routers that both own the addresses both act as master at once: a split brain that never ends.
  'owner-conflict': 'critical',
  'interval-mismatch': 'warning',
  'auth-mismatch': 'warning',
  'vip-mismatch': 'warning',
  'vip-conflict': 'warning',
  'bad-checksum': 'warning',
  'bad-ttl': 'warning',
  'malformed': 'warning',
} as const satisfies Record<ConditionType, Severity>;

/** Events that are not conditions. A failover works as designed but is worth a look: warning. */
export const EVENT_SEVERITY = {
  'router-seen': 'info',
  // Spoofed adverts: nothing fails yet, but the segment is under attack or a device is broken.
  'router-flood': 'warning',
  'event-flood': 'warning',
  // The capture's timestamps, not the network: worth a look, since times near it may be off.
  'out-of-order': 'warning',
  'master-change': 'warning',
  'release': 'info',
  'priority-change': 'info',
  // --config (src/intent/): the wire against the nodes' keepalived.conf files.
  'router-mapped': 'info',
  'router-unmapped': 'info',
  'config-mismatch': 'warning',
  'unexpected-router': 'warning',
  'configured-not-seen': 'warning',
  'unexpected-master': 'warning',
} as const satisfies Record<Exclude<EventType, ConditionType | `${ConditionType}-end`>, Severity>;

/** The daemon's own state changes (--events, --on-event): entering FAULT is worth a look. */
export function stateChangeSeverity(to: string): Severity {
  return to === 'FAULT' ? 'warning' : 'info';
}

/** The severity of an event of `type`: a condition's end is info. */
export function eventSeverity(type: EventType): Severity {
  if (type in CONDITION_SEVERITY) return CONDITION_SEVERITY[type as ConditionType];
  if (type in EVENT_SEVERITY) return EVENT_SEVERITY[type as keyof typeof EVENT_SEVERITY];
  return 'info';
}

/** A virtual router's status (its worst open condition) as a severity; 'ok' when none. */
export function statusSeverity(s: VridStatus): Severity | 'ok' {
  if (s === 'ok') return 'ok';
  // No router that peers accept advertises as master: no gateway.
  if (s === 'no-master') return 'critical';
  return CONDITION_SEVERITY[s];
}

/** check's state for a severity (the Monitoring Plugins words). */
export function checkState(s: Severity): 'OK' | 'WARNING' | 'CRITICAL' {
  return s === 'critical' ? 'CRITICAL' : s === 'warning' ? 'WARNING' : 'OK';
}

/** Where check judges differently from analyze and watch, on purpose: it judges one window now. */
export const CHECK_DIFFERENCES: readonly { what: string; analyze: string; check: string; why: string }[] = [
  {
    what: 'master-change',
    analyze: 'warning event (analyze exits 1)',
    check: 'OK unless -w or -c ranges say otherwise',
    why: 'a failover is VRRP working; the plugin alerts on how many there were, as the operator sets',
  },
  {
    what: 'no-master',
    analyze: 'a status of the virtual router (critical in the table and the UI), not an event',
    check: 'CRITICAL when the window ends with no master and no master-down explains it',
    why: 'the plugin judges the state at the end of the window',
  },
  {
    what: 'vrid-missing, unexpected-master, no-vrrp',
    analyze: 'not judged',
    check: 'CRITICAL (--vrid not seen, nothing seen), WARNING (--expect-master)',
    why: 'they compare the wire with the options given to the plugin',
  },
];
