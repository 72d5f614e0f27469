// Builds pcap and pcapng files byte by byte from a plain description, for golden bytes in tests.
// Independent of src/capture on purpose: it shares no code with the parser or the writer, and it
// computes what a reader must see (expectedRecords) with BigInt, not with the parser's arithmetic.

export type Endian = 'le' | 'be';

/** A growable byte buffer with explicit byte order; no DataView, no shared helpers. */
export class ByteSink {
  private buf = new Uint8Array(256);
  length = 0;

  constructor(public endian: Endian) {}

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff];
    return this.bytes(this.endian === 'le' ? b : b.reverse());
  }

  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    return this.bytes(this.endian === 'le' ? b : b.reverse());
  }

  u64(v: bigint): this {
    const b: number[] = [];
    const x = BigInt.asUintN(64, v);
    for (let i = 0n; i < 8n; i++) b.push(Number((x >> (8n * i)) & 0xffn));
    return this.bytes(this.endian === 'le' ? b : b.reverse());
  }

  bytes(data: ArrayLike<number>): this {
    this.room(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  pad4(): this {
    while (this.length % 4 !== 0) this.u8(0);
    return this;
  }

  /** Overwrites a 32-bit value already written, in this sink's byte order. */
  patchU32(at: number, v: number): void {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.buf.set(this.endian === 'le' ? b : b.reverse(), at);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** One header, record or block of a built file: where it starts and how long it is. */
export interface Unit {
  kind: string;
  offset: number;
  length: number;
}

export interface Built {
  bytes: Uint8Array;
  units: Unit[];
}

// ---------------------------------------------------------------------------------------------
// Classic pcap

export type PcapVariant = 'usec-le' | 'usec-be' | 'nsec-le' | 'nsec-be';

export interface PcapRecordDesc {
  tsSec: number;
  /** Microseconds or nanoseconds, as the variant says. */
  tsFrac: number;
  /** Defaults to data.length. */
  originalLength?: number;
  data: Uint8Array;
}

export interface PcapDesc {
  variant: PcapVariant;
  /** The raw 32-bit linktype field (upper bits may carry FCS information). */
  linkType: number;
  snaplen?: number;
  records: PcapRecordDesc[];
}

export function buildPcap(desc: PcapDesc): Built {
  const endian: Endian = desc.variant.endsWith('le') ? 'le' : 'be';
  const s = new ByteSink(endian);
  const units: Unit[] = [];
  s.u32(desc.variant.startsWith('nsec') ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(desc.snaplen ?? 65535)
    .u32(desc.linkType);
  units.push({ kind: 'pcap header', offset: 0, length: 24 });
  for (const r of desc.records) {
    const offset = s.length;
    s.u32(r.tsSec).u32(r.tsFrac).u32(r.data.length).u32(r.originalLength ?? r.data.length).bytes(r.data);
    units.push({ kind: 'record', offset, length: s.length - offset });
  }
  return { bytes: s.result(), units };
}

// ---------------------------------------------------------------------------------------------
// pcapng

export interface NgOption {
  code: number;
  value: Uint8Array;
}

export type NgBlock =
  | {
      type: 'idb';
      linkType: number;
      snaplen?: number;
      name?: string;
      /** if_tsresol byte; omitted means the default 10^-6. */
      tsresol?: number;
      /** if_tsoffset in seconds. */
      tsoffset?: bigint;
      /** Extra options, written before the known ones. */
      options?: NgOption[];
    }
  | {
      type: 'epb';
      interfaceId: number;
      /** Timestamp in the interface's units. */
      ts: bigint;
      originalLength?: number;
      data: Uint8Array;
      options?: NgOption[];
    }
  | { type: 'pb'; interfaceId: number; drops?: number; ts: bigint; originalLength?: number; data: Uint8Array }
  | { type: 'spb'; originalLength?: number; data: Uint8Array }
  | { type: 'raw'; blockType: number; body: Uint8Array };

export interface NgSection {
  endian: Endian;
  version?: [number, number];
  shbOptions?: NgOption[];
  blocks: NgBlock[];
}

const encoder = new TextEncoder();

function writeOptions(s: ByteSink, options: NgOption[]): void {
  if (options.length === 0) return;
  for (const o of options) s.u16(o.code).u16(o.value.length).bytes(o.value).pad4();
  s.u16(0).u16(0); // opt_endofopt
}

/** Writes type, a length placeholder, the body, and both lengths. */
function block(s: ByteSink, units: Unit[], kind: string, type: number, body: (s: ByteSink) => void): void {
  const offset = s.length;
  s.u32(type).u32(0);
  body(s);
  s.pad4();
  const total = s.length - offset + 4;
  s.u32(total);
  s.patchU32(offset + 4, total);
  units.push({ kind, offset, length: total });
}

export function buildPcapng(sections: NgSection[]): Built {
  const s = new ByteSink(sections[0]?.endian ?? 'le');
  const units: Unit[] = [];
  for (const section of sections) {
    s.endian = section.endian;
    block(s, units, 'shb', 0x0a0d0d0a, (b) => {
      const [major, minor] = section.version ?? [1, 0];
      b.u32(0x1a2b3c4d).u16(major).u16(minor).u64(-1n);
      writeOptions(b, section.shbOptions ?? []);
    });
    for (const blk of section.blocks) {
      switch (blk.type) {
        case 'idb':
          block(s, units, 'idb', 1, (b) => {
            b.u16(blk.linkType).u16(0).u32(blk.snaplen ?? 0);
            const options = [...(blk.options ?? [])];
            if (blk.name !== undefined) options.push({ code: 2, value: encoder.encode(blk.name) });
            if (blk.tsresol !== undefined) options.push({ code: 9, value: Uint8Array.of(blk.tsresol) });
            if (blk.tsoffset !== undefined) {
              const o = new ByteSink(section.endian).u64(blk.tsoffset);
              options.push({ code: 14, value: o.result() });
            }
            writeOptions(b, options);
          });
          break;
        case 'epb':
          block(s, units, 'epb', 6, (b) => {
            b.u32(blk.interfaceId)
              .u32(Number(blk.ts >> 32n))
              .u32(Number(blk.ts & 0xffffffffn))
              .u32(blk.data.length)
              .u32(blk.originalLength ?? blk.data.length)
              .bytes(blk.data)
              .pad4();
            writeOptions(b, blk.options ?? []);
          });
          break;
        case 'pb':
          block(s, units, 'pb', 2, (b) => {
            b.u16(blk.interfaceId)
              .u16(blk.drops ?? 0)
              .u32(Number(blk.ts >> 32n))
              .u32(Number(blk.ts & 0xffffffffn))
              .u32(blk.data.length)
              .u32(blk.originalLength ?? blk.data.length)
              .bytes(blk.data);
          });
          break;
        case 'spb':
          block(s, units, 'spb', 3, (b) => {
            b.u32(blk.originalLength ?? blk.data.length).bytes(blk.data);
          });
          break;
        case 'raw':
          block(s, units, `raw ${blk.blockType}`, blk.blockType, (b) => {
            b.bytes(blk.body);
          });
          break;
      }
    }
  }
  return { bytes: s.result(), units };
}

// ---------------------------------------------------------------------------------------------
// What a reader must deliver (the oracle)

export interface ExpectedRecord {
  frame: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  interfaceId: number;
  interfaceName: string | null;
  originalLength: number;
  data: Uint8Array;
}

export function expectedPcapRecords(desc: PcapDesc): ExpectedRecord[] {
  const nano = desc.variant.startsWith('nsec');
  const perSec = nano ? 1_000_000_000n : 1_000_000n;
  // libpcap: a snap length of 0 or above 262144 means 262144; longer records are cut to it.
  const snap = desc.snaplen === undefined ? 65535 : desc.snaplen === 0 || desc.snaplen > 262_144 ? 262_144 : desc.snaplen;
  return desc.records.map((r, i) => {
    // Fractions of a whole second or more carry into the seconds.
    const units = BigInt(r.tsSec) * perSec + BigInt(r.tsFrac);
    const nsec = (units % perSec) * (nano ? 1n : 1000n);
    return {
      frame: i + 1,
      tsSec: Number(units / perSec),
      tsNsec: Number(nsec),
      linkType: desc.linkType & 0xffff,
      interfaceId: 0,
      interfaceName: null,
      originalLength: r.originalLength ?? r.data.length,
      data: r.data.subarray(0, snap),
    };
  });
}

/** Seconds and nanoseconds (truncated) of `ts` units of 10^-v or 2^-(v&0x7f) seconds. */
export function ngTimestamp(ts: bigint, tsresol = 6, tsoffset = 0n): { tsSec: number; tsNsec: number } {
  const perSec = tsresol & 0x80 ? 2n ** BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
  return {
    tsSec: Number(ts / perSec + tsoffset),
    tsNsec: Number(((ts % perSec) * 1_000_000_000n) / perSec),
  };
}

export function expectedPcapngRecords(sections: NgSection[]): ExpectedRecord[] {
  const out: ExpectedRecord[] = [];
  for (const section of sections) {
    const ifaces: Extract<NgBlock, { type: 'idb' }>[] = [];
    for (const blk of section.blocks) {
      if (blk.type === 'idb') ifaces.push(blk);
      if (blk.type !== 'epb' && blk.type !== 'pb' && blk.type !== 'spb') continue;
      const interfaceId = blk.type === 'spb' ? 0 : blk.interfaceId;
      const idb = ifaces[interfaceId];
      if (!idb) throw new Error(`test description: block names undescribed interface ${interfaceId}`);
      let data = blk.data;
      const originalLength = blk.originalLength ?? blk.data.length;
      if (blk.type === 'spb') {
        let caplen = Math.min(originalLength, blk.data.length + ((4 - (blk.data.length % 4)) % 4));
        if (idb.snaplen) caplen = Math.min(caplen, idb.snaplen);
        const padded = new Uint8Array(blk.data.length + 4);
        padded.set(blk.data);
        data = padded.subarray(0, caplen);
      }
      const ts = blk.type === 'spb' ? { tsSec: 0, tsNsec: 0 } : ngTimestamp(blk.ts, idb.tsresol, idb.tsoffset);
      out.push({
        frame: out.length + 1,
        ...ts,
        linkType: idb.linkType,
        interfaceId,
        interfaceName: idb.name ?? null,
        originalLength,
        data,
      });
    }
  }
  return out;
}

/** Bytes of a given length with a recognisable pattern. */
export function payload(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed * 13 + 1) & 0xff;
  return out;
}
