// writeSafeJson writes a document in pieces (analyze --json of a flood): the pieces joined must be
// exactly safeJson's one string, whatever the document holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { safeJson, writeSafeJson } from '../../src/format/escape.js';

function pieces(value: unknown, space: number, levels?: number, onePiece?: number): string[] {
  const out: string[] = [];
  writeSafeJson(value, space, (s) => out.push(s), levels, onePiece);
  return out;
}

describe('writeSafeJson', () => {
  it('joins to safeJson(value, space) for any JSON value, at any depth and indent', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), (v, space, levels) => {
        expect(pieces(v, space, levels, 0).join('')).toBe(safeJson(v, space)); // in pieces, however small
        expect(pieces(v, space, levels).join('')).toBe(safeJson(v, space));
      }),
    );
  });

  it('leaves out what JSON.stringify leaves out, writes null for it in arrays, and escapes control characters in keys and values', () => {
    const doc = {
      a: undefined,
      f: () => 1,
      list: [undefined, () => 1, 1, { at: new Date(0) }],
      'k\u2028': 'v\u009b\u007f\n',
      empty: { gone: undefined },
      none: [],
      nested: { deep: [{ x: [1, 2] }] },
    };
    const joined = pieces(doc, 2, 2, 0).join('');
    expect(joined).toBe(safeJson(doc, 2));
    expect(joined).not.toMatch(/[\u007f-\u009f\u2028\u2029]/);
    expect(JSON.parse(joined)).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('hands over a member at a time: no piece holds a large array whole', () => {
    const doc = { events: Array.from({ length: 3000 }, (_, i) => ({ type: 'router-seen', message: `router ${i}`.padEnd(200, '.') })) };
    const out = pieces(doc, 2);
    expect(out.join('')).toBe(safeJson(doc, 2));
    expect(Math.max(...out.map((s) => s.length))).toBeLessThan(400);
  });

  it('writes a small document (under 2,000 elements in its arrays) in one piece', () => {
    const doc = { vrids: Array.from({ length: 200 }, (_, i) => ({ vrid: i })), events: Array.from({ length: 1799 }, (_, i) => ({ i })) };
    expect(pieces(doc, 2)).toEqual([safeJson(doc, 2)]);
    doc.events.push({ i: 1799 });
    expect(pieces(doc, 2).length).toBeGreaterThan(1);
  });

  it('without an indent, or for undefined, is safeJson itself', () => {
    expect(pieces({ a: [1, 2] }, 0).join('')).toBe(safeJson({ a: [1, 2] }, 0));
    expect(pieces(undefined, 2)).toEqual([safeJson(undefined, 2)]);
  });
});
