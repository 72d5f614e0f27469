// Text that came from the wire or a file (passwords, pcapng interface names and comments) is
// printed through this, in every face: a control character written raw to a terminal is an escape
// sequence injected by whoever sent the packet. Pure.

// C0 controls, DEL and the C1 range (ESC's 8-bit forms), and the Unicode line and paragraph
// separators that break JSON-lines readers' lines in some terminals.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function hex(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** The text with every control character written as \xHH (or \uHHHH): safe to print. */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, hex) : text;
}

// JSON.stringify escapes C0 controls itself, but leaves DEL, the C1 range (an 8-bit CSI is 0x9b)
// and the line separators raw.
const JSON_RAW = /[\u007f-\u009f\u2028\u2029]/g;

/** JSON.stringify whose output holds no control character at all: still valid JSON, safe to print. */
export function safeJson(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space);
  JSON_RAW.lastIndex = 0;
  return JSON_RAW.test(text) ? text.replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** A value JSON.stringify writes as a whole (not member by member): anything but a plain array or object. */
function isLeaf(v: unknown): boolean {
  return typeof v !== 'object' || v === null || typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

/** Members JSON.stringify leaves out of an object. */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** Documents whose top-level arrays hold fewer elements than this are written in one piece. */
const ONE_PIECE_ELEMENTS = 2000;

/** Whether `value` is a document small enough to write as one string (see ONE_PIECE_ELEMENTS). */
function small(value: unknown, onePiece: number): boolean {
  if (isLeaf(value)) return true;
  let n = 0;
  for (const v of Array.isArray(value) ? [value] : Object.values(value as object)) if (Array.isArray(v)) n += v.length;
  return n < onePiece;
}

/**
 * safeJson(value, space) handed to `write` in pieces, `levels` deep (the members of the top
 * object, and the elements of its arrays, each as one piece): the same bytes, but a large
 * document (a flood's `analyze --json`) is never one string in memory. A small one (a healthy
 * capture's) is written whole, which is quicker (`onePiece`: from how many array elements not).
 */
export function writeSafeJson(value: unknown, space: number, write: (text: string) => void, levels = 2, onePiece = ONE_PIECE_ELEMENTS): void {
  if (space <= 0 || omitted(value) || small(value, onePiece)) {
    write(safeJson(value, space));
    return;
  }
  const pad = ' '.repeat(space);
  const piece = (v: unknown, indent: string, left: number): void => {
    if (left === 0 || isLeaf(v)) {
      const text = safeJson(v, space);
      write(indent === '' ? text : text.replaceAll('\n', `\n${indent}`));
      return;
    }
    const inner = indent + pad;
    if (Array.isArray(v)) {
      if (v.length === 0) return write('[]');
      write('[\n');
      v.forEach((x: unknown, i) => {
        write(inner);
        if (omitted(x)) write('null');
        else piece(x, inner, left - 1);
        write(i < v.length - 1 ? ',\n' : `\n${indent}]`);
      });
      return;
    }
    const keys = Object.keys(v as object).filter((k) => !omitted((v as Record<string, unknown>)[k]));
    if (keys.length === 0) return write('{}');
    write('{\n');
    keys.forEach((k, i) => {
      write(`${inner}${safeJson(k)}: `);
      piece((v as Record<string, unknown>)[k], inner, left - 1);
      write(i < keys.length - 1 ? ',\n' : `\n${indent}}`);
    });
  };
  piece(value, '', levels);
}

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML, in an element or a quoted attribute: control characters escaped first, then markup. */
export function escapeHtml(text: string): string {
  return escapeControl(text).replace(/[&<>"']/g, (c) => HTML[c] as string);
}
