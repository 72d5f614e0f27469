// The terminal UI with blessed on fake terminal streams: a replay drawn on the screen (golden
// text), keys through the input stream, colours, and the terminal given back on q.
import { PassThrough, Writable } from 'node:stream';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/tui/app.js';
import { runWatch, type WatchOptions } from '../../src/tui/run.js';
import { expectGolden } from './golden.js';
import { ManualClock } from './manual-clock.js';

const CAPTURES = join(import.meta.dirname, '../../captures');

interface FakeTerminal {
  input: PassThrough;
  output: PassThrough;
  written: () => string;
}

/** The streams blessed needs to believe it has a terminal (as react-blessed's tests do). */
function fakeTerminal(columns: number, rows: number): FakeTerminal {
  const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(this: { isRaw: boolean }, on: boolean) { this.isRaw = on; return this; } });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns, rows });
  let written = '';
  output.on('data', (d: Buffer) => {
    written += d.toString('utf8');
  });
  return { input, output, written: () => written };
}

const sink = (): Writable & { text: string } => {
  const w = Object.assign(new Writable({ write(chunk, _enc, cb) { w.text += String(chunk); cb(); } }), { text: '' });
  return w;
};

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

async function startUi(capture: string, columns = 100, rows = 30, env: NodeJS.ProcessEnv = { TERM: 'xterm-256color' }) {
  const term = fakeTerminal(columns, rows);
  const clock = new ManualClock(1_800_000_000_000);
  const stderr = sink();
  // Relative, as a user types it: the goldens do not depend on where the project lives.
  const opts: WatchOptions = { file: relative(process.cwd(), join(CAPTURES, capture)), speed: 0, tui: true, json: false };
  // Loading blessed and reading the file are I/O: wait for them (events), not for a timer.
  let started!: (a: App) => void;
  let sourceEnded!: () => void;
  const up = new Promise<App>((resolve) => (started = resolve));
  const replayed = new Promise<void>((resolve) => (sourceEnded = resolve));
  const done = runWatch(opts, { clock, stdin: term.input, stdout: term.output, stderr, env, onApp: started, onSourceEnd: sourceEnded });
  const failed = done.then(() => { throw new Error('the UI ended before it started'); });
  failed.catch(() => undefined); // once up, its ending normally is no failure
  const ui = await Promise.race([up, failed]);
  const screen = (): string => ui.text().map((l) => l.trimEnd()).join('\n');
  // The replay read the file to its end; one tick of the clock draws what it ended with.
  await Promise.race([replayed, failed]);
  clock.advance(100);
  await settle();
  if (!screen().includes('replayed')) throw new Error(`the replay ended but the screen does not say so:\n${screen()}`);
  const press = async (keys: string): Promise<void> => {
    term.input.write(keys);
    await settle();
    clock.advance(100);
  };
  return { term, clock, stderr, app: ui, done, screen, press };
}

describe('terminal UI (headless blessed)', () => {
  it('draws a replayed capture: header, table, event log (golden)', async () => {
    const ui = await startUi('master-crash.pcap');
    expect(ui.screen()).toContain('replayed instant');
    expectGolden('screen-master-crash', ui.screen());
    await ui.press('q');
    expect(await ui.done).toBe(0);
  });

  it('opens the detail with Enter: routers, last packet field by field and hex (golden), Esc goes back', async () => {
    const ui = await startUi('master-crash.pcap');
    await ui.press('\r');
    expect(ui.screen()).toContain('Last packet from 192.0.2.11');
    expectGolden('screen-master-crash-detail', ui.screen());
    await ui.press('\x1b');
    expect(ui.screen()).toContain('Virtual routers (1)');
    await ui.press('q');
    expect(await ui.done).toBe(0);
  });

  it('shows help on ?, filters on /, and quits on q giving the terminal back', async () => {
    const ui = await startUi('multi-vrid.pcap');
    await ui.press('?');
    expect(ui.screen()).toContain('pause the display');
    await ui.press('?');
    await ui.press('/30\r');
    expect(ui.screen()).toContain('Virtual routers (1 of 4)');
    expect(ui.screen()).toMatch(/^30 +v2 +192\.0\.2\.13/m);
    await ui.press('q');
    expect(await ui.done).toBe(0);
    const out = ui.term.written();
    expect(out).toContain('\x1b[?1049h'); // entered the alternate screen
    expect(out.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(out.lastIndexOf('\x1b[?1049h')); // and left it
    expect(out.lastIndexOf('\x1b[?25h')).toBeGreaterThan(out.lastIndexOf('\x1b[?25l')); // cursor shown again
    expect((ui.term.input as unknown as { isRaw?: boolean }).isRaw).toBe(false);
  });

  it('colours the status: red for critical', async () => {
    const ui = await startUi('one-way-loss.pcap', 120);
    const sgr = (ui.app.screen as unknown as { screenshot(): string }).screenshot();
    expect(sgr).toMatch(/\x1b\[[0-9;]*31[0-9;]*m[^\x1b]*vip-arp-conflict/);
    await ui.press('q');
    await ui.done;
  });

  it('leaves colours out with NO_COLOR', async () => {
    const ui = await startUi('one-way-loss.pcap', 120, 30, { TERM: 'xterm-256color', NO_COLOR: '1' });
    const sgr = (ui.app.screen as unknown as { screenshot(): string }).screenshot();
    expect(sgr).not.toMatch(/\x1b\[[0-9;]*3[1-6]m/);
    await ui.press('q');
    await ui.done;
  });

  it('ages count up on the clock with no packet arriving, redrawn once a second', async () => {
    const ui = await startUi('steady-pair.pcap');
    const age = (): string | undefined => ui.screen().split('\n').find((l) => /^51 /.test(l))?.split(/\s+/).at(-2);
    const before = age();
    // A replay that ended keeps its clock at the end of the capture: ages stay.
    ui.clock.advance(5000);
    expect(age()).toBe(before);
    await ui.press('q');
    await ui.done;
  });
});
