// Timestamps for people and machines. Pure: the time comes from the packet, never from a clock.
import { dateOfSecond, fromMicros, microsOf, microsWithinSecond } from '../time/timestamp.js';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function micros(tsNsec: number): string {
  return String(microsWithinSecond(tsNsec)).padStart(6, '0');
}

/** Formats many timestamps fast: the date part is cached per second, as captures hold many per second. */
export class TimeFormatter {
  private sec = NaN;
  private isoPrefix = '';
  private clockPrefix = '';

  private load(tsSec: number): void {
    if (tsSec === this.sec) return;
    this.sec = tsSec;
    const d = dateOfSecond(tsSec);
    const hms = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    this.isoPrefix = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${hms}.`;
    this.clockPrefix = `${hms}.`;
  }

  /** ISO 8601 UTC with microseconds: 2026-11-22T10:00:00.123456Z */
  iso(tsSec: number, tsNsec: number): string {
    this.load(tsSec);
    return `${this.isoPrefix}${micros(tsNsec)}Z`;
  }

  /** The time of day (clock()) of a time in microseconds since the epoch. */
  clockOfMicros(us: number): string {
    const t = fromMicros(us);
    return this.clock(t.tsSec, t.tsNsec);
  }

  /** Time of day, UTC, with microseconds, as tcpdump prints it: 10:00:00.123456 */
  clock(tsSec: number, tsNsec: number): string {
    this.load(tsSec);
    return this.clockPrefix + micros(tsNsec);
  }
}

const shared = new TimeFormatter();

export function isoTime(tsSec: number, tsNsec: number): string {
  return shared.iso(tsSec, tsNsec);
}

/** isoTime of a time in microseconds since the epoch. */
export function isoOfMicros(us: number): string {
  const t = fromMicros(us);
  return shared.iso(t.tsSec, t.tsNsec);
}

/**
 * The inverse of `iso`: microseconds since the epoch of "2026-11-22T10:00:00.123456Z" (any number
 * of fraction digits up to nine, or none); null for anything else.
 */
export function parseIsoMicros(text: string): number | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (m === null) return null;
  const ms = Date.parse(`${m[1]}Z`);
  if (!Number.isFinite(ms)) return null;
  return microsOf(ms / 1000, Number((m[2] ?? '').padEnd(9, '0')));
}
