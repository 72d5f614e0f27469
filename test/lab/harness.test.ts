// The lab itself: it builds, keepalived elects a master whose VIP is on its interface, and
// everything is gone afterwards.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab, LAB_SKIP } from './harness.js';

describe.skipIf(LAB_SKIP !== null)(`lab harness${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab | undefined;
  afterAll(() => lab?.destroySync());

  it('keepalived elects the higher priority, and destroy() leaves nothing behind', async () => {
    lab = Lab.create('h0', 2);
    lab.startKeepalived('a', [{ vrid: 51, priority: 150, vips: ['192.0.2.100'] }]);
    lab.startKeepalived('b', [{ vrid: 51, priority: 100, vips: ['192.0.2.100'] }]);
    const until = Date.now() + 8000;
    while (!lab.hasAddress('a', '192.0.2.100') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(lab.hasAddress('a', '192.0.2.100')).toBe(true);
    expect(lab.hasAddress('b', '192.0.2.100')).toBe(false);
    lab.destroySync();
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toMatch(/vwth0-/);
    lab = undefined;
  }, 30_000);
});

describe.skipIf(LAB_SKIP !== null)('lab harness: a crash', () => {
  it('stopKeepalived KILL returns at once, and the backup takes over', async () => {
    const lab = Lab.create('h1', 2);
    try {
      lab.startKeepalived('a', [{ vrid: 51, priority: 150, vips: ['192.0.2.100'] }]);
      lab.startKeepalived('b', [{ vrid: 51, priority: 100, vips: ['192.0.2.100'] }]);
      const wait = async (h: 'a' | 'b', ms: number) => {
        const until = Date.now() + ms;
        while (!lab.hasAddress(h, '192.0.2.100') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        return lab.hasAddress(h, '192.0.2.100');
      };
      expect(await wait('a', 8000)).toBe(true);
      const t = Date.now();
      await lab.stopKeepalived('a', 'KILL');
      expect(Date.now() - t).toBeLessThan(2000);
      expect(await wait('b', 8000)).toBe(true);
    } finally {
      lab.destroySync();
    }
  }, 40_000);
});
