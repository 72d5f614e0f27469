// The daemon's capture as one thing that reopens: a fake opener that fails or dies on demand, and
// a manual clock for the backoff.
import { describe, expect, it } from 'vitest';
import { Listener, REOPEN_MAX_MS, type Ear } from '../../src/daemon/listener.js';

class World {
  now = 0;
  readonly timers: { at: number; fn: () => void; live: boolean }[] = [];
  readonly states: string[] = [];
  readonly opens: number[] = [];
  readonly ears: { closed: boolean; die: (m: string) => void; sent: number }[] = [];
  failures = 0;

  listener = new Listener({
    open: async (onError) => {
      this.opens.push(this.now);
      if (this.failures > 0) {
        this.failures--;
        throw new Error('no interface named eth0');
      }
      const e = { closed: false, die: onError, sent: 0 };
      this.ears.push(e);
      const ear: Ear = { linkType: 1, inject: () => void e.sent++, close: () => void (e.closed = true) };
      return ear;
    },
    setTimer: (ms, fn) => {
      const t = { at: this.now + ms, fn, live: true };
      this.timers.push(t);
      return () => void (t.live = false);
    },
    onState: (ok, reason) => void this.states.push(`${ok ? 'ok' : 'fault'}: ${reason}`),
  });

  async advance(toMs: number): Promise<void> {
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= toMs).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.live = false;
      this.now = due.at;
      due.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.now = toMs;
  }
}

describe('Listener: capture errors are a FAULT, retried with backoff, never a crash', () => {
  it('a capture that dies is reopened after 1 s; failures double the wait up to 30 s; success clears the fault', async () => {
    const w = new World();
    await w.listener.start();
    w.failures = 7;
    w.ears[0]!.die('live capture on eth0 stopped: the interface went down or was removed');
    expect(w.ears[0]!.closed).toBe(true);
    expect(w.listener.open).toBe(false);
    expect(() => w.listener.inject(new Uint8Array(60))).toThrow(/the capture is closed/);
    await w.advance(200_000);
    // the first open at 0; seven failed reopens and a good one, 1, 2, 4, 8, 16, 30, 30, 30 s apart
    const gaps = w.opens.slice(1).map((t, i) => t - (w.opens[i] ?? 0));
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000, REOPEN_MAX_MS, REOPEN_MAX_MS, REOPEN_MAX_MS]);
    expect(w.states[0]).toBe('fault: live capture on eth0 stopped: the interface went down or was removed; trying again in 1 s');
    expect(w.states[1]).toBe('fault: cannot reopen the capture: no interface named eth0; trying again in 2 s');
    expect(w.states.at(-1)).toBe('ok: the capture works again');
    expect(w.listener.open).toBe(true);
    w.listener.inject(new Uint8Array(60));
    expect(w.ears.at(-1)!.sent).toBe(1);
    // the backoff starts over after a success
    w.ears.at(-1)!.die('stopped again');
    expect(w.states.at(-1)).toBe('fault: stopped again; trying again in 1 s');
  });

  it('suspend() (the interface is gone) stops the retries until reopen(); a late open after close() is closed unused', async () => {
    const w = new World();
    await w.listener.start();
    w.failures = 100;
    w.ears[0]!.die('gone');
    w.listener.suspend();
    await w.advance(100_000);
    expect(w.opens).toHaveLength(1);
    w.failures = 0;
    await w.listener.reopen();
    expect(w.listener.open).toBe(true);
    expect(w.states.at(-1)).toBe('ok: the capture works again');
    // reopen() on an open capture closes the old one first
    const before = w.ears.at(-1)!;
    await w.listener.reopen();
    expect(before.closed).toBe(true);
    expect(w.ears.at(-1)!.closed).toBe(false);
    w.listener.close();
    expect(w.ears.at(-1)!.closed).toBe(true);
    await w.listener.reopen();
    expect(w.listener.open).toBe(false);
  });
});
