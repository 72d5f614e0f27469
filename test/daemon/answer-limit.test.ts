// A master answers received adverts (lower priority, priority 0) at most a few times per
// Advertisement_Interval: the budget alone, then the machine under a flood, on a manual clock.
import { describe, expect, it } from 'vitest';
import { AnswerBudget, ANSWERS_PER_INTERVAL } from '../../src/daemon/answer-limit.js';
import { advertEvent, VrrpMachine, type Effect } from '../../src/daemon/machine.js';
import { TimerTable } from '../../src/daemon/timers.js';
import { config, frame } from './harness.js';

describe('AnswerBudget', () => {
  it('3 at once, then one more every third of an interval; what is refused is counted', () => {
    const b = new AnswerBudget(1);
    expect([0, 0, 0, 0].map((t) => b.take(t))).toEqual([true, true, true, false]);
    expect(b.take(0.2)).toBe(false);
    expect(b.take(0.34)).toBe(true);
    expect(b.take(0.35)).toBe(false);
    expect(b.held).toBe(3);
    expect([10, 10, 10, 10].map((t) => b.take(t))).toEqual([true, true, true, false]); // never more than 3 saved up
  });
});

/** A master at 150 (VRID 51, 1 s) flooded for `seconds` at `rate` adverts/s of `spec`; its adverts by second. */
function flood(priority: number, rate: number, seconds: number): { sentBySecond: number[]; held: number; state: string; logs: string[] } {
  const m = new VrrpMachine(config({ priority: 150 }));
  const timers = new TimerTable();
  const sent: number[] = [];
  const logs: string[] = [];
  const apply = (fx: Effect[], at: number): void => {
    for (const e of fx) {
      if (e.type === 'send-advert') sent.push(at);
      if (e.type === 'log') logs.push(e.message);
    }
    timers.apply(fx, at);
  };
  apply(m.handle({ type: 'startup', atSec: 0 }), 0);
  const fire = (until: number): void => {
    for (let t = timers.take(until); t !== null; t = timers.take(until)) apply(m.handle({ type: 'timer', timer: t.timer, atSec: t.dueSec }), t.dueSec);
  };
  fire(4); // master after Master_Down_Interval
  expect(m.state).toBe('MASTER');
  sent.length = 0;
  const spoofed = frame({ src: '192.0.2.99', priority });
  for (let i = 0; i < rate * seconds; i++) {
    const at = 4 + i / rate;
    fire(at);
    apply(m.handle(advertEvent(spoofed, at)), at);
  }
  fire(4 + seconds);
  const sentBySecond = Array.from({ length: seconds }, (_, s) => sent.filter((t) => t >= 4 + s && t < 5 + s).length);
  return { sentBySecond, held: m.answersHeld, state: m.state, logs };
}

describe('the master under a 20,000/s flood', () => {
  it.each([
    ['lower-priority adverts', 100],
    ['priority-0 adverts', 0],
  ])('%s: at most a few answers a second, the regular adverts go on, it stays master, the rest counted', (_, priority) => {
    const r = flood(priority, 20_000, 5);
    // the budget's 3 answers a second (3 more saved up at the start), plus the regular advert,
    // which a priority-0 answer re-arms (RFC 3768 6.4.3): never a second without one
    expect(r.sentBySecond[0]).toBeLessThanOrEqual(2 * ANSWERS_PER_INTERVAL + 1);
    expect(r.sentBySecond.slice(1).every((n) => n >= 1 && n <= ANSWERS_PER_INTERVAL + 1), r.sentBySecond.join()).toBe(true);
    expect(r.state).toBe('MASTER');
    console.log(`${_}: adverts sent each second ${r.sentBySecond.join(', ')}; answers held back ${r.held}`);
    expect(r.held).toBeGreaterThan(99_900);
    expect(r.logs.filter((l) => l.includes('more adverts to answer than 3 per Advertisement_Interval'))).toHaveLength(1);
  });
});
