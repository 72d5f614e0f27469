// `check --from`: the watcher keeps a long history; the check judges the last --window of it.
// What of the history belongs to a window starting at `startUs`: every event inside it, and the
// opening events of conditions still open when it started (a split brain that began an hour ago
// and still holds is in the window). Pure.
import { CONDITION_TYPES, type AnalysisEvent, type ConditionType } from '../analysis/types.js';
import { conditionKey } from '../analysis/conditions.js';

const CONDITIONS = new Set<string>(CONDITION_TYPES);

/** The events to judge a window from `startUs` by, oldest first. */
export function eventsSince(events: readonly AnalysisEvent[], startUs: number): AnalysisEvent[] {
  const open = new Map<string, AnalysisEvent>();
  const inside: AnalysisEvent[] = [];
  for (const e of events) {
    if (e.timeUs >= startUs) {
      inside.push(e);
      continue;
    }
    if (CONDITIONS.has(e.type)) {
      const key = conditionKey(e, e.type as ConditionType);
      if (!open.has(key)) open.set(key, e);
    } else if (e.type.endsWith('-end') && CONDITIONS.has(e.type.slice(0, -4))) {
      open.delete(conditionKey(e, e.type.slice(0, -4) as ConditionType));
    }
  }
  return [...open.values(), ...inside];
}
