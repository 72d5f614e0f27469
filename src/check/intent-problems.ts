// check --config (issue 12): what the nodes' configs say against the wire, as problems of the
// verdict. A config mismatch is WARNING (the one table: src/rules/severity.ts); when a CRITICAL
// condition of the same virtual router follows from it, the summary names the field after it.
import type { Analysis } from '../analysis/analyzer.js';
import { vridKey } from '../analysis/labels.js';
import type { AnalysisEvent } from '../analysis/types.js';
import { escapeControl } from '../format/escape.js';
import { checkState, eventSeverity } from '../rules/severity.js';
import type { Label, Problem } from './verdict.js';

type Of<T extends AnalysisEvent['type']> = Extract<AnalysisEvent, { type: T }>;

const esc = escapeControl;

function value(v: Of<'config-mismatch'>['wire']): string {
  if (v === null) return 'none';
  return Array.isArray(v) ? (v.length === 0 ? 'no VIP' : v.join(', ')) : String(v);
}

/** "priority 150 on the wire, 200 in a.conf:10"; the password itself stays out of notifications. */
export function mismatchField(e: Of<'config-mismatch'>): string {
  const at = `${esc(e.file)}:${e.line}`;
  switch (e.field) {
    case 'authData':
      return `password on the wire differs from ${at}`;
    case 'advertInterval':
      return `interval ${value(e.wire)} s on the wire, ${value(e.config)} s in ${at}`;
    case 'vips':
      return `VIPs ${esc(value(e.wire))} on the wire, ${esc(value(e.config))} in ${at}`;
    case 'authType':
      return `auth ${esc(value(e.wire))} on the wire, ${esc(value(e.config))} in ${at}`;
    default:
      return `${e.field} ${value(e.wire)} on the wire, ${value(e.config)} in ${at}`;
  }
}

export function intentProblems(a: Analysis, label: Label, add: (p: Problem) => void): void {
  for (const e of a.events) {
    const key = e.vrid === null ? '' : vridKey(e.segment, e.family, e.vrid);
    const L = label(e.segment, e.family, e.vrid);
    const state = checkState(eventSeverity(e.type)) as Problem['state'];
    const base = { state, vrids: a.vrids.some((v) => vridKey(v.segment, v.family, v.vrid) === key) ? [key] : [], ongoing: true, firstUs: e.timeUs };
    switch (e.type) {
      case 'config-mismatch': {
        const text = `${mismatchField(e)} (${esc(e.router)}, node ${esc(e.node)})`;
        add({ ...base, kind: 'config-mismatch', routers: [e.router], summary: `config mismatch on ${L}: ${text}`, detail: `config mismatch: ${text}` });
        break;
      }
      case 'unexpected-router':
        add({ ...base, kind: 'unexpected-router', routers: [e.router], summary: `unexpected router on ${L}: ${esc(e.router)} is in no given config`, detail: `${esc(e.router)} in no given config` });
        break;
      case 'configured-not-seen': {
        const text = `configured on ${esc(e.node)} (${esc(e.file)}:${e.line}), not seen`;
        add({ ...base, kind: 'configured-not-seen', routers: [], summary: `${L} ${text}`, detail: text, line: `${L} ${state}: ${text}` });
        break;
      }
      case 'unexpected-master': {
        const text = `${esc(e.router)}, expected ${esc(e.expected)} (${esc(e.expectedNode)})${e.reason === null ? ', unexplained' : `: ${esc(e.reason.split(':')[0] ?? '')}`}`;
        add({ ...base, kind: 'unexpected-master', routers: [e.router], summary: `unexpected master on ${L}: ${text}`, detail: `unexpected master: ${text}` });
        break;
      }
      default:
        break;
    }
  }
}

/** After a CRITICAL problem: the config mismatches of its virtual routers, which explain it. */
export function configCauses(worst: Problem, problems: readonly Problem[]): string {
  if (worst.state !== 'CRITICAL') return '';
  const causes = problems.filter((p) => p.kind === 'config-mismatch' && p.vrids.some((k) => worst.vrids.includes(k)));
  return causes.length === 0 ? '' : `; ${causes.map((p) => p.detail).join('; ')}`;
}
