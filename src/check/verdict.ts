// `check`'s verdict: an Analysis of one window judged by the plugin's rules. Pure: no clock, no
// I/O; the live edge or the file reader hands over the analysis and the window length.
//
// The severities are the one table's (src/rules/severity.ts), as analyze and watch use them;
// CHECK_DIFFERENCES there lists where the plugin judges otherwise because it judges one window
// now: master changes only against -w/-c, no master at the end, expected VRIDs and masters.
// A condition counts if it held at any moment of the window, whether it is still open at the
// end or ended inside it: a split brain of 5 s in a 10 s window is CRITICAL. The check samples a
// few seconds every few minutes, so what it saw is the evidence there is; the text says whether
// the condition was still open ("both master") or over ("were both master for 6.0 s").
//
// The decisions have their files: problems.ts (what is wrong), lines.ts (the summary and one
// line per virtual router), perfdata.ts (the figures).

import type { Analysis } from '../analysis/analyzer.js';
import { vridText } from '../analysis/labels.js';
import type { ConditionType, Family, SegmentId } from '../analysis/types.js';
import type { ExpectedMaster } from './options.js';
import { verdictPerf, type Perf } from './perfdata.js';
import { findProblems, masterChanges } from './problems.js';
import { summaryText, vridLines } from './lines.js';
import type { Range } from './range.js';

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

/** The analyzer's conditions, and what only check judges. */
export type ProblemKind = ConditionType | 'vrid-missing' | 'no-vrrp' | 'master-changes' | 'unexpected-master' | 'no-master' | 'config-mismatch' | 'unexpected-router' | 'configured-not-seen';

export interface Problem {
  kind: ProblemKind;
  state: 'WARNING' | 'CRITICAL';
  /** Keys of the virtual routers it concerns (see vridKey); empty when it concerns none seen. */
  vrids: string[];
  /** The routers (or MACs) it names. */
  routers: string[];
  /** For the first line: names the VRID and the routers. */
  summary: string;
  /** For the VRID's own line (the VRID is already named there); empty when the line says it already. */
  detail: string;
  /** Still open when the window ended. */
  ongoing: boolean;
  firstUs: number;
  /** A line of its own after the virtual routers' (an expected VRID not seen). */
  line?: string;
  /** For the analyzer's conditions: which one, where (as its first start event says). */
  condition?: { type: ConditionType; segment: SegmentId; family: Family | null; vrid: number | null };
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

export type Label = (segment: SegmentId, family: Family | null, vrid: number | null) => string;

/** "VRID 51", "VRID 61 (IPv6)", "VRID 51 on VLAN 30"; the interface only when the analysis has several. */
function labeler(a: Analysis): Label {
  const many = new Set(a.vrids.map((v) => v.segment.interface)).size > 1;
  return (segment, family, vrid) => vridText(segment, family, vrid, many);
}

export function judge(a: Analysis, opts: VerdictOptions): Verdict {
  const label = labeler(a);
  const problems = findProblems(a, opts, label);
  const changes = masterChanges(a);
  const worst = problems[0];
  return {
    state: worst === undefined ? 'OK' : worst.state,
    summary: summaryText(a.vrids, problems, label),
    lines: vridLines(a.vrids, problems, changes, label),
    perf: verdictPerf(a, problems, changes, opts),
    problems,
  };
}
