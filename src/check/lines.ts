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

/** One line per virtual router, then the expected VRIDs not seen, then problems of no VRID. */
export function vridLines(vrids: readonly VridSnapshot[], problems: readonly Problem[], changes: ReadonlyMap<string, Change[]>, label: Label): string[] {
  const lines: string[] = [];
  for (const v of vrids) {
    const k = vridKey(v.segment, v.family, v.vrid);
    const mine = problems.filter((p) => p.vrids.includes(k));
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
    lines.push(`${label(v.segment, v.family, v.vrid)} ${state}: ${parts.join(', ')}${details.length > 0 ? `; ${details.join('; ')}` : ''}`);
  }
  for (const p of problems) if (p.line !== undefined) lines.push(p.line);
  for (const p of problems) if (p.vrids.length === 0 && p.line === undefined && p.kind !== 'no-vrrp' && p.kind !== 'master-changes') lines.push(`${p.state}: ${p.summary}`);
  return lines;
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
