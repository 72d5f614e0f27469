// The daemon's log lines: text for people, or one JSON object per line (--json). Pure: the edge
// passes the wall-clock time and writes the line.
import type { Transition } from './machine.js';

export type LogLevel = 'info' | 'warning' | 'error';

export interface LogEntry {
  level: LogLevel;
  message: string;
  /** Set on state changes: from, to and the reason, as machine-readable fields. */
  transition?: Transition;
  /** Extra machine-readable fields for --json (the status on SIGUSR1, a drop's sender). */
  fields?: Record<string, unknown>;
  /** The vrrp_instance, when one process runs several. */
  instance?: string;
}

/** One line, newline included. `wallMs` is Unix time in milliseconds. */
export function formatLogLine(entry: LogEntry, wallMs: number, json: boolean): string {
  const time = new Date(wallMs).toISOString();
  if (json) {
    const o: Record<string, unknown> = { time, level: entry.level, message: entry.message };
    if (entry.instance !== undefined) o.instance = entry.instance;
    if (entry.transition) o.transition = entry.transition;
    if (entry.fields) Object.assign(o, entry.fields);
    return `${JSON.stringify(o)}\n`;
  }
  const who = entry.instance === undefined ? '' : `${entry.instance}: `;
  return `${time} ${who}${entry.level === 'info' ? '' : `${entry.level}: `}${entry.message}\n`;
}
