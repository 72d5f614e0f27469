import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { runCli } from '../support/cli.js';

describe('version', () => {
  it('src/version.ts says what package.json says, and -V prints it (exit 0; check -V exits 3)', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const root = await runCli(['-V']);
    expect(root).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const check = await runCli(['check', '-V']);
    expect(check.code).toBe(3);
    expect(check.stdout).toBe(`vrrpwatch check ${VERSION}\n`);
  });
});
