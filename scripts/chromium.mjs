// Headless Chromium (Debian's `chromium` package) through playwright-core, which drives a browser
// without downloading one. Used by the report's browser tests and by report-screenshot.mjs.
// The flags keep it off the network: no component updates, no sync, no QUIC, no first-run.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why Chromium cannot run here, or null when it can. */
export function chromiumMissing() {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
}

/** A headless browser with a fresh, empty profile (playwright makes and removes it). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * The page at `url` in a 1400x900 viewport, the size the report is made to be read at. Anything
 * it tries to fetch besides the file itself is refused and listed in `blocked`.
 */
export async function openPage(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const blocked = [];
  await page.route((u) => u.href !== url, (route) => {
    blocked.push(route.request().url());
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, blocked };
}
