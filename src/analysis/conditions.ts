// How a condition lives: one event when it starts, evidence while it holds, one `<type>-end`
// event when it stops, each with its severity from the one table (src/rules/severity.ts).
// Events of one packet are batched and handed over in time order (timers that ran out while
// nothing arrived carry their own, earlier, times).

import { eventSeverity } from '../rules/severity.js';
import { microsToSeconds } from '../time/timestamp.js';
import { message, vridText } from './messages.js';
import type { Open } from './state.js';
import { HELD_TYPES, type AnalysisEvent, type ConditionFields, type EventFields, type Family, type SegmentId } from './types.js';

const HELD = new Set<string>(HELD_TYPES);

export class EventSink {
  private batch: AnalysisEvent[] = [];
  /** Above 0 while evicting: forgotten state goes without end events. */
  quiet = 0;

  constructor(private readonly onEvent: (e: AnalysisEvent) => void) {}

  get pending(): boolean {
    return this.batch.length > 0;
  }

  emit(timeUs: number, segment: SegmentId, family: Family | null, vrid: number | null, fields: EventFields, text: string): AnalysisEvent | null {
    if (this.quiet > 0) return null;
    const e = { timeUs, vrid, family, severity: eventSeverity(fields.type), message: text, segment, ...fields } as AnalysisEvent;
    this.batch.push(e);
    return e;
  }

  /** A condition starts at `t`: its start event, and the record that keeps it open. */
  open<F extends ConditionFields>(t: number, segment: SegmentId, family: Family | null, vrid: number | null, fields: F, text: string): Open<F> {
    const start = this.emit(t, segment, family, vrid, fields, text);
    return { startUs: t, fields, start, lastUs: t, count: 1 };
  }

  /** One more packet shows the condition. */
  evidence(o: Open, t: number): void {
    if (t > o.lastUs) o.lastUs = t;
    o.count++;
  }

  /**
   * The condition ends at `t`. It lasted `durationUs`: by default to its last evidence for the
   * conditions made of bad packets, else to `t`.
   */
  close(t: number, segment: SegmentId, family: Family | null, vrid: number | null, o: Open, durationUs?: number): void {
    const held = HELD.has(o.fields.type);
    const d = Math.max(0, durationUs ?? (held ? o.lastUs : t) - o.startUs);
    const end = { ...o.fields, type: `${o.fields.type}-end`, durationSeconds: microsToSeconds(d), ...(held ? { count: o.count } : {}) } as EventFields;
    this.emit(t, segment, family, vrid, end, message.ended(vridText(segment, family, vrid), o.fields, d, o.count));
  }

  flush(): void {
    const b = this.batch;
    if (b.length === 0) return;
    this.batch = [];
    if (b.length > 1) b.sort((x, y) => x.timeUs - y.timeUs);
    for (const e of b) this.onEvent(e);
  }
}
