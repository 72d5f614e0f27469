// Address text from bytes: ipv4At writes each dotted quad as one string of its own length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4At } from '../../src/decode/bytes.js';

describe('ipv4At', () => {
  it('spells every address as its four decimal bytes, from 7 to 15 characters, cached or not', () => {
    for (const q of [[0, 0, 0, 0], [255, 255, 255, 255], [10, 0, 100, 9], [192, 0, 2, 1], [1, 22, 133, 4]]) {
      const b = Uint8Array.from([9, ...q]);
      expect(ipv4At(b, 1)).toBe(q.join('.'));
      expect(ipv4At(b, 1)).toBe(q.join('.'));
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
        expect(ipv4At(b, 0)).toBe([...b].join('.'));
      }),
      { numRuns: 2000 },
    );
  });
});
