// `vrrpwatch decode FILE|-`: every VRRP packet of a capture, like `tcpdump -nn -v`, field by
// field (-v), in hex (-x) or as JSON lines (--json; with -x each object carries the frame as "hex").
import { Command } from 'commander';
import { readCaptureFile } from '../capture/file.js';
import type { CaptureRecord } from '../capture/types.js';
import { decodeFrame } from '../decode/frame.js';
import { validateVrrp } from '../decode/validate.js';
import { isCutVrrp, type ShownVrrp } from '../decode/types.js';
import { safeJson } from '../format/escape.js';
import { bytesHex, hexDump, PacketFormatter } from '../format/packet.js';
import { CliError, Exit } from '../errors.js';
import { Output } from './output.js';
import { FrameCounter } from '../decode/counter.js';

interface DecodeOptions {
  verbose?: boolean;
  hex?: boolean;
  json?: boolean;
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
  const show = (rec: CaptureRecord, f: ShownVrrp): void => {
    const findings = validateVrrp(f);
    if (opts.json) {
      const j = fmt.json(rec, f, findings);
      if (opts.hex) j.hex = bytesHex(rec.data);
      out.write(safeJson(j) + '\n');
      return;
    }
    out.write(opts.verbose ? fmt.verbose(rec, f, findings) : fmt.line(rec, f, findings));
    if (opts.hex) out.write(hexDump(rec.data));
  };
  const onRecord = (rec: CaptureRecord): void => {
    const f = decodeFrame(rec.linkType, rec.data);
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
    await readCaptureFile(file, onRecord, { pace: () => out.ready() ?? err.ready() });
  } catch (e) {
    failure = e as Error;
  }
  await out.end();
  err.write(`vrrpwatch: ${counter.summary()}\n`);
  await err.end();
  if (failure) throw new CliError(failure.message, Exit.INPUT);
  return Exit.OK;
}
