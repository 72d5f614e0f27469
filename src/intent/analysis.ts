// A finished Analysis (analyze, check) held against the configs: the priority-change events gain
// their tracking, the intent events join the timeline in time order, and the counts follow.
import type { Analysis } from '../analysis/analyzer.js';
import { severityRank, type AnalysisEvent, type EventSeverity } from '../analysis/types.js';
import type { IntentWatch } from './intent.js';

export function holdAnalysis(a: Analysis, w: IntentWatch, endUs: number): Analysis {
  // Map first (the whole input's evidence), then annotate: every priority-change gets its tracking.
  for (const e of a.events) w.observe(e);
  const added = w.evaluate(a.vrids, endUs, true);
  const events = mergeByTime(a.events.map((e) => (e.type === 'priority-change' ? w.annotate(e) : e)), added);
  const severities: Record<EventSeverity, number> = { ...a.severities };
  let worst = a.worst;
  for (const e of added) {
    severities[e.severity]++;
    if (worst === null || severityRank(e.severity) > severityRank(worst)) worst = e.severity;
  }
  return { ...a, events, severities, worst };
}

/** Both lists in time order; on a tie the analyzer's event comes first. */
function mergeByTime(xs: readonly AnalysisEvent[], ys: readonly AnalysisEvent[]): AnalysisEvent[] {
  const out: AnalysisEvent[] = [];
  let j = 0;
  for (const x of xs) {
    while (j < ys.length && (ys[j] as AnalysisEvent).timeUs < x.timeUs) out.push(ys[j++] as AnalysisEvent);
    out.push(x);
  }
  while (j < ys.length) out.push(ys[j++] as AnalysisEvent);
  return out;
}

/** The latest time the analysis has evidence of: its last event or advert. */
export function lastEvidenceUs(a: Analysis): number {
  let t = a.events.reduce((m, e) => Math.max(m, e.timeUs), 0);
  for (const v of a.vrids) for (const r of v.routers) t = Math.max(t, r.lastSeenUs);
  return t;
}
