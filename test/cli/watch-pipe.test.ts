// `watch -r FILE --no-tui` (and --json) with a reader of stdout that stalls: the replay waits for
// the pipe (backpressure, as decode does), so the watcher's memory stays flat however much it has
// to say; then everything arrives. The capture, built here, makes a line per advert: 200 VRIDs
// whose master changes its priority at every advert (a priority-change event each).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWithPeak } from '../support/peak-rss.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `rounds` seconds of 200 VRIDs, one advert each a second, priority 100 and 101 in turn. */
function chattyCapture(rounds: number): string {
  const frames = [100, 101].map((priority) => Array.from({ length: 200 }, (_, i) => vrrpFrame({ vrid: i + 1, src: `192.0.2.${i + 1}`, priority, addresses: [`198.51.100.${i + 1}`] })));
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6); h.writeUInt32LE(262_144, 16); h.writeUInt32LE(1, 20);
  const parts: Buffer[] = [h];
  for (let s = 0; s < rounds; s++) {
    for (let i = 0; i < 200; i++) {
      const f = frames[s % 2]![i]!;
      const r = Buffer.alloc(16);
      r.writeUInt32LE(1_795_000_000 + s, 0); r.writeUInt32LE(i * 5000, 4); r.writeUInt32LE(f.length, 8); r.writeUInt32LE(f.length, 12);
      parts.push(r, f);
    }
  }
  const path = join(dir, `chatty-${rounds}.pcap`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

describe('watch -r FILE --speed 0 in line mode, stdout stalled', () => {
  const file = chattyCapture(2000); // 400,000 adverts, about 400,000 lines

  for (const json of [false, true]) {
    it(`${json ? '--json' : '--no-tui'}: waits for the pipe, memory flat, then every line arrives`, async () => {
      const r = await runWithPeak(['watch', '-r', file, '--speed', '0', json ? '--json' : '--no-tui'], { stallStdout: true });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // About 50 MB of lines were due (80 MB in JSON); while nobody read them, the watcher held a bounded part.
      expect(r.stdoutBytes).toBeGreaterThan(40 * MiB);
      expect(r.stalledPeakMiB).toBeGreaterThan(0);
      // Measured 69-70 MiB; 146 (text) and 206 MiB (JSON) before the replay waited for the pipe.
      expect(r.stalledPeakMiB).toBeLessThan(100);
    }, 180_000);
  }
});
