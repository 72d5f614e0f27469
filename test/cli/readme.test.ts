// The README's first command is what a new user runs: its vrrpwatch part must exit 0 on the
// capture it names, and the capture must ship with the project.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = join(import.meta.dirname, '..', '..');

describe('the README', () => {
  it('opens with an install command whose analyze of a shipped capture exits 0', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const first = /```sh\n([^\n]+)\n```/.exec(readme)?.[1] ?? '';
    expect(first).toMatch(/npm ci && npm run build && node bin\/vrrpwatch\.js analyze /);
    const args = first.split('node bin/vrrpwatch.js ')[1]!.trim().split(/\s+/);
    expect(existsSync(join(root, args[1]!))).toBe(true);
    const r = await runCli(args.map((a) => (a.startsWith('captures/') ? join(root, a) : a)));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('shows the test command next', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toMatch(/```sh\nnpm test\n```/);
  });
});
