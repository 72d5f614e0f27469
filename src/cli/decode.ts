// `vrrpwatch decode FILE|-`: every VRRP packet of a capture, like `tcpdump -nn -v`, field by
// field (-v), in hex (-x) or as JSON lines (--json; with -x each object carries the frame as "hex").
import { Command } from 'commander';
import { visitCaptureFile } from '../capture/file.js';
import type { PacketVisitor } from '../capture/parser.js';
import type { CaptureRecord } from '../capture/types.js';
import { decodeFrame } from '../decode/frame.js';
import { FrameMemo, type Remembered } from '../decode/frame-memo.js';
import { validateVrrp } from '../decode/validate.js';
import { isCutVrrp, type ShownVrrp } from '../decode/types.js';
import { safeJson } from '../format/escape.js';
import { bytesHex, hexDump, jsonTail, lineTail, PacketFormatter } from '../format/packet.js';
import { CliError, Exit } from '../errors.js';
import { Output } from './output.js';
import { FrameCounter } from '../decode/counter.js';

/**
 * What decode remembers of a complete advert: its line after what changes from frame to frame
 * (the time, and the interface; with --json, the frame number and the time).
 */
interface RememberedLine extends Remembered {
  readonly tail: string;
}

interface DecodeOptions {
  verbose?: boolean;
  hex?: boolean;
  json?: boolean;
  /** False: decode every frame, repeats too (no command-line flag: the tests hold the memo to it). */
  fastPath?: boolean;
}

export function makeDecodeCommand(): Command {
  return new Command('decode')
    .description('print every VRRP packet of a capture file (pcap or pcapng; - reads stdin)')
    .argument('<file>', 'capture file, or - for standard input')
    .option('-v, --verbose', 'show the VRRP layer field by field, with offsets and raw bytes (not with --json)')
    .option('-x, --hex', 'add a hex dump of each frame (with --json: a "hex" field)')
    .option('--json', 'one JSON object per VRRP packet (JSON lines)')
    .action(async (file: string, opts: DecodeOptions) => {
      process.exitCode = await runDecode(file, opts);
    });
}

export async function runDecode(file: string, opts: DecodeOptions, out = new Output(), err = new Output(process.stderr)): Promise<number> {
  if (opts.json && opts.verbose) {
    throw new CliError('--json and -v exclude each other: the JSON object already has every field -v shows; use -x with --json for the raw bytes', Exit.USAGE);
  }
  const fmt = new PacketFormatter();
  const counter = new FrameCounter();
  // The line of a repeated advert (the same frame but for its IPv4 identification and header
  // checksum, of which the default line shows only the checksum's verdict, and --json a wrong
  // one's value: jsonTail() says when) is the line it had, but for its time and number: nearly
  // every frame of a capture is a repeat, decoded and judged once. -v and -x show every byte, so
  // they decode every frame.
  const memo = opts.verbose || opts.hex || opts.fastPath === false ? null : new FrameMemo<RememberedLine>();
  /**
   * Whether the advert `f` of `rec` is to be remembered: only a whole advert (a repeat counts as
   * one VRRP packet, nothing malformed), from its sender's second. A flood's adverts, each sent
   * once, are not kept. What was remembered before stays true: a line is made from the frame's
   * bytes alone.
   */
  const worthRemembering = (rec: CaptureRecord, f: ShownVrrp): boolean =>
    memo !== null && f.kind === 'vrrp' && !f.vrrp.truncated && memo.seenBefore(rec.linkType, rec.data, 0, rec.data.length);
  const remember = (rec: CaptureRecord, tail: string): void => {
    memo?.remember(rec.linkType, rec.data, 0, rec.data.length, rec.interfaceName, { stamp: 0, memoEntry: -1, tail });
  };
  const show = (rec: CaptureRecord, f: ShownVrrp): void => {
    const findings = validateVrrp(f);
    if (opts.json) {
      const j = fmt.json(rec, f, findings);
      if (opts.hex) j.hex = bytesHex(rec.data);
      out.write(safeJson(j) + '\n');
      const tail = jsonTail(f, j);
      if (tail !== null && worthRemembering(rec, f)) remember(rec, tail);
      return;
    }
    if (opts.verbose) out.write(fmt.verbose(rec, f, findings));
    else {
      const tail = lineTail(f, findings);
      out.write(fmt.lineHead(rec.tsSec, rec.tsNsec, rec.interfaceName) + tail);
      if (worthRemembering(rec, f)) remember(rec, tail);
    }
    if (opts.hex) out.write(hexDump(rec.data));
  };
  const visit: PacketVisitor = (bytes, offset, length, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength) => {
    if (memo !== null) {
      const m = linkType === 1 ? memo.matchEthernet(bytes, offset, length, interfaceName) : memo.match(linkType, bytes, offset, length, interfaceName);
      if (m !== null) {
        // What count() does for a complete VRRP advert.
        counter.frames++;
        counter.vrrp++;
        out.write((opts.json ? fmt.jsonHead(counter.frames, tsSec, tsNsec) : fmt.lineHead(tsSec, tsNsec, interfaceName)) + m.tail);
        return;
      }
    }
    const data = bytes.subarray(offset, offset + length);
    const rec: CaptureRecord = { frame: counter.frames + 1, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength, data };
    const f = decodeFrame(linkType, data);
    counter.count(f);
    if (f.kind === 'vrrp' || isCutVrrp(f)) {
      show(rec, f);
      return;
    }
    if (f.kind === 'malformed') {
      // JSON lines on stdout stay one schema; the damage is reported on stderr instead.
      if (opts.json) err.write(fmt.malformedLine(rec, f));
      else out.write(fmt.malformedLine(rec, f));
    }
  };
  let failure: Error | null = null;
  try {
    await visitCaptureFile(file, visit, { pace: () => out.ready() ?? err.ready() });
  } catch (e) {
    failure = e as Error;
  }
  await out.end();
  err.write(`vrrpwatch: ${counter.summary()}\n`);
  await err.end();
  if (failure) throw new CliError(failure.message, Exit.INPUT);
  return Exit.OK;
}
