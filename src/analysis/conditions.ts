// How a condition lives: one event when it starts, evidence while it holds, one `<type>-end`
// event when it stops, each with its severity from the one table (src/rules/severity.ts).
// Events of one packet are batched and handed over in time order (timers that ran out while
// nothing arrived carry their own, earlier, times).

import { eventSeverity } from '../rules/severity.js';
import { microsToSeconds } from '../time/timestamp.js';
import type { FloodGate } from './flood.js';
import { message, vridText } from './messages.js';
import type { Open } from './state.js';
import { HELD_TYPES, type AnalysisEvent, type ConditionFields, type ConditionType, type EventFields, type Family, type SegmentId } from './types.js';

const HELD = new Set<string>(HELD_TYPES);

export class EventSink {
  private batch: AnalysisEvent[] = [];
  /** Above 0 while evicting: forgotten state goes without end events. */
  quiet = 0;

  /** `gate`: holds back a flood's events of each kind past its window's quota (src/analysis/flood.ts). */
  constructor(
    private readonly onEvent: (e: AnalysisEvent) => void,
    private readonly gate: FloodGate | null = null,
  ) {}

  get pending(): boolean {
    return this.batch.length > 0;
  }

  /** An event at `timeUs`; null when it is not handed on (evicting, or held back as part of a flood). */
  emit(timeUs: number, segment: SegmentId, family: Family | null, vrid: number | null, fields: EventFields, text: string): AnalysisEvent | null {
    if (this.quiet > 0) return null;
    if (this.gate !== null && !this.gate.admit(fields.type, timeUs, segment)) return null;
    return this.push(timeUs, segment, family, vrid, fields, text);
  }

  private push(timeUs: number, segment: SegmentId, family: Family | null, vrid: number | null, fields: EventFields, text: string): AnalysisEvent {
    const e = { timeUs, vrid, family, severity: eventSeverity(fields.type), message: text, segment, ...fields } as AnalysisEvent;
    this.batch.push(e);
    return e;
  }

  /** A condition starts at `t`: its start event, and the record that keeps it open. */
  open<F extends ConditionFields>(t: number, segment: SegmentId, family: Family | null, vrid: number | null, fields: F, text: string): Open<F> {
    if (this.quiet === 0 && this.gate !== null && !this.gate.admit(fields.type, t, segment)) return { startUs: t, fields, start: null, lastUs: t, count: 1, untold: true };
    const start = this.quiet > 0 ? null : this.push(t, segment, family, vrid, fields, text);
    // Every record of a condition has the same fields in the same order, so that the evidence of
    // a flood (one per advert) writes to one shape.
    return { startUs: t, fields, start, lastUs: t, count: 1, untold: false };
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
    // A start held back as part of a flood has no end either: the flood's summary counted it.
    if (o.untold || this.quiet > 0) return;
    const held = HELD.has(o.fields.type);
    const d = Math.max(0, durationUs ?? (held ? o.lastUs : t) - o.startUs);
    const end = { ...o.fields, type: `${o.fields.type}-end`, durationSeconds: microsToSeconds(d), ...(held ? { count: o.count } : {}) } as EventFields;
    this.push(t, segment, family, vrid, end, message.ended(vridText(segment, family, vrid), o.fields, d, o.count));
  }

  flush(): void {
    const b = this.batch;
    if (b.length === 0) return;
    this.batch = [];
    if (b.length > 1) b.sort((x, y) => x.timeUs - y.timeUs);
    for (const e of b) this.onEvent(e);
  }
}

type Keyed = Pick<AnalysisEvent, 'segment' | 'family' | 'vrid'> & { vip?: string; router?: string | null };

/**
 * What identifies one condition across faces (analyze, watch, check, metrics): its type, its
 * virtual router, and its subject (the router of a per-router condition, the VIP of a VIP
 * conflict, whose VRID may change). Its end event gives the same key.
 */
export function conditionKey(e: Keyed, type: ConditionType): string {
  const where = `${e.segment.interface ?? ''}|${e.segment.vlans.join('.')}|${e.family ?? ''}`;
  switch (type) {
    case 'vip-conflict':
    case 'vip-arp-conflict':
      return `${where}|${type}|${e.vip ?? ''}`;
    case 'master-down':
    case 'bad-checksum':
    case 'bad-ttl':
    case 'malformed':
      return `${where}|${e.vrid ?? ''}|${type}|${e.router ?? ''}`;
    default:
      return `${where}|${e.vrid ?? ''}|${type}`;
  }
}

/** The routers a condition names (MACs for ARP claimants without a router). */
export function conditionParties(f: ConditionFields): string[] {
  switch (f.type) {
    case 'split-brain':
    case 'owner-conflict':
      return f.routers;
    case 'interval-mismatch':
    case 'auth-mismatch':
    case 'vip-mismatch':
      return f.routers.map((r) => r.address);
    case 'vip-arp-conflict':
      return f.macs.map((m) => m.router ?? m.mac);
    case 'vip-conflict':
      return [];
    case 'master-down':
    case 'bad-checksum':
    case 'bad-ttl':
      return [f.router];
    case 'malformed':
      return f.router === null ? [] : [f.router];
  }
}
