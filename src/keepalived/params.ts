// keepalived's parameters (lib/parser.c check_definition, find_definition, replace_param):
// `$NAME=value` defines, `$NAME` (followed by a blank, `,`, `)` or the line's end) and `${NAME}`
// anywhere are replaced, recursively, at the time the line is read.

/** The end-of-line marker inside a multi-line definition's value. */
export const LINE_BREAK = '\n';

export interface Definition {
  name: string;
  value: string;
  multiline: boolean;
}

/** The recursion bound: keepalived has none and loops on `$A=$A`; we stop and say so. */
export const MAX_REPLACEMENTS = 256;

export class Definitions {
  readonly #defs = new Map<string, Definition>();
  /** keepalived's predefined ${_PWD}, ${_INSTANCE}, ${_RANDOM}, ${_HASH}, ${_BANG}. */
  readonly #builtins: Map<string, (params: number[]) => string>;

  constructor(builtins: { pwd: () => string; instance: string }) {
    this.#builtins = new Map<string, (params: number[]) => string>([
      ['_PWD', () => builtins.pwd()],
      ['_INSTANCE', () => builtins.instance],
      // keepalived draws a random number in MIN..MAX; a linter must be deterministic: the lowest it can draw.
      ['_RANDOM', (p) => String(p[0] ?? 0)],
      ['_HASH', () => '#'],
      ['_BANG', () => '!'],
    ]);
  }

  get size(): number {
    return this.#defs.size + this.#builtins.size;
  }

  set(name: string, value: string, multiline = false): Definition {
    const d = { name, value, multiline };
    this.#defs.set(name, d);
    return d;
  }

  get(name: string): Definition | undefined {
    return this.#defs.get(name);
  }

  /**
   * `$NAME=value` (NAME: a letter or `_`, then letters, digits, `_`; no blank before `=`: keepalived then sees no definition).
   * Returns the definition, or null when the line is no definition. A value ending in `\` starts a
   * multi-line definition whose following lines the caller appends with appendLine().
   */
  define(line: string): Definition | null {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)=[ \t]*(.*)$/s.exec(line);
    if (m === null) return null;
    let value = m[2] as string;
    let multiline = false;
    if (value.endsWith('\\')) {
      multiline = true;
      value = value.slice(0, -1).replace(/[ \t]+$/, '');
      if (value !== '') value += LINE_BREAK;
    }
    return this.set(m[1] as string, value, multiline);
  }

  /**
   * Replace every parameter use in `line`. Returns null when nothing was replaced. `rest` holds the
   * further lines of a multi-line definition used as the line's last word.
   */
  replace(line: string): { text: string; rest: string[]; loop: boolean } | null {
    let s = line;
    let pos = s.indexOf('$');
    let found = false;
    let count = 0;
    let rest: string[] = [];
    while (pos >= 0 && pos + 1 < s.length) {
      const use = this.#use(s, pos);
      if (use === null) {
        pos = s.indexOf('$', pos + 1);
        continue;
      }
      if (++count > MAX_REPLACEMENTS) return { text: s, rest, loop: true };
      found = true;
      let value = use.value;
      if (use.multiline) {
        const lines = value.split(LINE_BREAK);
        if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
        value = lines[0] ?? '';
        rest = lines.slice(1);
      }
      s = s.slice(0, pos) + value + s.slice(use.end);
      // keepalived rescans from the replacement itself: a value that names a parameter is replaced too;
      // a value starting with `~` (a ~SEQ in a parameter) stops the scan.
      if (/^[ \t]*~/.test(value)) break;
      pos = s.indexOf('$', pos);
    }
    return found ? { text: s, rest, loop: false } : null;
  }

  /** The parameter used at `pos` (a `$`), or null: keepalived's find_definition() end rules. */
  #use(s: string, pos: number): { value: string; end: number; multiline: boolean } | null {
    const braces = s[pos + 1] === '{';
    const start = pos + (braces ? 2 : 1);
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(start));
    if (m === null) return null;
    const name = m[0];
    let end = start + name.length;
    let params: number[] = [];
    if (braces) {
      // ${_RANDOM 1 10}: numeric parameters, for built-ins that take them
      const p = /^((?: +[0-9]+)*)\}/.exec(s.slice(end));
      if (p === null) return null;
      params = (p[1] as string).trim() === '' ? [] : (p[1] as string).trim().split(/ +/).map(Number);
      end += p[0].length;
    } else {
      const next = s[end];
      if (next !== undefined && next !== ' ' && next !== '\t' && next !== ',' && next !== ')') return null;
    }
    const atEnd = end === s.length;
    const def = this.#defs.get(name);
    if (def !== undefined) {
      if (def.multiline && !atEnd) return null;
      if (params.length > 0) return null;
      return { value: def.value, end, multiline: def.multiline };
    }
    const builtin = this.#builtins.get(name);
    if (builtin === undefined) return null;
    if (params.length > 0 && name !== '_RANDOM') return null;
    return { value: builtin(params), end, multiline: false };
  }
}
