// --metrics beside the terminal UI: the real program in tmux replays a capture, its /metrics
// and /status answer while the screen runs, and q still quits cleanly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTool } from '../support/tools.js';

const ROOT = join(import.meta.dirname, '../..');
const SKIP = hasTool('tmux') ? null : 'tmux is not installed (apt-get install tmux)';
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-service-tui-'));
const PORT = 39_613;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', join(dir, 'sock'), ...args], { encoding: 'utf8' });
}

async function until<T>(what: string, probe: () => Promise<T | null> | T | null, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve(probe()).catch(() => null);
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the pane shows:\n${tmux('capture-pane', '-p', '-t', 'ui')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(SKIP !== null)(`--metrics with the terminal UI${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  afterAll(() => {
    try { tmux('kill-server'); } catch { /* gone */ }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /metrics and /status while the screen runs; q quits with 0', async () => {
    const conf = join(dir, 'plain.conf');
    writeFileSync(conf, 'set -g default-terminal "tmux-256color"\nset -g status off\n');
    tmux('-f', conf, 'new-session', '-d', '-x', '100', '-y', '30', '-s', 'ui', '-c', ROOT, "env PS1='$ ' NCURSES_NO_UTF8_ACS=1 bash --norc --noprofile");
    await until('the shell', () => (/^\$/m.test(tmux('capture-pane', '-p', '-t', 'ui')) ? true : null));
    tmux('send-keys', '-t', 'ui', `node bin/vrrpwatch.js -r captures/steady-pair.pcap --metrics 127.0.0.1:${PORT}; echo EXIT=$?`, 'Enter');
    await until('the UI', () => (/Virtual routers/.test(tmux('capture-pane', '-p', '-t', 'ui')) ? true : null));
    const text = await until('a master in /metrics', async () => {
      const t = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
      return /^vrrpwatch_router_master\{[^}]*\} 1$/m.test(t) ? t : null;
    });
    expect(text).toMatch(/^vrrpwatch_vrid_masters\{segment="-",family="ipv4",vrid="51"\} 1$/m);
    const status = (await (await fetch(`http://127.0.0.1:${PORT}/status`)).json()) as { vrids: { vrid: number }[] };
    expect(status.vrids.map((v) => v.vrid)).toEqual([51]);
    tmux('send-keys', '-t', 'ui', 'q');
    const after = await until('the exit', () => /^EXIT=(\d+)$/m.exec(tmux('capture-pane', '-p', '-t', 'ui'))?.[1] ?? null);
    expect(after).toBe('0');
    await expect(fetch(`http://127.0.0.1:${PORT}/metrics`)).rejects.toThrow();
  }, 40_000);
});
