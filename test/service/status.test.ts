// /status both ways: what a watcher writes, `check --from` reads back into the same verdict that
// the analysis itself gets; the window keeps conditions still open when it starts.
import { describe, expect, it } from 'vitest';
import { judge, type VerdictOptions } from '../../src/check/verdict.js';
import { eventsSince } from '../../src/check/since.js';
import { verdictText } from '../../src/check/output.js';
import { parseIsoMicros, isoOfMicros } from '../../src/format/time.js';
import { EventHistory } from '../../src/service/history.js';
import { parseStatus, statusJson } from '../../src/service/status.js';
import type { Analysis } from '../../src/analysis/analyzer.js';
import { A, B, Scenario, us } from '../analysis/scenario.js';

const OPTS: VerdictOptions = { expectVrids: [51], expectMasters: [], warning: null, critical: null, windowSeconds: 20 };

function status(s: Scenario, endSeconds: number, history = new EventHistory()): { doc: unknown; analysis: Analysis } {
  s.flush();
  const analysis = s.analyzer.result(us(endSeconds));
  for (const e of s.events) history.event(e);
  const doc = JSON.parse(JSON.stringify(statusJson({ analysis, history, nowUs: us(endSeconds), startedUs: us(0), source: 'eth0' })));
  return { doc, analysis };
}

describe('/status', () => {
  it('read back, it gives check the verdict the analysis gives (split brain, mismatch, failover)', () => {
    const cases = [
      new Scenario().adverts(0, 10, A).adverts(3.5, 20, B),
      new Scenario().adverts(0, 4.5, A).adverts(7.61, 20, B),
      new Scenario().adverts(0, 20, A).adverts(0, 20, B, { interval: 2 }, 2),
    ];
    const states: string[] = [];
    for (const s of cases) {
      const { doc, analysis } = status(s, 20);
      states.push(judge(analysis, OPTS).state);
      const back = parseStatus(doc);
      if ('error' in back) throw new Error(back.error);
      expect(back.nowUs).toBe(us(20));
      expect(back.sinceUs).toBe(us(0));
      expect(verdictText(judge(back.analysis, OPTS))).toBe(verdictText(judge(analysis, OPTS)));
    }
    expect(states).toEqual(['CRITICAL', 'OK', 'CRITICAL']); // the mismatch ends in a split brain
  });

  it('the document is the analyze --json one plus `watcher`', () => {
    const { doc } = status(new Scenario().adverts(0, 3, A), 3);
    expect(Object.keys(doc as object)).toEqual(['watcher', 'packets', 'vrids', 'events', 'openConditions', 'discarded', 'droppedEvents', 'evictions', 'captureError']);
    expect((doc as { watcher: unknown }).watcher).toEqual({ source: 'eth0', since: isoOfMicros(us(0)), now: isoOfMicros(us(3)) });
  });

  it('anything else is refused with a reason', () => {
    expect(parseStatus({ hello: 1 })).toEqual({ error: expect.stringContaining('not a vrrpwatch /status document') });
    expect(parseStatus(null)).toHaveProperty('error');
  });

  it('keeps the opening event of a condition still open after older events were forgotten', () => {
    const h = new EventHistory(4);
    const s = new Scenario().adverts(0, 30, A).adverts(3.5, 30, B);
    // Many other events after the split brain opened: router-seen of other VRIDs.
    for (let v = 60; v < 70; v++) s.advert(10 + v / 100, { src: `192.0.2.${v}`, srcMac: '02:00:00:00:00:99', priority: 100 }, { vrid: v, addresses: [`198.51.100.${v}`] });
    const { doc } = status(s, 29, h);
    const back = parseStatus(doc);
    if ('error' in back) throw new Error(back.error);
    expect(back.analysis.events.some((e) => e.type === 'split-brain')).toBe(true);
    expect(back.analysis.droppedEvents).toBeGreaterThan(0);
  });
});

describe('eventsSince', () => {
  it('a split brain that began before the window and still holds is in it; one over before it is not', () => {
    const open = new Scenario().adverts(0, 30, A).adverts(3.5, 30, B);
    const inWindow = eventsSince(open.events, us(20));
    expect(inWindow.map((e) => e.type)).toContain('split-brain');
    const over = new Scenario().adverts(0, 30, A).adverts(3.5, 10, B).tick(30);
    const types = eventsSince(over.events, us(25)).map((e) => e.type);
    expect(types).not.toContain('split-brain');
    expect(types).not.toContain('split-brain-end');
    // The window starting before the end: the split brain and its end are both there.
    expect(eventsSince(over.events, us(12)).map((e) => e.type)).toEqual(expect.arrayContaining(['split-brain', 'split-brain-end']));
  });
});

describe('parseIsoMicros', () => {
  it('inverts isoOfMicros to the microsecond', () => {
    for (const t of [0, 1_700_000_000_123_456, 1_763_803_261_897_756]) expect(parseIsoMicros(isoOfMicros(t))).toBe(t);
    expect(parseIsoMicros('2026-11-22T10:00:00Z')).toBe(Date.UTC(2026, 10, 22, 10) * 1000);
    expect(parseIsoMicros('yesterday')).toBeNull();
  });
});
