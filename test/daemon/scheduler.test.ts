// The one clock of every instance (scheduler.ts), on the real clock, with the timer thread and
// with its setTimeout fallback: each callback runs once its deadline has passed, in deadline
// order (ties in the order armed), a cancelled one never, and one armed from inside a wake runs
// too. Nothing here measures how late: that is the bench's (npm run bench -- --daemon-200).
import { afterEach, describe, expect, it } from 'vitest';
import { collectNow, GRACE_SEC, IDLE_COLLECTION, Scheduler } from '../../src/daemon/scheduler.js';
import { openCollector } from '../../src/live/collector.js';

const open: Scheduler[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

for (const thread of [true, false]) {
  describe(`Scheduler (${thread ? 'timer thread' : 'setTimeout fallback'})`, () => {
    const make = (): { s: Scheduler; fallbacks: string[] } => {
      const fallbacks: string[] = [];
      const s = new Scheduler((why) => fallbacks.push(why), { thread });
      open.push(s);
      return { s, fallbacks };
    };

    it('runs each callback after its deadline, earliest first, ties in the order armed', async () => {
      const { s, fallbacks } = make();
      expect(s.graceSec).toBe(thread ? GRACE_SEC.thread : GRACE_SEC.timeout);
      const t0 = s.nowSec();
      const ran: { name: string; late: number }[] = [];
      const done = new Promise<void>((resolve) => {
        const at = (name: string, dueSec: number): void => {
          s.at(dueSec, () => {
            ran.push({ name, late: s.nowSec() - dueSec });
            if (ran.length === 5) resolve();
          });
        };
        at('30ms', t0 + 0.03);
        at('10ms', t0 + 0.01);
        at('15ms first', t0 + 0.015);
        at('15ms second', t0 + 0.015);
        at('20ms', t0 + 0.02);
      });
      await done;
      expect(ran.map((r) => r.name)).toEqual(['10ms', '15ms first', '15ms second', '20ms', '30ms']);
      expect(ran.every((r) => r.late >= 0)).toBe(true);
      expect(fallbacks).toEqual([]);
    });

    it('a cancelled callback never runs, even when it was the one the wake was armed for', async () => {
      const { s } = make();
      const t0 = s.nowSec();
      const ran: string[] = [];
      const cancel = s.at(t0 + 0.005, () => ran.push('cancelled'));
      const later = new Promise<void>((resolve) => s.at(t0 + 0.02, () => resolve()));
      cancel();
      cancel(); // twice is harmless
      await later;
      expect(ran).toEqual([]);
    });

    it('a callback may arm the next deadline from inside the wake (an advert arms the next)', async () => {
      const { s } = make();
      const times: number[] = [];
      await new Promise<void>((resolve) => {
        const tick = (dueSec: number): void => {
          times.push(s.nowSec() - dueSec);
          if (times.length === 5) resolve();
          else s.at(dueSec + 0.004, () => tick(dueSec + 0.004));
        };
        const first = s.nowSec() + 0.004;
        s.at(first, () => tick(first));
      });
      expect(times).toHaveLength(5);
      expect(times.every((late) => late >= 0)).toBe(true);
    });
  });
}

describe('garbage collected between wakes', () => {
  it('only with the next deadline at least 50 ms away, and at most once every 4 s', () => {
    expect(IDLE_COLLECTION).toEqual({ gapSec: 0.05, everySec: 4 });
    expect(collectNow(10, 10.05, -Infinity)).toBe(true);
    expect(collectNow(10, 10.049, -Infinity)).toBe(false); // a deadline too near: it would be late
    expect(collectNow(10, Infinity, 6)).toBe(true); // nothing armed
    expect(collectNow(10, Infinity, 6.001)).toBe(false); // one 3.999 s ago
  });

  it('runs after a wake that leaves the time, not after one whose next deadline is near', async () => {
    let collections = 0;
    const s = new Scheduler(() => undefined, { collect: () => collections++ });
    open.push(s);
    const t0 = s.nowSec();
    const seen: number[] = [];
    await new Promise<void>((resolve) => {
      s.at(t0 + 0.005, () => seen.push(collections)); // the next deadline 10 ms on: no collection
      s.at(t0 + 0.015, () => seen.push(collections)); // then nothing armed but the last, 200 ms on
      s.at(t0 + 0.215, () => {
        seen.push(collections);
        resolve();
      });
    });
    expect(seen).toEqual([0, 0, 1]);
  });

  it("V8's collection is to be had without node's --expose-gc", () => {
    const gc = openCollector();
    expect(gc).not.toBeNull();
    gc!(); // runs, and returns
  });
});
