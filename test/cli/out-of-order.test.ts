// A capture with one advert stamped 5 s ahead of its place (its stamp late) and one stamped 3.5 s
// behind the frame before it, built here: analyze, check -r and watch -r (at once and paced)
// report no master-down, name the frames, and exit as for a healthy pair with a warning.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { buildPcap } from '../support/pcap-builder.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-ooo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_795_000_000;

/** VRID 51 (192.0.2.1) every second from 0 s, VRID 52 (192.0.2.2) half a second later; 20 s. */
function capture(): string {
  const records = [];
  for (let i = 0; i < 20; i++) {
    for (const [vrid, src, at] of [[51, '192.0.2.1', i], [52, '192.0.2.2', i + 0.5]] as const) {
      // Frame 22 (VRID 52 at 10.5 s) stamped 15.5 s; frame 31 (VRID 51 at 15 s) stamped 11 s, 3.5 s before frame 30.
      const stamp = vrid === 52 && i === 10 ? at + 5 : vrid === 51 && i === 15 ? at - 4 : at;
      records.push({ tsSec: T0 + Math.floor(stamp), tsFrac: Math.round((stamp % 1) * 1e6), data: vrrpFrame({ vrid, src, priority: 200, addresses: [`198.51.100.${vrid}`] }) });
    }
  }
  const path = join(dir, 'out-of-order.pcap');
  writeFileSync(path, buildPcap({ variant: 'usec-le', linkType: 1, records }).bytes);
  return path;
}

describe('one advert stamped 5 s ahead, one 4 s behind', () => {
  const file = capture();

  it('analyze: no master-down, both frames named, counted; exit 1 (warnings)', async () => {
    const r = await runCli(['analyze', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/critical +VRID|silent for/);
    expect(r.stdout).toContain('frame 22 is stamped 4.500 s after the frame that follows it');
    expect(r.stdout).toContain('frame 31 is stamped 3.500 s before the frame before it');
    expect(r.stdout).toContain('40 frames, 40 VRRP, 0 malformed, 2 out of order; 2 virtual routers; 0 critical');
    expect(r.code).toBe(1);
    const j = await runCli(['analyze', '--json', file]);
    const doc = JSON.parse(j.stdout) as { packets: { outOfOrder: number }; events: { type: string; frame?: number; late?: number; direction?: string }[] };
    expect(doc.packets.outOfOrder).toBe(2);
    expect(doc.events.filter((e) => e.type === 'out-of-order').map((e) => [e.frame, e.late, e.direction])).toEqual([[22, 4.5, 'ahead'], [31, 3.5, 'behind']]);
  });

  it('check -r: OK, no master down', async () => {
    const r = await runCli(['check', '-r', file]);
    expect(r.stdout).toMatch(/^VRRP OK - VRIDs 51 and 52: one master each \|/);
    expect(r.code).toBe(0);
  });

  for (const speed of ['0', '20']) {
    it(`watch -r --speed ${speed} --json: no master-down, the two frames named`, async () => {
      const r = await runCli(['watch', '-r', file, '--speed', speed, '--json'], { timeoutMs: 30_000 });
      expect(r.code).toBe(0);
      const events = r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string; frame?: number; direction?: string });
      expect(events.filter((e) => e.type === 'master-down')).toEqual([]);
      expect(events.filter((e) => e.type === 'out-of-order').map((e) => [e.frame, e.direction])).toEqual([[22, 'ahead'], [31, 'behind']]);
    }, 40_000);
  }
});
