// CLI tests run the real binary: build once before the run (tsc, then the bundle that
// bin/vrrpwatch.js runs) so they never test a stale dist/.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '../..');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
}
