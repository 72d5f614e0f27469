// keepalived's decomment() (lib/parser.c): what of a line survives its comments and blanks.

export interface Decommented {
  text: string;
  /** A '"' was left open: keepalived reports "Unterminated quote". */
  unterminatedQuote: boolean;
}

/**
 * `!` and `#` start a comment anywhere outside double quotes ("can start anywhere in a line",
 * keepalived.conf(5)); `\#` and `\!` outside quotes are the characters themselves; single quotes
 * protect nothing and `//` is no comment. Leading and trailing blanks go; a final `\` (a
 * continuation, used by multi-line `$NAME=` definitions) is kept.
 */
export function decomment(line: string): Decommented {
  // Most lines hold none of ! # " \ : only their blanks go.
  if (!SPECIAL.test(line)) return { text: trimBlanks(line), unterminatedQuote: false };
  let s = line.replace(/^[ \t]+/, '');
  let quote = false;
  let cut = -1;
  let continuation = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      if (cut < 0) quote = !quote;
    } else if (c === '\\') {
      if (i + 1 >= s.length) {
        s = s.slice(0, i);
        continuation = true;
        break;
      }
      const n = s[i + 1];
      if (!quote && (n === '#' || n === '!')) s = s.slice(0, i) + s.slice(i + 1);
      else i++;
    } else if (!quote && cut < 0 && (c === '!' || c === '#')) cut = i;
  }
  if (cut >= 0) s = s.slice(0, cut);
  s = s.replace(/[ \t]+$/, '');
  if (continuation) s += '\\';
  return { text: s, unterminatedQuote: quote };
}

const SPECIAL = /[!#"\\]/;

/** The text without leading and trailing spaces and tabs; the same string when it has none. */
export function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * keepalived's alloc_strvec_r(): words split on blanks; a word starting with `"` runs to the next
 * `"` (quotes removed, blanks kept); a `"` inside a word ends it. `'` and `\` are plain characters.
 */
export function splitWords(text: string): { words: string[]; unmatchedQuote: boolean } {
  const words: string[] = [];
  let i = 0;
  const n = text.length;
  const blank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
  while (true) {
    while (i < n && blank(text[i])) i++;
    if (i >= n) break;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) return { words, unmatchedQuote: true };
      words.push(text.slice(i + 1, close));
      i = close + 1;
    } else {
      const start = i;
      while (i < n && !blank(text[i]) && text[i] !== '"') i++;
      words.push(text.slice(start, i));
    }
  }
  return { words, unmatchedQuote: false };
}
