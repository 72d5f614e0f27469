// `--on-event CMD`: CMD runs for each event, through /bin/sh, with the event's JSON line on its
// standard input; one at a time, in order, each within a timeout. The capture never waits for
// it: events queue (a bounded queue; when it is full, new events are dropped and counted), a
// failing or slow run is logged, and the next one starts. What keepalived users build with
// notify scripts and FIFOs, for every event vrrpwatch sees.
import { runCommand, type CommandResult } from '../daemon/commands.js';
import { describeResult } from '../daemon/daemon.js';
import type { LogPriority } from './journal.js';
import type { HookCounts } from './metrics.js';

export interface HookOptions {
  command: string;
  timeoutSeconds: number;
  maxQueue: number;
  env: NodeJS.ProcessEnv;
  log: (priority: LogPriority, text: string) => void;
}

export class EventHook {
  readonly counts: HookCounts = { run: 0, failed: 0, dropped: 0 };
  private readonly queue: string[] = [];
  private running: Promise<void> | null = null;
  private kill: (() => void) | null = null;
  private dropping = false;
  private closed = false;

  constructor(private readonly o: HookOptions) {}

  /** One event's JSON line (newline included). Never blocks. */
  push(line: string): void {
    if (this.closed) return;
    if (this.queue.length >= this.o.maxQueue) {
      this.counts.dropped++;
      if (!this.dropping) this.o.log('warning', `vrrpwatch: --on-event ${JSON.stringify(this.o.command)} is too slow: ${this.o.maxQueue} events wait; dropping new ones (vrrpwatch_hook_dropped_total counts them)\n`);
      this.dropping = true;
      return;
    }
    this.queue.push(line);
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    for (let line = this.queue.shift(); line !== undefined; line = this.queue.shift()) {
      this.dropping = this.dropping && this.queue.length > this.o.maxQueue / 2;
      const run = runCommand(this.o.command, [], { timeoutMs: this.o.timeoutSeconds * 1000, env: this.o.env, stderr: 'inherit', input: line });
      this.kill = run.kill;
      const r: CommandResult = await run.done;
      this.kill = null;
      this.counts.run++;
      if (!r.ok) {
        this.counts.failed++;
        const what = (JSON.parse(line) as { type?: string }).type ?? 'event';
        this.o.log('warning', `vrrpwatch: --on-event ${JSON.stringify(this.o.command)} for a ${what} event: ${describeResult(r, this.o.timeoutSeconds)}\n`);
      }
    }
    this.running = null;
  }

  /** Waits for the queue to empty, at most `graceMs`; then kills the run in progress. */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    if (this.running === null) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([this.running, grace]);
    clearTimeout(timer);
    this.queue.length = 0;
    this.kill?.();
  }
}
