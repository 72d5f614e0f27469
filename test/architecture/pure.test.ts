// The layout shows the architecture (STYLE.md): the pure folders do no I/O and read no clock.
// This test reads the source text: every file of a pure folder, and every file those import
// (transitively), must import no node:* module, no terminal or pcap library and no edge module,
// and must not read the clock or the process. It fails naming the file, the line and the rule.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

/** Pure folders and files (a trailing * is a file-name prefix); absent ones are skipped. */
const PURE = [
  'src/decode/',
  'src/analysis/',
  'src/rules/',
  'src/check/verdict*',
  'src/daemon/machine*',
  'src/daemon/sync-group.ts',
  'src/daemon/reload-plan.ts',
  'src/daemon/peer-mac.ts',
  'src/daemon/probe-frame.ts',
  'src/daemon/timers.ts',
  'src/daemon/deadline-heap.ts',
  'src/daemon/advert-frames.ts',
  'src/daemon/link.ts',
  'src/tui/view/',
  'src/keepalived/',
  'src/report/',
  'src/format/',
  'src/time/',
];

/** Edge modules: I/O, capture, sending, the terminal, the command line. */
const EDGE = [/^src\/live\//, /^src\/capture\/file/, /^src\/capture\/writer/, /^src\/cli\//, /^src\/cli\.ts$/];
const LIBRARIES = new Set(['blessed', 'pcap']);
const NODE = new Set(builtinModules);

/** Clock and process reads, checked on the code with comments and string contents removed. */
const CLOCK: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'reads the clock (Date.now)'],
  [/\bnew Date\s*\(\s*\)/, 'reads the clock (new Date())'],
  [/\bperformance\b/, 'reads the clock (performance)'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, 'schedules on the clock'],
  [/\bprocess\s*\./, 'reads the process (process.*)'],
  [/\brequire\s*\(/, 'loads a module at run time'],
];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function pureFiles(): string[] {
  const all = files(SRC);
  return all.filter((f) => {
    const rel = relative(ROOT, f);
    return PURE.some((p) => (p.endsWith('*') ? rel.startsWith(p.slice(0, -1)) : rel.startsWith(p)));
  });
}

/** Code without comments and without the contents of string and template literals. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => m[0] + m.slice(1, -1).replace(/[^\n]/g, ' ') + m[0]);
}

interface Import { spec: string; line: number; typeOnly: boolean }

function imports(source: string): Import[] {
  const out: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    const spec = m[4] ?? m[5];
    if (spec === undefined) continue;
    if (m[1] === 'export' && m[3] === undefined) continue;
    out.push({ spec, line: source.slice(0, m.index).split('\n').length, typeOnly: m[2] !== undefined });
  }
  return out;
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const p = resolve(dirname(from), spec).replace(/\.js$/, '.ts');
  return existsSync(p) ? p : null;
}

/** Every rule a file breaks, as "file:line: what". */
function violations(file: string): string[] {
  const rel = relative(ROOT, file);
  const source = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const i of imports(source)) {
    if (i.typeOnly) continue; // types vanish at run time
    const bare = i.spec.replace(/^node:/, '').split('/')[0] as string;
    if (i.spec.startsWith('node:') || NODE.has(bare)) out.push(`${rel}:${i.line}: imports ${i.spec} (I/O belongs at the edge)`);
    else if (LIBRARIES.has(bare)) out.push(`${rel}:${i.line}: imports ${i.spec} (a terminal or capture library)`);
    const target = resolveImport(file, i.spec);
    if (target !== null && EDGE.some((e) => e.test(relative(ROOT, target)))) out.push(`${rel}:${i.line}: imports the edge module ${relative(ROOT, target)}`);
  }
  const code = codeOnly(source).split('\n');
  code.forEach((text, n) => {
    for (const [re, what] of CLOCK) if (re.test(text)) out.push(`${rel}:${n + 1}: ${what}`);
  });
  return out;
}

/** The pure files and everything they import at run time, transitively. */
function closure(roots: string[]): Map<string, string> {
  const seen = new Map<string, string>(); // file -> the pure file that reaches it
  const stack = roots.map((r) => [r, r] as const);
  while (stack.length > 0) {
    const [file, via] = stack.pop()!;
    if (seen.has(file)) continue;
    seen.set(file, via);
    for (const i of imports(readFileSync(file, 'utf8'))) {
      if (i.typeOnly) continue;
      const t = resolveImport(file, i.spec);
      if (t !== null) stack.push([t, via]);
    }
  }
  return seen;
}

describe('pure folders', () => {
  const roots = pureFiles();

  it('exist where the layout says', () => {
    expect(roots.some((f) => f.includes('/src/decode/'))).toBe(true);
    expect(roots.some((f) => f.includes('/src/tui/view/'))).toBe(true);
  });

  it('import no node:*, terminal or pcap library, or edge module, and read no clock, even through what they import', () => {
    const found: string[] = [];
    for (const [file, via] of closure(roots)) {
      for (const v of violations(file)) found.push(file === via ? v : `${v} (reached from ${relative(ROOT, via)})`);
    }
    expect(found).toEqual([]);
  });

  it('the check itself catches each kind of violation', () => {
    const code = codeOnly(["// Date.now() in a comment is fine", "const s = 'process.env in a string is fine';", 'const t = Date.now();', 'if (process.env.X) {}'].join('\n'));
    expect(CLOCK.filter(([re]) => re.test(code.split('\n')[0]!))).toEqual([]);
    expect(CLOCK.filter(([re]) => re.test(code.split('\n')[1]!))).toEqual([]);
    expect(CLOCK.some(([re]) => re.test(code.split('\n')[2]!))).toBe(true);
    expect(CLOCK.some(([re]) => re.test(code.split('\n')[3]!))).toBe(true);
    const found = imports("import { readFileSync } from 'node:fs';\nimport type { X } from '../live/capture.js';\nimport blessed from 'blessed';\nexport { y } from './y.js';\nconst m = await import('../cli/program.js');");
    expect(found.map((i) => [i.spec, i.typeOnly])).toEqual([['node:fs', false], ['../live/capture.js', true], ['blessed', false], ['./y.js', false], ['../cli/program.js', false]]);
  });
});
