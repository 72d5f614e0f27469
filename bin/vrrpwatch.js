#!/usr/bin/env node
// Runs the bundled command line (npm run build writes it). CommonJS, like the bundle (see
// bin/package.json): Node starts a CommonJS program faster than an ES module one.
require('../dist/vrrpwatch.cjs');
