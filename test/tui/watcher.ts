// Helpers for tests that run the real `vrrpwatch ... --json` in the background (the lab tests
// live and under a flood): its events as they arrive, with the wall time each arrived, its
// stderr, and its closing summary.
import { execFileSync, type ChildProcess } from 'node:child_process';

export interface WatchEvent {
  time: string;
  type: string;
  vrid: number | null;
  router?: string;
  from?: string | null;
  to?: string;
  gap?: number;
  cause?: string;
  message: string;
}

/** Whether a command is installed (for skip reasons). */
export { hasTool as have } from '../support/tools.js';

export class JsonWatcher {
  readonly events: { at: number; e: WatchEvent }[] = [];
  stderr = '';
  private buffered = '';
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess) {
    proc.stdout?.on('data', (d: Buffer) => {
      this.buffered += d.toString('utf8');
      const lines = this.buffered.split('\n');
      this.buffered = lines.pop() ?? '';
      const at = Date.now();
      for (const l of lines) if (l.trim() !== '') this.events.push({ at, e: JSON.parse(l) as WatchEvent });
    });
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString('utf8');
    });
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  }

  count(type: string, since = 0): number {
    return this.events.filter((x) => x.at >= since && x.e.type === type).length;
  }

  /** Polls (the watcher is another process: there is nothing to await). */
  async waitFor(pred: (e: WatchEvent) => boolean, timeoutMs: number, what: string): Promise<{ at: number; e: WatchEvent }> {
    let hit: { at: number; e: WatchEvent } | undefined;
    await this.until(() => (hit = this.events.find((x) => pred(x.e))) !== undefined, timeoutMs, what);
    return hit as { at: number; e: WatchEvent };
  }

  async until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > end) {
        throw new Error(`${what}: not within ${timeoutMs} ms; events: ${JSON.stringify(this.events.map((x) => x.e.message))}; stderr: ${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops it with SIGTERM and reads its closing summary line. */
  async stop(): Promise<{ code: number | null; packets: number; dropped: number; ifDropped: number }> {
    this.proc.kill('SIGTERM');
    const code = await this.exited;
    const m = /^vrrpwatch: (\d+) packets \(\d+ VRRP\) on \S+; dropped by the kernel (\d+), by the interface (\d+)$/m.exec(this.stderr);
    if (!m) throw new Error(`no summary from vrrpwatch; stderr: ${this.stderr}`);
    return { code, packets: Number(m[1]), dropped: Number(m[2]), ifDropped: Number(m[3]) };
  }
}
