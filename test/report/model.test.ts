// The report without a browser: the view model and the HTML it becomes, from analyses of built
// frames. Escaping of text from the wire, the contract attributes, the scale, and the size of a
// report of a flood.
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { judge } from '../../src/check/verdict.js';
import { renderHtml } from '../../src/report/html.js';
import { COLOURS, Palette } from '../../src/report/lanes.js';
import { buildReport, MAX_EVENTS } from '../../src/report/model.js';
import { lengthText, offsetText, percentAt, scaleOf, ticks } from '../../src/report/scale.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

const T0 = 1_795_000_000_000_000;
const us = (s: number) => T0 + Math.round(s * 1e6);

function render(feed: (an: Analyzer) => void, iface: string | null = null, file = 'x.pcap') {
  const an = new Analyzer({ timeline: true });
  feed(an);
  const end = an.tracker.nowMicros;
  const analysis = an.result(end);
  const timeline = an.timeline(end)!;
  const verdict = judge(analysis, { expectVrids: [], expectMasters: [], warning: null, critical: null, windowSeconds: (end - us(0)) / 1e6 });
  void iface;
  const model = buildReport({ file, analysis, timeline, verdict, firstUs: us(0), lastUs: end, damage: null });
  return { model, html: renderHtml(model, '0.0.0-test'), analysis };
}

function crash(an: Analyzer, iface: string | null = null): void {
  for (let i = 0; i < 5; i++) an.frame(1, vrrpFrame({ src: '192.0.2.11', vrid: 51, priority: 150, auth: 'pw', authType: 1 }), us(i), iface);
  // .11 stops after 4 s; .12 takes over after its Master_Down_Interval (3 + 156/256 s).
  for (let i = 0; i < 5; i++) an.frame(1, vrrpFrame({ src: '192.0.2.12', vrid: 51, priority: 100, auth: 'pw', authType: 1 }), us(4 + 3.609 + i), iface);
}

describe('report model and HTML', () => {
  it('has the contract attributes of every span, with the analyzer\'s times', () => {
    const { html, analysis } = render((an) => crash(an));
    const change = analysis.events.find((e) => e.type === 'master-change')!;
    expect(html).toContain('data-kind="master" data-vrid="51" data-family="ipv4" data-router="192.0.2.11" data-start="2026-11-18T11:06:40.000000Z" data-end="2026-11-18T11:06:44.000000Z"');
    expect(html).toContain('data-kind="no-master" data-vrid="51" data-family="ipv4" data-start="2026-11-18T11:06:44.000000Z" data-end="2026-11-18T11:06:47.609000Z"');
    expect(change.timeUs).toBe(us(7.609));
    expect(html).toContain('data-kind="master" data-vrid="51" data-family="ipv4" data-router="192.0.2.12" data-start="2026-11-18T11:06:47.609000Z"');
    expect(html).toContain('3.609 s, 192.0.2.11 went silent');
  });

  it('escapes what came from the wire: interface names, passwords, messages', () => {
    const evil = '<img src=x onerror=alert(1)>\u001b[2J"\'&';
    const { html } = render((an) => {
      for (let i = 0; i < 3; i++) an.frame(1, vrrpFrame({ src: '192.0.2.11', vrid: 51, priority: 150, authType: 1, auth: '<b>"&\u001b' }), us(i), evil);
    }, null, 'a<b>.pcap');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>"');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;\\x1b[2J&quot;&#39;&amp;');
    // authText quotes the password (a quote inside it escaped, controls as \xHH), then HTML escaping.
    expect(html).toContain('password &quot;&lt;b&gt;\\&quot;&amp;\\x1b&quot;');
    expect(html).toContain('<title>vrrpwatch report: a&lt;b&gt;.pcap</title>');
    // Only the one inline script; nothing that fetches.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
  });

  it('links each failover mark to its event row, and each event to its lane', () => {
    const { model, html } = render((an) => crash(an));
    const lane = model.segments[0]!.lanes[0]!;
    const mark = lane.marks.find((m) => m.type === 'master-change')!;
    expect(mark.eventId).not.toBeNull();
    expect(html).toContain(`<tr id="${mark.eventId}"`);
    const row = model.sections[0]!.events.find((e) => e.id === mark.eventId)!;
    expect(row.lane).toBe(lane.id);
    expect(row.offset).toBe('+7.609 s');
  });

  it('states the verdict check gives, and the worst condition', () => {
    const { model } = render((an) => crash(an));
    expect(model.verdictLine).toMatch(/^VRRP (OK|WARNING|CRITICAL) - /);
    expect(model.worst).toContain('master changed from 192.0.2.11 to 192.0.2.12');
  });

  it('stays small on a flood: 300 VRIDs, each flapping 400 times', () => {
    const { html, model } = render((an) => {
      for (let i = 0; i < 400; i++) {
        for (let v = 1; v <= 300; v++) {
          an.frame(1, vrrpFrame({ src: i % 2 === 0 ? '192.0.2.1' : '192.0.2.2', vrid: v, priority: 100 + (i % 100) }), us(i * 0.5 + v / 1000), null);
        }
      }
    });
    expect(model.sections.length).toBeLessThanOrEqual(256);
    expect(model.sections.reduce((n, s) => n + s.events.length, 0)).toBeLessThanOrEqual(MAX_EVENTS);
    expect(model.notes.join(' ')).toMatch(/not drawn|not listed/);
    expect(Buffer.byteLength(html)).toBeLessThan(5_000_000);
  });
});

describe('router colours', () => {
  it('differ within a lane however many routers the capture holds, and stay with a router', () => {
    const p = new Palette();
    const lanes = Array.from({ length: 40 }, (_, i) => Array.from({ length: 1 + (i % COLOURS) }, (_, j) => `2001:db8::${i}:${j}`));
    for (const l of lanes) p.lane(l);
    for (const l of lanes) expect(new Set(l.map((r) => p.colour(r))).size).toBe(l.length);
    const before = p.colour('2001:db8::7:0');
    p.lane(['2001:db8::7:0', '198.51.100.1']);
    expect(p.colour('2001:db8::7:0')).toBe(before);
    expect(p.colour('198.51.100.1')).not.toBe(before);
  });
});

describe('report scale', () => {
  const s = scaleOf(us(0), us(3600));

  it('places times linearly and clamps outside the capture', () => {
    expect(percentAt(s, us(1800))).toBe(50);
    expect(percentAt(s, us(-5))).toBe(0);
    expect(percentAt(s, us(4000))).toBe(100);
  });

  it('writes offsets and durations for people', () => {
    expect(offsetText(s, us(7.611))).toBe('+7.611 s');
    expect(offsetText(s, us(125))).toBe('+2:05.000');
    expect(offsetText(s, us(3725))).toBe('+1:02:05');
    expect(lengthText(3_610_000)).toBe('3.610 s');
    expect(lengthText(125_000_000)).toBe('2 min 05.000 s');
  });

  it('puts at most 12 ticks at a round step', () => {
    const t = ticks(s);
    expect(t.length).toBeLessThanOrEqual(13);
    expect(t.map((x) => x.offset).slice(0, 3)).toEqual(['+0 s', '+5 min', '+10 min']);
    expect(ticks(scaleOf(us(0), us(18.9))).map((x) => x.offset).slice(0, 3)).toEqual(['+0 s', '+2 s', '+4 s']);
    expect(ticks(scaleOf(us(0), us(4800))).map((x) => x.offset).slice(6, 8)).toEqual(['+1 h', '+1 h 10 min']);
  });

  it('gives an empty capture a one-second scale', () => {
    expect(scaleOf(-Infinity, Infinity)).toEqual({ startUs: 0, endUs: 1_000_000 });
  });
});
