// The detail view's strips: master, split brain, backup heard and silent per router, from the
// analyzer's events, scaled to the width.
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../src/analysis/analyzer.js';
import { lineText } from '../../../src/tui/view/lines.js';
import { routerStrips, stripLines, type StripState } from '../../../src/tui/view/strip.js';
import { vrrpFrame } from '../../support/vrrp-frames.js';

const T0 = 1_795_000_000_000_000;
const us = (s: number) => T0 + Math.round(s * 1e6);

function run(feed: (an: Analyzer) => void, endS: number) {
  const an = new Analyzer();
  feed(an);
  const a = an.result(us(endS));
  return { v: a.vrids[0]!, events: a.events };
}

/** One letter per cell: M master, S split brain, h heard, . silent. */
function letters(cells: StripState[]): string {
  return cells.map((c) => ({ master: 'M', split: 'S', heard: 'h', silent: '.' })[c]).join('');
}

describe('router strips', () => {
  it('a crash and preempt: .11 master, silent, master again; .12 master in between', () => {
    const { v, events } = run((an) => {
      for (let i = 0; i <= 4; i++) an.frame(1, vrrpFrame({ src: '192.0.2.11', priority: 150 }), us(i), null);
      for (let i = 0; i <= 4; i++) an.frame(1, vrrpFrame({ src: '192.0.2.12', priority: 100 }), us(8 + i), null);
      for (let i = 0; i <= 7; i++) an.frame(1, vrrpFrame({ src: '192.0.2.11', priority: 150 }), us(12.5 + i), null);
    }, 20);
    // 20 cells of 1 s from 0 to 20 s.
    const s = routerStrips(v, events, us(20), 20);
    expect(s.fromUs).toBe(us(0));
    const byRouter = Object.fromEntries(s.routers.map((r) => [r.router, letters(r.cells)]));
    expect(byRouter['192.0.2.11']).toBe('MMMMM.......MMMMMMMM');
    expect(byRouter['192.0.2.12']).toBe('........MMMMM.......');
  });

  it('a split brain shows on both routers', () => {
    const { v, events } = run((an) => {
      for (let i = 0; i < 10; i++) {
        an.frame(1, vrrpFrame({ src: '192.0.2.11', priority: 150 }), us(i), null);
        an.frame(1, vrrpFrame({ src: '192.0.2.12', priority: 100 }), us(i + 0.5), null);
      }
    }, 10);
    const s = routerStrips(v, events, us(10), 10);
    // Split brain from when the analyzer saw it to the end; before that, master or heard.
    for (const r of s.routers) expect(letters(r.cells)).toMatch(/^[Mh]*S{8,}$/);
    expect(events.some((e) => e.type === 'split-brain')).toBe(true);
  });

  it('fits the width, and says the scale', () => {
    const { v, events } = run((an) => {
      for (let i = 0; i < 600; i++) an.frame(1, vrrpFrame({ src: '192.0.2.11', priority: 150 }), us(i), null);
    }, 600);
    const lines = stripLines(v, events, us(600), 80);
    expect(lineText(lines[0]!)).toBe('Timeline, the last 5 min to now (one column 4.55 s)');
    for (const l of lines) expect(lineText(l).length).toBeLessThanOrEqual(80);
    expect(lineText(lines[1]!)).toBe(`  192.0.2.11  ${'█'.repeat(66)}`);
  });
});
