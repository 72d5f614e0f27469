#!/usr/bin/env node
// Runs the compiled CLI (npm run build writes dist/).
await import('../dist/cli.js');
