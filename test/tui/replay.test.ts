// `-r FILE` at its recorded pace on a manual clock: frames come out when their time is due,
// the replay's "now" never runs ahead of a frame not yet delivered, pause holds time, speed
// scales it, speed 0 is at once, and bad files fail before anything starts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/file.js';
import { CaptureFileError, type CaptureRecord } from '../../src/capture/types.js';
import { CliError } from '../../src/errors.js';
import { recordTimeUs } from '../../src/tui/monitor.js';
import { openReplay } from '../../src/tui/replay.js';
import { ManualClock } from './manual-clock.js';

const CAPTURE = join(import.meta.dirname, '../../captures/master-crash.pcap');
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-replay-'));

async function times(path: string): Promise<number[]> {
  const out: number[] = [];
  await readCaptureFile(path, (r) => out.push(recordTimeUs(r)));
  return out;
}

/** Lets file reads complete: I/O, not timers, so no clock is involved. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

async function start(speed: number, path = CAPTURE) {
  const clock = new ManualClock(1_000_000);
  const got: number[] = [];
  const replay = await openReplay({ path, speed, clock, onRecord: (r: CaptureRecord) => got.push(recordTimeUs(r)) });
  await settle();
  return { clock, got, replay };
}

describe('replay', () => {
  it('lets frames out at their recorded pace', async () => {
    const all = await times(CAPTURE);
    const first = all[0] as number;
    const { clock, got, replay } = await start(1);
    for (const ms of [0, 500, 3000, 8000, 20_000]) {
      clock.advance(ms - (clock.ms - 1_000_000));
      expect(got).toEqual(all.filter((t) => t <= first + ms * 1000 - 20_000 || (ms === 0 && t === first)).slice(0, got.length));
      // Everything due (allowing one 20 ms pump) is out, nothing early.
      expect(got.every((t) => t <= first + ms * 1000)).toBe(true);
      expect(all.filter((t) => t <= first + ms * 1000 - 20_000).length).toBeLessThanOrEqual(got.length);
      expect(replay.nowUs()).toBeLessThanOrEqual(first + ms * 1000);
    }
    await replay.finished;
    expect(got).toEqual(all);
    expect(replay.replay()).toEqual({ elapsedSeconds: ((all.at(-1) as number) - first) / 1e6, done: true });
    expect(clock.pending).toBe(0);
  });

  it("never puts 'now' past a frame that has not been delivered", async () => {
    const all = await times(CAPTURE);
    const { clock, got, replay } = await start(1);
    for (let i = 0; i < 200; i++) {
      clock.advance(50);
      const next = all[got.length];
      if (next !== undefined) expect(replay.nowUs()).toBeLessThanOrEqual(next);
    }
    await replay.close();
  });

  it('holds time while paused and goes on at the same pace', async () => {
    const all = await times(CAPTURE);
    const first = all[0] as number;
    const { clock, got, replay } = await start(1);
    clock.advance(2000);
    const before = got.length;
    replay.pause();
    clock.advance(60_000);
    expect(got.length).toBe(before);
    expect(replay.nowUs()).toBeLessThanOrEqual(first + 2_000_000);
    replay.resume();
    clock.advance(1000);
    expect(got.every((t) => t <= first + 3_000_000)).toBe(true);
    expect(got.length).toBe(all.filter((t) => t <= first + 3_000_000 - 20_000).length);
    await replay.close();
  });

  it('scales the pace with the speed', async () => {
    const all = await times(CAPTURE);
    const first = all[0] as number;
    const { clock, got, replay } = await start(10);
    clock.advance(500); // 5 s of capture
    expect(got.every((t) => t <= first + 5_000_000)).toBe(true);
    expect(got.length).toBe(all.filter((t) => t <= first + 5_000_000 - 200_000).length);
    await replay.close();
  });

  it('delivers everything at once with speed 0, with no timer', async () => {
    const all = await times(CAPTURE);
    const { clock, got, replay } = await start(0);
    await replay.finished;
    expect(got).toEqual(all);
    expect(replay.nowUs()).toBe(all.at(-1));
    expect(clock.pending).toBe(0);
  });

  it('delivers the frames before damage, then rejects naming the offset', async () => {
    const bytes = readFileSync(CAPTURE);
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    const all = await times(CAPTURE);
    const { got, replay } = await start(0, path);
    await expect(replay.finished).rejects.toBeInstanceOf(CaptureFileError);
    expect(got).toEqual(all.slice(0, -1));
  });

  it('fails before anything starts on a file that is missing or not a capture', async () => {
    const clock = new ManualClock(0);
    const notPcap = join(dir, 'notes.txt');
    writeFileSync(notPcap, 'hello, not a capture\n');
    for (const path of [join(dir, 'missing.pcap'), notPcap]) {
      const p = openReplay({ path, speed: 1, clock, onRecord: () => undefined });
      await expect(p).rejects.toBeInstanceOf(CliError);
      await expect(p).rejects.toMatchObject({ exitCode: 2 });
    }
    expect(clock.pending).toBe(0);
  });
});
