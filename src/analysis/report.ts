// An Analysis as people and programs read it: the table and timeline, and the JSON document.
// Pure: strings out.

import { TimeFormatter } from '../format/time.js';
import type { Analysis } from './analyzer.js';
import { authText, interval, segmentText } from './messages.js';
import type { AnalysisEvent, RouterSnapshot, VridSnapshot } from './types.js';

/** Where the capture file was damaged; the analysis covers what came before. */
export interface CaptureDamage {
  offset: number;
  reason: string;
}

const time = new TimeFormatter();

function iso(us: number): string {
  const sec = Math.floor(us / 1e6);
  return time.iso(sec, (us - sec * 1e6) * 1000);
}

/** One event of the timeline: `analyze` prints these, and `watch` prints them as they happen. */
export function eventLine(e: AnalysisEvent): string {
  return `${iso(e.timeUs)}  ${e.severity.padEnd(8)}  ${e.message}\n`;
}

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

export function analysisJson(a: Analysis, damage: CaptureDamage | null): Record<string, unknown> {
  return {
    packets: a.packets,
    vrids: a.vrids.map(vridJson),
    events: a.events.map(eventJson),
    droppedEvents: a.droppedEvents,
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

function vridRow(v: VridSnapshot): string[] {
  const lead = v.routers[0];
  const others = v.routers.slice(1).map((r) => `${r.address} (${r.priority})`);
  const intervals = [...new Set(v.routers.map((r) => interval(r.advertIntervalCs)))];
  return [
    segmentText(v.segment) || '-',
    v.family === 'ipv6' ? `${v.vrid} (IPv6)` : String(v.vrid),
    `v${v.version}`,
    v.master ?? '-',
    lead === undefined ? '-' : String(lead.priority),
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
  for (const e of a.events) s += eventLine(e);
  if (a.droppedEvents > 0) s += `... and ${a.droppedEvents} more events, not kept (limit reached)\n`;
  const p = a.packets;
  s += `\n${p.total} frames, ${p.vrrp} VRRP, ${p.malformed} malformed; ${a.vrids.length} virtual router${a.vrids.length === 1 ? '' : 's'}; `;
  s += `${a.severities.critical} critical, ${a.severities.warning} warning${a.severities.warning === 1 ? '' : 's'}.\n`;
  const ev = a.evictions;
  const forgotten = ev.segments + ev.vrids + ev.routers + ev.vips + ev.malformedSources;
  if (forgotten > 0) {
    s += `State limits reached: forgot ${ev.segments} segments, ${ev.vrids} VRIDs, ${ev.routers} routers, ${ev.malformedSources} malformed sources, and did not index ${ev.vips} VIPs (a flood of random adverts?).\n`;
  }
  if (damage !== null) s += `The capture is damaged at byte offset ${damage.offset} (${damage.reason}): the analysis covers the frames before it.\n`;
  return s;
}
