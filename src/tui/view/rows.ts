// One table row per virtual router: the cells a person reads, its severity, and the filter and
// sort orders. Pure functions of the tracker's snapshots and the time of the snapshot.
import { segmentText } from '../../analysis/messages.js';
import { compareAddresses } from '../../decode/address.js';
import { authText } from '../../format/auth.js';
import type { AnalysisEvent, VridSnapshot, VridStatus } from '../../analysis/types.js';
import { statusSeverity as severityOfStatus } from '../../rules/severity.js';
import { vridKey } from './packets.js';

export type RowSeverity = 'ok' | 'warning' | 'critical';

export interface Row {
  /** vridKey(): stable while the VRID is tracked, so the selection follows it through re-sorts. */
  key: string;
  vrid: VridSnapshot;
  severity: RowSeverity;
  segment: string;
  vridText: string;
  version: string;
  master: string;
  priority: string;
  others: string;
  advertised: string;
  measured: string;
  vips: string;
  auth: string;
  /** Since the last advert of any of its routers (only masters advertise). */
  ageUs: number;
  status: string;
}

export const SORT_KEYS = ['vrid', 'status', 'age', 'master'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** How bad a VRID status is: the one table's word (src/rules/severity.ts), as analyze and check use it. */
export function statusSeverity(s: VridStatus): RowSeverity {
  const x = severityOfStatus(s);
  return x === 'info' ? 'ok' : x;
}

export function buildRows(vrids: readonly VridSnapshot[], nowUs: number): Row[] {
  return vrids.map((v) => {
    const lead = v.routers[0];
    let lastUs = -Infinity;
    for (const r of v.routers) if (r.lastSeenUs > lastUs) lastUs = r.lastSeenUs;
    const intervals = [...new Set(v.routers.map((r) => `${r.advertIntervalCs / 100}s`))];
    const extra = v.conditions.length - 1;
    return {
      key: vridKey(v.segment, v.family, v.vrid),
      vrid: v,
      severity: statusSeverity(v.status),
      segment: segmentText(v.segment) || '-',
      vridText: v.family === 'ipv6' ? `${v.vrid} v6` : String(v.vrid),
      version: `v${v.version}`,
      master: v.master ?? '-',
      priority: lead === undefined ? '-' : String(lead.priority),
      others: v.routers.slice(1).map((r) => `${r.address} (${r.priority})`).join(', ') || '-',
      advertised: intervals.join('/') || '-',
      measured: lead?.measured == null ? '-' : `${lead.measured.meanSeconds.toFixed(2)}s`,
      vips: lead === undefined || lead.vips.length === 0 ? '-' : lead.vips.join(', '),
      auth: lead === undefined ? '-' : authText(lead.authType, lead.authData),
      ageUs: nowUs - lastUs,
      status: extra > 0 ? `${v.status} +${extra}` : v.status,
    };
  });
}

function words(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter((w) => w !== '');
}

/** Rows whose text holds every word of the filter (case-insensitive). */
export function filterRows(rows: readonly Row[], filter: string): Row[] {
  const ws = words(filter);
  if (ws.length === 0) return [...rows];
  return rows.filter((r) => {
    const v = r.vrid;
    const text = [
      r.segment, `vrid ${v.vrid}`, r.vridText, r.version, v.family, r.auth, r.status, ...v.conditions,
      ...v.routers.flatMap((x) => [x.address, x.mac ?? '', ...x.vips]),
    ].join(' ').toLowerCase();
    return ws.every((w) => text.includes(w));
  });
}

/** Events whose text holds every word of the filter. */
export function matchesEvent(e: AnalysisEvent, filter: string): boolean {
  const ws = words(filter);
  if (ws.length === 0) return true;
  const text = `${e.type} ${e.severity} ${e.message}`.toLowerCase();
  return ws.every((w) => text.includes(w));
}

const RANK: Readonly<Record<RowSeverity, number>> = { ok: 0, warning: 1, critical: 2 };

/** Sorted by `key`; ties keep the tracker's order (segment, family, VRID). */
export function sortRows(rows: readonly Row[], key: SortKey, reverse = false): Row[] {
  const indexed = rows.map((r, i) => ({ r, i }));
  const cmp = (a: { r: Row; i: number }, b: { r: Row; i: number }): number => {
    switch (key) {
      case 'vrid':
        return 0;
      case 'status':
        return RANK[b.r.severity] - RANK[a.r.severity];
      case 'age':
        return b.r.ageUs - a.r.ageUs;
      case 'master':
        // Numeric, IPv4 then IPv6 (192.0.2.9 before 192.0.2.11); "-" (no master) last.
        return compareAddresses(a.r.master, b.r.master);
    }
  };
  indexed.sort((a, b) => (reverse ? -1 : 1) * cmp(a, b) || (reverse ? b.i - a.i : a.i - b.i));
  return indexed.map((x) => x.r);
}
