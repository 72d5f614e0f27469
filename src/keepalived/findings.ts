// The lint findings: codes (contracts other tools check), their severity, and the one shape every
// rule returns. A rule's sentence says what happens on the wire and what to change.
import type { Origin } from './source.js';

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every finding code and its severity. The names are contracts (issue 11); add, never rename. */
export const FINDING_SEVERITY = {
  // one file, as keepalived reads it
  'parse-error': 'error',
  'bad-value': 'warning',
  'extra-tokens': 'warning',
  'unknown-keyword': 'warning',
  'include-missing': 'warning',
  'password-truncated': 'warning',
  'nopreempt-ignored': 'warning',
  'owner-tracking-ignored': 'warning',
  'sync-group-weight-ignored': 'warning',
  'vrid-reused': 'error',
  'script-undefined': 'error',
  'script-unused': 'info',
  'no-vip': 'warning',
  'weight-zero-fault': 'info',
  'script-security': 'info',
  deprecated: 'info',
  // across the nodes of one virtual router
  'vrid-mismatch': 'error',
  'auth-mismatch': 'error',
  'interval-mismatch': 'error',
  'version-mismatch': 'error',
  'vip-mismatch': 'error',
  'equal-priority': 'warning',
  'weight-cannot-failover': 'warning',
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_SEVERITY;

export interface LintFinding {
  code: FindingCode;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  /** The node the finding is about (its name), when there is one. */
  node?: string;
  /** The vrrp_instance it belongs to, for grouping. */
  instance?: string;
  /** Other places the finding involves (the other node's line, for cross-node codes). */
  related?: { node: string; file: string; line: number }[];
}

export function finding(code: FindingCode, at: Origin, message: string, extra: Partial<LintFinding> = {}): LintFinding {
  return { code, severity: FINDING_SEVERITY[code], file: at.file, line: at.line, message, ...extra };
}

export function severityRank(s: Severity): number {
  return s === 'error' ? 2 : s === 'warning' ? 1 : 0;
}
