// Frames stamped out of order (src/analysis/analyzer.ts): one stamped behind the frame before it,
// one stamped ahead of the frame after it. Neither fakes a silence, moves a router's last advert
// back or makes a negative duration; each is one out-of-order event naming the frame and by how
// much, and a flood of them is summed up like any other.
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisEvent } from '../../src/analysis/types.js';
import { vrrpFrame } from '../support/vrrp-frames.js';
import { A, B, us } from './scenario.js';

interface Sent { at: number; host?: typeof A; vrid?: number }

/** Feeds frames in the order given (not sorted), then ends the input at `end` s. */
function run(frames: Sent[], end: number) {
  const events: AnalysisEvent[] = [];
  const a = new Analyzer({ onEvent: (e) => events.push(e) });
  for (const f of frames) {
    const h = f.host ?? A;
    a.frame(1, vrrpFrame({ src: h.src, srcMac: h.srcMac, priority: h.priority, vrid: f.vrid ?? 51 }), us(f.at), null);
  }
  const r = a.result(us(end));
  return { events, r, a };
}

/** A master of VRID 51 every second from 0 to 19, and one of VRID 52 half a second later. */
function pair(stamp: (vrid: number, i: number, at: number) => number): Sent[] {
  const out: Sent[] = [];
  for (let i = 0; i < 20; i++) {
    out.push({ at: stamp(51, i, i), vrid: 51 });
    out.push({ at: stamp(52, i, i + 0.5), host: B, vrid: 52 });
  }
  return out;
}

function durations(events: AnalysisEvent[]): number[] {
  return events.flatMap((e) => ('durationSeconds' in e ? [e.durationSeconds] : 'gapSeconds' in e ? [e.gapSeconds] : []));
}

describe('frames out of order', () => {
  it('in order: no out-of-order event (the control)', () => {
    const { events, r } = run(pair((_v, _i, at) => at), 20);
    expect(events.filter((e) => e.type === 'out-of-order')).toEqual([]);
    expect(r.packets.outOfOrder).toBe(0);
  });

  it('an advert stamped 5 s ahead (its stamp late): no master-down, one warning naming the frame, time never moves back', () => {
    // Frame 22 (VRID 52's 11th advert, sent at 10.5 s) is stamped 15.5 s.
    const { events, r } = run(pair((v, i, at) => (v === 52 && i === 10 ? at + 5 : at)), 20);
    expect(events.filter((e) => e.severity === 'critical')).toEqual([]);
    expect(events.some((e) => e.type === 'master-down')).toBe(false);
    const ooo = events.filter((e) => e.type === 'out-of-order');
    expect(ooo).toMatchObject([{ type: 'out-of-order', frame: 22, lateSeconds: 4.5, direction: 'ahead', severity: 'warning', vrid: null }]);
    expect(ooo[0]!.message).toBe('frame 22 is stamped 4.500 s after the frame that follows it: a bad timestamp or a clock step; ' +
      'it counts as captured with the frames around it, so the gap its stamp opens fakes no silence.');
    expect(r.packets.outOfOrder).toBe(1);
    const b = r.vrids.find((v) => v.vrid === 52)!.routers[0]!;
    expect(b.lastSeenUs).toBe(us(19.5));
    expect(b.measured!.minSeconds).toBeGreaterThanOrEqual(0);
  });

  it('an advert stamped 5 s behind the frame before it: no master-down, one warning, the router\'s last advert does not move back', () => {
    const { events, r } = run(pair((v, i, at) => (v === 51 && i === 10 ? at - 5 : at)), 20);
    expect(events.filter((e) => e.severity === 'critical')).toEqual([]);
    expect(events.filter((e) => e.type === 'out-of-order')).toMatchObject([{ frame: 21, lateSeconds: 4.5, direction: 'behind' }]);
    const a = r.vrids.find((v) => v.vrid === 51)!.routers[0]!;
    expect(a.lastSeenUs).toBe(us(19));
    expect(a.measured!.minSeconds).toBeGreaterThanOrEqual(0);
    expect(durations(events).every((d) => d >= 0)).toBe(true);
  });

  it('the lone master\'s own advert stamped 5 s ahead: no master-down either', () => {
    const frames: Sent[] = [];
    for (let i = 0; i < 20; i++) frames.push({ at: i === 8 ? 13 : i });
    const { events, r } = run(frames, 19);
    expect(events.some((e) => e.type === 'master-down')).toBe(false);
    expect(events.filter((e) => e.type === 'out-of-order')).toMatchObject([{ frame: 9, lateSeconds: 4, direction: 'ahead' }]);
    expect(r.vrids[0]!.routers[0]!.lastSeenUs).toBe(us(19));
  });

  it('a real silence ended by a jump is still a master-down (the next frame confirms the jump), with a positive length', () => {
    const frames: Sent[] = [];
    for (let i = 0; i < 8; i++) frames.push({ at: i });
    for (let i = 15; i < 20; i++) frames.push({ at: i });
    const { events } = run(frames, 19);
    expect(events.filter((e) => e.type === 'out-of-order')).toEqual([]);
    const down = events.filter((e) => e.type === 'master-down');
    expect(down).toHaveLength(1);
    expect(down[0]!.timeUs).toBeLessThan(us(15));
    expect(durations(events).every((d) => d >= 0)).toBe(true);
  });

  it('the last frame stamped ahead, with nothing after it: its stamp stands (the end of the input)', () => {
    const frames: Sent[] = [];
    for (let i = 0; i < 8; i++) frames.push({ at: i });
    frames.push({ at: 15 });
    const { events, a } = run(frames, 15);
    expect(events.filter((e) => e.type === 'out-of-order')).toEqual([]);
    expect(events.filter((e) => e.type === 'master-down')).toHaveLength(1);
    expect(a.nowMicros).toBe(us(15));
  });

  it('frames a few microseconds out of order (a multi-queue NIC) are counted, not told', () => {
    const frames: Sent[] = [{ at: 0 }, { at: 1 }, { at: 0.999995, host: B, vrid: 52 }, { at: 2 }];
    const { events, r } = run(frames, 2);
    expect(r.packets.outOfOrder).toBe(1);
    expect(events.filter((e) => e.type === 'out-of-order')).toEqual([]);
  });

  it('a capture whose every other frame is behind: 50 told per 20 s window, the rest summed up', () => {
    const frames: Sent[] = [];
    for (let i = 0; i < 600; i++) frames.push({ at: i / 10 + (i % 2 === 1 ? -0.5 : 0) });
    const { events, r } = run(frames, 60);
    expect(r.packets.outOfOrder).toBe(300);
    expect(events.filter((e) => e.type === 'out-of-order').length).toBeLessThanOrEqual(150);
    const floods = events.filter((e): e is Extract<AnalysisEvent, { type: 'event-flood' }> => e.type === 'event-flood' && e.eventType === 'out-of-order');
    expect(floods.length).toBeGreaterThanOrEqual(2);
    expect(floods.reduce((n, e) => n + e.unreported, 0) + events.filter((e) => e.type === 'out-of-order').length).toBe(300);
  });
});
