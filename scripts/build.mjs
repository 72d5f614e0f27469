#!/usr/bin/env node
// `npm run build`: type-check and compile src/ to dist/ (tsc: ES modules, one per source file, for
// the tests that load modules), then bundle the command line into one CommonJS file,
// dist/vrrpwatch.cjs, which bin/vrrpwatch.js runs.
//
// Why a bundle: every run of vrrpwatch starts a Node process, and Node 20 spends 10 to 15 ms
// resolving and loading ~30 ES modules and commander one by one; from one CommonJS file it reads
// and compiles once. `analyze` has a speed target against tcpdump that start-up alone would eat
// into. Commands stay lazy inside the bundle: esbuild evaluates a command's modules only when it
// runs. The native libpcap binding (pcap) and blessed stay outside, loaded from node_modules when
// a live command needs them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

await build({
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(root, 'dist/vrrpwatch.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['pcap', 'blessed'],
  // src/live/binding.ts gives import.meta.url to createRequire, which takes a path as well: in
  // the CommonJS bundle that is the bundle's own file.
  define: { 'import.meta.url': '__filename' },
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

// V8's compiled code for the bundle, which bin/vrrpwatch.js gives back to V8 (see code-cache.cjs).
execFileSync(process.execPath, [join(root, 'scripts/code-cache.cjs')], { stdio: 'inherit' });
