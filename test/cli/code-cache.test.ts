// bin/vrrpwatch.js hands V8 the compiled code of the bundle (scripts/code-cache.cjs writes it at
// build time). These hold that the cache is used, and that a missing or foreign cache changes
// nothing a user sees: the cache may only make a start faster.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const CAPTURE = join(ROOT, 'captures/master-crash.pcap');

/** A copy of bin/ and dist/'s bundle in a scratch tree, with the cache as `cache` says. */
function tree(cache: 'built' | 'foreign' | 'none'): string {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-cache-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  for (const f of ['bin/vrrpwatch.js', 'bin/bundle.js', 'bin/package.json', 'dist/vrrpwatch.cjs']) copyFileSync(join(ROOT, f), join(dir, f));
  const cacheFile = join(dir, 'dist/vrrpwatch.cjs.cache');
  if (cache === 'built') copyFileSync(join(ROOT, 'dist/vrrpwatch.cjs.cache'), cacheFile);
  // What another Node version's cache looks like to this one: bytes V8 does not accept.
  if (cache === 'foreign') writeFileSync(cacheFile, Buffer.from(readFileSync(join(ROOT, 'dist/vrrpwatch.cjs.cache')).map((b, i) => (i < 64 ? b ^ 0x5a : b))));
  return dir;
}

const trees: string[] = [];
afterAll(() => { for (const t of trees) rmSync(t, { recursive: true, force: true }); });

function run(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(dir, 'bin/vrrpwatch.js'), ...args], { encoding: 'utf8', env: { ...process.env, VRRPWATCH_DEBUG_CODE_CACHE: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the code cache of the bundle', () => {
  it('is built beside the bundle and accepted by the Node that built it', () => {
    const dir = tree('built');
    trees.push(dir);
    expect(run(dir, ['--version']).stderr).toBe('vrrpwatch: code cache accepted\n');
  });

  it.each(['built', 'foreign', 'none'] as const)('gives the same output, exit code and errors with a %s cache', (cache) => {
    const dir = tree(cache);
    trees.push(dir);
    const plain = spawnSync(process.execPath, [join(ROOT, 'dist/vrrpwatch.cjs'), 'analyze', '--json', CAPTURE], { encoding: 'utf8' });
    const r = run(dir, ['analyze', '--json', CAPTURE]);
    expect(r.stderr).toBe(`vrrpwatch: code cache ${{ built: 'accepted', foreign: 'rejected', none: 'absent' }[cache]}\n`);
    expect(r.status).toBe(1);
    expect(r.status).toBe(plain.status);
    expect(r.stdout).toBe(plain.stdout);
    const bad = run(dir, ['analyze', '--no-such-option']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/unknown option '--no-such-option'/);
  });

  it('does not stop the optional libpcap binding from loading (it is required, not imported)', () => {
    const dir = tree('built');
    trees.push(dir);
    // Not installed, as a user without the binding sees it: the sentence, not a loader error.
    const r = spawnSync(process.execPath, [join(dir, 'bin/vrrpwatch.js'), 'interfaces'], { encoding: 'utf8', env: { ...process.env, VRRPWATCH_PCAP_MODULE: 'nonexistent-module' } });
    expect(r.status).toBe(69);
    expect(r.stderr).toMatch(/libpcap binding \(npm package pcap\), which is not installed/);
    // Installed (this machine has it): the scratch tree resolves it from the project's node_modules.
    execFileSync('ln', ['-s', join(ROOT, 'node_modules'), join(dir, 'node_modules')]);
    const ok = spawnSync(process.execPath, [join(dir, 'bin/vrrpwatch.js'), 'interfaces'], { encoding: 'utf8' });
    expect(ok.stderr).not.toMatch(/libpcap binding/);
  });
});
