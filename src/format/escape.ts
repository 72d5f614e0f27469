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

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML, in an element or a quoted attribute: control characters escaped first, then markup. */
export function escapeHtml(text: string): string {
  return escapeControl(text).replace(/[&<>"']/g, (c) => HTML[c] as string);
}
