import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureFileError } from '../../src/capture/types.js';
import {
  buildPcap,
  buildPcapng,
  expectedPcapngRecords,
  expectedPcapRecords,
  type NgBlock,
  type NgSection,
  type PcapDesc,
} from '../support/pcap-builder.js';
import { parseBytes } from './parse-helper.js';

const data = fc.uint8Array({ maxLength: 80 });
const u32 = fc.nat({ max: 0xffffffff });

const pcapDesc: fc.Arbitrary<PcapDesc> = fc
  .record({
    variant: fc.constantFrom('usec-le', 'usec-be', 'nsec-le', 'nsec-be' as const),
    linkType: u32,
    snaplen: fc.option(u32, { nil: undefined }),
    records: fc.array(
      fc.record({
        tsSec: u32,
        // Mostly valid fractions, sometimes a field of a second or more.
        tsFrac: fc.oneof({ arbitrary: fc.nat({ max: 999_999 }), weight: 4 }, { arbitrary: u32, weight: 1 }),
        data,
        extra: fc.nat({ max: 2000 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ records, ...rest }) => ({
    ...rest,
    records: records.map(({ extra, ...r }) => ({ ...r, originalLength: r.data.length + extra })),
  }));

/** A section: interfaces first (so packets can name them), then packets and foreign blocks in any order. */
const ngSection: fc.Arbitrary<NgSection> = fc
  .record({
    endian: fc.constantFrom('le' as const, 'be' as const),
    interfaces: fc.array(
      fc.record({
        linkType: fc.nat({ max: 0xffff }),
        snaplen: fc.oneof(fc.constant(0), fc.nat({ max: 100 })),
        name: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        // Decimal and binary, fast and BigInt paths; the whole byte range.
        tsresol: fc.option(fc.oneof(fc.constantFrom(0, 3, 6, 9, 0x94, 0xa0), fc.nat({ max: 255 })), { nil: undefined }),
        // Times before 1970 or after 9999 are refused as damage (parser.test.ts): stay within.
        tsoffset: fc.option(fc.bigInt({ min: 0n, max: 2n ** 30n }), { nil: undefined }),
      }),
      { maxLength: 3 },
    ),
    others: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('epb' as const), iface: fc.nat(), ts: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), data, extra: fc.nat({ max: 100 }) }),
        fc.record({ kind: fc.constant('pb' as const), iface: fc.nat(), ts: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), data, extra: fc.nat({ max: 100 }) }),
        fc.record({ kind: fc.constant('spb' as const), data, originalLength: fc.nat({ max: 100 }) }),
        fc.record({
          kind: fc.constant('raw' as const),
          blockType: fc.constantFrom(4, 5, 7, 9, 10, 0xbad, 0x40000bad, 0x80000001),
          body: fc.uint8Array({ maxLength: 40 }),
        }),
      ),
      { maxLength: 10 },
    ),
  })
  .map(({ endian, interfaces, others }) => {
    const blocks: NgBlock[] = interfaces.map((i) => ({ type: 'idb', ...i }));
    for (const o of others) {
      const count = interfaces.length;
      if (o.kind === 'raw') blocks.push({ type: 'raw', blockType: o.blockType, body: o.body });
      else if (count === 0) continue; // a packet needs an interface
      else if (o.kind === 'spb') blocks.push({ type: 'spb', data: o.data, originalLength: o.originalLength });
      else {
        const interfaceId = o.iface % count;
        // Keep seconds below 2^37 (year 6325): with the offset, within what the parser accepts.
        const tsresol = interfaces[interfaceId]?.tsresol ?? 6;
        const perSec = tsresol & 0x80 ? 2n ** BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
        const ts = o.ts % (perSec * 2n ** 37n);
        blocks.push({ type: o.kind, interfaceId, ts, data: o.data, originalLength: o.data.length + o.extra });
      }
    }
    return { endian, blocks };
  });

const ngSections = fc.array(ngSection, { minLength: 1, maxLength: 3 });

const anyFile = fc.oneof(pcapDesc.map((d) => buildPcap(d).bytes), ngSections.map((s) => buildPcapng(s).bytes));

/** Sorted cut points inside a buffer of the given length. */
function cutsFor(length: number): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: Math.max(length, 1) }), { maxLength: 12 });
}

describe('properties', () => {
  it('pcap: built records come back exactly', () => {
    fc.assert(
      fc.property(pcapDesc, (desc) => {
        const out = parseBytes(buildPcap(desc).bytes);
        expect(out.error).toBeNull();
        expect(out.records).toEqual(expectedPcapRecords(desc));
      }),
      { numRuns: 300 },
    );
  });

  it('pcapng: built records come back exactly', () => {
    fc.assert(
      fc.property(ngSections, (sections) => {
        const built = buildPcapng(sections);
        const out = parseBytes(built.bytes);
        expect(out.error).toBeNull();
        expect(out.records).toEqual(expectedPcapngRecords(sections));
        expect(out.summary).toEqual({ format: 'pcapng', frames: out.records.length, bytes: built.bytes.length });
      }),
      { numRuns: 300 },
    );
  });

  it('pcapng: 64-bit timestamps convert exactly in every fast-path resolution', () => {
    // 10^-0..10^-9 and 2^-0..2^-32 take the number paths; compare them with BigInt arithmetic.
    const tsresol = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0x80, max: 0xa0 }));
    const stamp = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: 0n, max: 2n ** 32n }),
      fc.constantFrom(0n, 2n ** 32n - 1n, 2n ** 53n + 1n, 2n ** 64n - 1n),
    );
    fc.assert(
      fc.property(tsresol, fc.array(stamp, { minLength: 1, maxLength: 50 }), (resolution, stamps) => {
        const perSec = resolution & 0x80 ? 2n ** BigInt(resolution & 0x7f) : 10n ** BigInt(resolution);
        const blocks: NgBlock[] = [{ type: 'idb', linkType: 1, tsresol: resolution }];
        // Keep seconds within what a date can show (before 9999); later ones are refused (parser.test.ts).
        for (const ts of stamps) blocks.push({ type: 'epb', interfaceId: 0, ts: ts % (perSec * 253_402_300_800n), data: new Uint8Array(0) });
        const sections: NgSection[] = [{ endian: 'le', blocks }];
        const out = parseBytes(buildPcapng(sections).bytes);
        expect(out.records.map((r) => [r.tsSec, r.tsNsec])).toEqual(expectedPcapngRecords(sections).map((r) => [r.tsSec, r.tsNsec]));
      }),
      { numRuns: 500 },
    );
  });

  it('splitting the same bytes into any chunks gives identical output', () => {
    fc.assert(
      fc.property(
        anyFile.chain((bytes) => fc.tuple(fc.constant(bytes), cutsFor(bytes.length))),
        ([bytes, cuts]) => {
          expect(parseBytes(bytes, cuts)).toEqual(parseBytes(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes end in records or a CaptureFileError, never another exception', () => {
    const prefixes = [
      Uint8Array.of(),
      Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4),
      Uint8Array.of(0x4d, 0x3c, 0xb2, 0xa1),
      Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat({ max: 310 }), { maxLength: 5 }), (prefix, tail, cuts) => {
        const bytes = new Uint8Array(prefix.length + tail.length);
        bytes.set(prefix);
        bytes.set(tail, prefix.length);
        const out = parseBytes(bytes, cuts); // parseBytes rethrows anything but CaptureFileError
        expect(out.error === null || out.error instanceof CaptureFileError).toBe(true);
        if (out.error) expect(out.error.offset).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated valid files end in records or a CaptureFileError, and keep the records before the damage', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    );
    fc.assert(
      fc.property(anyFile, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 4 }), (original, mutations, cuts) => {
        let bytes = original;
        let firstChange = bytes.length;
        for (const m of mutations) {
          const at = m.at % (bytes.length + 1);
          firstChange = Math.min(firstChange, at);
          if (m.kind === 'set') {
            if (at < bytes.length) {
              bytes = bytes.slice();
              bytes[at] = m.value;
            }
          } else if (m.kind === 'cut') {
            bytes = bytes.slice(0, at);
          } else {
            const grown = new Uint8Array(bytes.length + m.bytes.length);
            grown.set(bytes.subarray(0, at));
            grown.set(m.bytes, at);
            grown.set(bytes.subarray(at), at + m.bytes.length);
            bytes = grown;
          }
        }
        const out = parseBytes(bytes, cuts.map((c) => c % (bytes.length + 1)));
        // The bytes before the first change are intact, so the records wholly inside them must come out unchanged.
        const intact = parseBytes(original.subarray(0, firstChange)).records;
        expect(out.records.slice(0, intact.length)).toEqual(intact);
      }),
      { numRuns: 1000 },
    );
  });
});
