// The edge's clock: wall time in the packets' unit, and a cancellable repeating timer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { realClock } from '../../src/live/clock.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('realClock', () => {
  it('now() is the wall clock as Unix seconds and nanoseconds, to within a millisecond', () => {
    const before = Date.now();
    const t = realClock.now();
    const after = Date.now();
    const ms = t.tsSec * 1000 + t.tsNsec / 1e6;
    expect(Number.isInteger(t.tsSec) && Number.isInteger(t.tsNsec)).toBe(true);
    expect(t.tsNsec).toBeGreaterThanOrEqual(0);
    expect(t.tsNsec).toBeLessThan(1e9);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThan(after + 1);
  });

  it('now() follows the wall clock when it is stepped', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00.250Z'));
    const t = realClock.now();
    expect(t.tsSec).toBe(Date.UTC(2030, 0, 1) / 1000);
    expect(Math.floor(t.tsNsec / 1e6)).toBe(250);
  });

  it('every() calls back each period until cancelled', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const cancel = realClock.every(100, fn);
    vi.advanceTimersByTime(350);
    expect(fn).toHaveBeenCalledTimes(3);
    cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(3);
  });
});
