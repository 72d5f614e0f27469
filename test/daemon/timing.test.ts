// Timer arithmetic and its boundaries: Master_Down_Interval and Skew_Time to the millisecond,
// on a manual clock (no sleeps, no real timers).
import { describe, expect, it } from 'vitest';
import { masterDownIntervalCs, skewTimeCs } from '../../src/rules/timers.js';
import { TimerTable } from '../../src/daemon/timers.js';
import { config, config6, Sim } from './harness.js';

const MS = 0.001;

describe('Skew_Time and Master_Down_Interval (RFC 3768 / 5798 6.1), exact', () => {
  const rows: [version: 2 | 3, priority: number, maiCs: number, skewCs: number, mdiCs: number][] = [
    // research/implementations.md 1.1 worked examples
    [2, 254, 100, 0.78125, 300.78125],
    [2, 100, 100, 60.9375, 360.9375],
    [2, 1, 100, 99.609375, 399.609375],
    // v2 skew does not scale with the interval; v3 skew does
    [2, 100, 300, 60.9375, 960.9375],
    [3, 200, 100, 21.875, 321.875], // FRR truncates to 21 cs; keepalived keeps microseconds (218.75 ms)
    [3, 100, 50, 30.46875, 180.46875],
    [3, 255, 1, 1 / 256, 3 + 1 / 256],
  ];
  for (const [v, p, mai, skew, mdi] of rows) {
    it(`v${v}, priority ${p}, interval ${mai} cs: Skew_Time ${skew} cs, Master_Down_Interval ${mdi} cs`, () => {
      expect(skewTimeCs({ version: v, priority: p, advertIntervalCs: mai })).toBe(skew);
      expect(masterDownIntervalCs({ version: v, priority: p, advertIntervalCs: mai })).toBe(mdi);
    });
  }
});

describe('boundaries', () => {
  it('a Backup is still Backup 1 ms before Master_Down_Interval after the last advert, and Master 1 ms after', () => {
    const sim = new Sim(config());
    sim.at(0, 'startup');
    sim.at(1, { advert: { priority: 150 } });
    const due = 1 + 3.609375;
    sim.advance(due - MS);
    expect(sim.machine.state).toBe('BACKUP');
    sim.advance(due + MS);
    expect(sim.machine.state).toBe('MASTER');
  });

  it('an advert 1 ms before Master_Down_Interval keeps the Backup for another full interval', () => {
    const sim = new Sim(config());
    sim.at(0, 'startup');
    sim.at(1, { advert: { priority: 150 } });
    sim.at(1 + 3.609375 - MS, { advert: { priority: 150 } });
    sim.advance(1 + 3.609375 + MS);
    expect(sim.machine.state).toBe('BACKUP');
    sim.advance(1 + 2 * 3.609375 - 2 * MS);
    expect(sim.machine.state).toBe('BACKUP');
    sim.advance(1 + 2 * 3.609375);
    expect(sim.machine.state).toBe('MASTER');
  });

  it('after a priority-0 advert a Backup takes over at Skew_Time: not 1 ms before, 1 ms after', () => {
    const sim = new Sim(config());
    sim.at(0, 'startup');
    sim.at(1, { advert: { priority: 150 } });
    sim.at(2, { advert: { priority: 0 } });
    sim.advance(2 + 0.609375 - MS);
    expect(sim.machine.state).toBe('BACKUP');
    sim.advance(2 + 0.609375 + MS);
    expect(sim.machine.state).toBe('MASTER');
    expect(sim.logs().at(-1)).toBe('VRID 51: BACKUP -> MASTER: 192.0.2.11 released master (priority 0) and no better backup spoke within 0.61 s (Skew_Time)');
  });

  it('after a priority-0 advert the higher-priority Backup speaks first (its Skew_Time is shorter) and the other stays Backup', () => {
    const high = new Sim(config({ priority: 200, primaryAddress: '192.0.2.20' }));
    const low = new Sim(config());
    for (const s of [high, low]) {
      s.at(0, 'startup');
      s.at(1, { advert: { priority: 250 } });
      s.at(2, { advert: { priority: 0 } });
    }
    high.advance(2.21875);
    expect(high.machine.state).toBe('MASTER');
    low.at(2.21875, { advert: { priority: 200, src: '192.0.2.20' } });
    low.advance(3);
    expect(low.machine.state).toBe('BACKUP');
  });

  it('VRRPv3: Master_Down_Interval follows the learned Master_Adver_Interval, to the millisecond', () => {
    const sim = new Sim(config6());
    sim.at(0, 'startup');
    sim.at(1, { advert: { family: 6, priority: 200, interval: 50 } });
    sim.advance(1 + 1.8046875 - MS);
    expect(sim.machine.state).toBe('BACKUP');
    sim.advance(1 + 1.8046875 + MS);
    expect(sim.machine.state).toBe('MASTER');
  });
});

describe('the effective priority moves (track scripts)', () => {
  it('a Backup recomputes Master_Down_Interval and moves its running timer (keepalived)', () => {
    const sim = new Sim(config());
    sim.at(0, 'startup'); // due at 3.609375
    const fx = sim.at(1, { priority: 200, reason: 'track script "up" succeeded (weight +100)' });
    // New MDI 321.875 cs from the same start (0): due at 3.21875, so 221.875 cs from now.
    expect(fx).toEqual([
      { type: 'log', level: 'info', message: 'VRID 51: effective priority 100 -> 200: track script "up" succeeded (weight +100)' },
      { type: 'set-timer', timer: 'master-down', delayCs: 221.875 },
    ]);
    sim.advance(3.21875 - MS);
    expect(sim.machine.state).toBe('BACKUP');
    sim.advance(3.21875 + MS);
    expect(sim.machine.state).toBe('MASTER');
  });

  it('a Master advertises the new priority at its next advert, not at once (keepalived)', () => {
    const sim = new Sim(config({ priority: 150 }));
    sim.at(0, 'startup');
    sim.advance(3.5); // master at 3.4140625
    const fx = sim.at(3.6, { priority: 90 });
    expect(fx.map((e) => e.type)).toEqual(['log']);
    sim.advance(4.5);
    const adverts = sim.effects('send-advert');
    expect(adverts.map((e) => (e.type === 'send-advert' ? e.priority : -1))).toEqual([150, 90]);
  });

  it('an unchanged priority is no event', () => {
    const sim = new Sim(config());
    sim.at(0, 'startup');
    expect(sim.at(1, { priority: 100 })).toEqual([]);
  });
});

describe('TimerTable, the edge\'s deadline book', () => {
  it('fires the earliest first, ties in TIMERS order, and forgets cancelled timers', () => {
    const t = new TimerTable();
    t.apply(
      [
        { type: 'set-timer', timer: 'garp-repeat', delayCs: 500 },
        { type: 'set-timer', timer: 'advert', delayCs: 500 },
        { type: 'set-timer', timer: 'master-down', delayCs: 100 },
        { type: 'set-timer', timer: 'preempt-delay', delayCs: 200 },
        { type: 'cancel-timer', timer: 'preempt-delay' },
      ],
      10,
    );
    expect(t.next()).toEqual({ timer: 'master-down', dueSec: 11 });
    expect(t.take(10.99)).toBeNull();
    expect(t.take(20)).toEqual({ timer: 'master-down', dueSec: 11 });
    expect(t.take(20)).toEqual({ timer: 'advert', dueSec: 15 });
    expect(t.take(20)).toEqual({ timer: 'garp-repeat', dueSec: 15 });
    expect(t.take(20)).toBeNull();
  });

  it('a set-timer replaces the running timer of that name', () => {
    const t = new TimerTable();
    t.apply([{ type: 'set-timer', timer: 'master-down', delayCs: 100 }], 0);
    t.apply([{ type: 'set-timer', timer: 'master-down', delayCs: 100 }], 0.5);
    expect(t.take(1)).toBeNull();
    expect(t.take(1.5)).toEqual({ timer: 'master-down', dueSec: 1.5 });
  });

  it('the machine ignores a timer event it did not arm (stale or duplicate)', () => {
    const sim = new Sim(config());
    sim.at(0, 'startup');
    expect(sim.machine.handle({ type: 'timer', timer: 'advert', atSec: 1 })).toEqual([]);
    expect(sim.machine.handle({ type: 'timer', timer: 'master-down', atSec: 3.7 }).length).toBeGreaterThan(0);
    expect(sim.machine.handle({ type: 'timer', timer: 'master-down', atSec: 3.8 })).toEqual([]);
  });
});
