import { describe, expect, it } from 'vitest';
import { CaptureParser, MAX_PCAPNG_BLOCK } from '../../src/capture/parser.js';
import { CaptureFileError, type CaptureRecord } from '../../src/capture/types.js';
import {
  buildPcap,
  buildPcapng,
  ByteSink,
  expectedPcapngRecords,
  expectedPcapRecords,
  payload,
  type NgSection,
  type PcapDesc,
  type PcapVariant,
} from '../support/pcap-builder.js';
import { everyN, parseBytes } from './parse-helper.js';

const VARIANTS: PcapVariant[] = ['usec-le', 'usec-be', 'nsec-le', 'nsec-be'];

function samplePcap(variant: PcapVariant): PcapDesc {
  const nano = variant.startsWith('nsec');
  return {
    variant,
    linkType: 1,
    records: [
      { tsSec: 1394056506, tsFrac: nano ? 745865123 : 745865, data: payload(62, 1) },
      { tsSec: 1394056507, tsFrac: 0, originalLength: 1514, data: payload(60, 2) },
      { tsSec: 4294967295, tsFrac: nano ? 999999999 : 999999, data: new Uint8Array(0) },
    ],
  };
}

/** Two sections of opposite byte order, every packet block kind, options, and blocks to skip. */
function sampleSections(): NgSection[] {
  return [
    {
      endian: 'le',
      shbOptions: [{ code: 4, value: new TextEncoder().encode('builder') }],
      blocks: [
        { type: 'idb', linkType: 1, snaplen: 0, name: 'eth0' },
        { type: 'idb', linkType: 113, snaplen: 96, name: 'any', tsresol: 9 },
        { type: 'raw', blockType: 4, body: payload(12) }, // NRB
        { type: 'epb', interfaceId: 0, ts: 1394056506745865n, data: payload(62, 3) },
        { type: 'epb', interfaceId: 1, ts: 1_700_000_000_123_456_789n, originalLength: 200, data: payload(96, 4) },
        { type: 'raw', blockType: 5, body: payload(20) }, // ISB
        { type: 'spb', data: payload(45, 5) },
        { type: 'pb', interfaceId: 1, ts: 1_700_000_001_000_000_001n, data: payload(7, 6) },
        { type: 'raw', blockType: 0x40000bad, body: payload(9) }, // custom, copy forbidden
      ],
    },
    {
      endian: 'be',
      blocks: [
        { type: 'idb', linkType: 101, snaplen: 65535, name: 'wlan0', tsresol: 0x94 },
        { type: 'epb', interfaceId: 0, ts: (1700000000n << 20n) + 524288n, data: payload(40, 7) },
        { type: 'spb', originalLength: 30, data: payload(20, 8) },
      ],
    },
  ];
}

describe('classic pcap', () => {
  it.each(VARIANTS)('decodes %s records with exact timestamps', (variant) => {
    const desc = samplePcap(variant);
    const out = parseBytes(buildPcap(desc).bytes);
    expect(out.error).toBeNull();
    expect(out.records).toEqual(expectedPcapRecords(desc));
    expect(out.records[0]).toMatchObject({
      frame: 1,
      tsSec: 1394056506,
      tsNsec: variant.startsWith('nsec') ? 745865123 : 745865000,
      linkType: 1,
      interfaceId: 0,
      interfaceName: null,
      originalLength: 62,
    });
    expect(out.records[1]?.originalLength).toBe(1514);
    expect(out.summary).toEqual({ format: 'pcap', frames: 3, bytes: 24 + 3 * 16 + 62 + 60 });
  });

  it('masks the FCS length and flags in the upper bits of the linktype field', () => {
    const desc: PcapDesc = { variant: 'usec-le', linkType: 0x44000001, records: [{ tsSec: 1, tsFrac: 2, data: payload(14) }] };
    expect(parseBytes(buildPcap(desc).bytes).records[0]?.linkType).toBe(1);
  });

  it('carries a fraction field of a second or more into the seconds', () => {
    const desc: PcapDesc = {
      variant: 'usec-be',
      linkType: 1,
      records: [{ tsSec: 10, tsFrac: 2_500_000, data: payload(1) }],
    };
    expect(parseBytes(buildPcap(desc).bytes).records[0]).toMatchObject({ tsSec: 12, tsNsec: 500_000_000 });
  });

  it('keeps only the file snap length of a longer record, as libpcap does', () => {
    const desc: PcapDesc = { variant: 'usec-le', linkType: 1, snaplen: 39, records: [{ tsSec: 0, tsFrac: 0, data: payload(64, 1) }, { tsSec: 1, tsFrac: 0, data: payload(20, 2) }] };
    const out = parseBytes(buildPcap(desc).bytes);
    expect(out.records.map((r) => r.data.length)).toEqual([39, 20]);
    expect([...out.records[0]!.data]).toEqual([...payload(64, 1).subarray(0, 39)]);
    expect(out.records[1]!.frame).toBe(2);
  });

  it('accepts records up to 262144 bytes and rejects longer ones, whatever the snap length says (as libpcap)', () => {
    const big: PcapDesc = { variant: 'usec-le', linkType: 1, snaplen: 65535, records: [{ tsSec: 0, tsFrac: 0, data: payload(262_144) }] };
    expect(parseBytes(buildPcap(big).bytes).records).toHaveLength(1);
    const bigger: PcapDesc = { variant: 'usec-le', linkType: 1, snaplen: 400_000, records: [{ tsSec: 0, tsFrac: 0, data: payload(300_000) }] };
    const refused = parseBytes(buildPcap(bigger).bytes);
    expect(refused.records).toHaveLength(0);
    expect(refused.error?.offset).toBe(24);
    expect(refused.error?.reason).toBe("record length 300000 exceeds the maximum 262144 (the header's snap length 400000 is capped there, as libpcap does)");
    const tooBig: PcapDesc = { ...big, records: [{ tsSec: 0, tsFrac: 0, data: payload(16) }, { tsSec: 0, tsFrac: 0, data: payload(262_145) }] };
    const out = parseBytes(buildPcap(tooBig).bytes);
    expect(out.records).toHaveLength(1);
    expect(out.error?.offset).toBe(24 + 16 + 16);
    expect(out.error?.reason).toBe('record length 262145 exceeds the maximum 262144');
  });

  it('reports an absurd record length as soon as the record header arrives', () => {
    const built = buildPcap(samplePcap('usec-le'));
    const bytes = built.bytes.slice();
    const second = built.units[2]!.offset;
    new DataView(bytes.buffer).setUint32(second + 8, 0xffffffff, true);
    const parser = new CaptureParser('x.pcap', () => {});
    expect(() => parser.push(bytes.subarray(0, second + 16))).toThrow(
      'x.pcap: record length 4294967295 exceeds the maximum 262144 at byte offset 102',
    );
  });
});

describe('pcapng', () => {
  it('decodes both byte orders, several sections, EPB, SPB, the obsolete PB, and skips other blocks', () => {
    const sections = sampleSections();
    const built = buildPcapng(sections);
    const out = parseBytes(built.bytes);
    expect(out.error).toBeNull();
    expect(out.records).toEqual(expectedPcapngRecords(sections));
    expect(out.summary).toEqual({ format: 'pcapng', frames: 6, bytes: built.bytes.length });
  });

  it('gives each packet the link type, name and timestamp resolution of its own interface', () => {
    const out = parseBytes(buildPcapng(sampleSections()).bytes);
    const rows = out.records.map((r) => [r.frame, r.linkType, r.interfaceId, r.interfaceName, r.tsSec, r.tsNsec, r.originalLength, r.data.length]);
    expect(rows).toEqual([
      [1, 1, 0, 'eth0', 1394056506, 745865000, 62, 62], // default 10^-6
      [2, 113, 1, 'any', 1700000000, 123456789, 200, 96], // 10^-9; the count exceeds 2^53
      [3, 1, 0, 'eth0', 0, 0, 45, 45], // SPB: no timestamp
      [4, 113, 1, 'any', 1700000001, 1, 7, 7], // obsolete Packet Block
      [5, 101, 0, 'wlan0', 1700000000, 500000000, 40, 40], // 2^-20, big-endian section
      [6, 101, 0, 'wlan0', 0, 0, 30, 20], // SPB: captured = block body (20) < original (30)
    ]);
    expect(out.records[5]?.data).toEqual(payload(20, 8));
  });

  it.each([
    ['seconds (10^0)', 0, 1700000000n, 1700000000, 0],
    ['milliseconds', 3, 1700000000999n, 1700000000, 999000000],
    ['nanoseconds', 9, 18446744073709551615n, 18446744073, 709551615],
    ['picoseconds (BigInt path)', 12, 12_345_678_901_234_567n, 12345, 678901234],
    ['2^-20', 0x94, (1700000000n << 20n) + 1n, 1700000000, 953],
    ['2^-32', 0xa0, (5n << 32n) + 0x80000000n, 5, 500000000],
    ['2^-40 (BigInt path)', 0xa8, (3n << 40n) + (1n << 39n), 3, 500000000],
  ])('converts if_tsresol %s exactly', (_name, tsresol, ts, sec, nsec) => {
    const sections: NgSection[] = [{ endian: 'le', blocks: [{ type: 'idb', linkType: 1, tsresol }, { type: 'epb', interfaceId: 0, ts, data: payload(4) }] }];
    const out = parseBytes(buildPcapng(sections).bytes);
    expect(out.records).toEqual(expectedPcapngRecords(sections));
    expect(out.records[0]).toMatchObject({ tsSec: sec, tsNsec: nsec });
  });

  it.each([
    ['if_tsresol 0 (seconds) on microsecond stamps', { tsresol: 0 }, 1_700_000_000_000_000n],
    ['if_tsresol 1 on microsecond stamps', { tsresol: 1 }, 1_700_000_000_000_000n],
    ['if_tsresol 0x80 (2^0 s) on microsecond stamps', { tsresol: 0x80 }, 1_700_000_000_000_000n],
    ['if_tsresol 0 with the largest stamp', { tsresol: 0 }, 2n ** 64n - 1n],
  ])('%s: refused naming the packet block and the interface block, no NaN', (_name, idb, ts) => {
    const sections: NgSection[] = [{ endian: 'le', blocks: [{ type: 'idb', linkType: 1, ...idb }, { type: 'epb', interfaceId: 0, ts: 1_000_000n, data: payload(4) }, { type: 'epb', interfaceId: 0, ts, data: payload(4) }] }];
    const built = buildPcapng(sections);
    const out = parseBytes(built.bytes);
    expect(out.records).toHaveLength(1);
    expect(out.error?.offset).toBe(built.units[3]!.offset);
    expect(out.error?.reason).toMatch(new RegExp(`^Enhanced Packet Block: timestamp \\d+ s is outside 1970-9999: the units or offset of interface 0 \\(Interface Description Block at byte offset ${built.units[1]!.offset}\\) are wrong$`));
  });

  it.each([['+2^63', 2n ** 63n - 1n], ['-2^63', -(2n ** 63n)]])('if_tsoffset %s: refused at its Interface Description Block', (_name, tsoffset) => {
    const sections: NgSection[] = [{ endian: 'be', blocks: [{ type: 'idb', linkType: 1, tsoffset }, { type: 'epb', interfaceId: 0, ts: 1n, data: payload(4) }] }];
    const built = buildPcapng(sections);
    const out = parseBytes(built.bytes);
    expect(out.records).toHaveLength(0);
    expect(out.error?.offset).toBe(built.units[1]!.offset);
    expect(out.error?.reason).toMatch(/^Interface Description Block: if_tsoffset -?\d+ s \(option at byte offset \d+\) would put every packet outside 1970-9999$/);
  });

  it('refuses a packet block holding more than 262144 bytes, as libpcap does', () => {
    const sections: NgSection[] = [{ endian: 'le', blocks: [{ type: 'idb', linkType: 1 }, { type: 'epb', interfaceId: 0, ts: 1n, data: payload(16) }, { type: 'epb', interfaceId: 0, ts: 2n, data: payload(262_145) }] }];
    const built = buildPcapng(sections);
    const out = parseBytes(built.bytes);
    expect(out.records).toHaveLength(1);
    expect(out.error?.offset).toBe(built.units[3]!.offset);
    expect(out.error?.reason).toBe('Enhanced Packet Block: captured length 262145 exceeds the maximum 262144 (libpcap refuses it too)');
  });

  it('escapes control characters of if_name once, where they enter: every face prints the name', () => {
    const sections: NgSection[] = [{ endian: 'le', blocks: [{ type: 'idb', linkType: 1, name: 'eth\x1b[31m0\x9b' }, { type: 'epb', interfaceId: 0, ts: 1n, data: payload(4) }] }];
    expect(parseBytes(buildPcapng(sections).bytes).records[0]?.interfaceName).toBe('eth\\x1b[31m0\\x9b');
  });

  it('adds if_tsoffset seconds', () => {
    const sections: NgSection[] = [
      { endian: 'be', blocks: [{ type: 'idb', linkType: 1, tsoffset: 1000n }, { type: 'epb', interfaceId: 0, ts: 2_000_001n, data: payload(4) }] },
    ];
    expect(parseBytes(buildPcapng(sections).bytes).records[0]).toMatchObject({ tsSec: 1002, tsNsec: 1000 });
  });

  it('drops a NUL terminator some writers add to if_name, and ignores unknown options', () => {
    const sections: NgSection[] = [
      {
        endian: 'le',
        blocks: [
          { type: 'idb', linkType: 1, options: [{ code: 3, value: payload(5) }, { code: 2, value: Uint8Array.of(0x65, 0x6d, 0x30, 0, 0) }] },
          { type: 'epb', interfaceId: 0, ts: 1n, data: payload(4) },
        ],
      },
    ];
    expect(parseBytes(buildPcapng(sections).bytes).records[0]?.interfaceName).toBe('em0');
  });

  it('cuts SPB data at the interface snaplen', () => {
    const sections: NgSection[] = [{ endian: 'le', blocks: [{ type: 'idb', linkType: 1, snaplen: 10 }, { type: 'spb', data: payload(30) }] }];
    const r = parseBytes(buildPcapng(sections).bytes).records[0];
    expect(r).toMatchObject({ originalLength: 30, data: payload(10) });
  });

  it('accepts a section with no packets, and a file that is only a section header', () => {
    const built = buildPcapng([{ endian: 'be', blocks: [] }]);
    expect(parseBytes(built.bytes).summary).toEqual({ format: 'pcapng', frames: 0, bytes: 28 });
  });
});

describe('chunking', () => {
  const files = {
    pcap: buildPcap(samplePcap('nsec-be')).bytes,
    pcapng: buildPcapng(sampleSections()).bytes,
  };

  it.each(Object.entries(files))('%s: every chunk size gives the same records', (_name, bytes) => {
    const whole = parseBytes(bytes);
    for (const size of [1, 2, 3, 5, 7, 13, 64, 100]) {
      expect(parseBytes(bytes, everyN(bytes.length, size))).toEqual(whole);
    }
  });

  it('delivers a record wholly inside a chunk as a view of that chunk', () => {
    const bytes = buildPcap(samplePcap('usec-le')).bytes;
    const chunk = new Uint8Array(bytes); // its own ArrayBuffer
    const seen: boolean[] = [];
    const parser = new CaptureParser('t', (r) => seen.push(r.data.buffer === chunk.buffer));
    parser.push(chunk);
    parser.end();
    expect(seen).toEqual([true, true, true]);
  });

  it('delivers views of a Node Buffer chunk as plain Uint8Arrays over the same memory', () => {
    const bytes = Buffer.from(buildPcapng(sampleSections()).bytes);
    const views: CaptureRecord['data'][] = [];
    const parser = new CaptureParser('t', (r) => views.push(r.data));
    parser.push(bytes);
    expect(views.every((v) => v.buffer === bytes.buffer && v.constructor === Uint8Array)).toBe(true);
  });
});

describe('visiting', () => {
  const files = {
    pcap: buildPcap(samplePcap('nsec-le')).bytes,
    'pcap, snap length cut': buildPcap({ ...samplePcap('usec-be'), snaplen: 50 }).bytes,
    pcapng: buildPcapng(sampleSections()).bytes,
  };

  /** What a visitor sees, as records numbered in order, the bytes copied. */
  function visitBytes(bytes: Uint8Array, size: number): { records: CaptureRecord[]; inPlace: boolean[] } {
    const records: CaptureRecord[] = [];
    const inPlace: boolean[] = [];
    let chunk = new Uint8Array(0);
    const parser = CaptureParser.visiting('t', (buf, offset, length, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength) => {
      records.push({ frame: records.length + 1, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength, data: buf.slice(offset, offset + length) });
      inPlace.push(buf.buffer === chunk.buffer);
    });
    for (let at = 0; at < bytes.length; at += size) {
      chunk = new Uint8Array(bytes.subarray(at, at + size)); // its own ArrayBuffer
      parser.push(chunk);
    }
    parser.end();
    return { records, inPlace };
  }

  it.each(Object.entries(files))('%s: a visitor sees what records show, at every chunk size', (_name, bytes) => {
    const { records } = parseBytes(bytes);
    for (const size of [1, 7, 64, bytes.length]) expect(visitBytes(bytes, size).records).toEqual(records);
  });

  it('hands over the chunk itself, with the offset of each frame in it', () => {
    const { inPlace } = visitBytes(files.pcapng, files.pcapng.length);
    expect(inPlace.length).toBeGreaterThan(0);
    expect(inPlace.every(Boolean)).toBe(true);
  });
});

describe('truncation at every byte offset', () => {
  const files = {
    pcap: buildPcap(samplePcap('usec-be')),
    pcapng: buildPcapng(sampleSections()),
  };

  for (const [name, built] of Object.entries(files)) {
    it(`${name}: delivers the whole units before the cut, then points at the cut unit`, () => {
      const expectedAll = parseBytes(built.bytes).records;
      for (let cut = 0; cut < built.bytes.length; cut++) {
        const truncated = built.bytes.subarray(0, cut);
        const whole = parseBytes(truncated);
        // Byte by byte too: the error must not depend on where chunks end.
        const bytewise = parseBytes(truncated, everyN(cut, 1));
        expect(bytewise).toEqual(whole);
        const cutUnit = built.units.find((u) => u.offset < cut && cut < u.offset + u.length);
        const packetsBefore = built.units.filter((u) => u.offset + u.length <= cut && ['record', 'epb', 'pb', 'spb'].includes(u.kind)).length;
        expect(whole.records).toEqual(expectedAll.slice(0, packetsBefore));
        if (cut === 0) {
          expect(whole.error?.offset).toBe(0);
          expect(whole.error?.reason).toBe('empty file, not a pcap or pcapng capture');
        } else if (cutUnit) {
          expect(whole.error, `cut at ${cut}`).toBeInstanceOf(CaptureFileError);
          expect(whole.error?.offset, `cut at ${cut}`).toBe(cutUnit.offset);
          expect(whole.error?.reason).toMatch(/^truncated: /);
        } else {
          expect(whole.error, `cut at ${cut} is a unit boundary`).toBeNull();
        }
      }
    });
  }

  it('says what was cut, for people', () => {
    const built = buildPcap(samplePcap('usec-le'));
    const rec = built.units[1]!;
    expect(parseBytes(built.bytes.subarray(0, rec.offset + 20)).error?.reason).toBe(
      'truncated: the file ends inside a 78-byte packet record (20 bytes present)',
    );
    expect(parseBytes(built.bytes.subarray(0, rec.offset + 3)).error?.reason).toBe(
      'truncated: the file ends inside a 16-byte packet record header (3 bytes present)',
    );
    expect(parseBytes(built.bytes.subarray(0, 10)).error?.reason).toBe(
      'truncated: the file ends inside the 24-byte pcap file header (10 bytes present)',
    );
    expect(parseBytes(built.bytes.subarray(0, 3)).error?.reason).toBe(
      'truncated: the file is only 3 bytes long, too short for a pcap or pcapng header',
    );
    const ng = buildPcapng(sampleSections());
    const epb = ng.units.find((u) => u.kind === 'epb')!;
    expect(parseBytes(ng.bytes.subarray(0, epb.offset + 40)).error?.reason).toBe(
      `truncated: the file ends inside a ${epb.length}-byte Enhanced Packet Block (40 bytes present)`,
    );
    expect(parseBytes(ng.bytes.subarray(0, epb.offset + 5)).error?.reason).toBe(
      'truncated: the file ends inside a pcapng block header (5 bytes present)',
    );
  });
});

describe('corrupt input', () => {
  /** Builds a file, lets `corrupt` patch it through a sink in the unit's byte order, and parses it. */
  function corrupted(sections: NgSection[], unitIndex: number, corrupt: (patch: (at: number, v: number) => void, offset: number, length: number) => void) {
    const built = buildPcapng(sections);
    const unit = built.units[unitIndex]!;
    const sink = new ByteSink(sections[0]!.endian);
    sink.bytes(built.bytes);
    corrupt((at, v) => sink.patchU32(at, v), unit.offset, unit.length);
    return { out: parseBytes(sink.result()), unit, expected: expectedPcapngRecords(sections) };
  }

  const twoPackets: NgSection[] = [
    {
      endian: 'be',
      blocks: [
        { type: 'idb', linkType: 1, name: 'eth0' },
        { type: 'epb', interfaceId: 0, ts: 5n, data: payload(10) },
        { type: 'epb', interfaceId: 0, ts: 6n, data: payload(10) },
      ],
    },
  ];

  it.each([
    ['a block total length under 12', (p: (at: number, v: number) => void, o: number) => p(o + 4, 8), 'block total length 8 is less than the minimum 12'],
    ['a block total length not a multiple of 4', (p: (at: number, v: number) => void, o: number) => p(o + 4, 42), 'block total length 42 is not a multiple of 4'],
    [
      'a block total length over the maximum',
      (p: (at: number, v: number) => void, o: number) => p(o + 4, 0xfffffffc),
      `block total length 4294967292 exceeds the maximum ${MAX_PCAPNG_BLOCK}`,
    ],
    [
      'a trailing length that differs from the leading one',
      (p: (at: number, v: number) => void, o: number, l: number) => p(o + l - 4, l + 4),
      'Enhanced Packet Block: trailing length 48 does not match the leading length 44',
    ],
    ['an undescribed interface', (p: (at: number, v: number) => void, o: number) => p(o + 8, 3), 'Enhanced Packet Block names interface 3, but its section describes only interface 0'],
    ['a captured length past the body', (p: (at: number, v: number) => void, o: number) => p(o + 20, 13), 'Enhanced Packet Block: captured length 13 exceeds the 12 bytes of its body'],
  ])('%s: the packets before it are delivered, then the error points at the block', (_name, corrupt, reason) => {
    const { out, unit, expected } = corrupted(twoPackets, 3, corrupt);
    expect(out.records).toEqual(expected.slice(0, 1));
    expect(out.error).toBeInstanceOf(CaptureFileError);
    expect(out.error?.reason).toBe(reason);
    expect(out.error?.offset).toBe(unit.offset);
  });

  it('rejects an unknown magic at offset 0', () => {
    const out = parseBytes(new TextEncoder().encode('GIF89a, not a capture'));
    expect(out.error?.offset).toBe(0);
    expect(out.error?.reason).toBe('unknown file format: magic number 0x47494638 is neither pcap nor pcapng');
  });

  it('rejects an empty file', () => {
    const out = parseBytes(new Uint8Array(0), [], 'empty.pcap');
    expect(out.error?.message).toBe('empty.pcap: empty file, not a pcap or pcapng capture at byte offset 0');
  });

  it('rejects a section header with an unknown byte-order magic or major version', () => {
    const built = buildPcapng([...sampleSections(), { endian: 'le', blocks: [] }, { endian: 'le', version: [2, 0], blocks: [] }]);
    const shbs = built.units.filter((u) => u.kind === 'shb');
    const badVersion = parseBytes(built.bytes);
    expect(badVersion.records).toHaveLength(6);
    expect(badVersion.error?.offset).toBe(shbs[3]!.offset);
    expect(badVersion.error?.reason).toBe('unsupported pcapng version 2.0 (only 1.x exists)');

    const bytes = built.bytes.slice();
    bytes[shbs[1]!.offset + 8] = 0x99;
    const badMagic = parseBytes(bytes);
    expect(badMagic.records).toHaveLength(4);
    expect(badMagic.error?.offset).toBe(shbs[1]!.offset);
    expect(badMagic.error?.reason).toMatch(/^Section Header Block has an unknown byte-order magic 0x/);
  });

  it('forgets the interfaces of the previous section', () => {
    const sections: NgSection[] = [
      { endian: 'le', blocks: [{ type: 'idb', linkType: 1 }, { type: 'epb', interfaceId: 0, ts: 1n, data: payload(4) }] },
      { endian: 'le', blocks: [] },
    ];
    const built = buildPcapng(sections);
    // Append a packet block for interface 0 in the second section, which describes none.
    const next = buildPcapng([{ endian: 'le', blocks: [{ type: 'idb', linkType: 1 }, { type: 'pb', interfaceId: 0, ts: 2n, data: payload(4) }] }]);
    const pb = next.units[2]!;
    const bytes = new Uint8Array(built.bytes.length + pb.length);
    bytes.set(built.bytes);
    bytes.set(next.bytes.subarray(pb.offset, pb.offset + pb.length), built.bytes.length);
    const out = parseBytes(bytes);
    expect(out.records).toHaveLength(1);
    expect(out.error?.offset).toBe(built.bytes.length);
    expect(out.error?.reason).toBe('Packet Block names interface 0, but its section describes no interface');
  });

  it('rejects a Simple Packet Block before any interface', () => {
    const built = buildPcapng([{ endian: 'le', blocks: [{ type: 'spb', data: payload(8) }] }]);
    const out = parseBytes(built.bytes);
    expect(out.error?.offset).toBe(28);
    expect(out.error?.reason).toBe('Simple Packet Block before any Interface Description Block in its section');
  });

  it.each([
    ['Interface Description Block', 1, 16, 20],
    ['Enhanced Packet Block', 6, 28, 32],
    ['Packet Block', 2, 28, 32],
    ['Simple Packet Block', 3, 12, 16],
  ])('rejects a %s too short for its fixed fields', (name, blockType, length, minimum) => {
    const sections: NgSection[] = [
      { endian: 'le', blocks: [{ type: 'idb', linkType: 1 }, { type: 'raw', blockType, body: new Uint8Array(length - 12) }] },
    ];
    const built = buildPcapng(sections);
    const out = parseBytes(built.bytes);
    expect(out.error?.offset).toBe(built.units[2]!.offset);
    expect(out.error?.reason).toBe(`${name} of ${length} bytes is too short for its fixed fields (${minimum} bytes)`);
  });

  it('keeps failing once it has failed', () => {
    const parser = new CaptureParser('f', () => {});
    expect(() => parser.push(Uint8Array.of(1, 2, 3, 4))).toThrow(CaptureFileError);
    expect(() => parser.push(buildPcap(samplePcap('usec-le')).bytes)).toThrow('unknown file format');
    expect(() => parser.end()).toThrow('unknown file format');
  });
});

describe('no per-record copies', () => {
  // Speed itself is measured by `npm run bench` (the parse line); here, the reason it is fast.
  it('hands every record as a view of the chunk it arrived in; only one cut by a chunk end is copied', () => {
    const one = buildPcap({ variant: 'usec-le', linkType: 1, records: [{ tsSec: 1, tsFrac: 2, data: payload(60) }] });
    const rec = one.bytes.subarray(24);
    const count = 20_000;
    const bytes = new Uint8Array(24 + count * rec.length);
    bytes.set(one.bytes.subarray(0, 24));
    for (let i = 0; i < count; i++) bytes.set(rec, 24 + i * rec.length);
    const chunk = 1 << 16;
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.slice(at, at + chunk));
    let views = 0;
    let copies = 0;
    let current: Uint8Array | null = null;
    const parser = new CaptureParser('views', (r) => {
      if (r.data.buffer === current?.buffer) views++;
      else copies++;
    });
    for (const c of chunks) {
      current = c;
      parser.push(c);
    }
    parser.end();
    expect(views + copies).toBe(count);
    // At most one record straddles each chunk boundary.
    expect(copies).toBeLessThanOrEqual(chunks.length);
    expect(views).toBeGreaterThan(count - chunks.length - 1);
  });
});
