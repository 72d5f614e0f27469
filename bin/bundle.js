// The bundle as a vm.Script, so that V8's code cache can be handed in (bin/vrrpwatch.js) or taken
// out (scripts/code-cache.cjs), and how to run it as the CommonJS module it is.
'use strict';
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const BUNDLE = join(__dirname, '../dist/vrrpwatch.cjs');

/** The bundle compiled, with `cachedData` when given (see script.cachedDataRejected). */
function compileBundle(cachedData) {
  const source = readFileSync(BUNDLE, 'utf8').replace(/^#!.*/, '');
  return new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData });
}

/** Runs the compiled bundle as the module `dist/vrrpwatch.cjs`, its requires resolved from there. */
function runBundle(script, parent) {
  const mod = new Module(BUNDLE, parent);
  mod.filename = BUNDLE;
  mod.paths = Module._nodeModulePaths(dirname(BUNDLE));
  require.cache[BUNDLE] = mod;
  mod.loaded = true;
  script.runInThisContext().call(mod.exports, mod.exports, (id) => mod.require(id), mod, BUNDLE, dirname(BUNDLE));
}

module.exports = { BUNDLE, compileBundle, runBundle };
