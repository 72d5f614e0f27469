// What the parser needs from the outside world: file text and glob matches. The edge
// (src/keepalived-fs.ts) implements it with the file system; tests implement it with a map.
// Paths are POSIX paths, as keepalived sees them.

export type ReadResult = { ok: true; text: string } | { ok: false; error: string };

export interface ConfigReader {
  /** The file's text, or a sentence saying why it cannot be read. */
  read(path: string): ReadResult;
  /**
   * The regular, non-executable files an absolute pattern matches, sorted, as keepalived's
   * glob(GLOB_MARK | GLOB_BRACE) and check_glob_file() give them (directories and executables skipped).
   */
  glob(pattern: string): string[];
}

/** Where something was written: the file (as given or as included) and its 1-based line. */
export interface Origin {
  file: string;
  line: number;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** keepalived: an include path not starting with '/' is relative to the including file's directory. */
export function resolveFrom(dir: string, path: string): string {
  if (path.startsWith('/')) return normalize(path);
  if (dir === '.' || dir === '') return normalize(path);
  return normalize(`${dir}/${path}`);
}

/** `a/./b/../c` -> `a/c` (a leading `..` of a relative path stays). */
export function normalize(path: string): string {
  const abs = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !abs) out.push(part);
  }
  return (abs ? '/' : '') + (out.join('/') || (abs ? '' : '.'));
}

/** A map of path -> text as a reader (tests, and configs held in memory). Globs match `*`, `?`, `[..]` and `{a,b}`. */
export function memoryReader(files: Readonly<Record<string, string>>): ConfigReader {
  return {
    read: (path) => (path in files ? { ok: true, text: files[path] as string } : { ok: false, error: `${path}: no such file` }),
    glob: (pattern) => {
      const res = expandBraces(pattern).map(globRegExp);
      return Object.keys(files).filter((f) => res.some((re) => re.test(f))).sort();
    },
  };
}

/** glob(3)'s GLOB_BRACE: `a{b,c}d` -> [abd, acd], nested braces too; a lone brace stays as it is. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        const parts: string[] = [];
        let from = open + 1;
        for (const comma of commas) {
          parts.push(pattern.slice(from, comma));
          from = comma + 1;
        }
        parts.push(pattern.slice(from, i));
        const head = pattern.slice(0, open);
        const tails = expandBraces(pattern.slice(i + 1));
        return parts.flatMap((p) => expandBraces(head + p).flatMap((h) => tails.map((t) => h + t)));
      }
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  return [pattern];
}

/** One glob pattern (no braces) as an anchored expression; `*` and `?` do not cross '/'. */
export function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function hasGlobChars(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}
