// Build step (scripts/build.mjs runs it): V8's compiled code for dist/vrrpwatch.cjs, written to
// dist/vrrpwatch.cjs.cache, which bin/vrrpwatch.js hands back to V8 at start.
//
// Why: every run of vrrpwatch compiles the whole bundle (about 1 MB) before it reads a packet;
// that is most of what a short `analyze` costs beyond Node itself. The cache is taken after a
// training run of `analyze` on a shipped capture, so it also holds the functions that run on
// every packet (V8 compiles those lazily, and a cache taken right after compiling would miss
// them). V8 rejects a cache made by another Node/V8 version or for another source, and then
// simply compiles: the cache can make a start faster, never wrong.
'use strict';
const { readFileSync, writeFileSync, rmSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const root = join(__dirname, '..');
const file = join(root, 'dist/vrrpwatch.cjs');
const out = `${file}.cache`;
rmSync(out, { force: true });

const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
const script = new vm.Script(Module.wrap(source), { filename: file });
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(dirname(file));

process.argv = [process.argv[0], file, 'analyze', join(root, 'captures/multi-vrid.pcap')];
process.stdout.write = () => true;
// V8 stamps a cache with its flags, and bin/vrrpwatch.js loads the cache before the bundle sets
// its own (src/cli/heap-growth.ts): the training run's are put back to the defaults first.
process.on('exit', () => {
  require('node:v8').setFlagsFromString('--heap-growing-percent=0');
  writeFileSync(out, script.createCachedData());
});
script.runInThisContext().call(mod.exports, mod.exports, (id) => mod.require(id), mod, file, dirname(file));
