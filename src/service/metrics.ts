// The watcher's metrics as data: what every series is and its value now, from the analysis state.
// Pure: the HTTP edge (registry.ts) hands these to prom-client at each scrape. The names and
// labels are a contract (issue 15; other tools and the shipped alert rules use them):
// `segment` (interface and VLAN), `family`, `vrid` on every virtual router's series, `router`
// where one router is meant. A failover changes values, never series names.
import type { Analysis } from '../analysis/analyzer.js';
import { CONDITION_TYPES, type Evictions, type SegmentId, type VridSnapshot, type VridStatus } from '../analysis/types.js';
import { vridKey } from '../analysis/labels.js';
import { microsToSeconds } from '../time/timestamp.js';
import type { EventHistory } from './history.js';

export type MetricType = 'gauge' | 'counter';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  labelNames: readonly string[];
  samples: Sample[];
}

/**
 * Every condition a virtual router can be in: one `vrrpwatch_vrid_condition` series each, 0 or 1.
 * The analyzer's condition types, and `no-master`, which is a state, not an event.
 */
export const VRID_CONDITIONS: readonly Exclude<VridStatus, 'ok'>[] = [...CONDITION_TYPES, 'no-master'];

const VRID_LABELS = ['segment', 'family', 'vrid'] as const;
const ROUTER_LABELS = [...VRID_LABELS, 'router'] as const;

/** The `segment` label: the interface, with the VLAN ids as Linux names VLAN devices ("eth0.30"); "-" when a file does not say. */
export function segmentLabel(s: SegmentId): string {
  const base = s.interface ?? '-';
  return s.vlans.length === 0 ? base : `${base}.${s.vlans.join('.')}`;
}

function vridLabels(v: VridSnapshot): { segment: string; family: string; vrid: string } {
  return { segment: segmentLabel(v.segment), family: v.family, vrid: String(v.vrid) };
}

/** What the capture edge knows that the analysis does not. */
export interface CaptureFacts {
  /** The interface (or file) watched. */
  source: string;
  /** Kernel and interface drops, null when the source has none (a file). */
  drops: { dropped: number; ifDropped: number } | null;
  /** The capture is running (false once it failed). */
  up: boolean;
}

/** The --on-event hook's counters. */
export interface HookCounts {
  run: number;
  failed: number;
  dropped: number;
}

export interface WatchMetricsInput {
  analysis: Analysis;
  history: EventHistory;
  /** The analyzer's now (packet time, µs): ages are measured to it. */
  nowUs: number;
  capture: CaptureFacts;
  hook: HookCounts | null;
  build: BuildFacts;
}

/** Which vrrpwatch and Node.js run (the edge reads them). */
export interface BuildFacts {
  version: string;
  nodejs: string;
}

const EVICTION_KINDS: readonly (keyof Evictions)[] = ['segments', 'vrids', 'routers', 'vips', 'malformedSources', 'unadmitted'];

/** Which routers claim master now: the open split brain's, else the master. */
export function mastersOf(v: VridSnapshot, history: EventHistory): readonly string[] {
  const split = v.conditions.includes('split-brain') ? history.splitRouters.get(vridKey(v.segment, v.family, v.vrid)) : undefined;
  if (split !== undefined && split.length > 0) return split;
  return v.master === null ? [] : [v.master];
}

export function watchMetrics(input: WatchMetricsInput): MetricFamily[] {
  const { analysis: a, history, nowUs } = input;
  const fam = (name: string, type: MetricType, help: string, labelNames: readonly string[]): MetricFamily => ({ name, help, type, labelNames, samples: [] });
  const routerMaster = fam('vrrpwatch_router_master', 'gauge', 'Whether this router is master of its virtual router now (1) or not (0); in a split brain every router claiming the role is 1.', ROUTER_LABELS);
  const routerPriority = fam('vrrpwatch_router_priority', 'gauge', 'The priority in the router\'s latest advert (0: it released the role; 255: address owner).', ROUTER_LABELS);
  const routerAdverts = fam('vrrpwatch_router_adverts_total', 'counter', 'Adverts seen from this router since it was first seen.', ROUTER_LABELS);
  const routerAge = fam('vrrpwatch_router_last_advert_age_seconds', 'gauge', 'Seconds since this router\'s latest advert, at scrape time (packet time).', ROUTER_LABELS);
  const splitBrain = fam('vrrpwatch_vrid_split_brain', 'gauge', 'Whether two or more routers claim master of this virtual router now (1) or not (0).', VRID_LABELS);
  const masters = fam('vrrpwatch_vrid_masters', 'gauge', 'How many routers claim master of this virtual router now (1 is healthy).', VRID_LABELS);
  const changes = fam('vrrpwatch_master_changes_total', 'counter', 'Master changes of this virtual router since the watcher started.', VRID_LABELS);
  const condition = fam('vrrpwatch_vrid_condition', 'gauge', 'Whether this virtual router is in this condition now (1) or not (0); one series per condition.', [...VRID_LABELS, 'condition']);
  for (const v of a.vrids) {
    const l = vridLabels(v);
    const claim = new Set(mastersOf(v, history));
    for (const r of v.routers) {
      const rl = { segment: l.segment, family: l.family, vrid: l.vrid, router: r.address };
      routerMaster.samples.push({ labels: rl, value: claim.has(r.address) ? 1 : 0 });
      routerPriority.samples.push({ labels: rl, value: r.priority });
      routerAdverts.samples.push({ labels: rl, value: r.packets });
      routerAge.samples.push({ labels: rl, value: Math.max(0, microsToSeconds(nowUs - r.lastSeenUs)) });
    }
    splitBrain.samples.push({ labels: l, value: claim.size > 1 ? 1 : 0 });
    masters.samples.push({ labels: l, value: claim.size });
    changes.samples.push({ labels: l, value: history.masterChanges.get(vridKey(v.segment, v.family, v.vrid)) ?? 0 });
    const open = new Set(v.conditions);
    for (const c of VRID_CONDITIONS) condition.samples.push({ labels: { segment: l.segment, family: l.family, vrid: l.vrid, condition: c }, value: open.has(c) ? 1 : 0 });
  }

  const events = fam('vrrpwatch_events_total', 'counter', 'Events since the watcher started, by type and severity (the JSON lines of --events).', ['type', 'severity']);
  for (const t of history.totals.values()) events.samples.push({ labels: { type: t.type, severity: t.severity }, value: t.count });

  const source = { interface: input.capture.source };
  const packets = fam('vrrpwatch_capture_packets_total', 'counter', 'Frames captured, by kind: all, vrrp, malformed.', ['interface', 'kind']);
  packets.samples.push(
    { labels: { ...source, kind: 'all' }, value: a.packets.total },
    { labels: { ...source, kind: 'vrrp' }, value: a.packets.vrrp },
    { labels: { ...source, kind: 'malformed' }, value: a.packets.malformed },
  );
  const drops = fam('vrrpwatch_capture_drops_total', 'counter', 'Frames the capture lost: dropped by the kernel (buffer full) or by the interface.', ['interface', 'where']);
  const d = input.capture.drops;
  drops.samples.push({ labels: { ...source, where: 'kernel' }, value: d?.dropped ?? 0 }, { labels: { ...source, where: 'interface' }, value: d?.ifDropped ?? 0 });
  const up = fam('vrrpwatch_capture_up', 'gauge', 'Whether the capture runs (1) or has failed (0): when 0, every other series is stale.', ['interface']);
  up.samples.push({ labels: source, value: input.capture.up ? 1 : 0 });
  const evictions = fam('vrrpwatch_evictions_total', 'counter', 'State forgotten to stay within the tracker\'s bounds (a flood of random adverts?), by kind.', ['kind']);
  for (const k of EVICTION_KINDS) evictions.samples.push({ labels: { kind: k }, value: a.evictions[k] });
  const eventsDropped = fam('vrrpwatch_status_events_dropped_total', 'counter', 'Events no longer kept for /status (older than the most recent ones kept).', []);
  eventsDropped.samples.push({ labels: {}, value: history.dropped });

  const out = [routerMaster, routerPriority, routerAdverts, routerAge, splitBrain, masters, changes, condition, events, packets, drops, up, evictions, eventsDropped];
  if (input.hook !== null) out.push(...hookMetrics(input.hook));
  out.push(buildInfo(input.build));
  return out;
}

export function hookMetrics(h: HookCounts): MetricFamily[] {
  return [
    { name: 'vrrpwatch_hook_runs_total', help: 'Runs of the --on-event command.', type: 'counter', labelNames: [], samples: [{ labels: {}, value: h.run }] },
    { name: 'vrrpwatch_hook_failures_total', help: 'Runs of the --on-event command that failed (non-zero exit, killed at the timeout, could not start).', type: 'counter', labelNames: [], samples: [{ labels: {}, value: h.failed }] },
    { name: 'vrrpwatch_hook_dropped_total', help: 'Events not given to the --on-event command because its queue was full (the command is too slow).', type: 'counter', labelNames: [], samples: [{ labels: {}, value: h.dropped }] },
  ];
}

export function buildInfo(b: BuildFacts): MetricFamily {
  return { name: 'vrrpwatch_build_info', help: 'Always 1; the labels say which vrrpwatch and Node.js run.', type: 'gauge', labelNames: ['version', 'nodejs'], samples: [{ labels: { version: b.version, nodejs: b.nodejs }, value: 1 }] };
}
