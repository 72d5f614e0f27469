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
const { rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { BUNDLE, compileBundle, runBundle } = require('../bin/bundle.js');

const root = join(__dirname, '..');
const out = `${BUNDLE}.cache`;
rmSync(out, { force: true });

const script = compileBundle(undefined);
process.argv = [process.argv[0], BUNDLE, 'analyze', join(root, 'captures/multi-vrid.pcap')];
process.stdout.write = () => true;
// V8 stamps a cache with its flags, and bin/vrrpwatch.js loads the cache before the bundle sets
// its own (src/cli/heap-growth.ts): the training run's are put back to the defaults first.
process.on('exit', () => {
  require('node:v8').setFlagsFromString('--heap-growing-percent=0');
  writeFileSync(out, script.createCachedData());
});
runBundle(script, module);
