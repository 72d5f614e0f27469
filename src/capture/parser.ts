// Push parser for classic pcap and pcapng: bytes in, packets out. Pure: no fs, no clock.
//
// Chunks are parsed in place; only a record or block that straddles two chunks is copied, into one
// reused carry buffer. Each packet goes to a PacketVisitor as its place in the chunk (or the carry)
// and its header fields, so parsing allocates nothing per packet; `new CaptureParser(file, onRecord)`
// wraps that visitor in one that builds a CaptureRecord. Either way the bytes are valid during the
// callback only. Corrupt input throws CaptureFileError from push() or end(), after every packet
// before the damage; an error thrown by the callback passes through and leaves the parser unusable.

import { escapeControl } from '../format/escape.js';
import { nanosOfMicros, NS_PER_SECOND, US_PER_SECOND } from '../time/timestamp.js';
import { CaptureFileError, type CaptureFormat, type CaptureRecord, type CaptureSummary } from './types.js';

/**
 * libpcap's MAXIMUM_SNAPLEN, the ceiling of every record: libpcap caps a file's snap length
 * there (a header saying 4 GiB means 262144) and refuses a record longer than that, as do we,
 * before buffering any of it.
 */
export const MAX_PCAP_CAPLEN = 262_144;
/** Latest timestamp a person can read (9999-12-31T23:59:59Z); later ones are damage, not time. */
export const MAX_TIMESTAMP_SECONDS = 253_402_300_799;
/** Largest pcapng block we accept (libpcap's initial limit too); a bigger length means corruption,
 * and refusing it keeps memory bounded instead of buffering up to 4 GiB waiting for the block end. */
export const MAX_PCAPNG_BLOCK = 16 * 1024 * 1024;

const PCAP_HEADER_LENGTH = 24;
const PCAP_RECORD_HEADER_LENGTH = 16;

/** Classic pcap magics as read big endian from the first four bytes. */
const PcapMagic = {
  MICRO_BE: 0xa1b2c3d4,
  MICRO_LE: 0xd4c3b2a1,
  NANO_BE: 0xa1b23c4d,
  NANO_LE: 0x4d3cb2a1,
} as const;

const BlockType = { SHB: 0x0a0d0d0a, IDB: 1, PB: 2, SPB: 3, NRB: 4, ISB: 5, EPB: 6, DSB: 10 } as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

const BLOCK_NAMES: Readonly<Record<number, string>> = {
  [BlockType.SHB]: 'Section Header Block',
  [BlockType.IDB]: 'Interface Description Block',
  [BlockType.PB]: 'Packet Block',
  [BlockType.SPB]: 'Simple Packet Block',
  [BlockType.NRB]: 'Name Resolution Block',
  [BlockType.ISB]: 'Interface Statistics Block',
  [BlockType.EPB]: 'Enhanced Packet Block',
  [BlockType.DSB]: 'Decryption Secrets Block',
};

const IdbOption = { END: 0, NAME: 2, TSRESOL: 9, TSOFFSET: 14 } as const;

/** Smallest total length of each block whose fixed fields we read (header and trailer included). */
const MIN_BLOCK_LENGTH = { SHB: 28, IDB: 20, PB: 32, SPB: 16, EPB: 32, ANY: 12 } as const;

/** How an interface's timestamp units become seconds and nanoseconds. */
type TsScale =
  | { kind: 'decimal'; unitsPerSec: number; nsPerUnit: number } // 10^-k, k <= 9
  | { kind: 'binary'; shift: number; unitsPerSec: number } // 2^-p, p <= 32
  | { kind: 'bigint'; unitsPerSec: bigint }; // anything finer: exact but slow

interface Interface {
  /** File offset of its Interface Description Block, to name it in errors. */
  offset: number;
  linkType: number;
  /** 0 means unlimited. */
  snaplen: number;
  name: string | null;
  scale: TsScale;
  tsOffsetSec: number;
}

type ParserState = 'start' | 'pcap' | 'pcapng';

/**
 * Receives one packet: its frame is `bytes[offset, offset + length)`, valid during the call only.
 * The other arguments are the CaptureRecord fields of the same name (the frame number aside).
 */
export type PacketVisitor = (
  bytes: Uint8Array,
  offset: number,
  length: number,
  tsSec: number,
  tsNsec: number,
  linkType: number,
  interfaceId: number,
  interfaceName: string | null,
  originalLength: number,
) => void;

const utf8 = new TextDecoder('utf-8');
const TWO_POW_32 = 4_294_967_296;

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block of type ${hex(type)}`;
}

/** if_tsresol: top bit clear = 10^-v seconds, set = 2^-(v & 0x7f) seconds (pcapng 4.2). */
function tsScale(tsresol: number): TsScale {
  if (tsresol & 0x80) {
    const shift = tsresol & 0x7f;
    return shift <= 32
      ? { kind: 'binary', shift, unitsPerSec: 2 ** shift }
      : { kind: 'bigint', unitsPerSec: 1n << BigInt(shift) };
  }
  return tsresol <= 9
    ? { kind: 'decimal', unitsPerSec: 10 ** tsresol, nsPerUnit: 10 ** (9 - tsresol) }
    : { kind: 'bigint', unitsPerSec: 10n ** BigInt(tsresol) };
}

const MICROSECONDS: TsScale = tsScale(6);

export class CaptureParser {
  private state: ParserState = 'start';
  private format: CaptureFormat = 'pcap';
  private failure: CaptureFileError | null = null;

  /** File offset of byte 0 of the buffer being parsed (a chunk, or the carry). */
  private base = 0;
  /** Bytes pushed so far. */
  private total = 0;
  private frames = 0;

  /** The start of a record or block that the last chunk cut, waiting for the next. */
  private carry = new Uint8Array(0);
  private carryView = new DataView(this.carry.buffer);
  private carryLength = 0;
  private carryOffset = 0;

  // Classic pcap file header.
  private littleEndian = true;
  private nanosecond = false;
  private pcapLinkType = 0;
  /** The file header's snap length as written (for the error that a bigger record gets). */
  private headerSnaplen = MAX_PCAP_CAPLEN;
  /** libpcap keeps at most the file's snap length of a record and discards the rest. */
  private pcapSnaplen = MAX_PCAP_CAPLEN;

  // pcapng: the interfaces of the current section (a new section starts afresh).
  private interfaces: Interface[] = [];

  // Scratch output of timestamp(), so converting does not allocate.
  private tsSec = 0;
  private tsNsec = 0;

  private visit: PacketVisitor;

  /** Each packet as a CaptureRecord: the convenient way. */
  constructor(
    private readonly file: string,
    onRecord: (record: CaptureRecord) => void,
  ) {
    this.visit = (bytes, offset, length, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength) =>
      onRecord({ frame: this.frames, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength, data: bytes.subarray(offset, offset + length) });
  }

  /** Each packet to `visit`, with nothing allocated for it: the fast way. */
  static visiting(file: string, visit: PacketVisitor): CaptureParser {
    const parser = new CaptureParser(file, () => undefined);
    parser.visit = visit;
    return parser;
  }

  push(chunk: Uint8Array): void {
    if (this.failure) throw this.failure;
    // A plain Uint8Array makes subarray() cheap (no Buffer species lookup) for every record.
    const bytes =
      chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = bytes.length;
    let pos = 0;

    if (this.carryLength > 0) {
      // Complete the unit the previous chunk cut: first its header, to learn its length, then the rest.
      this.base = this.carryOffset;
      for (;;) {
        const length = this.unitLength(this.carryView, 0, this.carryLength);
        const want = length > 0 ? length : -length;
        const take = Math.min(want - this.carryLength, end - pos);
        this.appendToCarry(bytes, pos, take);
        pos += take;
        if (this.carryLength < want) {
          this.total += end;
          return;
        }
        if (length > 0) break;
      }
      this.parse(this.carry, this.carryView, 0, this.carryLength);
      this.carryLength = 0;
    }

    this.base = this.total;
    const view = new DataView(bytes.buffer, bytes.byteOffset, end);
    pos = this.parse(bytes, view, pos, end);
    if (pos < end) {
      this.carryOffset = this.total + pos;
      this.carryLength = 0;
      this.appendToCarry(bytes, pos, end - pos);
    }
    this.total += end;
  }

  end(): CaptureSummary {
    if (this.failure) throw this.failure;
    if (this.total === 0) throw this.fail(0, 'empty file, not a pcap or pcapng capture');
    if (this.carryLength > 0) {
      this.base = this.carryOffset;
      throw this.fail(0, this.truncation());
    }
    return { format: this.format, frames: this.frames, bytes: this.total };
  }

  /** Parses whole units from buf[pos, end); returns where the first incomplete one starts. */
  private parse(buf: Uint8Array, view: DataView, pos: number, end: number): number {
    if (this.state === 'start') {
      const length = this.unitLength(view, pos, end - pos);
      if (length < 0 || length > end - pos) return pos;
      if (view.getUint32(pos, false) === BlockType.SHB) {
        this.state = 'pcapng';
        this.format = 'pcapng';
      } else {
        this.pcapFileHeader(view, pos);
        this.state = 'pcap';
        pos += PCAP_HEADER_LENGTH;
      }
    }
    return this.state === 'pcap' ? this.parsePcap(buf, view, pos, end) : this.parsePcapng(buf, view, pos, end);
  }

  /**
   * Length of the unit (file header, record, block) starting at pos, or minus the number of bytes
   * needed to know it. Throws when the header already shows corruption.
   */
  private unitLength(view: DataView, pos: number, available: number): number {
    if (this.state === 'pcap') {
      if (available < PCAP_RECORD_HEADER_LENGTH) return -PCAP_RECORD_HEADER_LENGTH;
      return PCAP_RECORD_HEADER_LENGTH + this.caplen(view, pos);
    }
    if (this.state === 'pcapng') return this.blockLength(view, pos, available);
    if (available < 4) return -4;
    const magic = view.getUint32(pos, false);
    switch (magic) {
      case PcapMagic.MICRO_BE:
      case PcapMagic.MICRO_LE:
      case PcapMagic.NANO_BE:
      case PcapMagic.NANO_LE:
        return PCAP_HEADER_LENGTH;
      case BlockType.SHB:
        return this.blockLength(view, pos, available);
      default:
        throw this.fail(pos, `unknown file format: magic number ${hex(magic)} is neither pcap nor pcapng`);
    }
  }

  private pcapFileHeader(view: DataView, pos: number): void {
    const magic = view.getUint32(pos, false);
    this.littleEndian = magic === PcapMagic.MICRO_LE || magic === PcapMagic.NANO_LE;
    this.nanosecond = magic === PcapMagic.NANO_BE || magic === PcapMagic.NANO_LE;
    const snaplen = view.getUint32(pos + 16, this.littleEndian);
    this.headerSnaplen = snaplen;
    this.pcapSnaplen = snaplen === 0 || snaplen > MAX_PCAP_CAPLEN ? MAX_PCAP_CAPLEN : snaplen;
    // libpcap's LT_LINKTYPE: the upper 16 bits carry the FCS length and reserved flags.
    this.pcapLinkType = view.getUint32(pos + 20, this.littleEndian) & 0xffff;
  }

  private caplen(view: DataView, pos: number): number {
    const caplen = view.getUint32(pos + 8, this.littleEndian);
    if (caplen > MAX_PCAP_CAPLEN) {
      const capped = this.headerSnaplen > MAX_PCAP_CAPLEN ? ` (the header's snap length ${this.headerSnaplen} is capped there, as libpcap does)` : '';
      throw this.fail(pos, `record length ${caplen} exceeds the maximum ${MAX_PCAP_CAPLEN}${capped}`);
    }
    return caplen;
  }

  private parsePcap(buf: Uint8Array, view: DataView, pos: number, end: number): number {
    const le = this.littleEndian;
    const nano = this.nanosecond;
    const linkType = this.pcapLinkType;
    const snaplen = this.pcapSnaplen;
    while (end - pos >= PCAP_RECORD_HEADER_LENGTH) {
      const next = pos + PCAP_RECORD_HEADER_LENGTH + this.caplen(view, pos);
      if (next > end) break;
      let sec = view.getUint32(pos, le);
      let frac = view.getUint32(pos + 4, le);
      // A fraction of a second or more is nonsense a writer left; carry it so tsNsec stays < 1e9.
      if (nano) {
        if (frac >= NS_PER_SECOND) {
          sec += Math.floor(frac / NS_PER_SECOND);
          frac %= NS_PER_SECOND;
        }
      } else {
        if (frac >= US_PER_SECOND) {
          sec += Math.floor(frac / US_PER_SECOND);
          frac %= US_PER_SECOND;
        }
        frac = nanosOfMicros(frac);
      }
      const data = pos + PCAP_RECORD_HEADER_LENGTH;
      this.frames++;
      this.visit(buf, data, Math.min(next - data, snaplen), sec, frac, linkType, 0, null, view.getUint32(pos + 12, le));
      pos = next;
    }
    return pos;
  }

  /** Total length of the block at pos, or minus the bytes needed to read it. */
  private blockLength(view: DataView, pos: number, available: number): number {
    if (available < 8) return -8;
    let le = this.littleEndian;
    // The SHB type reads the same in both byte orders; its byte-order magic sets the section's order.
    if (view.getUint32(pos, false) === BlockType.SHB) {
      if (available < 12) return -12;
      const bom = view.getUint32(pos + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === BYTE_ORDER_MAGIC_SWAPPED) le = false;
      else throw this.fail(pos, `Section Header Block has an unknown byte-order magic ${hex(bom)}`);
    }
    const length = view.getUint32(pos + 4, le);
    if (length < MIN_BLOCK_LENGTH.ANY) {
      throw this.fail(pos, `block total length ${length} is less than the minimum ${MIN_BLOCK_LENGTH.ANY}`);
    }
    if (length % 4 !== 0) throw this.fail(pos, `block total length ${length} is not a multiple of 4`);
    if (length > MAX_PCAPNG_BLOCK) {
      throw this.fail(pos, `block total length ${length} exceeds the maximum ${MAX_PCAPNG_BLOCK}`);
    }
    return length;
  }

  private parsePcapng(buf: Uint8Array, view: DataView, pos: number, end: number): number {
    for (;;) {
      const length = this.blockLength(view, pos, end - pos);
      if (length < 0 || length > end - pos) return pos;
      this.block(buf, view, pos, length);
      pos += length;
    }
  }

  private block(buf: Uint8Array, view: DataView, pos: number, length: number): void {
    const type = view.getUint32(pos, this.littleEndian);
    if (type === BlockType.SHB) {
      this.sectionHeader(view, pos, length);
      return;
    }
    const le = this.littleEndian;
    const trailer = view.getUint32(pos + length - 4, le);
    if (trailer !== length) {
      throw this.fail(pos, `${blockName(type)}: trailing length ${trailer} does not match the leading length ${length}`);
    }
    switch (type) {
      case BlockType.EPB: {
        this.requireLength(pos, length, type, MIN_BLOCK_LENGTH.EPB);
        this.packet(buf, view, pos, length, view.getUint32(pos + 8, le), type);
        return;
      }
      case BlockType.PB: {
        this.requireLength(pos, length, type, MIN_BLOCK_LENGTH.PB);
        this.packet(buf, view, pos, length, view.getUint16(pos + 8, le), type);
        return;
      }
      case BlockType.SPB: {
        this.requireLength(pos, length, type, MIN_BLOCK_LENGTH.SPB);
        const iface = this.interfaces[0];
        if (!iface) {
          throw this.fail(pos, 'Simple Packet Block before any Interface Description Block in its section');
        }
        const originalLength = view.getUint32(pos + 8, le);
        let caplen = Math.min(originalLength, length - MIN_BLOCK_LENGTH.SPB);
        if (iface.snaplen !== 0 && iface.snaplen < caplen) caplen = iface.snaplen;
        this.frames++;
        this.visit(buf, pos + 12, caplen, 0, 0, iface.linkType, 0, iface.name, originalLength);
        return;
      }
      case BlockType.IDB:
        this.interfaceDescription(buf, view, pos, length);
        return;
      default:
        return; // statistics, name resolution, secrets, custom: nothing a frame consumer needs
    }
  }

  private requireLength(pos: number, length: number, type: number, minimum: number): void {
    if (length < minimum) {
      throw this.fail(pos, `${blockName(type)} of ${length} bytes is too short for its fixed fields (${minimum} bytes)`);
    }
  }

  /** EPB and the obsolete PB share the layout after the interface id. */
  private packet(buf: Uint8Array, view: DataView, pos: number, length: number, interfaceId: number, type: number): void {
    const iface = this.interfaces[interfaceId];
    if (!iface) {
      const n = this.interfaces.length;
      const described = n === 0 ? 'no interface' : n === 1 ? 'only interface 0' : `only interfaces 0-${n - 1}`;
      throw this.fail(pos, `${blockName(type)} names interface ${interfaceId}, but its section describes ${described}`);
    }
    const le = this.littleEndian;
    const caplen = view.getUint32(pos + 20, le);
    if (caplen > length - MIN_BLOCK_LENGTH.EPB) {
      throw this.fail(pos, `${blockName(type)}: captured length ${caplen} exceeds the ${length - MIN_BLOCK_LENGTH.EPB} bytes of its body`);
    }
    if (caplen > MAX_PCAP_CAPLEN) {
      throw this.fail(pos, `${blockName(type)}: captured length ${caplen} exceeds the maximum ${MAX_PCAP_CAPLEN} (libpcap refuses it too)`);
    }
    this.timestamp(iface, view.getUint32(pos + 12, le), view.getUint32(pos + 16, le));
    if (!(this.tsSec >= 0 && this.tsSec <= MAX_TIMESTAMP_SECONDS)) {
      throw this.fail(pos, `${blockName(type)}: timestamp ${this.tsSec} s is outside 1970-9999: the units or offset of interface ${interfaceId} (Interface Description Block at byte offset ${iface.offset}) are wrong`);
    }
    this.frames++;
    this.visit(buf, pos + 28, caplen, this.tsSec, this.tsNsec, iface.linkType, interfaceId, iface.name, view.getUint32(pos + 24, le));
  }

  private sectionHeader(view: DataView, pos: number, length: number): void {
    // blockLength() accepted the byte-order magic; it now becomes the order of this section.
    const le = view.getUint32(pos + 8, true) === BYTE_ORDER_MAGIC;
    const trailer = view.getUint32(pos + length - 4, le);
    if (trailer !== length) {
      throw this.fail(pos, `Section Header Block: trailing length ${trailer} does not match the leading length ${length}`);
    }
    this.requireLength(pos, length, BlockType.SHB, MIN_BLOCK_LENGTH.SHB);
    const major = view.getUint16(pos + 12, le);
    if (major !== 1) {
      throw this.fail(pos, `unsupported pcapng version ${major}.${view.getUint16(pos + 14, le)} (only 1.x exists)`);
    }
    this.littleEndian = le;
    this.interfaces = [];
  }

  private interfaceDescription(buf: Uint8Array, view: DataView, pos: number, length: number): void {
    this.requireLength(pos, length, BlockType.IDB, MIN_BLOCK_LENGTH.IDB);
    const le = this.littleEndian;
    const iface: Interface = {
      offset: this.base + pos,
      linkType: view.getUint16(pos + 8, le),
      snaplen: view.getUint32(pos + 12, le),
      name: null,
      scale: MICROSECONDS,
      tsOffsetSec: 0,
    };
    // Options are advisory: a malformed one ends the list rather than the file.
    const optionsEnd = pos + length - 4;
    let o = pos + 16;
    while (optionsEnd - o >= 4) {
      const code = view.getUint16(o, le);
      const valueLength = view.getUint16(o + 2, le);
      const value = o + 4;
      if (code === IdbOption.END || valueLength > optionsEnd - value) break;
      if (code === IdbOption.NAME) {
        let nameEnd = value + valueLength;
        while (nameEnd > value && buf[nameEnd - 1] === 0) nameEnd--; // some writers add a NUL
        // A name from the file reaches terminals in every face: escaped once, here.
        iface.name = escapeControl(utf8.decode(buf.subarray(value, nameEnd)));
      } else if (code === IdbOption.TSRESOL && valueLength >= 1) {
        iface.scale = tsScale(view.getUint8(value));
      } else if (code === IdbOption.TSOFFSET && valueLength >= 8) {
        const offset = view.getBigInt64(value, le);
        if (offset > BigInt(MAX_TIMESTAMP_SECONDS) || offset < -BigInt(MAX_TIMESTAMP_SECONDS)) {
          throw this.fail(pos, `Interface Description Block: if_tsoffset ${offset} s (option at byte offset ${this.base + o}) would put every packet outside 1970-9999`);
        }
        iface.tsOffsetSec = Number(offset);
      }
      o = value + ((valueLength + 3) & ~3);
    }
    this.interfaces.push(iface);
  }

  /** Sets tsSec/tsNsec from a 64-bit count of the interface's units, exactly (counts pass 2^53). */
  private timestamp(iface: Interface, high: number, low: number): void {
    const scale = iface.scale;
    let sec: number;
    let nsec: number;
    if (scale.kind === 'decimal') {
      // Long division of (high:low) by d <= 1e9 in 32-, 16- and 16-bit digits. Every partial
      // dividend stays below 2^46, where floor(a / d) of doubles is exact.
      const d = scale.unitsPerSec;
      const q0 = Math.floor(high / d);
      const a = (high - q0 * d) * 65536 + (low >>> 16);
      const q1 = Math.floor(a / d);
      const b = (a - q1 * d) * 65536 + (low & 0xffff);
      const q2 = Math.floor(b / d);
      const r2 = b - q2 * d;
      sec = q0 * TWO_POW_32 + q1 * 65536 + q2;
      nsec = r2 * scale.nsPerUnit;
    } else if (scale.kind === 'binary') {
      const p = scale.shift;
      const whole = p === 32 ? 0 : low >>> p;
      const frac = low - whole * scale.unitsPerSec;
      sec = high * 2 ** (32 - p) + whole;
      // 1e9 = 2^9 * 1953125 and frac < 2^32, so frac * 1953125 < 2^53: the division by a power of two is exact.
      nsec = p >= 9 ? Math.floor((frac * 1953125) / 2 ** (p - 9)) : frac * 1953125 * 2 ** (9 - p);
    } else {
      const units = (BigInt(high) << 32n) | BigInt(low);
      sec = Number(units / scale.unitsPerSec);
      nsec = Number(((units % scale.unitsPerSec) * 1_000_000_000n) / scale.unitsPerSec);
    }
    this.tsSec = sec + iface.tsOffsetSec;
    this.tsNsec = nsec;
  }

  private appendToCarry(bytes: Uint8Array, from: number, count: number): void {
    const needed = this.carryLength + count;
    if (needed > this.carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.carry.length * 2, 65_536));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
      this.carryView = new DataView(grown.buffer);
    }
    this.carry.set(bytes.subarray(from, from + count), this.carryLength);
    this.carryLength += count;
  }

  /** Why the file cannot end with the carried bytes. */
  private truncation(): string {
    const have = this.carryLength;
    if (this.state === 'start' && have < 4) {
      return `truncated: the file is only ${have} bytes long, too short for a pcap or pcapng header`;
    }
    const length = this.unitLength(this.carryView, 0, have);
    if (this.state === 'start' && length === PCAP_HEADER_LENGTH) {
      return `truncated: the file ends inside the ${PCAP_HEADER_LENGTH}-byte pcap file header (${have} bytes present)`;
    }
    if (this.state === 'pcap') {
      return length < 0
        ? `truncated: the file ends inside a ${PCAP_RECORD_HEADER_LENGTH}-byte packet record header (${have} bytes present)`
        : `truncated: the file ends inside a ${length}-byte packet record (${have} bytes present)`;
    }
    if (length < 0) return `truncated: the file ends inside a pcapng block header (${have} bytes present)`;
    const type = this.carryView.getUint32(0, this.littleEndian);
    return `truncated: the file ends inside a ${length}-byte ${blockName(type)} (${have} bytes present)`;
  }

  private fail(pos: number, reason: string): CaptureFileError {
    this.failure = new CaptureFileError(this.file, this.base + pos, reason);
    return this.failure;
  }
}
