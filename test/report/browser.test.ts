// Reports of the lab captures, opened in headless Chromium: the DOM after the page's script ran
// holds the contract's spans with the analyzer's times (compared with `analyze --json`), nothing
// is fetched, the zoom works, and a screenshot of each is not blank. Screenshots go to a temp
// directory, never into the repository. Skipped, saying why, without Chromium.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, openPage } from '../../scripts/chromium.mjs';
import { captureFiles, PROJECT_CAPTURES } from '../support/captures.js';
import { runCli } from '../support/cli.js';

const missing = chromiumMissing();
const captures = captureFiles(PROJECT_CAPTURES).filter((p) => p.endsWith('.pcap'));
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-report-'));
let browser: Browser | null = null;

interface SpanAttrs {
  kind: string;
  vrid: string;
  family: string;
  router: string | null;
  routers: string | null;
  start: string;
  end: string;
}

interface JsonEvent {
  time: string;
  type: string;
  vrid: number | null;
  family: string | null;
  from?: string;
  to?: string;
  gap?: number;
  duration?: number;
  routers?: string[];
}

/** ISO 8601 with microseconds to µs since the epoch (Date keeps only milliseconds). */
function micros(iso: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)\.(\d{6})Z$/.exec(iso);
  if (m === null) throw new Error(`not ISO 8601 UTC with microseconds: ${iso}`);
  return Date.parse(`${m[1]}Z`) * 1000 + Number(m[2]);
}

async function report(capture: string): Promise<{ page: Page; blocked: string[]; spans: SpanAttrs[]; events: JsonEvent[] }> {
  const out = join(dir, `${basename(capture, '.pcap')}.html`);
  const r = await runCli(['report', capture, '-o', out]);
  expect(r.code, r.stderr).toBe(0);
  const analyze = await runCli(['analyze', '--json', capture]);
  const events = (JSON.parse(analyze.stdout) as { events: JsonEvent[] }).events;
  const { page, blocked } = await openPage(browser as Browser, pathToFileURL(out).href);
  const spans = await page.$$eval('[data-kind]', (els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return { kind: d.kind ?? '', vrid: d.vrid ?? '', family: d.family ?? '', router: d.router ?? null, routers: d.routers ?? null, start: d.start ?? '', end: d.end ?? '' };
    }),
  );
  return { page, blocked, spans, events };
}

/** Distinct colours in a PNG, counted by the browser itself (decoded into a canvas). */
async function colours(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) seen.add(((d[i] as number) << 16) | ((d[i + 1] as number) << 8) | (d[i + 2] as number));
    return seen.size;
  }, png.toString('base64'));
}

describe.skipIf(missing !== null)(`report in headless Chromium${missing === null ? '' : ` (skipped: ${missing})`}`, () => {
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('master-crash: three master spans (.11, .12, .11), the 3.610 s gap between the first two, at the analyzer\'s times', async () => {
    const { page, spans, events } = await report(join(PROJECT_CAPTURES, 'master-crash.pcap'));
    const masters = spans.filter((s) => s.kind === 'master');
    expect(masters.map((s) => s.router)).toEqual(['192.0.2.11', '192.0.2.12', '192.0.2.11']);
    expect(masters.every((s) => s.vrid === '51' && s.family === 'ipv4')).toBe(true);
    const changes = events.filter((e) => e.type === 'master-change');
    expect(changes).toHaveLength(2);
    // Each new master's span starts at the analyzer's master-change, and the no-master span
    // before it lasts the analyzer's gap.
    const gaps = spans.filter((s) => s.kind === 'no-master');
    expect(gaps).toHaveLength(2);
    for (const [i, c] of changes.entries()) {
      expect(masters[i + 1]!.start).toBe(c.time);
      expect(gaps[i]!.end).toBe(c.time);
      expect(gaps[i]!.start).toBe(masters[i]!.end);
      expect(micros(gaps[i]!.end) - micros(gaps[i]!.start)).toBe(Math.round((c.gap as number) * 1e6));
    }
    expect((micros(gaps[0]!.end) - micros(gaps[0]!.start)) / 1e6).toBeCloseTo(3.61, 2);
    // The gap's text beside it.
    expect(await page.locator('.note').first().textContent()).toBe('3.610 s, 192.0.2.11 went silent');
    expect(spans.filter((s) => s.kind === 'split-brain')).toEqual([]);
    await page.close();
  });

  it('one-way-loss: its split brain is one span of the analyzer\'s start and length', async () => {
    const { page, spans, events } = await report(join(PROJECT_CAPTURES, 'one-way-loss.pcap'));
    const start = events.find((e) => e.type === 'split-brain') as JsonEvent;
    const end = events.find((e) => e.type === 'split-brain-end') as JsonEvent;
    const splits = spans.filter((s) => s.kind === 'split-brain');
    expect(splits).toHaveLength(1);
    const s = splits[0]!;
    expect(s).toMatchObject({ vrid: '51', family: 'ipv4', router: '192.0.2.11', routers: '192.0.2.11,192.0.2.12', start: start.time });
    expect(micros(s.end) - micros(s.start)).toBe(Math.round((end.duration as number) * 1e6));
    // Several seconds of the 10 the adverts of both went on: a span, not a sliver.
    expect(micros(s.end) - micros(s.start)).toBeGreaterThan(5_000_000);
    // Visible: it has a width on the page.
    const box = await page.locator('[data-kind="split-brain"]').boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    await page.close();
  });

  it('a click on a span zooms into it; the whole-capture button zooms back out', async () => {
    const { page } = await report(join(PROJECT_CAPTURES, 'master-crash.pcap'));
    const gap = page.locator('[data-kind="no-master"]').last();
    const before = (await gap.boundingBox())!.width;
    await gap.click();
    const after = (await gap.boundingBox())!.width;
    expect(after).toBeGreaterThan(before * 5);
    expect(await page.locator('#zoom').textContent()).not.toBe('1.0x');
    await page.click('button[data-z="fit"]');
    expect((await gap.boundingBox())!.width).toBeCloseTo(before, 0);
    // An event's offset puts a cursor on its lane.
    await page.locator('a.at').nth(2).click();
    expect(await page.locator('#lane-v1 .cursor').isVisible()).toBe(true);
    await page.close();
  });

  it('reads at a glance at 1400x900 and prints whole: the timeline is in view; printed, the zoom is undone and the buttons go', async () => {
    const { page } = await report(join(PROJECT_CAPTURES, 'one-way-loss.pcap'));
    const lane = (await page.locator('#lane-v1').boundingBox())!;
    expect(lane.y + lane.height).toBeLessThan(900);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
    await page.locator('[data-kind="split-brain"]').click();
    const scroll = page.locator('.scroll').first();
    const inner = page.locator('.inner').first();
    expect((await inner.boundingBox())!.width).toBeGreaterThan((await scroll.boundingBox())!.width * 1.2);
    await page.emulateMedia({ media: 'print' });
    expect((await inner.boundingBox())!.width).toBeCloseTo((await scroll.boundingBox())!.width, 0);
    expect(await page.locator('.toolbar').isVisible()).toBe(false);
    const pdf = await page.pdf({ landscape: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it.each(captures.map((p) => [basename(p), p]))('%s: spans for every lane, nothing fetched, a screenshot that is not blank', async (_name, capture) => {
    const { page, blocked, spans, events } = await report(capture);
    expect(blocked).toEqual([]);
    for (const s of spans) {
      expect(micros(s.end)).toBeGreaterThanOrEqual(micros(s.start));
      if (s.kind === 'master') expect(s.router).not.toBeNull();
      if (s.kind === 'split-brain') expect(s.routers?.split(',').length).toBeGreaterThanOrEqual(2);
    }
    // Every VRID whose first master the analyzer announced has a master span starting then.
    for (const e of events.filter((x) => x.type === 'master-change')) {
      expect(spans.some((s) => s.kind === 'master' && s.router === e.to && s.start === e.time && s.vrid === String(e.vrid))).toBe(true);
    }
    // Every split brain the analyzer saw is drawn from its start.
    for (const e of events.filter((x) => x.type === 'split-brain')) {
      expect(spans.some((s) => s.kind === 'split-brain' && s.start === e.time && s.vrid === String(e.vrid))).toBe(true);
    }
    const file = join(dir, `${basename(capture, '.pcap')}.png`);
    const png = await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(await colours(page, png)).toBeGreaterThan(20);
    await page.close();
  });
});
