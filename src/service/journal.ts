// Log lines for a service: on the systemd journal, each line starts with its syslog priority
// ("<3>" error, "<4>" warning, "<6>" info) so that `journalctl -p warning` finds them; on a
// terminal or a file, plain. systemd says which: JOURNAL_STREAM holds the device and inode of
// the stream it connected (systemd.exec(5)), and the prefix is only for that stream.
import { fstatSync } from 'node:fs';

export type LogPriority = 'error' | 'warning' | 'info';

const SYSLOG: Readonly<Record<LogPriority, number>> = { error: 3, warning: 4, info: 6 };

/** Whether file descriptor `fd` is the journal stream systemd gave this process. */
export function isJournalStream(env: NodeJS.ProcessEnv, fd: number): boolean {
  const m = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (m === null) return false;
  try {
    const st = fstatSync(fd, { bigint: true });
    return st.dev === BigInt(m[1] as string) && st.ino === BigInt(m[2] as string);
  } catch {
    return false;
  }
}

/** Prefixes each line of `text` (one or more lines, newline-terminated) with the priority. */
export function withPriority(text: string, priority: LogPriority): string {
  const p = `<${SYSLOG[priority]}>`;
  return text.replace(/^(?=.)/gm, p);
}

/** A writer of log lines to `out`: prefixed when `out` is the journal. */
export function logWriter(out: { write(s: string): unknown }, journal: boolean): (priority: LogPriority, text: string) => void {
  return (priority, text) => {
    out.write(journal ? withPriority(text, priority) : text);
  };
}
