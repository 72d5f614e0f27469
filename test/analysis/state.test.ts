// VridCounts, a VIP's count of routers per VRID (one VRID inline, a map beyond): it answers as a
// Map would, keys in the order the VRIDs came, through any sequence of sets and deletes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Segment, VridCounts, VridState } from '../../src/analysis/state.js';

const segment = new Segment('|', { interface: null, vlan: null, vlans: [] });
const vrids = Array.from({ length: 5 }, (_, i) => new VridState(`|ipv4|${i + 1}`, segment, 'ipv4', i + 1));

describe('VridCounts', () => {
  it('answers as a Map, keys in insertion order, whatever the sets and deletes', () => {
    const op = fc.tuple(fc.constantFrom('set', 'delete'), fc.integer({ min: 0, max: vrids.length - 1 }), fc.integer({ min: 1, max: 3 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const counts = new VridCounts();
        const model = new Map<VridState, number>();
        for (const [what, i, n] of ops) {
          const v = vrids[i] as VridState;
          if (what === 'set') {
            counts.set(v, n);
            model.set(v, n);
          } else {
            counts.delete(v);
            model.delete(v);
          }
          expect(counts.size).toBe(model.size);
          expect(counts.keys()).toEqual([...model.keys()]);
          for (const x of vrids) expect(counts.get(x)).toBe(model.get(x));
        }
      }),
    );
  });
});
