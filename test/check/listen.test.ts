// `check -i`'s listening window on a manual clock and a fake capture: how long it listens, that
// the clock's ticks let a silent master be seen, the timeout's cap, and a capture that stops.
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../src/capture/types.js';
import { listen, type ListenCapture, type Listened } from '../../src/check/listen.js';
import type { Clock } from '../../src/time/clock.js';
import { judge } from '../../src/check/verdict.js';
import { listenSeconds, MIN_WINDOW_SECONDS } from '../../src/check/window.js';
import { CliError, Exit } from '../../src/errors.js';
import { vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

const T0_US = 1_700_000_000_000_000;

class ManualClock implements Clock {
  us = T0_US;
  private timer: { ms: number; fn: () => void } | null = null;
  private arm = (): void => undefined;
  /** Resolves when the listener starts its timer (after the capture opened). */
  readonly armed = new Promise<void>((resolve) => { this.arm = resolve; });

  now() {
    return { tsSec: Math.floor(this.us / 1e6), tsNsec: (this.us % 1e6) * 1000 };
  }

  every(ms: number, fn: () => void): () => void {
    this.timer = { ms, fn };
    this.arm();
    return () => { this.timer = null; };
  }

  /** Steps the timer until the listener stops it (or 60 s pass); `before` delivers what is due. */
  run(before: (nowUs: number) => void): void {
    const end = this.us + 60e6;
    while (this.timer !== null && this.us < end) {
      this.us += this.timer.ms * 1000;
      before(this.us);
      this.timer?.fn();
    }
  }
}

interface Fake {
  capture: ListenCapture & { closed: boolean; fail(e: CliError): void };
  deliver: (r: CaptureRecord) => void;
}

function fakeCapture(): { open: (onRecord: (r: CaptureRecord) => void) => Promise<ListenCapture>; fake: Fake } {
  const fake = {} as Fake;
  let onError: (e: CliError) => void = () => undefined;
  const capture = {
    closed: false,
    stats: () => ({ received: 0, dropped: 0, ifDropped: 0 }),
    close() { capture.closed = true; },
    on(_event: 'error', l: (e: CliError) => void) { onError = l; return capture; },
    fail: (e: CliError) => onError(e),
  };
  fake.capture = capture as unknown as Fake['capture'];
  return {
    fake,
    open: async (onRecord) => {
      fake.deliver = onRecord;
      return fake.capture;
    },
  };
}

function record(atUs: number, spec: FrameSpec): CaptureRecord {
  const data = vrrpFrame(spec);
  return { frame: 0, tsSec: Math.floor(atUs / 1e6), tsNsec: (atUs % 1e6) * 1000, linkType: 1, interfaceId: 0, interfaceName: 'eth0', originalLength: data.length, data };
}

const A: FrameSpec = { src: '192.0.2.11', srcMac: '02:00:00:00:00:11', priority: 150 };

/** Listens while `adverts` (seconds after the start, with their frames) arrive as the clock passes them. */
async function listenTo(adverts: [number, FrameSpec][], opts: { durationSeconds?: number; deadlineSeconds?: number } = {}): Promise<{ l: Listened; fake: Fake; elapsed: number }> {
  const clock = new ManualClock();
  const { open, fake } = fakeCapture();
  const p = listen(open, clock, { durationSeconds: opts.durationSeconds ?? null, deadlineUs: T0_US + (opts.deadlineSeconds ?? 29.5) * 1e6 });
  await clock.armed;
  const queue = adverts.map(([at, spec]) => ({ atUs: T0_US + Math.round(at * 1e6), spec }));
  clock.run((now) => {
    for (let x = queue[0]; x !== undefined && x.atUs <= now; x = queue[0]) {
      queue.shift();
      fake.deliver(record(x.atUs, x.spec));
    }
  });
  const l = await p;
  return { l, fake, elapsed: (clock.us - T0_US) / 1e6 };
}

function every(from: number, to: number, step: number, spec: FrameSpec): [number, FrameSpec][] {
  const out: [number, FrameSpec][] = [];
  for (let t = from; t < to - 1e-9; t += step) out.push([Math.round(t * 1e6) / 1e6, spec]);
  return out;
}

describe('the default window', () => {
  it('is three adverts of the slowest interval, at least 3.5 s, at most what the timeout leaves', () => {
    expect(listenSeconds(null, 29.5)).toBe(MIN_WINDOW_SECONDS);
    expect(listenSeconds(100, 29.5)).toBe(3.5);
    expect(listenSeconds(50, 29.5)).toBe(3.5);
    expect(listenSeconds(300, 29.5)).toBe(9.5);
    expect(listenSeconds(1000, 29.5)).toBe(29.5);
  });
});

describe('listen', () => {
  it('with nothing on the wire, ends after the minimum window and closes the capture', async () => {
    const { l, fake, elapsed } = await listenTo([]);
    expect(l.windowSeconds).toBe(3.5);
    expect(elapsed).toBeCloseTo(3.5, 6);
    expect(l.analysis.vrids).toEqual([]);
    expect(fake.capture.closed).toBe(true);
  });

  it('grows the window when a slower interval appears', async () => {
    const { l, elapsed } = await listenTo(every(0.2, 20, 3, { ...A, interval: 3 }));
    expect(l.slowestIntervalCs).toBe(300);
    expect(l.windowSeconds).toBe(9.5);
    expect(elapsed).toBeCloseTo(9.5, 6);
    expect(l.analysis.vrids[0]?.routers[0]?.packets).toBe(4);
  });

  it('stops at the timeout\'s limit when the slowest interval would need longer', async () => {
    const { l } = await listenTo(every(0.2, 60, 10, { ...A, interval: 10 }), { deadlineSeconds: 12 });
    expect(l.windowSeconds).toBe(12);
  });

  it('--duration is kept as given', async () => {
    const { l, elapsed } = await listenTo(every(0.2, 20, 1, A), { durationSeconds: 6 });
    expect(l.windowSeconds).toBe(6);
    expect(elapsed).toBeCloseTo(6, 6);
  });

  it('the clock\'s ticks let the analyzer see a master fall silent with no frame arriving', async () => {
    const { l } = await listenTo(every(0.2, 2.5, 1, A), { durationSeconds: 10 });
    const v = judge(l.analysis, { expectVrids: [], expectMasters: [], warning: null, critical: null, windowSeconds: l.windowSeconds });
    expect(v.state).toBe('CRITICAL');
    expect(v.summary).toBe('master down on VRID 51: 192.0.2.11 went silent and no backup took over');
  });

  it('rejects with the capture\'s sentence when it stops by itself', async () => {
    const clock = new ManualClock();
    const { open, fake } = fakeCapture();
    const p = listen(open, clock, { durationSeconds: null, deadlineUs: T0_US + 29.5e6 });
    await clock.armed;
    fake.capture.fail(new CliError('live capture on eth0 stopped: the interface went down or was removed', Exit.UNAVAILABLE));
    await expect(p).rejects.toThrow('the interface went down');
    expect(fake.capture.closed).toBe(true);
  });
});
