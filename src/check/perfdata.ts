// Performance data: 'label'=value[UOM];[warn];[crit];[min];[max], space separated.
import type { Range } from './range.js';

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
