// Which tracked weights explain a priority on the wire: keepalived advertises its configured
// priority plus the weights of the tracked scripts and interfaces that count at the moment,
// clamped to 1..254 (src/keepalived/priority.ts has the arithmetic; the owner never moves). A
// priority that base plus some subset of weights gives is tracking at work, not a mismatch.
import { OWNER_PRIORITY } from '../keepalived/complete.js';
import type { InstanceConfig, Tracked } from '../keepalived/model.js';
import type { TrackingEntry } from './events.js';

function entry(t: Tracked): TrackingEntry {
  return { script: t.name, kind: t.kind, weight: t.weight.value, file: t.at.file, line: t.at.line };
}

/** The weights keepalived adds: not dropped (owner, sync group), not 0 (0 means FAULT, no weight). */
export function weighted(inst: InstanceConfig): Tracked[] {
  return inst.tracked.filter((t) => t.ignored === null && t.weight.value !== 0);
}

/**
 * The fewest tracked entries whose weights, added to the base priority, give `priority` ([] for
 * the base itself), or null when no combination does. Subset sums by dynamic programming over the
 * reachable sums (at most 507 per entry), so the work is bounded by the config's size.
 */
export function explainPriority(inst: InstanceConfig, priority: number): TrackingEntry[] | null {
  const base = inst.priority.value;
  if (base === OWNER_PRIORITY) return priority === OWNER_PRIORITY ? [] : null;
  const clamp = (s: number): number => Math.min(OWNER_PRIORITY - 1, Math.max(1, base + s));
  if (clamp(0) === priority) return [];
  // sum -> the smallest subset reaching it (entries are considered in file order)
  let reach = new Map<number, Tracked[]>([[0, []]]);
  for (const t of weighted(inst)) {
    const next = new Map(reach);
    for (const [sum, set] of reach) {
      const s = sum + t.weight.value;
      const prev = next.get(s);
      if (prev === undefined || prev.length > set.length + 1) next.set(s, [...set, t]);
    }
    reach = next;
  }
  let best: Tracked[] | null = null;
  for (const [sum, set] of reach) if (clamp(sum) === priority && (best === null || set.length < best.length)) best = set;
  return best === null ? null : best.map(entry);
}
