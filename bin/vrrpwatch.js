#!/usr/bin/env node
// Runs the bundled command line (npm run build writes it). CommonJS, like the bundle (see
// bin/package.json): Node starts a CommonJS program faster than an ES module one.
//
// With V8's code cache for the bundle (scripts/code-cache.cjs writes it at build time), Node
// skips compiling most of it: a short `analyze` starts about 15 ms sooner. Without the cache it
// is an ordinary require; a cache that V8 rejects (another Node version) costs nothing but the read.
'use strict';
const { readFileSync } = require('node:fs');
const { BUNDLE, compileBundle, runBundle } = require('./bundle.js');

let cachedData;
try {
  cachedData = readFileSync(`${BUNDLE}.cache`);
} catch {
  // No cache: an unbuilt tree's bundle or a copy of the bundle alone.
}

if (cachedData === undefined) {
  if (process.env.VRRPWATCH_DEBUG_CODE_CACHE) process.stderr.write('vrrpwatch: code cache absent\n');
  require(BUNDLE);
} else {
  const script = compileBundle(cachedData);
  if (process.env.VRRPWATCH_DEBUG_CODE_CACHE) process.stderr.write(`vrrpwatch: code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
  runBundle(script, module);
}
