// keepalived's read_line() (lib/parser.c), in its order: lines of at most 1023 bytes, comments
// and blanks (decomment), `@ID` / `@^ID` prefixes, `$NAME=` definitions, `~SEQ` / `~LST` loops,
// `$NAME` replacement, `include` (globs, relative to the including file), and finally a `{` or
// `}` outside quotes split off so that each brace is a line of its own. Every line out remembers
// the file and line it came from, through includes, loops and parameters.
import { decomment, splitWords, trimBlanks } from './comments.js';
import { finding, type LintFinding } from './findings.js';
import { parseLoop, type Loop } from './loops.js';
import { Definitions } from './params.js';
import { dirname, hasGlobChars, resolveFrom, type ConfigReader, type Origin } from './source.js';

/** One line as keepalived's keyword parser sees it: its words, and where it was written. */
export interface ConfigLine {
  words: string[];
  /** The text the words were split from (after comments, parameters and brace splitting). */
  text: string;
  at: Origin;
}

export interface PreprocessOptions {
  /** keepalived's -i/--config-id, for `@ID` lines; null: lines with any `@ID` prefix are dropped. */
  configId: string | null;
  /** ${_INSTANCE}: keepalived's --instance name; empty unless given. */
  instance?: string;
}

export interface Preprocessed {
  lines: ConfigLine[];
  findings: LintFinding[];
  /** Every file read, in order (the root first). */
  files: string[];
}

/** keepalived's MAXBUF (lib/parser.h) is 1024: fgets() reads at most 1023 bytes of a line at once. */
export const MAX_LINE_BYTES = 1023;
/** Include depth bound: keepalived recurses until it runs out of file descriptors. */
export const MAX_INCLUDE_DEPTH = 32;
/** Lines out bound, whatever loops and includes multiply. */
export const MAX_LINES = 1_000_000;

interface FileFrame {
  path: string;
  lines: string[];
  /** Lines read so far: the next line's index, the current line's number. */
  next: number;
  /** The rest of an over-long line, read next under the same line number. */
  carry: string | null;
}

interface LoopFrame extends Loop {
  turn: number;
  at: Origin;
}

export function preprocess(root: string, reader: ConfigReader, options: PreprocessOptions): Preprocessed {
  return new LineReader(reader, options).run(root);
}

class LineReader {
  readonly #reader: ConfigReader;
  readonly #configId: string | null;
  readonly #defs: Definitions;
  readonly #files: FileFrame[] = [];
  readonly #loops: LoopFrame[] = [];
  readonly #pending: { text: string; at: Origin }[] = [];
  readonly #findings: LintFinding[] = [];
  readonly #read: string[] = [];
  #residue: { text: string; at: Origin } | null = null;
  #multilineDef: string | null = null;
  #depth = 0;
  #lastAt: Origin = { file: '', line: 0 };

  constructor(reader: ConfigReader, options: PreprocessOptions) {
    this.#reader = reader;
    this.#configId = options.configId;
    this.#defs = new Definitions({ pwd: () => dirname(this.#files[0]?.path ?? '.'), instance: options.instance ?? '' });
  }

  run(root: string): Preprocessed {
    const lines: ConfigLine[] = [];
    const text = this.#reader.read(root);
    if (!text.ok) {
      this.#findings.push(finding('parse-error', { file: root, line: 0 }, `cannot read ${root}: ${text.error}; keepalived -t would say nothing and exit 0 (a missing -f file is no error to it)`));
      return { lines, findings: this.#findings, files: [] };
    }
    this.#open(root, text.text);
    for (let l = this.#nextLine(); l !== null; l = this.#nextLine()) {
      if (lines.length >= MAX_LINES) {
        this.#findings.push(finding('parse-error', l.at, `more than ${MAX_LINES} lines after includes and loops; the rest is not read`));
        break;
      }
      lines.push(l);
    }
    if (this.#depth > 0) {
      this.#findings.push(finding('parse-error', this.#lastAt, `${this.#depth} '}' missing at the end of the configuration (keepalived: "There are ${this.#depth} missing '}'s or extra '{'s"); the open blocks end here`));
    }
    return { lines, findings: this.#findings, files: this.#read };
  }

  #open(path: string, text: string): void {
    this.#read.push(path);
    const raw = text.split('\n');
    if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
    this.#files.unshift({ path, lines: raw, next: 0, carry: null });
  }

  /** The next line for the keyword parser, or null at the end of everything. */
  #nextLine(): ConfigLine | null {
    for (;;) {
      const got = this.#readOne();
      if (got === null) return null;
      const line = this.#splitBraces(got.text, got.at);
      if (line === null) continue;
      const split = splitWords(line.text);
      if (split.unmatchedQuote) this.#findings.push(finding('parse-error', line.at, `unmatched quote in '${line.text}' (keepalived: "Unmatched quote"); the words after it are lost`));
      if (split.words.length === 0) continue;
      return { words: split.words, text: line.text, at: line.at };
    }
  }

  /** read_line() up to the brace split: one non-empty, preprocessed line that is no include. */
  #readOne(): { text: string; at: Origin } | null {
    for (;;) {
      const src = this.#source();
      if (src === null) return null;
      let { text } = src;
      const at = src.at;
      this.#lastAt = at;
      if (this.#multilineDef !== null) {
        this.#continueDefinition(text);
        continue;
      }
      if (text === '') continue;
      text = this.#expand(text, at);
      if (text === '') continue;
      if (this.#include(text, at)) continue;
      return { text, at };
    }
  }

  /** The next raw line: the rest of a split line, a multi-line parameter's line, a loop's turn, or the file's next line. */
  #source(): { text: string; at: Origin } | null {
    if (this.#residue !== null) {
      const r = this.#residue;
      this.#residue = null;
      return r;
    }
    const pending = this.#pending.shift();
    if (pending !== undefined) return pending;
    const loop = this.#loops[this.#loops.length - 1];
    if (loop !== undefined) {
      const values = loop.turns[loop.turn] as string[];
      loop.vars.forEach((v, i) => this.#defs.set(v, values[i] ?? ''));
      loop.turn++;
      if (loop.turn >= loop.turns.length) this.#loops.pop();
      return { text: loop.text, at: loop.at };
    }
    for (;;) {
      const f = this.#files[0];
      if (f === undefined) return null;
      let raw: string;
      let lineNo: number;
      if (f.carry !== null) {
        raw = f.carry;
        f.carry = null;
        lineNo = f.next;
      } else {
        if (f.next >= f.lines.length) {
          this.#files.shift();
          continue;
        }
        raw = f.lines[f.next] as string;
        if (raw.endsWith('\r')) raw = raw.replace(/\r+$/, '');
        f.next++;
        lineNo = f.next;
      }
      const at = { file: f.path, line: lineNo };
      if (utf8Length(raw) > MAX_LINE_BYTES) {
        this.#findings.push(finding('parse-error', at, `line longer than ${MAX_LINE_BYTES} bytes: keepalived reads the rest as a line of its own`));
        const cut = cutAtBytes(raw, MAX_LINE_BYTES);
        f.carry = raw.slice(cut.length);
        raw = cut;
      }
      // A blank line ends a multi-line definition; a comment-only line does not.
      if (this.#multilineDef !== null && raw.trim() === '') return { text: '', at };
      const d = decomment(raw);
      if (d.unterminatedQuote) this.#findings.push(finding('parse-error', at, `unterminated quote (keepalived: "Unterminated quote '${d.text}'")`));
      if (d.text === '') continue;
      return { text: d.text, at };
    }
  }

  /** The lines after `$NAME= \` up to one not ending in `\`. */
  #continueDefinition(text: string): void {
    const name = this.#multilineDef as string;
    const def = this.#defs.get(name);
    if (def === undefined) {
      this.#multilineDef = null;
      return;
    }
    let t = text;
    const more = t.endsWith('\\');
    if (more) t = t.slice(0, -1).replace(/[ \t]+$/, '');
    if (t !== '') this.#defs.set(name, def.value + t + (more ? '\n' : ''), true);
    if (!more) {
      this.#multilineDef = null;
      const d = this.#defs.get(name);
      if (d !== undefined && d.value === '') this.#defs.set(name, '', false);
    }
  }

  /** The @, $ and ~ steps of read_line(), repeated while a replacement brings another. */
  #expand(line: string, at: Origin): string {
    let text = line;
    for (let round = 0; ; round++) {
      if (round > 64) {
        this.#findings.push(finding('parse-error', at, `parameters keep expanding in '${line}'; keepalived would never finish reading this line`));
        return '';
      }
      if (text.startsWith('@')) {
        const negate = text[1] === '^';
        const m = /^@\^?([^ \t]*)[ \t]+(.*)$/s.exec(text);
        if (m === null) return ''; // a line that is only @ID is dropped
        const matches = this.#configId !== null && m[1] === this.#configId;
        if (matches === negate) return '';
        text = m[2] as string;
      }
      if (text.startsWith('$')) {
        const def = this.#defs.define(text);
        if (def !== null) {
          if (def.multiline) this.#multilineDef = def.name;
          return '';
        }
      }
      if (text.startsWith('~SEQ') || text.startsWith('~LST')) {
        const r = parseLoop(text, this.#defs);
        if (!r.ok) this.#findings.push(finding('parse-error', at, `${r.error} (keepalived ignores the line)`));
        else if (r.loop.turns.length > 0) this.#loops.push({ ...r.loop, turn: 0, at });
        return '';
      }
      if (text.startsWith('~')) return text;
      if (!text.includes('$')) return text;
      const r = this.#defs.replace(text);
      if (r === null) return text;
      if (r.loop) {
        this.#findings.push(finding('parse-error', at, `parameters keep expanding in '${line}'; keepalived would never finish reading this line`));
        return '';
      }
      for (const [i, l] of r.rest.entries()) this.#pending.splice(i, 0, { text: l, at });
      text = decomment(r.text).text;
      // keepalived rechecks only a line that now starts with @ or still holds a $ (so a loop from a
      // parameter runs only when its text uses a parameter); one it cannot resolve stops the next
      // round, as nothing changes.
      if (!text.startsWith('@') && !text.includes('$')) return text;
    }
  }

  /** keepalived's is_include()/check_include(): `include FILE|GLOB`, and includer/m/w/b/a. */
  #include(text: string, at: Origin): boolean {
    if (!text.startsWith('include')) return false;
    const m = /^include([rmwba]?)[ \t]+(.*)$/s.exec(text);
    if (m === null) return false;
    const pattern = (m[2] as string).replace(/^[ \t]+/, '');
    if (this.#files.length >= MAX_INCLUDE_DEPTH) {
      this.#findings.push(finding('parse-error', at, `include ${pattern}: more than ${MAX_INCLUDE_DEPTH} nested includes (an include loop?); not read`));
      return true;
    }
    const current = this.#files[0]?.path ?? at.file;
    const path = resolveFrom(dirname(current), pattern);
    const strict = m[1] !== '';
    const matches = this.#reader.glob(path);
    if (matches.length === 0) {
      if (!hasGlobChars(pattern) || strict) {
        this.#findings.push(finding('include-missing', at, `include ${pattern}: no such file (${path}); keepalived reads on without it ("Config files missing")`));
      }
      return true;
    }
    // glob(3) order; each file read in turn, nested files before the rest of this one.
    const opened: { path: string; text: string }[] = [];
    for (const p of matches) {
      const r = this.#reader.read(p);
      if (r.ok) opened.push({ path: p, text: r.text });
      else this.#findings.push(finding('include-missing', at, `include ${pattern}: cannot read ${p}: ${r.error}`));
    }
    for (const o of opened.reverse()) this.#open(o.path, o.text);
    return true;
  }

  /**
   * The first `{` or `}` outside quotes ends the line; the rest is read next. A line starting
   * with a brace is that brace alone. Counts the depth for keepalived's "Extra '}' found".
   */
  #splitBraces(text: string, at: Origin): { text: string; at: Origin } | null {
    let p = -1;
    if (text[0] === '{' || text[0] === '}') p = 0;
    else if (text.indexOf('{') < 0 && text.indexOf('}') < 0) p = -1;
    else {
      let quote = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') quote = !quote;
        else if (!quote && (c === '{' || c === '}')) {
          p = i;
          break;
        }
      }
    }
    let line = text;
    if (p >= 0) {
      const skip = p === 0 ? 1 + (/^[ \t]*/.exec(text.slice(1)) as RegExpExecArray)[0].length : 0;
      const rest = text.slice(p + skip).replace(/[ \t]+$/, '');
      if (rest !== '') {
        this.#residue = { text: rest, at };
        line = text.slice(0, p + skip);
      }
    }
    line = trimBlanks(line);
    if (line === '{') this.#depth++;
    else if (line === '}') {
      if (this.#depth-- < 1) {
        this.#findings.push(finding('parse-error', at, `extra '}' (keepalived: "Extra '}' found"); it closes nothing`));
        this.#depth = 0;
      }
    }
    return line === '' ? null : { text: line, at };
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
}

function cutAtBytes(s: string, max: number): string {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const w = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : 3;
    if (n + w > max) break;
    n += w;
    if (w === 4) i++;
  }
  return s.slice(0, i);
}
