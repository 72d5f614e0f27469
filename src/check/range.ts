// Monitoring Plugins threshold ranges: [@][start:][end], "~" for minus infinity.
// https://www.monitoring-plugins.org/doc/guidelines.html#THRESHOLDFORMAT

export interface Range {
  start: number; // -Infinity for "~"
  end: number; // Infinity when omitted after ":"
  /** "@": alert when inside [start, end] instead of outside. */
  inside: boolean;
  /** The text as given, for perfdata. */
  text: string;
}

const NUM = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parse a range, or return a one-sentence reason it is not one. */
export function parseRange(text: string): Range | { error: string } {
  const bad = (why: string) => ({ error: `"${text}" is not a threshold range: ${why} (forms: 10, 10:, ~:10, 10:20, @10:20)` });
  let s = text.trim();
  if (s === '') return bad('it is empty');
  const inside = s.startsWith('@');
  if (inside) s = s.slice(1);
  let start = 0;
  let end: number;
  const colon = s.indexOf(':');
  if (colon < 0) {
    if (!NUM.test(s)) return bad(`"${s}" is not a number`);
    end = Number(s);
  } else {
    const a = s.slice(0, colon), b = s.slice(colon + 1);
    if (a === '~') start = -Infinity;
    else if (a === '') start = 0;
    else if (NUM.test(a)) start = Number(a);
    else return bad(`"${a}" is not a number or ~`);
    if (b === '') end = Infinity;
    else if (NUM.test(b)) end = Number(b);
    else return bad(`"${b}" is not a number`);
    if (a === '' && b === '') return bad('it gives neither start nor end');
  }
  if (start > end) return bad(`start ${start} is greater than end ${end}`);
  return { start, end, inside, text: text.trim() };
}

/** True when `value` raises an alert under `range`. Endpoints are inclusive in both modes. */
export function alerts(range: Range, value: number): boolean {
  const within = value >= range.start && value <= range.end;
  return range.inside ? within : !within;
}
