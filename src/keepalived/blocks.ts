// keepalived's process_stream() and alloc_value_block() (lib/parser.c): lines into a tree of
// keyword statements, table-driven, with keepalived's surprises kept: an unknown keyword's `{`
// is "Unexpected '{' - ignoring", its body is read as the parent's keywords, and its `}` closes
// the parent early; a value block runs to the first `}` whatever it holds.
import { finding, type LintFinding } from './findings.js';
import type { KeywordTable } from './keywords.js';
import type { ConfigLine } from './preprocess.js';
import type { Origin } from './source.js';

export interface Statement {
  keyword: string;
  /** The words after the keyword, as keepalived split them. */
  args: string[];
  at: Origin;
  /** The keyword's block of keywords (vrrp_instance, authentication, ...). */
  block?: Statement[];
  /** A value block's entries, a line each (virtual_ipaddress, track_script, ...). */
  values?: ConfigLine[];
  /** Where the block ended: its `}`, or the line that ended it early. */
  end?: Origin;
}

export function parseBlocks(lines: readonly ConfigLine[], root: KeywordTable): { statements: Statement[]; findings: LintFinding[] } {
  const p = new BlockParser(lines);
  const statements = p.stream(root, false, 0).statements;
  return { statements, findings: p.findings };
}

class BlockParser {
  readonly findings: LintFinding[] = [];
  readonly #lines: readonly ConfigLine[];
  #i = 0;

  constructor(lines: readonly ConfigLine[]) {
    this.#lines = lines;
  }

  stream(table: KeywordTable, needBob: boolean, level: number): { statements: Statement[]; end: Origin | undefined } {
    const out: Statement[] = [];
    let skip = 0;
    let need = needBob;
    while (this.#i < this.#lines.length) {
      const line = this.#lines[this.#i++] as ConfigLine;
      const w = line.words;
      const first = w[0] as string;
      if (skip === -1) {
        // a skipped keyword without `{` on its line: a block follows only if the next line opens one
        if (first === '{') {
          skip = 1;
          need = false;
          continue;
        }
        skip = 0;
      }
      if (skip > 0) {
        for (const word of w) {
          if (word === '{') skip++;
          else if (word === '}' && --skip === 0) break;
        }
        continue;
      }
      if (need) {
        need = false;
        if (first === '{' && level > 0) continue;
        this.findings.push(finding('parse-error', line.at, `'{' missing at the beginning of the block (keepalived: "Missing '{' at beginning of configuration block"); '${line.text}' is read as if it were inside it`));
      } else if (first === '{') {
        this.findings.push(finding('parse-error', line.at, `unexpected '{' (keepalived: "Unexpected '{' - ignoring"): the block before it is read as part of the enclosing block, and its '}' closes the enclosing block early`));
        continue;
      }
      if (first === '}' && level > 0) return { statements: out, end: line.at };
      const spec = table.get(first);
      if (spec === undefined) {
        const close = first === '}' ? ` ('}' with no block open)` : '';
        this.findings.push(finding('unknown-keyword', line.at, `unknown keyword '${first}'${close}: keepalived ignores the line ("Unknown keyword"); keywords are case-sensitive and one per line`));
        continue;
      }
      if (spec.kind === 'skip') {
        skip = -1;
        continue;
      }
      const st: Statement = { keyword: first, args: w.slice(1), at: line.at };
      if (spec.kind === 'values') {
        const r = this.#valueBlock(first, st.args, line.at);
        st.values = r.values;
        if (r.end !== undefined) st.end = r.end;
      } else if (spec.kind === 'block') {
        const r = this.stream(spec.table, true, level + 1);
        st.block = r.statements;
        if (r.end !== undefined) st.end = r.end;
      }
      out.push(st);
    }
    return { statements: out, end: undefined };
  }

  #valueBlock(keyword: string, args: string[], at: Origin): { values: ConfigLine[]; end: Origin | undefined } {
    const values: ConfigLine[] = [];
    if (args.length > 0) {
      this.findings.push(finding('parse-error', at, `'${keyword} ${args.join(' ')}': a ${keyword} block takes its values on the lines after '{' (keepalived: "Block ${keyword} has extra parameters"); what follows up to the next '}' is read as its values`));
    }
    let need = true;
    while (this.#i < this.#lines.length) {
      const line = this.#lines[this.#i++] as ConfigLine;
      let words = line.words;
      if (need) {
        need = false;
        if (words[0] === '{') {
          if (words.length === 1) continue;
          words = words.slice(1);
        } else {
          this.findings.push(finding('parse-error', line.at, `'{' missing at the start of the ${keyword} block; keepalived reads the lines up to the next '}' as its values`));
        }
      }
      let closed = false;
      if (words[words.length - 1] === '}') {
        if (words.length === 1) return { values, end: line.at };
        closed = true;
        words = words.slice(0, -1);
      }
      if (words.length > 0) values.push(words === line.words ? line : { ...line, words });
      if (closed) return { values, end: line.at };
    }
    return { values, end: undefined };
  }
}
