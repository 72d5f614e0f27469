// The optional binding: every way it can be missing is one sentence (exit 69), and the commands
// that read files never load it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindingError, bindingProblem, loadPcap, PCAP_MODULE_ENV } from '../../src/live/binding.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/vrrpwatch.js');

function sentence(problem: string): string {
  return `live capture needs the optional libpcap binding (npm package pcap), which ${problem}: apt-get install libpcap-dev, then npm rebuild pcap (or reinstall vrrpwatch); reading capture files works without it`;
}

function nodeError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('a missing binding', () => {
  it.each([
    // The three ways found in the research (§5.2), with Node's own wording.
    ['npm dropped it (its build failed)', nodeError("Cannot find package 'pcap' imported from /x/dist/live/binding.js", 'ERR_MODULE_NOT_FOUND'), 'is not installed'],
    ['install scripts were skipped', nodeError("Cannot find module './build/Release/pcap_binding'\nRequire stack:\n- /x/node_modules/pcap/pcap.js", 'MODULE_NOT_FOUND'), 'is installed but was never built'],
    ['libpcap is gone', nodeError('libpcap.so.0.8: cannot open shared object file: No such file or directory', 'ERR_DLOPEN_FAILED'), 'cannot find libpcap.so.0.8'],
    ['loaded in a worker too', nodeError('Module did not self-register: /x/node_modules/pcap/build/Release/pcap_binding.node.'), 'cannot be loaded twice in one process (main thread and a worker)'],
    ['anything else: its first line', nodeError('something odd\nsecond line'), 'failed to load (something odd)'],
  ])('%s', (_label, err, problem) => {
    expect(bindingProblem(err)).toBe(problem);
    const e = bindingError(err);
    expect(e.message).toBe(sentence(problem));
    expect(e.exitCode).toBe(69);
  });

  it(`loadPcap with ${PCAP_MODULE_ENV}=nonexistent-module (the test aid) rejects with the sentence`, async () => {
    const before = process.env[PCAP_MODULE_ENV];
    process.env[PCAP_MODULE_ENV] = 'nonexistent-module';
    try {
      await expect(loadPcap()).rejects.toMatchObject({ message: sentence('is not installed'), exitCode: 69 });
    } finally {
      if (before === undefined) delete process.env[PCAP_MODULE_ENV];
      else process.env[PCAP_MODULE_ENV] = before;
    }
  });

  it('`vrrpwatch interfaces` says the sentence and exits 69', () => {
    const r = spawnSync(process.execPath, [BIN, 'interfaces'], { encoding: 'utf8', env: { ...process.env, [PCAP_MODULE_ENV]: 'nonexistent-module' } });
    expect(r.status).toBe(69);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vrrpwatch: ${sentence('is not installed')}\n`);
  });

  // Runs the CLI in-process in a child, then lists node_pcap files in the CommonJS module cache.
  function loadedBy(...runs: string[][]): string[] {
    const script = `
      const { main } = await import(${JSON.stringify(join(ROOT, 'dist/cli/program.js'))});
      const { createRequire } = await import('node:module');
      for (const argv of ${JSON.stringify(runs)}) await main(argv);
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('node_modules/pcap/'));
      process.stderr.write('LOADED ' + JSON.stringify(loaded) + '\\n');
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: ROOT });
    const line = /LOADED (.*)/.exec(r.stderr);
    if (!line) throw new Error(r.stderr);
    return JSON.parse(line[1]!) as string[];
  }

  it('decode, analyze and --help never load it', () => {
    const file = join(ROOT, 'captures/master-crash.pcap');
    expect(loadedBy(['decode', file], ['analyze', file], ['--help'], ['interfaces', '--help'])).toEqual([]);
  });

  it('interfaces does (the check above can see it)', (ctx) => {
    const built = spawnSync(process.execPath, ['-e', "require('pcap')"], { cwd: ROOT }).status === 0;
    ctx.skip(!built, 'the pcap binding is not built here');
    expect(loadedBy(['interfaces'])).toContain(join(ROOT, 'node_modules/pcap/pcap.js'));
  });
});
