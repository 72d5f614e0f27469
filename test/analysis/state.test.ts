// VridCounts, a VIP's count of routers per VRID (one VRID inline, a map beyond): it answers as a
// Map would, keys in the order the VRIDs came, through any sequence of sets and deletes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RouterState, Segment, VridCounts, VridState } from '../../src/analysis/state.js';

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

describe('RouterState.reset', () => {
  it('leaves a used router as a new one at the new address, its stamp aside', () => {
    const v = vrids[0] as VridState;
    const used = new RouterState('192.0.2.1', v);
    expect(used.rank).toBe('4c0000201'); // decode/address.ts addressRank
    Object.assign(used, {
      mac: '52:54:00:00:00:01', version: 2, priority: 100, intervalCs: 100, authType: 1, authData: 'secret', authKey: '1:00', vips: ['198.51.100.1'],
      vipKey: '198.51.100.1', hasBody: true, ttl: 255, checksumForm: 'rfc', accepted: true, discard: 'ttl', discarded: 3, limitUs: 3_600_000,
      missedUs: 3_000_000, packets: 9, firstSeenUs: 1, lastSeenUs: 2, intervalCount: 4, intervalSumUs: 5, intervalMinUs: 6, intervalMaxUs: 7,
      acceptedPriority: 100, lastAcceptedUs: 8, runStartUs: 9, prevInRunUs: 10, inSplit: true, feeding: [], memoEntry: 11, evicted: true, stamp: 12,
    });
    used.reset('192.0.2.9');
    const fresh = new RouterState('192.0.2.9', v);
    // Every field a new router has, the same (the stamp only grows, so the frame memo never meets one twice).
    expect({ ...used, stamp: 0 }).toEqual({ ...fresh });
    expect(Object.keys(used)).toEqual(Object.keys(fresh));
    expect(used.stamp).toBe(12);
    expect(used.rank).toBe('4c0000209');
  });
});
