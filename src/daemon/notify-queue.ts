// --notify children of one instance: one at a time, in the order of the transitions, each
// bounded in time. A notify still running after NOTIFY_TIMEOUT_MS is killed with its process
// group (commands.ts) and logged, and the next one runs. On stop, the one running gets
// NOTIFY_STOP_GRACE_MS more and is then killed, so STOP always runs and the daemon always ends:
// the signal's wait is the grace plus, for each notify still queued, its timeout.
import type { CommandResult, RunningCommand } from './commands.js';

export const NOTIFY_TIMEOUT_MS = 5000;
export const NOTIFY_STOP_GRACE_MS = 2000;

export interface NotifyDeps {
  run(command: string, args: readonly string[], timeoutMs: number): RunningCommand;
  setTimer(ms: number, fn: () => void): () => void;
  /** A notify that failed or was killed: one warning, with what happened. */
  failed(command: string, args: readonly string[], r: CommandResult): void;
}

export class NotifyQueue {
  readonly #deps: NotifyDeps;
  #chain: Promise<void> = Promise.resolve();
  #running: RunningCommand | null = null;

  constructor(deps: NotifyDeps) {
    this.#deps = deps;
  }

  push(command: string, args: readonly string[]): void {
    this.#chain = this.#chain.then(async () => {
      const running = this.#deps.run(command, args, NOTIFY_TIMEOUT_MS);
      this.#running = running;
      const r = await running.done;
      this.#running = null;
      if (!r.ok) this.#deps.failed(command, args, r);
    });
  }

  /** Stopping: what is queued (STOP included) still runs; the one running now gets the grace. Resolves when all ran. */
  async drain(): Promise<void> {
    if (this.#running !== null) this.#bound(this.#running);
    await this.#chain;
  }

  /** Kill `running` after the stop grace unless it ends first. */
  #bound(running: RunningCommand): void {
    const cancel = this.#deps.setTimer(NOTIFY_STOP_GRACE_MS, () => running.kill());
    void running.done.then(cancel);
  }
}
