// The timer thread (wake-thread.ts) on the real clock: one wake per arm, after its deadline; an
// arm replaced before its deadline never wakes; a disarmed thread stays quiet until armed again.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { openWakeThread, type WakeThread } from '../../src/live/wake-thread.js';

let thread: WakeThread | null = null;
afterEach(() => {
  thread?.close();
  thread = null;
});

/** A thread whose wakes are recorded (performance.now() at each), and a way to wait for the n-th. */
function start(): { t: WakeThread; wakes: number[]; nth: (n: number) => Promise<void> } {
  const wakes: number[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const t = openWakeThread(
    () => {
      wakes.push(performance.now());
      for (const w of waiting.filter((x) => wakes.length >= x.n)) w.resolve();
    },
    (why) => {
      throw new Error(why);
    },
  );
  if (typeof t === 'string') throw new Error(t);
  thread = t;
  t.hold(true);
  return { t, wakes, nth: (n) => new Promise((resolve) => (wakes.length >= n ? resolve() : waiting.push({ n, resolve }))) };
}

describe('openWakeThread', () => {
  it('wakes once, after the deadline', async () => {
    const { t, wakes, nth } = start();
    const due = performance.now() + 10;
    t.arm(due);
    await nth(1);
    expect(wakes[0]).toBeGreaterThanOrEqual(due);
  });

  it('an arm replaced before its deadline never wakes: only the new one does', async () => {
    const { t, wakes, nth } = start();
    const now = performance.now();
    t.arm(now + 40);
    t.arm(now + 5); // replaces the 40 ms one
    await nth(1);
    t.arm(now + 80); // later than the replaced one: had it fired, it would have come first
    await nth(2);
    expect(wakes).toHaveLength(2);
    expect(wakes[1]).toBeGreaterThanOrEqual(now + 80);
  });

  it('disarmed, it stays quiet until armed again', async () => {
    const { t, wakes, nth } = start();
    const now = performance.now();
    t.arm(now + 5);
    t.disarm();
    t.arm(now + 30);
    await nth(1);
    expect(wakes).toHaveLength(1);
    expect(wakes[0]).toBeGreaterThanOrEqual(now + 30);
  });
});
