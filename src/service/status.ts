// The watcher's /status document, both ways: written from the live state, and read back into an
// Analysis by `check --from` (and by scripts). It is the `analyze --json` document of the state
// now, its events those the watcher still keeps (see history.ts), plus a `watcher` object saying
// what is watched, since when, and the time now (packet time, which `check --from` judges by).
// Pure: objects in, objects out.
import type { Analysis } from '../analysis/analyzer.js';
import { analysisJson } from '../analysis/report.js';
import type { AnalysisEvent, EventSeverity, Evictions, Family, OpenCondition, RouterSnapshot, SegmentId, VridSnapshot, VridStatus } from '../analysis/types.js';
import { DISCARD_REASONS, type DiscardReason } from '../rules/receive.js';
import { isoOfMicros, parseIsoMicros } from '../format/time.js';
import type { EventHistory } from './history.js';

export interface StatusInput {
  analysis: Analysis;
  history: EventHistory;
  nowUs: number;
  startedUs: number;
  /** The interface (or file) watched. */
  source: string;
}

export function statusJson(s: StatusInput): Record<string, unknown> {
  const analysis: Analysis = { ...s.analysis, events: s.history.events(), droppedEvents: s.history.dropped, droppedEventsByType: undefined };
  return {
    watcher: { source: s.source, since: isoOfMicros(s.startedUs), now: isoOfMicros(s.nowUs) },
    ...analysisJson(analysis, null),
  };
}

// ---- reading it back --------------------------------------------------------------------------

/** What `check --from` judges: the analysis, and the span it covers. */
export interface WatcherStatus {
  analysis: Analysis;
  source: string;
  sinceUs: number;
  nowUs: number;
}

/** JSON names the analyzer's `…Seconds` fields without the suffix (report.ts eventJson). */
const SECONDS_FIELDS: ReadonlySet<string> = new Set(['silent', 'gap', 'duration']);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function segment(o: Json): SegmentId {
  const vlan = typeof o.vlan === 'number' ? o.vlan : null;
  return { interface: str(o.interface), vlan, vlans: vlan === null ? [] : [vlan] };
}

function family(v: unknown): Family | null {
  return v === 'ipv4' || v === 'ipv6' ? v : null;
}

function eventFromJson(o: Json): AnalysisEvent | null {
  const timeUs = parseIsoMicros(str(o.time) ?? '');
  const type = str(o.type);
  const severity = str(o.severity);
  if (timeUs === null || type === null || (severity !== 'info' && severity !== 'warning' && severity !== 'critical')) return null;
  const e: Json = { timeUs, type, severity, vrid: typeof o.vrid === 'number' ? o.vrid : null, family: family(o.family), segment: segment(o), message: str(o.message) ?? '' };
  for (const [k, v] of Object.entries(o)) {
    if (k in e || k === 'time' || k === 'interface' || k === 'vlan') continue;
    e[SECONDS_FIELDS.has(k) ? `${k}Seconds` : k] = v;
  }
  return e as unknown as AnalysisEvent;
}

function routerFromJson(o: Json): RouterSnapshot {
  const m = isObject(o.measuredInterval) ? o.measuredInterval : null;
  return {
    address: str(o.address) ?? '?',
    mac: str(o.mac),
    version: num(o.version, 2),
    priority: num(o.priority),
    advertIntervalCs: Math.round(num(o.advertInterval) * 100),
    authType: typeof o.authType === 'number' ? o.authType : null,
    authData: str(o.authData),
    vips: Array.isArray(o.vips) ? o.vips.filter((x): x is string => typeof x === 'string') : [],
    ttl: num(o.ttl, 255),
    checksumForm: (str(o.checksumForm) as RouterSnapshot['checksumForm']) ?? null,
    packets: num(o.packets),
    firstSeenUs: parseIsoMicros(str(o.firstSeen) ?? '') ?? 0,
    lastSeenUs: parseIsoMicros(str(o.lastSeen) ?? '') ?? 0,
    measured: m === null ? null : { count: num(m.count), minSeconds: num(m.min), meanSeconds: num(m.mean), maxSeconds: num(m.max) },
    discarded: num(o.discarded),
    discardReason: (DISCARD_REASONS as readonly string[]).includes(str(o.discardReason) ?? '') ? (o.discardReason as DiscardReason) : null,
    silent: o.silent === true,
    ageSeconds: num(o.age),
  };
}

function openConditionFromJson(o: Json): OpenCondition | null {
  const e = eventFromJson(o);
  const sinceUs = parseIsoMicros(str(o.since) ?? '');
  const lastEvidenceUs = parseIsoMicros(str(o.lastEvidence) ?? '');
  if (e === null || sinceUs === null || lastEvidenceUs === null) return null;
  const c = e as unknown as Json;
  delete c.since;
  delete c.lastEvidence;
  delete c.duration;
  delete c.durationSeconds;
  delete c.count;
  return { ...(c as unknown as AnalysisEvent), sinceUs, lastEvidenceUs, durationSeconds: num(o.duration), count: num(o.count, 1) } as OpenCondition;
}

function vridFromJson(o: Json): VridSnapshot | null {
  const f = family(o.family);
  if (typeof o.vrid !== 'number' || f === null) return null;
  const conditions = Array.isArray(o.conditions) ? (o.conditions.filter((c) => typeof c === 'string') as VridStatus[]) : [];
  return {
    segment: segment(o),
    family: f,
    vrid: o.vrid,
    version: num(o.version, 2),
    master: str(o.master),
    status: (str(o.status) as VridStatus | null) ?? 'ok',
    conditions,
    routers: Array.isArray(o.routers) ? o.routers.filter(isObject).map(routerFromJson) : [],
  };
}

const SEVERITIES: readonly EventSeverity[] = ['info', 'warning', 'critical'];

/** The document a watcher's /status answered, or why it is not one. */
export function parseStatus(doc: unknown): WatcherStatus | { error: string } {
  if (!isObject(doc) || !isObject(doc.watcher) || !Array.isArray(doc.vrids) || !Array.isArray(doc.events) || !isObject(doc.packets)) {
    return { error: 'the answer is not a vrrpwatch /status document (no watcher, vrids, events, packets)' };
  }
  const nowUs = parseIsoMicros(str(doc.watcher.now) ?? '');
  const sinceUs = parseIsoMicros(str(doc.watcher.since) ?? '');
  if (nowUs === null || sinceUs === null) return { error: 'the /status document has no valid watcher.now and watcher.since times' };
  const events = doc.events.filter(isObject).map(eventFromJson).filter((e): e is AnalysisEvent => e !== null);
  const severities: Record<EventSeverity, number> = { info: 0, warning: 0, critical: 0 };
  for (const e of events) severities[e.severity]++;
  const worst = [...SEVERITIES].reverse().find((s) => severities[s] > 0) ?? null;
  const ev = isObject(doc.evictions) ? doc.evictions : {};
  const evictions: Evictions = { segments: num(ev.segments), vrids: num(ev.vrids), routers: num(ev.routers), vips: num(ev.vips), malformedSources: num(ev.malformedSources), unadmitted: num(ev.unadmitted) };
  const p = doc.packets;
  return {
    source: str(doc.watcher.source) ?? '',
    sinceUs,
    nowUs,
    analysis: {
      packets: { total: num(p.total), vrrp: num(p.vrrp), malformed: num(p.malformed), outOfOrder: num(p.outOfOrder) },
      vrids: doc.vrids.filter(isObject).map(vridFromJson).filter((v): v is VridSnapshot => v !== null),
      events,
      droppedEvents: num(doc.droppedEvents),
      severities,
      worst,
      evictions,
      openConditions: Array.isArray(doc.openConditions) ? doc.openConditions.filter(isObject).map(openConditionFromJson).filter((c): c is OpenCondition => c !== null) : [],
      discarded: discardedFromJson(doc.discarded),
    },
  };
}

function discardedFromJson(v: unknown): Record<DiscardReason, number> {
  const o = isObject(v) ? v : {};
  return Object.fromEntries(DISCARD_REASONS.map((r) => [r, num(o[r])])) as Record<DiscardReason, number>;
}
