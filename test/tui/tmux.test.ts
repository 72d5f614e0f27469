// The real program in a real terminal (tmux): it starts on a shipped capture, opens help on ?,
// quits on q, and the terminal is given back: alternate screen left, cursor shown, the shell
// and its prompt visible again, exit code 0, nothing written to stderr. Run under the TERMs
// blessed 0.1.81 has trouble with (screen-256color's terminfo does not compile in it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { have } from './watcher.js';

const ROOT = join(import.meta.dirname, '../..');

const SKIP = have('tmux') ? null : 'tmux is not installed (apt-get install tmux)';
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-tmux-'));
/**
 * One tmux server per test (a server whose last session ends exits, and a new one can race it),
 * its socket in the test's own directory, removed with it.
 */
let socket = '';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', join(dir, socket), ...args], { encoding: 'utf8' });
}

/** Polls the pane (the program runs on its own; there is no event to wait for). */
async function waitFor(what: RegExp, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < until) {
    screen = tmux('capture-pane', '-p', '-t', 'ui');
    if (what.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the pane never showed ${what}; it shows:\n${screen}`);
}

describe.skipIf(SKIP !== null)(`the UI in tmux${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [how, stop] of [
    ['Ctrl-C', () => tmux('send-keys', '-t', 'ui', 'C-c')],
    ['SIGTERM', () => {
      const shell = tmux('display', '-p', '-t', 'ui', '#{pane_pid}').trim();
      const pid = execFileSync('pgrep', ['-P', shell, 'node'], { encoding: 'utf8' }).trim();
      process.kill(Number(pid), 'SIGTERM');
    }],
  ] as const) {
    it(`gives the terminal back on ${how}`, async () => {
      socket = `sock-${how}`;
      const conf = join(dir, 'plain.conf');
      writeFileSync(conf, 'set -g default-terminal "tmux-256color"\nset -g status off\n');
      tmux('-f', conf, 'new-session', '-d', '-x', '100', '-y', '30', '-s', 'ui', '-c', ROOT, "env PS1='$ ' NCURSES_NO_UTF8_ACS=1 bash --norc --noprofile");
      try {
        await waitFor(/^\$/m);
        tmux('send-keys', '-t', 'ui', 'node bin/vrrpwatch.js -r captures/steady-pair.pcap; echo EXIT=$?', 'Enter');
        await waitFor(/Virtual routers/);
        stop();
        const after = await waitFor(/^EXIT=\d+/m);
        expect(after).toMatch(/^EXIT=0$/m);
        expect(after).toMatch(/^\$ node bin\/vrrpwatch\.js/m);
        expect(tmux('display', '-p', '-t', 'ui', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
      } finally {
        tmux('kill-server');
      }
    }, 30_000);
  }

  for (const term of ['screen-256color', 'tmux-256color', 'xterm-256color']) {
    it(`starts, shows help, quits and gives the terminal back (TERM=${term})`, async () => {
      socket = `sock-${term}`;
      const conf = join(dir, `${term}.conf`);
      writeFileSync(conf, `set -g default-terminal "${term}"\nset -g status off\n`);
      const stderr = join(dir, `${term}.stderr`);
      tmux('-f', conf, 'new-session', '-d', '-x', '100', '-y', '30', '-s', 'ui', '-c', ROOT, "env PS1='$ ' NCURSES_NO_UTF8_ACS=1 bash --norc --noprofile");
      try {
        await waitFor(/^\$/m);
        tmux('send-keys', '-t', 'ui', `echo TERM=$TERM; node bin/vrrpwatch.js -r captures/master-crash.pcap --speed 0 2>${stderr}; echo EXIT=$?`, 'Enter');
        const table = await waitFor(/replayed instant/);
        expect(table).toMatch(/^51 +v2 +192\.0\.2\.11 +150/m);
        expect(tmux('display', '-p', '-t', 'ui', '#{alternate_on}').trim()).toBe('1');

        tmux('send-keys', '-t', 'ui', '?');
        await waitFor(/pause the display/);

        tmux('send-keys', '-t', 'ui', 'q');
        const after = await waitFor(/^EXIT=\d+/m);
        expect(after).toMatch(/^EXIT=0$/m);
        expect(after).toContain(`TERM=${term}`);
        // The shell's screen is back: the command line typed before the UI, and a prompt after.
        expect(after).toMatch(/^\$ echo TERM=\$TERM; node bin\/vrrpwatch\.js/m);
        expect(after).toMatch(/^EXIT=0\n\$ *$/m);
        expect(tmux('display', '-p', '-t', 'ui', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
        expect(readFileSync(stderr, 'utf8')).toBe('');
      } finally {
        tmux('kill-server');
      }
    }, 30_000);
  }
});
