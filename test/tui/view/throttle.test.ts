// The redraw decision with an injected clock: at most one draw per 100 ms however many changes,
// none when nothing changed, and one a second so that ages count up with no packet.
import { describe, expect, it } from 'vitest';
import { RedrawThrottle } from '../../../src/tui/view/throttle.js';

describe('RedrawThrottle', () => {
  it('draws a change at once, then waits out the interval', () => {
    const t = new RedrawThrottle(100, 1000);
    t.invalidate();
    expect(t.wait(0)).toBe(0);
    t.drawn(0);
    t.invalidate();
    expect(t.wait(10)).toBe(90);
    expect(t.wait(99)).toBe(1);
    expect(t.wait(100)).toBe(0);
  });

  it('has nothing to draw until something changes or a second passed', () => {
    const t = new RedrawThrottle(100, 1000);
    t.drawn(0);
    expect(t.wait(500)).toBeNull();
    expect(t.wait(999)).toBeNull();
    expect(t.wait(1000)).toBe(0);
  });

  it('draws at most 10 times a second under a flood of changes, polled every 10 ms', () => {
    const t = new RedrawThrottle(100, 1000);
    let draws = 0;
    for (let ms = 0; ms < 10_000; ms++) {
      // 100 packets every millisecond: 1,000,000 changes in ten seconds.
      for (let i = 0; i < 100; i++) t.invalidate();
      if (ms % 10 === 0 && t.wait(ms) === 0) {
        t.drawn(ms);
        draws++;
      }
    }
    expect(draws).toBe(100);
  });

  it('refreshes once a second with no change at all (ages count up)', () => {
    const t = new RedrawThrottle(100, 1000);
    let draws = 0;
    for (let ms = 0; ms <= 10_000; ms += 100) {
      if (t.wait(ms) === 0) {
        t.drawn(ms);
        draws++;
      }
    }
    expect(draws).toBe(11);
  });
});
