// An Analysis as people and programs read it: the table and timeline, and the JSON document.
// Pure: strings out.

import { ageText, secondsText } from '../format/duration.js';
import { secondsToMicros } from '../time/timestamp.js';
import { eventLine, isoOf } from './event-line.js';
import type { Analysis } from './analyzer.js';
import { authText, discardText, interval, segmentText } from './messages.js';
import type { AnalysisEvent, OpenCondition, RouterSnapshot, VridSnapshot } from './types.js';
import type { DiscardReason } from '../rules/receive.js';

/** Where the capture file was damaged; the analysis covers what came before. */
export interface CaptureDamage {
  offset: number;
  reason: string;
}

const iso = isoOf;

export { eventLine };

// ---- JSON -------------------------------------------------------------------------------------

function routerJson(r: RouterSnapshot): Record<string, unknown> {
  return {
    address: r.address,
    mac: r.mac,
    priority: r.priority,
    advertInterval: r.advertIntervalCs / 100,
    authType: r.authType,
    authData: r.authData,
    vips: r.vips,
    packets: r.packets,
    firstSeen: iso(r.firstSeenUs),
    lastSeen: iso(r.lastSeenUs),
    version: r.version,
    ttl: r.ttl,
    checksumForm: r.checksumForm,
    measuredInterval: r.measured === null ? null : { count: r.measured.count, min: r.measured.minSeconds, mean: r.measured.meanSeconds, max: r.measured.maxSeconds },
    discarded: r.discarded,
    discardReason: r.discardReason,
    silent: r.silent,
    age: r.ageSeconds,
  };
}

function vridJson(v: VridSnapshot): Record<string, unknown> {
  return {
    vrid: v.vrid,
    family: v.family,
    vlan: v.segment.vlan,
    interface: v.segment.interface,
    version: v.version,
    master: v.master,
    status: v.status,
    conditions: v.conditions,
    routers: v.routers.map(routerJson),
  };
}

/** Event fields as the JSON names them: time in ISO 8601, `gapSeconds` as `gap`, and so on. */
export function eventJson(e: AnalysisEvent): Record<string, unknown> {
  const { timeUs, segment, type, severity, vrid, family, message, ...fields } = e;
  const out: Record<string, unknown> = { time: iso(timeUs), type, severity, vrid, family, interface: segment.interface, vlan: segment.vlan };
  for (const [k, v] of Object.entries(fields)) out[k.endsWith('Seconds') ? k.slice(0, -'Seconds'.length) : k] = v;
  out.message = message;
  return out;
}

/** A condition still open: its start event's fields, then since, lastEvidence (ISO) and duration (s). */
export function openConditionJson(c: OpenCondition): Record<string, unknown> {
  const { sinceUs, lastEvidenceUs, durationSeconds, count, ...start } = c;
  const out = eventJson(start as AnalysisEvent);
  const message = out.message;
  delete out.message;
  return { ...out, since: iso(sinceUs), lastEvidence: iso(lastEvidenceUs), duration: durationSeconds, count, message };
}

export function analysisJson(a: Analysis, damage: CaptureDamage | null): Record<string, unknown> {
  return {
    packets: a.packets,
    vrids: a.vrids.map(vridJson),
    events: a.events.map(eventJson),
    openConditions: a.openConditions.map(openConditionJson),
    discarded: a.discarded,
    droppedEvents: a.droppedEvents,
    ...(a.droppedEvents > 0 && a.droppedEventsByType !== undefined ? { droppedEventsByType: a.droppedEventsByType } : {}),
    evictions: a.evictions,
    captureError: damage,
  };
}

// ---- text -------------------------------------------------------------------------------------

function auth(r: RouterSnapshot | undefined): string {
  return r === undefined ? '-' : authText(r.authType, r.authData);
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

/** "192.0.2.12 (100)", "192.0.2.11 (150, silent 35s)", "192.0.2.13 (90, 12 dropped)". */
export function routerText(r: RouterSnapshot): string {
  const notes = [String(r.priority)];
  if (r.silent) notes.push(`silent ${ageText(secondsToMicros(r.ageSeconds))}`);
  if (r.discarded > 0) notes.push(`${r.discarded} dropped`);
  return `${r.address} (${notes.join(', ')})`;
}

function vridRow(v: VridSnapshot): string[] {
  const lead = v.routers[0];
  const others = v.routers.slice(v.master === null ? 0 : 1).map(routerText);
  const intervals = [...new Set(v.routers.map((r) => interval(r.advertIntervalCs)))];
  return [
    segmentText(v.segment) || '-',
    v.family === 'ipv6' ? `${v.vrid} (IPv6)` : String(v.vrid),
    `v${v.version}`,
    v.master ?? '-',
    lead === undefined || v.master === null ? '-' : String(lead.priority),
    others.length === 0 ? '-' : others.join(', '),
    intervals.join('/') || '-',
    lead === undefined || lead.vips.length === 0 ? '-' : lead.vips.join(', '),
    auth(lead),
    v.conditions.length === 0 ? 'ok' : v.conditions.join(', '),
  ];
}

export function analysisText(a: Analysis, damage: CaptureDamage | null): string {
  let s = '';
  if (a.vrids.length === 0) {
    s += 'No VRRP advertisement in this capture.\n';
  } else {
    s += table([['SEGMENT', 'VRID', 'VER', 'MASTER', 'PRIO', 'OTHER ROUTERS', 'INTERVAL', 'VIPS', 'AUTH', 'STATUS'], ...a.vrids.map(vridRow)]);
  }
  s += `\nEvents (${a.events.length + a.droppedEvents}):\n`;
  const key = (timeUs: number, type: string, message: string): string => `${timeUs}\u0000${type}\u0000${message}`;
  const open = new Map(a.openConditions.map((c) => [key(c.sinceUs, c.type, c.message), c] as const));
  for (const e of a.events) {
    const c = open.get(key(e.timeUs, e.type, e.message));
    s += c !== undefined ? eventLine(e).replace(/\n$/, ` (open at end, ${secondsText(c.durationSeconds, 0)})\n`) : eventLine(e);
  }
  if (a.droppedEvents > 0) s += `... and ${a.droppedEvents} more events, not kept (limit reached)${droppedByTypeText(a)}\n`;
  const p = a.packets;
  const late = p.outOfOrder > 0 ? `, ${p.outOfOrder} out of order` : '';
  s += `\n${p.total} frames, ${p.vrrp} VRRP, ${p.malformed} malformed${late}; ${a.vrids.length} virtual router${a.vrids.length === 1 ? '' : 's'}; `;
  s += `${a.severities.critical} critical, ${a.severities.warning} warning${a.severities.warning === 1 ? '' : 's'}.\n`;
  const ev = a.evictions;
  const forgotten = ev.segments + ev.vrids + ev.routers + ev.vips + ev.malformedSources;
  if (forgotten > 0) {
    s += `State limits reached: forgot ${ev.segments} segments, ${ev.vrids} VRIDs, ${ev.routers} routers, ${ev.malformedSources} malformed sources, and did not index ${ev.vips} VIPs (a flood of random adverts?).\n`;
  }
  const dropped = (Object.entries(a.discarded) as [DiscardReason, number][]).filter(([, n]) => n > 0);
  if (dropped.length > 0) {
    s += `Adverts routers drop (RFC 3768/5798 7.1), never counted as master: ${dropped.map(([r, n]) => `${n} with ${discardText(r)}`).join(', ')}.\n`;
  }
  if (damage !== null) s += `The capture is damaged at byte offset ${damage.offset} (${damage.reason}): the analysis covers the frames before it.\n`;
  return s;
}

/** ": 95,168 router-seen, 2,156 priority-change", the commonest first. */
export function droppedByTypeText(a: Analysis): string {
  const byType = Object.entries(a.droppedEventsByType ?? {}).sort((x, y) => y[1] - x[1]);
  return byType.length === 0 ? '' : `: ${byType.map(([type, n]) => `${n} ${type}`).join(', ')}`;
}
