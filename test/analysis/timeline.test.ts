// The timeline recorder, fed by the tracker: master spans from first to last advert as master,
// the no-master gap between them, split-brain spans ending at their last evidence, and the
// bounds (lanes, merged spans, thinned marks) when a capture floods it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { MasterSpan, NoMasterSpan } from '../../src/analysis/timeline.js';
import { visitCaptureFile } from '../../src/capture/file.js';
import { PROJECT_CAPTURES } from '../support/captures.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

async function analyse(name: string) {
  const an = new Analyzer({ timeline: true });
  await visitCaptureFile(join(PROJECT_CAPTURES, name), an.packet);
  const end = an.tracker.nowMicros;
  const a = an.result(end);
  return { a, t: an.timeline(end)! };
}

const have = (name: string) => existsSync(join(PROJECT_CAPTURES, name));

describe('timeline from the lab captures', () => {
  it.skipIf(!have('master-crash.pcap'))('master-crash: .11, .12, .11 with the 3.610 s gap between the first two', async () => {
    const { a, t } = await analyse('master-crash.pcap');
    expect(t.lanes).toHaveLength(1);
    const lane = t.lanes[0]!;
    const masters = lane.spans.filter((s): s is MasterSpan => s.kind === 'master');
    expect(masters.map((s) => s.router)).toEqual(['192.0.2.11', '192.0.2.12', '192.0.2.11']);
    const gaps = lane.spans.filter((s): s is NoMasterSpan => s.kind === 'no-master');
    const changes = a.events.filter((e) => e.type === 'master-change');
    // The analyzer's gap (old master's last advert to the new one's first) is the no-master span.
    expect(gaps).toHaveLength(2);
    for (const [i, g] of gaps.entries()) {
      const c = changes[i]!;
      expect(c.type === 'master-change' && c.timeUs).toBe(g.endUs);
      expect(c.type === 'master-change' && Math.round(c.gapSeconds * 1e6)).toBe(g.endUs - g.startUs);
    }
    expect((gaps[0]!.endUs - gaps[0]!.startUs) / 1e6).toBeCloseTo(3.61, 2);
    // Spans touch: each no-master span fills exactly the time between two master spans.
    expect(gaps[0]!.startUs).toBe(masters[0]!.endUs);
    expect(gaps[0]!.endUs).toBe(masters[1]!.startUs);
    expect(lane.marks.map((m) => m.type)).toEqual(['master-change', 'master-change']);
    expect(lane.marks[0]!.text).toBe('3.610 s, 192.0.2.11 went silent');
    expect(lane.splits).toEqual([]);
  });

  it.skipIf(!have('one-way-loss.pcap'))('one-way-loss: one split-brain span of the analyzer\'s duration', async () => {
    const { a, t } = await analyse('one-way-loss.pcap');
    const start = a.events.find((e) => e.type === 'split-brain')!;
    const end = a.events.find((e) => e.type === 'split-brain-end')!;
    const lane = t.lanes[0]!;
    expect(lane.splits).toHaveLength(1);
    const s = lane.splits[0]!;
    expect(s.startUs).toBe(start.timeUs);
    expect(end.type === 'split-brain-end' && Math.round(end.durationSeconds * 1e6)).toBe(s.endUs - s.startUs);
    expect(s.routers).toEqual(['192.0.2.11', '192.0.2.12']);
    expect(s.master).toBe('192.0.2.11');
    expect(s.open).toBe(false);
    expect(lane.bursts.length).toBeGreaterThan(0);
    expect(lane.bursts.some((b) => b.macs.length === 2 || b.macs.includes('02:76:77:74:00:12'))).toBe(true);
  });
});

describe('timeline from built frames', () => {
  const us = (s: number) => 1_795_000_000_000_000 + Math.round(s * 1e6);

  it('a split brain still open at the end runs to its last evidence', () => {
    const an = new Analyzer({ timeline: true });
    for (let i = 0; i < 10; i++) {
      an.frame(1, vrrpFrame({ src: '192.0.2.1', vrid: 7, priority: 200 }), us(i), null);
      an.frame(1, vrrpFrame({ src: '192.0.2.2', vrid: 7, priority: 100 }), us(i + 0.5), null);
    }
    const end = us(9.5);
    const a = an.result(end);
    const t = an.timeline(end)!;
    const start = a.events.find((e) => e.type === 'split-brain')!;
    const [s] = t.lanes[0]!.splits;
    expect(s).toMatchObject({ open: true, startUs: start.timeUs, endUs: us(9) });
  });

  it('a master that goes silent at the end leaves a no-master span to the end', () => {
    const an = new Analyzer({ timeline: true });
    for (let i = 0; i < 5; i++) an.frame(1, vrrpFrame({ src: '192.0.2.1', vrid: 7, priority: 200 }), us(i), null);
    an.tick(us(20));
    an.result(us(20));
    const spans = an.timeline(us(20))!.lanes[0]!.spans;
    expect(spans).toEqual([
      { kind: 'master', router: '192.0.2.1', startUs: us(0), endUs: us(4), adverts: 5 },
      { kind: 'no-master', startUs: us(4), endUs: us(20), after: '192.0.2.1', before: null },
    ]);
  });

  it('floods stay bounded: spans merge into flapping spans, marks thin out, lanes are counted', () => {
    const an = new Analyzer({ timeline: { maxSpans: 192, maxMarks: 60, maxLanes: 3 } });
    // Two routers taking the role from each other by priority, 2,000 times, then a long steady master.
    let s = 0;
    for (let i = 0; i < 2000; i++, s += 0.3) an.frame(1, vrrpFrame({ src: i % 2 === 0 ? '192.0.2.1' : '192.0.2.2', vrid: 9, priority: 100 + (i % 200) }), us(s), null);
    for (let i = 0; i < 100; i++, s += 1) an.frame(1, vrrpFrame({ src: '192.0.2.1', vrid: 9, priority: 255 }), us(s), null);
    // Five more VRIDs, two adverts each: two get the lanes left, three are counted once each.
    for (let i = 0; i < 2; i++, s += 1) for (let v = 1; v <= 5; v++) an.frame(1, vrrpFrame({ src: '192.0.2.3', vrid: 20 + v, priority: 100 }), us(s), null);
    an.result(us(s));
    const t = an.timeline(us(s))!;
    const lane = t.lanes.find((l) => l.vrid === 9)!;
    expect(lane.spans.length).toBeLessThanOrEqual(64);
    expect(lane.dropped.spansMerged).toBeGreaterThan(1000);
    expect(lane.spans.some((x) => x.kind === 'flapping')).toBe(true);
    // The last, long span is kept exact.
    expect(lane.spans[lane.spans.length - 1]).toMatchObject({ kind: 'master', router: '192.0.2.1', adverts: 100 });
    expect(lane.marks.length).toBeLessThanOrEqual(20);
    expect(lane.dropped.marks).toBeGreaterThan(0);
    expect(t.lanes).toHaveLength(3);
    expect(t.droppedLanes).toBe(3);
    // Time order and no overlap survive the merging.
    for (let i = 1; i < lane.spans.length; i++) expect(lane.spans[i]!.startUs).toBeGreaterThanOrEqual(lane.spans[i - 1]!.endUs);
  });

  it('a virtual router the tracker forgot and met again keeps its lane', () => {
    const an = new Analyzer({ limits: { maxVrids: 2 }, timeline: true });
    for (let i = 0; i < 10; i++) for (let v = 1; v <= 3; v++) an.frame(1, vrrpFrame({ src: '192.0.2.1', vrid: v, priority: 100 }), us(i * 60 + v), null);
    const end = us(9 * 60 + 4);
    expect(an.result(end).evictions.vrids).toBeGreaterThan(10);
    const t = an.timeline(end)!;
    expect(t.lanes.map((l) => l.vrid).sort()).toEqual([1, 2, 3]);
    // Each return after a minute's silence is a new master span, with the silence a no-master span.
    for (const l of t.lanes) expect(l.spans.filter((x) => x.kind === 'master')).toHaveLength(10);
  });

  it('is off by default', () => {
    expect(new Analyzer().timeline()).toBeNull();
  });
});
