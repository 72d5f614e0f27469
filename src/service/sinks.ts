// Where a service's events go besides the metrics: the --events file and the --on-event command,
// and the log writer both use (syslog priorities on the journal). Shared by watch and daemon.
import { EventLog } from './event-log.js';
import { EventHook } from './hook.js';
import { isJournalStream, logWriter, type LogPriority } from './journal.js';
import type { HookCounts } from './metrics.js';

export interface SinkOptions {
  /** --events: a file to append JSON lines to, or '-' for standard output. */
  events: string | null;
  /** --on-event: a shell command fed each event on its standard input. */
  onEvent: string | null;
  hookTimeoutSeconds: number;
  hookQueue: number;
}

export interface ServiceIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

const HOOK_CLOSE_GRACE_MS = 5000;

export class EventSinks {
  readonly log: (priority: LogPriority, text: string) => void;
  private readonly file: EventLog | null;
  private readonly hook: EventHook | null;
  private readonly onHup = (): void => this.file?.reopen();

  constructor(o: SinkOptions, io: ServiceIo) {
    this.log = logWriter(io.stderr, isJournalStream(io.env, 2));
    this.file = o.events === null ? null : new EventLog(o.events, io.stdout, this.log);
    this.hook = o.onEvent === null ? null : new EventHook({ command: o.onEvent, timeoutSeconds: o.hookTimeoutSeconds, maxQueue: o.hookQueue, env: io.env, log: this.log });
    // SIGHUP reopens the file (logrotate); without a file it keeps its usual meaning.
    if (this.file !== null && o.events !== '-') process.on('SIGHUP', this.onHup);
  }

  get wanted(): boolean {
    return this.file !== null || this.hook !== null;
  }

  get hookCounts(): HookCounts | null {
    return this.hook?.counts ?? null;
  }

  /** One event as a JSON object. */
  write(event: Record<string, unknown>): void {
    if (!this.wanted) return;
    const line = `${JSON.stringify(event)}\n`;
    this.file?.write(line);
    this.hook?.push(line);
  }

  async close(): Promise<void> {
    process.off('SIGHUP', this.onHup);
    await this.hook?.close(HOOK_CLOSE_GRACE_MS);
    this.file?.close();
  }
}
