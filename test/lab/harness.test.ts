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
