// `weight-cannot-failover`: a tracked check whose failure cannot move mastership. The seeds' rule,
// for every node A above another node B of the virtual router: a negative weight fails over only
// if priority(A) - |weight| < priority(B); a positive one only if priority(A) < priority(B) + weight;
// with keepalived's clamping to 1..254 (priority.ts). A tie keeps the master: a backup preempts
// only a lower priority (RFC 3768 6.4.2).
import type { Clusters } from './cluster.js';
import { finding, type LintFinding } from './findings.js';
import { ALL_OK, effectivePriority, failingOnly } from './priority.js';

export function failoverRule(c: Clusters): LintFinding[] {
  const out: LintFinding[] = [];
  for (const r of c.routers) {
    if (r.members.length < 2) continue;
    const ok = r.members.map((m) => ({ m, p: effectivePriority(m.instance, ALL_OK).priority }));
    for (const a of ok) {
      const below = ok.filter((b) => b.m !== a.m && b.p < a.p);
      if (below.length === 0) continue;
      for (const t of a.m.instance.tracked) {
        if (t.weight.value === 0) continue;
        const failed = effectivePriority(a.m.instance, failingOnly(t)).priority;
        if (below.some((b) => b.p > failed)) continue;
        const best = below.reduce((x, y) => (y.p > x.p ? y : x));
        const w = t.weight.value;
        const need = w < 0 ? `a weight of at most -${a.p - best.p + 1}` : `a weight of at least ${a.p - best.p + 1}`;
        const what = t.kind === 'script' ? `track_script ${t.name}` : `track_interface ${t.name}`;
        const fails = t.kind === 'script' ? 'failing' : 'going down';
        out.push(finding('weight-cannot-failover', t.at, `VRID ${r.vrid} (${r.name}): ${what} ${fails} on ${a.m.node.name} (weight ${w}${t.weight.from === 'file' && t.weight.at !== t.at ? `, ${t.weight.at.file}:${t.weight.at.line}` : ''}) takes it from ${a.p} to ${failed}, not below ${best.m.node.name}'s ${best.p}: the VIP stays on ${a.m.node.name} while its check fails. Use ${need}, or weight 0 (FAULT)`, {
          node: a.m.node.name, instance: a.m.instance.name, related: [{ node: best.m.node.name, file: best.m.instance.priority.at.file, line: best.m.instance.priority.at.line }],
        }));
      }
    }
  }
  return out;
}
