// Performance data: 'label'=value[UOM];[warn];[crit];[min];[max], space separated; and the
// figures check reports for a window.
import type { Analysis } from '../analysis/analyzer.js';
import { vridKey } from '../analysis/labels.js';
import type { Change } from './problems.js';
import type { Range } from './range.js';
import type { Problem, VerdictOptions } from './verdict.js';

export interface Perf {
  label: string;
  value: number | 'U';
  uom?: '' | 's' | 'ms' | 'us' | '%' | 'B' | 'c';
  warn?: Range | null;
  crit?: Range | null;
  min?: number;
  max?: number;
}

function num(n: number): string {
  // Plain decimal, never scientific notation, at most 6 decimals.
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

export function formatPerf(p: Perf): string {
  const label = `'${p.label.replace(/'/g, "''").replace(/=/g, '_')}'`;
  const fields = [p.warn?.text ?? '', p.crit?.text ?? '', p.min === undefined ? '' : num(p.min), p.max === undefined ? '' : num(p.max)];
  while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
  const value = p.value === 'U' ? 'U' : num(p.value) + (p.uom ?? '');
  return [label + '=' + value, ...fields].join(';');
}

export function formatPerfList(list: Perf[]): string {
  return list.map(formatPerf).join(' ');
}

/** vrids, masters (both sides of an open split brain count), routers, master changes, packets, window. */
export function verdictPerf(a: Analysis, problems: readonly Problem[], changes: ReadonlyMap<string, Change[]>, opts: VerdictOptions): Perf[] {
  const splitParties = new Map<string, number>();
  for (const p of problems) if (p.kind === 'split-brain' && p.ongoing) for (const k of p.vrids) splitParties.set(k, p.routers.length);
  let masters = 0;
  const routers = new Set<string>();
  for (const v of a.vrids) {
    const k = vridKey(v.segment, v.family, v.vrid);
    masters += splitParties.get(k) ?? (v.master === null ? 0 : 1);
    for (const r of v.routers) routers.add(`${v.segment.interface ?? ''}|${v.segment.vlans.join('.')}|${r.address}`);
  }
  let total = 0;
  for (const cs of changes.values()) total += cs.length;
  const window = opts.windowSeconds;
  return [
    { label: 'vrids', value: a.vrids.length, min: 0 },
    { label: 'masters', value: masters, min: 0 },
    { label: 'routers', value: routers.size, min: 0 },
    { label: 'master_changes', value: total, warn: opts.warning, crit: opts.critical, min: 0 },
    { label: 'packets', value: a.packets.vrrp, min: 0 },
    { label: 'window', value: window === null ? 'U' : Math.round(window * 1000) / 1000, uom: 's', min: 0 },
  ];
}
