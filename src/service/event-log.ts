// `--events FILE`: every event as a JSON line, appended and written through at once (a crash
// loses nothing already reported), the file reopened on SIGHUP so that logrotate can move it
// away. `-` is standard output. A write that fails is logged once and the watch goes on.
import { closeSync, openSync, writeSync } from 'node:fs';
import { CliError, Exit } from '../errors.js';
import type { LogPriority } from './journal.js';

export class EventLog {
  private fd: number | null = null;
  private failing = false;
  /** Lines that could not be written. */
  lost = 0;

  constructor(
    readonly path: string,
    private readonly stdout: { write(s: string): unknown },
    private readonly log: (priority: LogPriority, text: string) => void,
  ) {
    if (path !== '-') this.fd = EventLog.open(path);
  }

  /** Opens for appending; the error names the file and what to do. */
  private static open(path: string): number {
    try {
      return openSync(path, 'a', 0o640);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new CliError(`--events ${path}: cannot open for appending (${code}): check that the directory exists and that this user may write there`, Exit.UNAVAILABLE);
    }
  }

  write(line: string): void {
    if (this.path === '-') {
      this.stdout.write(line);
      return;
    }
    try {
      if (this.fd === null) this.fd = EventLog.open(this.path);
      writeSync(this.fd, line);
      if (this.failing) this.log('info', `vrrpwatch: --events ${this.path}: writing again (${this.lost} events lost)\n`);
      this.failing = false;
    } catch (e) {
      this.lost++;
      if (!this.failing) this.log('error', `vrrpwatch: --events ${this.path}: ${(e as Error).message}; events are lost until it works again\n`);
      this.failing = true;
    }
  }

  /** SIGHUP: close and open again (logrotate moved the file). */
  reopen(): void {
    if (this.path === '-') return;
    this.closeFd();
    try {
      this.fd = EventLog.open(this.path);
    } catch (e) {
      this.log('error', `vrrpwatch: ${(e as Error).message}\n`);
    }
  }

  close(): void {
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = null;
  }
}
