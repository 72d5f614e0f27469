// Every range form of the Monitoring Plugins guidelines' table, at and around its endpoints.
import { describe, expect, it } from 'vitest';
import { alerts, parseRange, type Range } from '../../src/check/range.js';
import { formatPerf } from '../../src/check/perfdata.js';

function range(text: string): Range {
  const r = parseRange(text);
  if ('error' in r) throw new Error(r.error);
  return r;
}

describe('threshold ranges (guidelines table)', () => {
  it.each<[string, number[], number[]]>([
    // range, values that alert, values that do not
    ['10', [-1, -0.001, 10.001, 11], [0, 5, 10]],
    ['10:', [9.999, 0, -5], [10, 11, 1e9]],
    ['~:10', [10.001, 11], [10, 0, -1e9]],
    ['10:20', [9, 21, 20.5], [10, 15, 20]],
    ['@10:20', [10, 15, 20], [9.99, 20.01, 0]],
    ['1:1', [0, 2], [1]],
    ['@0', [0], [1, -1]],
    ['0:', [-1], [0, 5]],
    ['-5:-1', [0, -6], [-5, -3, -1]],
    ['1.5:2.5', [1.4, 2.6], [1.5, 2, 2.5]],
  ])('%s', (text, alerting, quiet) => {
    const r = range(text);
    for (const v of alerting) expect(alerts(r, v), `${text} with ${v}`).toBe(true);
    for (const v of quiet) expect(alerts(r, v), `${text} with ${v}`).toBe(false);
  });

  it('parses the start/end of each form', () => {
    expect(range('10')).toMatchObject({ start: 0, end: 10, inside: false });
    expect(range('10:')).toMatchObject({ start: 10, end: Infinity });
    expect(range('~:10')).toMatchObject({ start: -Infinity, end: 10 });
    expect(range('@10:20')).toMatchObject({ start: 10, end: 20, inside: true });
  });

  it.each(['', 'abc', '20:10', '1:2:3', ':', '@', '10:x', 'x:10', '~'])('rejects %j with a reason', (text) => {
    const r = parseRange(text);
    expect('error' in r && r.error).toMatch(/is not a threshold range: .+ \(forms: /);
  });
});

describe('perfdata', () => {
  it('quotes labels, drops trailing empty fields, never uses scientific notation', () => {
    expect(formatPerf({ label: 'vrids', value: 3, min: 0, max: 255 })).toBe("'vrids'=3;;;0;255");
    expect(formatPerf({ label: 'master_changes', value: 2, warn: range('1'), crit: range('3') })).toBe("'master_changes'=2;1;3");
    expect(formatPerf({ label: 'packets', value: 120, uom: 'c' })).toBe("'packets'=120c");
    expect(formatPerf({ label: "it's", value: 0.0000001, uom: 's' })).toBe("'it''s'=0s");
    expect(formatPerf({ label: 'gap', value: 3.609375, uom: 's' })).toBe("'gap'=3.609375s");
    expect(formatPerf({ label: 'x', value: 'U' })).toBe("'x'=U");
  });
});
