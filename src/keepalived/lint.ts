// `lint`: every node's own findings, then the rules across nodes; sorted worst first, grouped
// per instance. Text reads like a compiler's: `b.conf:12: warning: ... [code]`.
import { escapeControl } from '../format/escape.js';
import { groupRouters } from './cluster.js';
import { failoverRule } from './failover-rule.js';
import { severityRank, type LintFinding } from './findings.js';
import { mismatchRules } from './mismatch-rules.js';
import type { NodeConfig } from './model.js';

export interface LintResult {
  nodes: NodeConfig[];
  findings: LintFinding[];
}

export function lint(nodes: NodeConfig[]): LintResult {
  const clusters = groupRouters(nodes);
  const all = [...nodes.flatMap((n) => n.findings), ...mismatchRules(clusters), ...failoverRule(clusters)];
  return { nodes, findings: sortFindings(dedupe(all)) };
}

function dedupe(fs: LintFinding[]): LintFinding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.code}|${f.node ?? ''}|${f.file}|${f.line}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Worst first; within a severity, per node and instance, then by file and line. */
export function sortFindings(fs: LintFinding[]): LintFinding[] {
  return [...fs].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.node ?? '').localeCompare(b.node ?? '') ||
      (a.instance ?? '').localeCompare(b.instance ?? '') ||
      a.file.localeCompare(b.file) ||
      a.line - b.line,
  );
}

/** 0: nothing above info; 1: warnings; 2: errors. */
export function lintExitCode(fs: readonly LintFinding[]): 0 | 1 | 2 {
  const worst = fs.reduce((m, f) => Math.max(m, severityRank(f.severity)), 0);
  return worst as 0 | 1 | 2;
}

export function lintJson(r: LintResult): unknown {
  return {
    nodes: r.nodes.map((n) => ({
      name: n.name,
      nameFrom: n.nameFrom,
      file: n.file,
      configId: n.configId,
      files: n.files,
      instances: n.instances.map((i) => ({
        name: i.name,
        file: i.at.file,
        line: i.at.line,
        vrid: i.vrid?.value ?? null,
        interface: i.interface?.value ?? null,
        family: i.family,
        version: i.version.value,
        state: i.state.value,
        priority: i.priority.value,
        advertInt: i.advertIntervalCs.value / 100,
        preempt: i.preempt.value,
        authType: i.auth.value.type,
        vips: i.vips.map((v) => v.address),
        tracked: i.tracked.map((t) => ({ kind: t.kind, name: t.name, weight: t.weight.value, file: t.at.file, line: t.at.line })),
        syncGroup: i.syncGroup,
      })),
    })),
    findings: r.findings.map((f) => ({ code: f.code, severity: f.severity, file: f.file, line: f.line, message: f.message, node: f.node ?? null, instance: f.instance ?? null, ...(f.related ? { related: f.related } : {}) })),
  };
}

/** Grouped per node and instance, worst group first, a summary line last. */
export function lintText(r: LintResult): string {
  const lines: string[] = [];
  const groups = new Map<string, LintFinding[]>();
  for (const f of r.findings) {
    const k = `${f.node ?? ''}\u0000${f.instance ?? ''}`;
    const g = groups.get(k) ?? [];
    g.push(f);
    groups.set(k, g);
  }
  for (const [k, fs] of groups) {
    const [node, instance] = k.split('\u0000') as [string, string];
    const head = instance !== '' ? `${node}: vrrp_instance ${instance}` : node !== '' ? `${node}:` : '';
    if (head !== '') lines.push(escapeControl(head));
    // line 0: about the file as a whole (it cannot be read)
    for (const f of fs) lines.push(`  ${escapeControl(f.file)}${f.line > 0 ? `:${f.line}` : ''}: ${f.severity}: ${escapeControl(f.message)} [${f.code}]`);
  }
  const count = (s: string): number => r.findings.filter((f) => f.severity === s).length;
  const names = r.nodes.map((n) => escapeControl(n.name)).join(', ');
  const inst = r.nodes.reduce((n, x) => n + x.instances.length, 0);
  lines.push(`${r.nodes.length} node(s) (${names}), ${inst} instance(s): ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s)`);
  return `${lines.join('\n')}\n`;
}
