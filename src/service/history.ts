// What a long-running watcher remembers of its events, for the metrics and for /status: counts by
// type and severity, master changes per virtual router, the routers of each open split brain, and
// the recent events (bounded) with the opening events of conditions still open, so that
// `check --from` can judge a window that starts before the oldest event kept. Pure: events in.
//
// Bounded by construction: the recent events by MAX_RECENT (older ones are counted as dropped),
// the per-VRID maps by the tracker's own bounds (prune() forgets what the tracker evicted), the
// open conditions by MAX_OPEN.
import { CONDITION_TYPES, type AnalysisEvent, type ConditionType, type EventSeverity, type EventType, type VridSnapshot } from '../analysis/types.js';
import { conditionKey } from '../analysis/conditions.js';
import { vridKey } from '../analysis/labels.js';

/** Recent events kept for /status (the last five minutes of a busy segment hold far fewer). */
export const MAX_RECENT = 10_000;
/** Opening events of conditions still open, kept beyond the recent ones. */
export const MAX_OPEN = 10_000;
/**
 * Per-VRID entries beyond which the history asks to be pruned (needsPrune) even when no scrape
 * does it: above the tracker's own bound on virtual routers (2,048 by default).
 */
export const PRUNE_AT = 8192;

const CONDITIONS = new Set<string>(CONDITION_TYPES);

function conditionOf(type: string): ConditionType | null {
  if (CONDITIONS.has(type)) return type as ConditionType;
  if (type.endsWith('-end') && CONDITIONS.has(type.slice(0, -4))) return type.slice(0, -4) as ConditionType;
  return null;
}

export class EventHistory {
  /** `type|severity` -> count, over the whole run. */
  readonly totals = new Map<string, { type: EventType; severity: EventSeverity; count: number }>();
  /** vridKey -> master changes over the run. */
  readonly masterChanges = new Map<string, number>();
  /** vridKey -> the routers of its open split brain. */
  readonly splitRouters = new Map<string, readonly string[]>();
  private readonly recent: AnalysisEvent[] = [];
  private head = 0;
  /** conditionKey -> the event that opened it, while it is open. */
  private readonly open = new Map<string, AnalysisEvent>();
  /** Events no longer in the recent ones. */
  dropped = 0;

  constructor(private readonly maxRecent = MAX_RECENT, private readonly maxOpen = MAX_OPEN) {}

  event(e: AnalysisEvent): void {
    const tk = `${e.type}|${e.severity}`;
    const t = this.totals.get(tk);
    if (t === undefined) this.totals.set(tk, { type: e.type, severity: e.severity, count: 1 });
    else t.count++;
    const vk = vridKey(e.segment, e.family, e.vrid);
    if (e.type === 'master-change') this.masterChanges.set(vk, (this.masterChanges.get(vk) ?? 0) + 1);
    else if (e.type === 'split-brain') this.splitRouters.set(vk, e.routers);
    else if (e.type === 'split-brain-end') this.splitRouters.delete(vk);
    const c = conditionOf(e.type);
    if (c !== null) {
      const key = conditionKey(e, c);
      if (c === e.type) {
        if (!this.open.has(key)) {
          if (this.open.size >= this.maxOpen) this.open.delete(this.open.keys().next().value as string);
          this.open.set(key, e);
        }
      } else this.open.delete(key);
    }
    if (this.recent.length < this.maxRecent) this.recent.push(e);
    else {
      this.recent[this.head] = e;
      this.head = (this.head + 1) % this.maxRecent;
      this.dropped++;
    }
  }

  /** More per-VRID entries than any tracker keeps: the owner should call prune() now. */
  get needsPrune(): boolean {
    return this.masterChanges.size > PRUNE_AT || this.splitRouters.size > PRUNE_AT;
  }

  /** Forget the virtual routers the tracker no longer has (evicted): their series go away. */
  prune(vrids: readonly VridSnapshot[]): void {
    const live = new Map(vrids.map((v) => [vridKey(v.segment, v.family, v.vrid), v]));
    for (const k of this.masterChanges.keys()) if (!live.has(k)) this.masterChanges.delete(k);
    for (const k of this.splitRouters.keys()) if (live.get(k)?.conditions.includes('split-brain') !== true) this.splitRouters.delete(k);
  }

  /**
   * The events to judge a window by, oldest first: the opening events of conditions still open
   * that are older than the recent ones, then the recent ones.
   */
  events(): AnalysisEvent[] {
    const recent = [...this.recent.slice(this.head), ...this.recent.slice(0, this.head)];
    const oldest = recent[0]?.timeUs ?? Infinity;
    const older = [...this.open.values()].filter((e) => e.timeUs < oldest || (this.dropped > 0 && !recent.includes(e)));
    older.sort((a, b) => a.timeUs - b.timeUs);
    return [...older, ...recent];
  }
}
