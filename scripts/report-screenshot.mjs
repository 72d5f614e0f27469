#!/usr/bin/env node
// The README's picture of a report: `vrrpwatch report` of a shipped capture, opened in headless
// Chromium at 1400x900, the top of the page (header, legend, timeline, the first virtual
// router's routers table) saved as a PNG. Needs `npm run build` and Debian's chromium.
//   node scripts/report-screenshot.mjs [CAPTURE] [OUT.png]   (default: captures/master-crash.pcap, docs/report.png)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumMissing, launchChromium, openPage } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
// Relative to the project, so that the page names it as a reader would.
const capture = process.argv[2] ?? 'captures/master-crash.pcap';
const out = process.argv[3] ?? join(root, 'docs/report.png');

const missing = chromiumMissing();
if (missing !== null) {
  console.error(`report-screenshot: ${missing}`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-shot-'));
try {
  const html = join(dir, 'report.html');
  const r = spawnSync(process.execPath, [join(root, 'bin/vrrpwatch.js'), 'report', capture, '-o', html], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`vrrpwatch report exited ${r.status}`);
  const browser = await launchChromium();
  try {
    const { page } = await openPage(browser, pathToFileURL(html).href);
    // Down to the end of the first routers table, at most the 900 px of the viewport.
    const bottom = await page.$eval('.vrid table', (e) => e.getBoundingClientRect().bottom + 12);
    await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1400, height: Math.min(900, Math.ceil(bottom)) } });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KiB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
