// Golden text files for what people read on the screen. VRRPWATCH_UPDATE_GOLDEN=1 rewrites them;
// a missing golden fails (with that hint) instead of being written silently.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const DIR = join(import.meta.dirname, 'golden');

export function expectGolden(name: string, text: string): void {
  const path = join(DIR, `${name}.txt`);
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (process.env.VRRPWATCH_UPDATE_GOLDEN === '1') {
    writeFileSync(path, body);
    return;
  }
  if (!existsSync(path)) throw new Error(`no golden file ${path}: run with VRRPWATCH_UPDATE_GOLDEN=1 to write it, then review it`);
  expect(body).toBe(readFileSync(path, 'utf8'));
}
