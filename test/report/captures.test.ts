// Every capture the project has (its lab captures, and the public ones in ../shared when
// present), reported in-process: the page renders, and on every lane the spans come in time
// order without overlapping, as the contract promises. Public captures are skipped, saying so,
// when ../shared is absent.
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { visitCaptureFile } from '../../src/capture/file.js';
import { judge } from '../../src/check/verdict.js';
import { renderHtml } from '../../src/report/html.js';
import { buildReport } from '../../src/report/model.js';
import { microsOf } from '../../src/time/timestamp.js';
import { allCaptures, HAVE_PUBLIC } from '../support/captures.js';

describe(`reports of every capture${HAVE_PUBLIC ? '' : ' (public captures skipped: ../shared/captures/public is absent)'}`, () => {
  it.each(allCaptures().map((c) => [c.name, c.path]))('%s', async (_name, path) => {
    const an = new Analyzer({ timeline: true });
    let firstUs = Infinity;
    let damage: string | null = null;
    await visitCaptureFile(path, (b, o, l, s, ns, lt, ii, name, orig) => {
      if (firstUs === Infinity) firstUs = microsOf(s, ns);
      an.packet(b, o, l, s, ns, lt, ii, name, orig);
    }).catch((e: Error) => {
      damage = e.message;
    });
    const lastUs = an.tracker.nowMicros;
    const end = lastUs === -Infinity ? undefined : lastUs;
    const analysis = an.result(end);
    const timeline = an.timeline(end)!;
    for (const lane of timeline.lanes) {
      for (let i = 0; i < lane.spans.length; i++) {
        const x = lane.spans[i]!;
        expect(x.endUs).toBeGreaterThanOrEqual(x.startUs);
        if (i > 0) expect(x.startUs).toBeGreaterThanOrEqual(lane.spans[i - 1]!.endUs);
      }
      for (const s of lane.splits) expect(s.endUs).toBeGreaterThanOrEqual(s.startUs);
    }
    const verdict = judge(analysis, { expectVrids: [], expectMasters: [], warning: null, critical: null, windowSeconds: end === undefined ? null : (lastUs - firstUs) / 1e6 });
    const html = renderHtml(buildReport({ file: path, analysis, timeline, verdict, firstUs, lastUs, damage }), 'test');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/data-kind="master"/g)?.length ?? 0).toBe(timeline.lanes.reduce((n, l) => n + l.spans.filter((x) => x.kind === 'master').length, 0));
  });
});
