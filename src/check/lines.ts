// check's text after the state: the summary (the worst problem, with the mismatch that explains
// a split brain) and one line per virtual router, then lines for what concerns none seen.

import { vridKey } from '../analysis/labels.js';
import { list } from '../analysis/messages.js';
import type { VridSnapshot } from '../analysis/types.js';
import { configCauses } from './intent-problems.js';
import { chain, type Change } from './problems.js';
import type { Label, Problem, ProblemKind } from './verdict.js';

/** Mismatches that explain a split brain or a VIP claimed twice, named after it in the summary. */
const CAUSES: readonly ProblemKind[] = ['auth-mismatch', 'interval-mismatch', 'vip-mismatch'];

function intervalText(cs: number): string {
  return `${cs / 100} s`;
}

/** Where a line goes: CRITICAL first, then WARNING, then the rest (Nagios keeps only the first 8 KB). */
const STATE_ORDER: Readonly<Record<string, number>> = { CRITICAL: 0, WARNING: 1 };

/**
 * One line per virtual router, then the expected VRIDs not seen, then problems of no VRID; worst
 * first (CRITICAL, WARNING, then the rest), each kind in that order, so that a flood's hundreds of
 * lines cannot push a real problem out of the few KB a monitoring system keeps.
 */
export function vridLines(vrids: readonly VridSnapshot[], problems: readonly Problem[], changes: ReadonlyMap<string, Change[]>, label: Label): string[] {
  const lines: { state: string; text: string }[] = [];
  const byVrid = new Map<string, Problem[]>();
  for (const p of problems) {
    for (const k of p.vrids) {
      const mine = byVrid.get(k);
      if (mine === undefined) byVrid.set(k, [p]);
      else if (mine[mine.length - 1] !== p) mine.push(p);
    }
  }
  for (const v of vrids) {
    const k = vridKey(v.segment, v.family, v.vrid);
    const mine = byVrid.get(k) ?? [];
    const state = mine.some((p) => p.state === 'CRITICAL') ? 'CRITICAL' : mine.length > 0 ? 'WARNING' : 'OK';
    const master = v.routers.find((r) => r.address === v.master);
    const others = v.routers.filter((r) => r !== master).map((r) => `${r.address} (${r.priority}${r.silent ? ', silent' : ''})`);
    const parts: string[] = [master === undefined ? 'no master' : `master ${master.address} (${master.priority})`];
    if (others.length > 0) parts.push(`${others.length === 1 ? 'other' : 'others'} ${others.join(', ')}`);
    const intervals = [...new Set(v.routers.map((r) => r.advertIntervalCs))].map(intervalText);
    if (intervals.length > 0) parts.push(`every ${intervals.join('/')}`);
    const cs = changes.get(k);
    if (cs !== undefined) parts.push(`${cs.length} master change${cs.length === 1 ? '' : 's'} (${chain(cs)})`);
    const details = mine.map((p) => p.detail).filter((d) => d !== '');
    lines.push({ state, text: `${label(v.segment, v.family, v.vrid)} ${state}: ${parts.join(', ')}${details.length > 0 ? `; ${details.join('; ')}` : ''}` });
  }
  for (const p of problems) if (p.line !== undefined) lines.push({ state: p.state, text: p.line });
  for (const p of problems) if (p.vrids.length === 0 && p.line === undefined && p.kind !== 'no-vrrp' && p.kind !== 'master-changes') lines.push({ state: p.state, text: `${p.state}: ${p.summary}` });
  const rank = (s: string): number => STATE_ORDER[s] ?? 2;
  // Array.prototype.sort is stable: within a state, the order above.
  return lines.sort((a, b) => rank(a.state) - rank(b.state)).map((l) => l.text);
}

/** The first line's text: the worst problem (and what explains it), or what is healthy. */
export function summaryText(vrids: readonly VridSnapshot[], problems: readonly Problem[], label: Label): string {
  const worst = problems[0];
  if (worst === undefined) return okSummary(vrids, label);
  let summary = worst.summary;
  if (worst.kind === 'split-brain' || worst.kind === 'vip-arp-conflict') {
    const causes = CAUSES.filter((c) => problems.some((p) => p.kind === c && p.vrids.some((k) => worst.vrids.includes(k))));
    if (causes.length > 0) summary += ` (${list(causes.map((c) => c.replace('-', ' ').replace('vip', 'VIP')))})`;
  }
  return summary + configCauses(worst, problems);
}

function okSummary(vrids: readonly VridSnapshot[], label: Label): string {
  const only = vrids[0];
  if (vrids.length === 1 && only !== undefined) return `${label(only.segment, only.family, only.vrid)}: master ${only.master ?? '-'}`;
  const names = vrids.map((v) => String(v.vrid));
  return vrids.length <= 6 ? `VRIDs ${list(names)}: one master each` : `${vrids.length} VRIDs: one master each`;
}
