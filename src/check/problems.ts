// What check finds wrong in one window: the analyzer's conditions (held at any moment of the
// window, open at its end or over), the state at the end (no master), and what the options
// expect (VRIDs, masters, master changes against -w/-c). Severities come from the one table
// (src/rules/severity.ts); CHECK_DIFFERENCES there lists where check judges otherwise.

import { authTypeShort } from '../decode/auth.js';
import type { Analysis } from '../analysis/analyzer.js';
import { conditionKey, conditionParties } from '../analysis/conditions.js';
import { vridKey } from '../analysis/labels.js';
import { list } from '../analysis/messages.js';
import { CONDITION_TYPES, type AnalysisEvent, type ConditionType, type Family, type MismatchEntry, type SegmentId, type VridSnapshot } from '../analysis/types.js';
import { secondsText } from '../format/duration.js';
import { CONDITION_SEVERITY, checkState, statusSeverity } from '../rules/severity.js';
import { alerts } from './range.js';
import { intentProblems } from './intent-problems.js';
import type { Label, Problem, ProblemKind, VerdictOptions } from './verdict.js';

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
  'config-mismatch': 16,
  'unexpected-router': 17,
  'configured-not-seen': 18,
};

export function secs(s: number): string {
  return secondsText(s, 1);
}

function both(n: number): string {
  return n === 2 ? 'both' : 'all';
}

function segmentKey(segment: SegmentId): string {
  return `${segment.interface ?? ''}|${segment.vlans.join('.')}`;
}

function authKind(e: MismatchEntry): string {
  const t = e.authType ?? null;
  // The password itself stays out of notifications; -v prints the analyzer's full sentence.
  return t === null ? 'none (v3)' : authTypeShort(t);
}

type ConditionEvent = Extract<AnalysisEvent, { type: ConditionType }>;

interface Occurrence {
  first: ConditionEvent;
  latest: ConditionEvent;
  open: boolean;
  times: number;
  /** Of the last one that ended. */
  durationSeconds: number;
  /** Every party named over every occurrence. */
  parties: string[];
}

const CONDITIONS = new Set<string>(CONDITION_TYPES);

function isCondition(e: AnalysisEvent): e is ConditionEvent {
  return CONDITIONS.has(e.type);
}

function collectConditions(events: readonly AnalysisEvent[]): Occurrence[] {
  const open = new Map<string, Occurrence>();
  const all: Occurrence[] = [];
  for (const e of events) {
    if (isCondition(e)) {
      const key = conditionKey(e, e.type);
      const o = open.get(key);
      if (o === undefined) {
        const fresh: Occurrence = { first: e, latest: e, open: true, times: 1, durationSeconds: 0, parties: [...conditionParties(e)] };
        open.set(key, fresh);
        all.push(fresh);
      } else {
        o.latest = e;
        o.open = true;
        o.times++;
        for (const p of conditionParties(e)) if (!o.parties.includes(p)) o.parties.push(p);
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

/** Problems of the conditions the analyzer opened during the window. */
function conditionProblems(a: Analysis, label: Label, byKey: ReadonlyMap<string, VridSnapshot>, add: (p: Problem) => void): void {
  for (const o of collectConditions(a.events)) {
    const e = o.latest;
    const key = vridKey(e.segment, e.family, e.vrid);
    const L = label(e.segment, e.family, e.vrid);
    const over = o.open ? '' : ` (over after ${secs(o.durationSeconds)})`;
    const state = checkState(CONDITION_SEVERITY[e.type]) as Problem['state'];
    const condition = { type: e.type, segment: o.first.segment, family: o.first.family, vrid: o.first.vrid };
    const p = (what: string, text: string, vrids = [key]): void =>
      add({ kind: e.type, state, vrids: vrids.filter((k) => byKey.has(k)), routers: o.parties, summary: `${what} on ${L}: ${text}`, detail: `${what}: ${text}`, ongoing: o.open, firstUs: o.first.timeUs, condition });
    switch (e.type) {
      case 'split-brain': {
        const n = o.parties.length;
        const times = o.times > 1 ? `, ${o.times} times` : '';
        p('split brain', o.open ? `${list(o.parties)} ${both(n)} master` : `${list(o.parties)} were ${both(n)} master for ${secs(o.durationSeconds)}${times}`);
        break;
      }
      case 'master-down':
        p('master down', o.open ? `${e.router} went silent and no backup took over` : `${e.router} went silent; no master for ${secs(o.durationSeconds)}`);
        break;
      case 'vip-arp-conflict': {
        // Every virtual router advertising the VIP is concerned; the analyzer files it under the lowest.
        const vrids = a.vrids.filter((v) => segmentKey(v.segment) === segmentKey(e.segment) && v.family === e.family && v.routers.some((r) => r.vips.includes(e.vip)));
        const keys = vrids.length > 0 ? vrids.map((v) => vridKey(v.segment, v.family, v.vrid)) : [key];
        p('duplicate VIP', `${e.vip} ${o.open ? 'claimed' : 'was claimed'} by ${list(o.parties)}`, keys);
        break;
      }
      case 'owner-conflict':
        p(`${o.parties.length === 2 ? 'two' : o.parties.length} address owners`, `${list(o.parties)} ${both(o.parties.length)} priority 255${over}`);
        break;
      case 'interval-mismatch':
        p('interval mismatch', `${e.routers.map((r) => `${r.address} ${r.advertInterval ?? '?'} s`).join(', ')}${over}`);
        break;
      case 'auth-mismatch': {
        const kinds = e.routers.map(authKind);
        const text = new Set(kinds).size === 1
          ? `${list(e.routers.map((r) => r.address))} use different ${kinds[0] === 'password' ? 'passwords' : 'keys'}`
          : e.routers.map((r, i) => `${r.address} ${kinds[i]}`).join(', ');
        p('auth mismatch', text + over);
        break;
      }
      case 'vip-mismatch':
        p('VIP mismatch', `${e.routers.map((r) => `${r.address} has ${(r.vips ?? []).join(', ') || 'no VIP'}`).join(', ')}${over}`);
        break;
      case 'vip-conflict': {
        const vrids = a.vrids.filter((v) => segmentKey(v.segment) === segmentKey(e.segment) && v.family === e.family && e.vrids.includes(v.vrid));
        const routers = vrids.flatMap((v) => v.routers.filter((r) => r.vips.includes(e.vip)).map((r) => r.address));
        const L0 = label(e.segment, e.family, Math.min(...e.vrids));
        add({
          kind: 'vip-conflict',
          state,
          vrids: vrids.map((v) => vridKey(v.segment, v.family, v.vrid)),
          routers: o.parties,
          summary: `shared VIP on ${L0}: ${e.vip} in VRIDs ${list(e.vrids.map(String))}${routers.length > 0 ? ` (${list(routers)})` : ''}${over}`,
          detail: `shared VIP: ${e.vip} in VRIDs ${list(e.vrids.map(String))}${over}`,
          ongoing: o.open,
          firstUs: o.first.timeUs,
          condition,
        });
        break;
      }
      case 'bad-checksum':
        p('bad checksum', `adverts from ${e.router}${e.layer === 'ipv4' ? ' (IPv4 header)' : ''}, which routers drop${over}`);
        break;
      case 'bad-ttl':
        p('bad TTL', `${e.router} sends TTL ${e.ttl}, not 255, which routers drop${over}`);
        break;
      case 'malformed':
        p('malformed adverts', `${e.router === null ? '' : `from ${e.router}: `}${e.reason}${over}`);
        break;
    }
  }
}

/** Every problem of the window, most important first. */
export function findProblems(a: Analysis, opts: VerdictOptions, label: Label): Problem[] {
  const byKey = new Map(a.vrids.map((v) => [vridKey(v.segment, v.family, v.vrid), v]));
  const problems: Problem[] = [];
  const add = (p: Problem): void => {
    problems.push(p);
  };
  const window = opts.windowSeconds;
  conditionProblems(a, label, byKey, add);
  intentProblems(a, label, add);

  // Virtual routers with no master at the end, and no master-down to say why (yet).
  for (const v of a.vrids) {
    if (v.master !== null || v.conditions.includes('master-down')) continue;
    const released = v.routers.length > 0 && v.routers.every((r) => r.priority === 0);
    const dropped = v.routers.filter((r) => r.discarded > 0 && r.priority > 0).map((r) => r.address);
    const who = list(v.routers.map((r) => r.address));
    const text = released ? `${who} released the role (priority 0)`
      : dropped.length > 0 ? `routers drop every advert from ${list(dropped)}`
      : `no valid advert from ${who}`;
    const L = label(v.segment, v.family, v.vrid);
    const state = checkState(statusSeverity('no-master') as 'critical') as Problem['state'];
    add({ kind: 'no-master', state, vrids: [vridKey(v.segment, v.family, v.vrid)], routers: v.routers.map((r) => r.address), summary: `no master on ${L}: ${text}`, detail: `no master: ${text}`, ongoing: true, firstUs: Infinity });
  }

  // Expected VRIDs, and expected masters (whose VRID must be present too).
  const seenIn = (vrid: number, family: Family | null) => a.vrids.filter((v) => v.vrid === vrid && (family === null || v.family === family));
  const missing = new Map<string, { vrid: number; family: Family | null }>();
  for (const n of opts.expectVrids) if (seenIn(n, null).length === 0) missing.set(`${n}|`, { vrid: n, family: null });
  for (const m of opts.expectMasters) {
    if (seenIn(m.vrid, m.family).length === 0 && !missing.has(`${m.vrid}|`)) missing.set(`${m.vrid}|${m.family}`, { vrid: m.vrid, family: m.family });
  }
  for (const { vrid, family } of [...missing.values()].sort((x, y) => x.vrid - y.vrid)) {
    const L = `VRID ${vrid}${family === 'ipv6' ? ' (IPv6)' : ''}`;
    const text = `not seen${window === null ? '' : ` in ${secs(window)}`}`;
    add({ kind: 'vrid-missing', state: 'CRITICAL', vrids: [], routers: [], summary: `${L} ${text}`, detail: text, ongoing: true, firstUs: -Infinity, line: `${L} CRITICAL: ${text} (expected)` });
  }
  for (const m of opts.expectMasters) {
    for (const v of seenIn(m.vrid, m.family)) {
      if (v.master === null || v.master === m.address) continue;
      const L = label(v.segment, v.family, v.vrid);
      const text = `${v.master}, expected ${m.address}`;
      add({ kind: 'unexpected-master', state: 'WARNING', vrids: [vridKey(v.segment, v.family, v.vrid)], routers: [v.master], summary: `unexpected master on ${L}: ${text}`, detail: `unexpected master: ${text}`, ongoing: true, firstUs: Infinity });
    }
  }
  if (a.vrids.length === 0 && missing.size === 0) {
    add({ kind: 'no-vrrp', state: 'CRITICAL', vrids: [], routers: [], summary: `no VRRP advertisement seen${window === null ? '' : ` in ${secs(window)}`}`, detail: '', ongoing: true, firstUs: -Infinity });
  }

  // Master changes against -w/-c.
  const changes = masterChanges(a);
  const total = [...changes.values()].reduce((n, cs) => n + cs.length, 0);
  const changeState = opts.critical !== null && alerts(opts.critical, total) ? 'CRITICAL'
    : opts.warning !== null && alerts(opts.warning, total) ? 'WARNING'
    : null;
  if (changeState !== null) {
    const most = [...changes.entries()].sort((x, y) => y[1].length - x[1].length)[0];
    const v = most === undefined ? undefined : byKey.get(most[0]);
    const where = most === undefined || v === undefined ? '' : `, ${changes.size > 1 ? 'most ' : ''}on ${label(v.segment, v.family, v.vrid)}: ${chain(most[1])}`;
    add({
      kind: 'master-changes',
      state: changeState,
      vrids: [...changes.keys()].filter((k) => byKey.has(k)),
      routers: [],
      summary: `${total} master change${total === 1 ? '' : 's'}${window === null ? '' : ` in ${secs(window)}`}${where}`,
      detail: '',
      ongoing: true,
      firstUs: -Infinity,
    });
  }

  problems.sort((x, y) =>
    (x.state === y.state ? 0 : x.state === 'CRITICAL' ? -1 : 1) || RANK[x.kind] - RANK[y.kind] || Number(y.ongoing) - Number(x.ongoing) || compare(x.firstUs, y.firstUs));
  return problems;
}

export interface Change {
  from: string | null;
  to: string;
}

/** The master changes of each virtual router (by vridKey), in order. */
export function masterChanges(a: Analysis): Map<string, Change[]> {
  const changes = new Map<string, Change[]>();
  for (const e of a.events) {
    if (e.type !== 'master-change') continue;
    const k = vridKey(e.segment, e.family, e.vrid);
    const those = changes.get(k) ?? [];
    those.push({ from: e.from, to: e.to });
    changes.set(k, those);
  }
  return changes;
}

/** "192.0.2.11 > 192.0.2.12 > 192.0.2.11". */
export function chain(cs: readonly Change[]): string {
  const steps: string[] = [];
  for (const c of cs) {
    if (steps.length === 0 || steps[steps.length - 1] !== c.from) steps.push(c.from ?? '?');
    steps.push(c.to);
  }
  return steps.join(' > ');
}

function compare(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
