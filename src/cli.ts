#!/usr/bin/env node
// The command line. npm run build bundles it, with everything it loads, into dist/vrrpwatch.cjs,
// which bin/vrrpwatch.js runs (see scripts/build.mjs).
import { limitHeapGrowth } from './cli/heap-growth.js';
import { main } from './cli/program.js';

limitHeapGrowth();

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
