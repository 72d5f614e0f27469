// keepalived's line loops (lib/parser.c add_seq, add_lst): `~SEQ(VAR,START,STEP,END) TEXT` and
// `~LST(VAR,v1,v2...) TEXT` / `~LST({A,B},{1,2},{3,4}) TEXT` repeat TEXT with the variables set.
// TEXT is then read as a line of its own, so loops nest and parameters expand in it.
import type { Definitions } from './params.js';

export interface Loop {
  /** The variables set on each turn (one for ~SEQ). */
  vars: string[];
  /** What they take, turn by turn. */
  turns: string[][];
  text: string;
}

/** keepalived has no bound; a linter needs one (a ~SEQ to 10^9 would never end). */
export const MAX_LOOP_TURNS = 65_536;

export type LoopResult = { ok: true; loop: Loop } | { ok: false; error: string };

export function parseLoop(line: string, defs: Definitions): LoopResult {
  return line.startsWith('~SEQ') ? parseSeq(line, defs) : parseLst(line);
}

function parseSeq(line: string, defs: Definitions): LoopResult {
  let p = 4;
  const hex = line[p] === 'x';
  if (hex) p++;
  const m = /^[ \t]*\([ \t]*([^ \t,)]+)[ \t]*,([^)]*)\)[ \t]*(.*)$/s.exec(line.slice(p));
  if (m === null) return { ok: false, error: `invalid ~SEQ specification '${line}': expected ~SEQ(VAR,START,STEP,END) TEXT` };
  const args = defs.replace(m[2] as string)?.text ?? (m[2] as string);
  const nums = args.split(',').map((x) => x.trim());
  if (nums.some((x) => !/^[-+]?(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i.test(x))) {
    return { ok: false, error: `invalid ~SEQ specification '${line}': START, STEP and END must be integers` };
  }
  const n = nums.map(parseCInteger);
  let start: number, step: number, end: number;
  if (n.length === 1) {
    end = n[0] as number;
    step = end < 1 ? -1 : 1;
    start = end < 0 ? -1 : 1;
  } else if (n.length === 2) {
    [start, end] = n as [number, number];
    step = start <= end ? 1 : -1;
  } else if (n.length === 3) {
    [start, step, end] = n as [number, number, number];
    if (step === 0 || (start < end && step < 0) || (start > end && step > 0)) return { ok: false, error: `invalid ~SEQ values '${line}': the step must lead from START to END` };
  } else return { ok: false, error: `invalid ~SEQ specification '${line}': at most START, STEP and END` };
  if (hex && (start < 0 || end < 0)) return { ok: false, error: `~SEQx is only valid for positive numbers '${line}'` };
  const count = Math.floor((end - start) / step) + 1;
  if (count > MAX_LOOP_TURNS) return { ok: false, error: `~SEQ '${line}' makes ${count} lines; vrrpwatch reads at most ${MAX_LOOP_TURNS}` };
  const turns: string[][] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) turns.push([hex ? v.toString(16) : String(v)]);
  return { ok: true, loop: { vars: [m[1] as string], turns, text: m[3] as string } };
}

/** strtol(.., 0): 0x hex, leading 0 octal, else decimal. */
function parseCInteger(s: string): number {
  const neg = s.startsWith('-');
  const t = s.replace(/^[-+]/, '');
  const v = /^0x/i.test(t) ? parseInt(t.slice(2), 16) : t.length > 1 && t.startsWith('0') ? parseInt(t, 8) : parseInt(t, 10);
  return neg ? -v : v;
}

function parseLst(line: string): LoopResult {
  const bad = (why: string): LoopResult => ({ ok: false, error: `invalid ~LST specification '${line}': ${why}` });
  const m = /^~LST[ \t]*\(/.exec(line);
  if (m === null) return bad('expected ~LST(VAR,VALUE...) TEXT');
  const close = line.indexOf(')', m[0].length);
  if (close < 0) return bad('no closing )');
  const body = line.slice(m[0].length, close);
  const text = line.slice(close + 1).replace(/^[ \t]+/, '');
  // Split at top-level commas; a {..} group is one item.
  const items: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '{') depth++;
    else if (body[i] === '}') depth--;
    else if (body[i] === ',' && depth === 0) {
      items.push(body.slice(from, i).trim());
      from = i + 1;
    }
  }
  items.push(body.slice(from).trim());
  const group = (s: string): string[] => (s.startsWith('{') && s.endsWith('}') ? s.slice(1, -1).split(',').map((x) => x.trim()) : [s]);
  const [head, ...values] = items;
  if (head === undefined || head === '' || values.length === 0) return bad('needs a variable and at least one value');
  const vars = group(head);
  if (vars.some((v) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v))) return bad('variable names are letters, digits and _');
  const turns: string[][] = [];
  for (const v of values) {
    const set = group(v);
    if (set.length > vars.length) return bad(`too many values in '${v}' for ${vars.length} variable(s)`);
    // keepalived: any missing values are blank
    while (set.length < vars.length) set.push('');
    turns.push(set);
  }
  if (turns.length > MAX_LOOP_TURNS) return bad(`more than ${MAX_LOOP_TURNS} values`);
  return { ok: true, loop: { vars, turns, text } };
}
