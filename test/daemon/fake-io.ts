// The daemon's I/O faked for unit tests: a manual clock whose timers fire at their exact time,
// frames captured and decoded instead of injected, VIPs in a set, commands that end when the test
// says. Shared by the tests of one Daemon and of a sync group of several.
import { decodeFrame } from '../../src/decode/frame.js';
import type { DecodedFrame } from '../../src/decode/types.js';
import type { CommandResult, RunningCommand } from '../../src/daemon/commands.js';
import type { DaemonIo } from '../../src/daemon/daemon.js';
import type { Vip } from '../../src/daemon/config.js';

export const MAC = '02:00:00:00:00:0a';
export const ME = '192.0.2.10';
export const PEER = '192.0.2.11';
export const T0 = 1000;

export interface FakeCommand {
  command: string;
  args: readonly string[];
  kind: 'track' | 'notify';
  timeoutMs: number | null;
  killed: boolean;
  finish(r: Partial<CommandResult>): void;
}

export class FakeIo implements DaemonIo {
  now = T0;
  readonly timers: { at: number; fn: () => void; live: boolean }[] = [];
  readonly sent: { t: number; frame: DecodedFrame; bytes: Uint8Array }[] = [];
  readonly host = new Set<string>();
  readonly ops: string[] = [];
  readonly commands: FakeCommand[] = [];
  readonly lines: string[] = [];
  failSend: string | null = null;

  nowSec(): number {
    return this.now;
  }
  wallMs(): number {
    return Date.UTC(2026, 0, 1) + this.now * 1000;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const t = { at: this.now + ms / 1000, fn, live: true };
    this.timers.push(t);
    return () => {
      t.live = false;
    };
  }
  /** The machine's timers, on the same manual clock, at their exact deadline. */
  wakeAt(dueSec: number, fn: () => void): () => void {
    return this.setTimer((dueSec - this.now) * 1000, fn);
  }
  /** As the live edge's setTimeout fallback; a test of late wakes sets its own. */
  wakeGraceSec = 0.002;
  send(frame: Uint8Array): void {
    if (this.failSend !== null) throw new Error(this.failSend);
    this.sent.push({ t: this.now, frame: decodeFrame(1, frame), bytes: frame.slice() });
  }
  addVip(vip: Vip): 'added' | 'present' {
    this.ops.push(`add ${vip.address}/${vip.prefixLength}`);
    if (this.host.has(vip.address)) return 'present';
    this.host.add(vip.address);
    return 'added';
  }
  removeVip(vip: Vip): 'removed' | 'absent' {
    this.ops.push(`del ${vip.address}/${vip.prefixLength}`);
    return this.host.delete(vip.address) ? 'removed' : 'absent';
  }
  run(command: string, args: readonly string[], kind: 'track' | 'notify', timeoutMs: number | null): RunningCommand {
    let resolve!: (r: CommandResult) => void;
    const done = new Promise<CommandResult>((r) => (resolve = r));
    const c: FakeCommand = {
      command, args, kind, timeoutMs, killed: false,
      finish: (r) => resolve({ ok: r.code === 0 && !r.timedOut, code: 0, signal: null, timedOut: false, error: null, ...r }),
    };
    this.commands.push(c);
    return { done, kill: () => { c.killed = true; c.finish({ code: null, signal: 'SIGTERM' }); } };
  }
  write(line: string): void {
    this.lines.push(line);
  }

  /** Fire every timer due up to `toSec`, each at its own time, then set the clock. */
  advance(toSec: number): void {
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= toSec).sort((x, y) => x.at - y.at)[0];
      if (due === undefined) break;
      due.live = false;
      this.now = Math.max(this.now, due.at);
      due.fn();
    }
    this.now = Math.max(this.now, toSec);
  }

  adverts(): { t: number; priority: number; src: string; srcMac: string | null }[] {
    return this.sent.flatMap((s) => (s.frame.kind === 'vrrp' ? [{ t: s.t, priority: s.frame.vrrp.priority, src: s.frame.ip.src, srcMac: s.frame.link.srcMac }] : []));
  }

  garps(): DecodedFrame[] {
    return this.sent.filter((s) => s.frame.kind === 'arp' || s.frame.kind === 'neighbor-advert').map((s) => s.frame);
  }

  notified(): string[] {
    return this.commands.filter((c) => c.kind === 'notify').map((c) => c.args.join(' '));
  }
}
