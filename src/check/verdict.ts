// `check`'s verdict: an Analysis of one window judged by the plugin's rules. Pure: no clock, no
// I/O; the live edge or the file reader hands over the analysis and the window length.
//
// CRITICAL: split brain, a VIP claimed by two MACs, an expected VRID not seen, a master that went
// silent with no takeover, two address owners, master changes outside -c.
// WARNING: interval, auth or VIP mismatch, one VIP in two VRIDs, bad checksum, bad TTL, malformed
// adverts, a VRID without a master, a master other than --expect-master, master changes outside -w.
//
// A condition counts if it held at any moment of the window, whether it is still open at the
// end or ended inside it: a split brain of 5 s in a 10 s window is CRITICAL. The check samples a
// few seconds every few minutes, so what it saw is the evidence there is; the text says whether
// the condition was still open ("both master") or over ("were both master for 6.0 s").
// The analyzer's own severities are not used: these rules are the plugin's contract.

import type { Analysis } from '../analysis/analyzer.js';
import { list } from '../analysis/messages.js';
import {
  CONDITION_TYPES,
  type AnalysisEvent,
  type ConditionType,
  type Family,
  type MismatchEntry,
  type SegmentId,
  type VridSnapshot,
} from '../analysis/types.js';
import type { ExpectedMaster } from './options.js';
import type { Perf } from './perfdata.js';
import { alerts, type Range } from './range.js';

export const CHECK_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

/** The plugin API's exit codes. */
export const EXIT_CODE: Readonly<Record<CheckState, number>> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

export interface VerdictOptions {
  /** --vrid: VRIDs that must be present (any family, any VLAN). */
  expectVrids: readonly number[];
  /** --expect-master: the master each of these VRIDs (of the address's family) should have. */
  expectMasters: readonly ExpectedMaster[];
  /** -w and -c, on the number of master changes in the window. */
  warning: Range | null;
  critical: Range | null;
  /** What the analysis covers: the listening window, or a file's first to last frame; null for an empty file. */
  windowSeconds: number | null;
}

export type ProblemKind =
  | 'master-down'
  | 'vrid-missing'
  | 'no-vrrp'
  | 'split-brain'
  | 'vip-arp-conflict'
  | 'owner-conflict'
  | 'master-changes'
  | 'unexpected-master'
  | 'auth-mismatch'
  | 'interval-mismatch'
  | 'vip-mismatch'
  | 'vip-conflict'
  | 'no-master'
  | 'bad-checksum'
  | 'bad-ttl'
  | 'malformed';

/** Which problem the summary line names when there are several: outages first, then their causes. */
const RANK: Readonly<Record<ProblemKind, number>> = {
  'master-down': 0,
  'vrid-missing': 1,
  'no-vrrp': 2,
  'split-brain': 3,
  'vip-arp-conflict': 4,
  'owner-conflict': 5,
  'master-changes': 6,
  'unexpected-master': 7,
  'auth-mismatch': 8,
  'interval-mismatch': 9,
  'vip-mismatch': 10,
  'vip-conflict': 11,
  'no-master': 12,
  'bad-checksum': 13,
  'bad-ttl': 14,
  'malformed': 15,
};

/** Mismatches that explain a split brain or a VIP claimed twice, named after it in the summary. */
const CAUSES: readonly ProblemKind[] = ['auth-mismatch', 'interval-mismatch', 'vip-mismatch'];

export interface Problem {
  kind: ProblemKind;
  state: 'WARNING' | 'CRITICAL';
  /** Keys of the virtual routers it concerns (see vridKey); empty when it concerns none seen. */
  vrids: string[];
  /** For the first line: names the VRID and the routers. */
  summary: string;
  /** For the VRID's own line (the VRID is already named there); empty when the line says it already. */
  detail: string;
  /** Still open when the window ended. */
  ongoing: boolean;
  firstUs: number;
}

export interface Verdict {
  state: Exclude<CheckState, 'UNKNOWN'>;
  /** The first line's text after "VRRP STATE - ". */
  summary: string;
  /** One line per virtual router (then one per VRID expected but absent, then problems of no VRID). */
  lines: string[];
  perf: Perf[];
  /** Every problem, the one the summary names first. */
  problems: Problem[];
}

// ---- names ------------------------------------------------------------------------------------

/** One virtual router: VRIDs are unique per segment and family. */
export function vridKey(segment: SegmentId, family: Family | null, vrid: number | null): string {
  return `${segment.interface ?? ''}|${segment.vlans.join('.')}|${family ?? ''}|${vrid ?? ''}`;
}

function segmentKey(segment: SegmentId): string {
  return `${segment.interface ?? ''}|${segment.vlans.join('.')}`;
}

/** "VRID 51", "VRID 61 (IPv6)", "VRID 51 on VLAN 30"; the interface only when the analysis has several. */
function labeler(vrids: readonly VridSnapshot[]): (segment: SegmentId, family: Family | null, vrid: number | null) => string {
  const many = new Set(vrids.map((v) => v.segment.interface)).size > 1;
  return (segment, family, vrid) => {
    const where: string[] = [];
    if (many && segment.interface !== null) where.push(segment.interface);
    if (segment.vlans.length > 0) where.push(`VLAN ${segment.vlans.join('.')}`);
    const what = vrid === null ? 'VRRP' : `VRID ${vrid}`;
    return `${what}${family === 'ipv6' ? ' (IPv6)' : ''}${where.length > 0 ? ` on ${where.join(' ')}` : ''}`;
  };
}

function secs(s: number): string {
  return `${s.toFixed(1)} s`;
}

function intervalText(cs: number): string {
  return `${cs / 100} s`;
}

function both(n: number): string {
  return n === 2 ? 'both' : 'all';
}

function authKind(e: MismatchEntry): string {
  const t = e.authType ?? null;
  // The password itself stays out of notifications; -v prints the analyzer's full sentence.
  return t === null ? 'none (v3)' : t === 0 ? 'none' : t === 1 ? 'password' : t === 2 ? 'IPsec AH' : t === 254 ? 'Cisco MD5' : `type ${t}`;
}

// ---- conditions from the events ---------------------------------------------------------------

type ConditionEvent = Extract<AnalysisEvent, { type: ConditionType }>;

interface Occurrence {
  first: ConditionEvent;
  latest: ConditionEvent;
  open: boolean;
  times: number;
  /** Of the last one that ended. */
  durationSeconds: number;
  /** Split brain members and ARP claimants over every occurrence. */
  parties: string[];
}

const CONDITIONS = new Set<string>(CONDITION_TYPES);

function isCondition(e: AnalysisEvent): e is ConditionEvent {
  return CONDITIONS.has(e.type);
}

/** What identifies one condition; its end event repeats these fields (VIP conditions may change VRID). */
export function conditionKey(e: AnalysisEvent, type: ConditionType): string {
  const f = e as AnalysisEvent & { vip?: string; router?: string | null };
  switch (type) {
    case 'vip-conflict':
    case 'vip-arp-conflict':
      return `${segmentKey(e.segment)}|${e.family ?? ''}|${type}|${f.vip ?? ''}`;
    case 'master-down':
    case 'bad-checksum':
    case 'bad-ttl':
    case 'malformed':
      return `${vridKey(e.segment, e.family, e.vrid)}|${type}|${f.router ?? ''}`;
    default:
      return `${vridKey(e.segment, e.family, e.vrid)}|${type}`;
  }
}

function parties(e: ConditionEvent): string[] {
  if (e.type === 'split-brain' || e.type === 'owner-conflict') return e.routers;
  if (e.type === 'vip-arp-conflict') return e.macs.map((m) => m.router ?? m.mac);
  return [];
}

function collectConditions(events: readonly AnalysisEvent[]): Occurrence[] {
  const open = new Map<string, Occurrence>();
  const all: Occurrence[] = [];
  for (const e of events) {
    if (isCondition(e)) {
      const key = conditionKey(e, e.type);
      const o = open.get(key);
      if (o === undefined) {
        const fresh: Occurrence = { first: e, latest: e, open: true, times: 1, durationSeconds: 0, parties: [...parties(e)] };
        open.set(key, fresh);
        all.push(fresh);
      } else {
        o.latest = e;
        o.open = true;
        o.times++;
        for (const p of parties(e)) if (!o.parties.includes(p)) o.parties.push(p);
      }
    } else if (e.type.endsWith('-end')) {
      const base = e.type.slice(0, -'-end'.length);
      if (!CONDITIONS.has(base)) continue;
      const o = open.get(conditionKey(e, base as ConditionType));
      if (o === undefined) continue;
      o.open = false;
      o.durationSeconds = (e as { durationSeconds: number }).durationSeconds;
    }
  }
  return all;
}

// ---- the judgement ----------------------------------------------------------------------------

export function judge(a: Analysis, opts: VerdictOptions): Verdict {
  const label = labeler(a.vrids);
  const byKey = new Map(a.vrids.map((v) => [vridKey(v.segment, v.family, v.vrid), v]));
  const problems: Problem[] = [];
  const add = (p: Problem): void => {
    problems.push(p);
  };
  const window = opts.windowSeconds;

  // Conditions the analyzer opened during the window.
  const splitParties = new Map<string, number>();
  for (const o of collectConditions(a.events)) {
    const e = o.latest;
    const key = vridKey(e.segment, e.family, e.vrid);
    const L = label(e.segment, e.family, e.vrid);
    const over = o.open ? '' : ` (over after ${secs(o.durationSeconds)})`;
    const p = (kind: ProblemKind, state: Problem['state'], what: string, text: string, vrids = [key]): void =>
      add({ kind, state, vrids: vrids.filter((k) => byKey.has(k)), summary: `${what} on ${L}: ${text}`, detail: `${what}: ${text}`, ongoing: o.open, firstUs: o.first.timeUs });
    switch (e.type) {
      case 'split-brain': {
        const n = o.parties.length;
        if (o.open) splitParties.set(key, n);
        const times = o.times > 1 ? `, ${o.times} times` : '';
        p('split-brain', 'CRITICAL', 'split brain', o.open ? `${list(o.parties)} ${both(n)} master` : `${list(o.parties)} were ${both(n)} master for ${secs(o.durationSeconds)}${times}`);
        break;
      }
      case 'master-down':
        p('master-down', 'CRITICAL', 'master down', o.open ? `${e.router} went silent and no backup took over` : `${e.router} went silent; no master for ${secs(o.durationSeconds)}`);
        break;
      case 'vip-arp-conflict': {
        // Every virtual router advertising the VIP is concerned; the analyzer files it under the lowest.
        const vrids = a.vrids.filter((v) => segmentKey(v.segment) === segmentKey(e.segment) && v.family === e.family && v.routers.some((r) => r.vips.includes(e.vip)));
        const keys = vrids.length > 0 ? vrids.map((v) => vridKey(v.segment, v.family, v.vrid)) : [key];
        p('vip-arp-conflict', 'CRITICAL', 'duplicate VIP', `${e.vip} ${o.open ? 'claimed' : 'was claimed'} by ${list(o.parties)}`, keys);
        break;
      }
      case 'owner-conflict':
        p('owner-conflict', 'CRITICAL', `${o.parties.length === 2 ? 'two' : o.parties.length} address owners`, `${list(o.parties)} ${both(o.parties.length)} priority 255${over}`);
        break;
      case 'interval-mismatch':
        p('interval-mismatch', 'WARNING', 'interval mismatch', `${e.routers.map((r) => `${r.address} ${r.advertInterval ?? '?'} s`).join(', ')}${over}`);
        break;
      case 'auth-mismatch': {
        const kinds = e.routers.map(authKind);
        const text = new Set(kinds).size === 1
          ? `${list(e.routers.map((r) => r.address))} use different ${kinds[0] === 'password' ? 'passwords' : 'keys'}`
          : e.routers.map((r, i) => `${r.address} ${kinds[i]}`).join(', ');
        p('auth-mismatch', 'WARNING', 'auth mismatch', text + over);
        break;
      }
      case 'vip-mismatch':
        p('vip-mismatch', 'WARNING', 'VIP mismatch', `${e.routers.map((r) => `${r.address} has ${(r.vips ?? []).join(', ') || 'no VIP'}`).join(', ')}${over}`);
        break;
      case 'vip-conflict': {
        const vrids = a.vrids.filter((v) => segmentKey(v.segment) === segmentKey(e.segment) && v.family === e.family && e.vrids.includes(v.vrid));
        const routers = vrids.flatMap((v) => v.routers.filter((r) => r.vips.includes(e.vip)).map((r) => r.address));
        const L0 = label(e.segment, e.family, Math.min(...e.vrids));
        add({
          kind: 'vip-conflict',
          state: 'WARNING',
          vrids: vrids.map((v) => vridKey(v.segment, v.family, v.vrid)),
          summary: `shared VIP on ${L0}: ${e.vip} in VRIDs ${list(e.vrids.map(String))}${routers.length > 0 ? ` (${list(routers)})` : ''}${over}`,
          detail: `shared VIP: ${e.vip} in VRIDs ${list(e.vrids.map(String))}${over}`,
          ongoing: o.open,
          firstUs: o.first.timeUs,
        });
        break;
      }
      case 'bad-checksum':
        p('bad-checksum', 'WARNING', 'bad checksum', `adverts from ${e.router}${over}`);
        break;
      case 'bad-ttl':
        p('bad-ttl', 'WARNING', 'bad TTL', `${e.router} sends TTL ${e.ttl}, not 255${over}`);
        break;
      case 'malformed':
        p('malformed', 'WARNING', 'malformed adverts', `${e.router === null ? '' : `from ${e.router}: `}${e.reason}${over}`);
        break;
    }
  }

  // Virtual routers with no master at the end, and no master-down to say why (yet).
  for (const v of a.vrids) {
    if (v.master !== null || v.conditions.includes('master-down')) continue;
    const released = v.routers.length > 0 && v.routers.every((r) => r.priority === 0);
    const who = list(v.routers.map((r) => r.address));
    const text = released ? `${who} released the role (priority 0)` : `no valid advert from ${who}`;
    const L = label(v.segment, v.family, v.vrid);
    add({ kind: 'no-master', state: 'WARNING', vrids: [vridKey(v.segment, v.family, v.vrid)], summary: `no master on ${L}: ${text}`, detail: `no master: ${text}`, ongoing: true, firstUs: Infinity });
  }

  // Expected VRIDs, and expected masters (whose VRID must be present too).
  const seenIn = (vrid: number, family: Family | null) => a.vrids.filter((v) => v.vrid === vrid && (family === null || v.family === family));
  const missing = new Map<string, { vrid: number; family: Family | null }>();
  for (const n of opts.expectVrids) if (seenIn(n, null).length === 0) missing.set(`${n}|`, { vrid: n, family: null });
  for (const m of opts.expectMasters) {
    if (seenIn(m.vrid, m.family).length === 0 && !missing.has(`${m.vrid}|`)) missing.set(`${m.vrid}|${m.family}`, { vrid: m.vrid, family: m.family });
  }
  const missingLines: string[] = [];
  for (const { vrid, family } of [...missing.values()].sort((x, y) => x.vrid - y.vrid)) {
    const L = `VRID ${vrid}${family === 'ipv6' ? ' (IPv6)' : ''}`;
    const text = `not seen${window === null ? '' : ` in ${secs(window)}`}`;
    add({ kind: 'vrid-missing', state: 'CRITICAL', vrids: [], summary: `${L} ${text}`, detail: text, ongoing: true, firstUs: -Infinity });
    missingLines.push(`${L} CRITICAL: ${text} (expected)`);
  }
  for (const m of opts.expectMasters) {
    for (const v of seenIn(m.vrid, m.family)) {
      if (v.master === null || v.master === m.address) continue;
      const L = label(v.segment, v.family, v.vrid);
      const text = `${v.master}, expected ${m.address}`;
      add({ kind: 'unexpected-master', state: 'WARNING', vrids: [vridKey(v.segment, v.family, v.vrid)], summary: `unexpected master on ${L}: ${text}`, detail: `unexpected master: ${text}`, ongoing: true, firstUs: Infinity });
    }
  }
  if (a.vrids.length === 0 && missing.size === 0) {
    add({ kind: 'no-vrrp', state: 'CRITICAL', vrids: [], summary: `no VRRP advertisement seen${window === null ? '' : ` in ${secs(window)}`}`, detail: '', ongoing: true, firstUs: -Infinity });
  }

  // Master changes: per virtual router for its line, in total for -w/-c and the perfdata.
  const changes = new Map<string, { from: string | null; to: string }[]>();
  let totalChanges = 0;
  for (const e of a.events) {
    if (e.type !== 'master-change') continue;
    totalChanges++;
    const k = vridKey(e.segment, e.family, e.vrid);
    const those = changes.get(k) ?? [];
    those.push({ from: e.from, to: e.to });
    changes.set(k, those);
  }
  const chain = (cs: readonly { from: string | null; to: string }[]): string => {
    const steps: string[] = [];
    for (const c of cs) {
      if (steps.length === 0 || steps[steps.length - 1] !== c.from) steps.push(c.from ?? '?');
      steps.push(c.to);
    }
    return steps.join(' > ');
  };
  const changeState = opts.critical !== null && alerts(opts.critical, totalChanges) ? 'CRITICAL'
    : opts.warning !== null && alerts(opts.warning, totalChanges) ? 'WARNING'
    : null;
  if (changeState !== null) {
    const most = [...changes.entries()].sort((x, y) => y[1].length - x[1].length)[0];
    const v = most === undefined ? undefined : byKey.get(most[0]);
    const where = most === undefined || v === undefined ? '' : `, ${changes.size > 1 ? 'most ' : ''}on ${label(v.segment, v.family, v.vrid)}: ${chain(most[1])}`;
    add({
      kind: 'master-changes',
      state: changeState,
      vrids: [...changes.keys()].filter((k) => byKey.has(k)),
      summary: `${totalChanges} master change${totalChanges === 1 ? '' : 's'}${window === null ? '' : ` in ${secs(window)}`}${where}`,
      detail: '',
      ongoing: true,
      firstUs: -Infinity,
    });
  }

  problems.sort((x, y) =>
    (x.state === y.state ? 0 : x.state === 'CRITICAL' ? -1 : 1) || RANK[x.kind] - RANK[y.kind] || Number(y.ongoing) - Number(x.ongoing) || compare(x.firstUs, y.firstUs));

  // The per-VRID lines.
  const lines: string[] = [];
  for (const v of a.vrids) {
    const k = vridKey(v.segment, v.family, v.vrid);
    const mine = problems.filter((p) => p.vrids.includes(k));
    const state = mine.some((p) => p.state === 'CRITICAL') ? 'CRITICAL' : mine.length > 0 ? 'WARNING' : 'OK';
    const master = v.routers.find((r) => r.address === v.master);
    const others = v.routers.filter((r) => r !== master).map((r) => `${r.address} (${r.priority})`);
    const parts: string[] = [master === undefined ? 'no master' : `master ${master.address} (${master.priority})`];
    if (others.length > 0) parts.push(`${others.length === 1 ? 'other' : 'others'} ${others.join(', ')}`);
    const intervals = [...new Set(v.routers.map((r) => r.advertIntervalCs))].map(intervalText);
    if (intervals.length > 0) parts.push(`every ${intervals.join('/')}`);
    const cs = changes.get(k);
    if (cs !== undefined) parts.push(`${cs.length} master change${cs.length === 1 ? '' : 's'} (${chain(cs)})`);
    const details = mine.map((p) => p.detail).filter((d) => d !== '');
    lines.push(`${label(v.segment, v.family, v.vrid)} ${state}: ${parts.join(', ')}${details.length > 0 ? `; ${details.join('; ')}` : ''}`);
  }
  lines.push(...missingLines);
  for (const p of problems) if (p.vrids.length === 0 && p.kind !== 'vrid-missing' && p.kind !== 'no-vrrp' && p.kind !== 'master-changes') lines.push(`${p.state}: ${p.summary}`);

  const worst = problems[0];
  let summary: string;
  if (worst === undefined) {
    summary = okSummary(a.vrids, label);
  } else {
    summary = worst.summary;
    if (worst.kind === 'split-brain' || worst.kind === 'vip-arp-conflict') {
      const causes = CAUSES.filter((c) => problems.some((p) => p.kind === c && p.vrids.some((k) => worst.vrids.includes(k))));
      if (causes.length > 0) summary += ` (${list(causes.map((c) => c.replace('-', ' ').replace('vip', 'VIP')))})`;
    }
  }

  let masters = 0;
  const routers = new Set<string>();
  for (const v of a.vrids) {
    const k = vridKey(v.segment, v.family, v.vrid);
    masters += splitParties.get(k) ?? (v.master === null ? 0 : 1);
    for (const r of v.routers) routers.add(`${segmentKey(v.segment)}|${r.address}`);
  }
  const perf: Perf[] = [
    { label: 'vrids', value: a.vrids.length, min: 0 },
    { label: 'masters', value: masters, min: 0 },
    { label: 'routers', value: routers.size, min: 0 },
    { label: 'master_changes', value: totalChanges, warn: opts.warning, crit: opts.critical, min: 0 },
    { label: 'packets', value: a.packets.vrrp, min: 0 },
    { label: 'window', value: window === null ? 'U' : Math.round(window * 1000) / 1000, uom: 's', min: 0 },
  ];

  const state = worst === undefined ? 'OK' : worst.state;
  return { state, summary, lines, perf, problems };
}

function compare(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function okSummary(vrids: readonly VridSnapshot[], label: ReturnType<typeof labeler>): string {
  const only = vrids[0];
  if (vrids.length === 1 && only !== undefined) return `${label(only.segment, only.family, only.vrid)}: master ${only.master ?? '-'}`;
  const names = vrids.map((v) => String(v.vrid));
  return vrids.length <= 6 ? `VRIDs ${list(names)}: one master each` : `${vrids.length} VRIDs: one master each`;
}
