// `vrrpwatch decode FILE|-`: every VRRP packet of a capture, like `tcpdump -nn -v`, field by
// field (-v), in hex (-x) or as JSON lines (--json).
import { Command } from 'commander';
import { readCaptureFile } from '../capture/file.js';
import type { CaptureRecord } from '../capture/types.js';
import { decodeFrame } from '../decode/frame.js';
import { validateVrrp } from '../decode/validate.js';
import { hexDump, PacketFormatter } from '../format/packet.js';
import { CliError, Exit } from './exit.js';
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
    .option('-v, --verbose', 'show the VRRP layer field by field, with offsets and raw bytes')
    .option('-x, --hex', 'add a hex dump of each frame')
    .option('--json', 'one JSON object per VRRP packet (JSON lines)')
    .action(async (file: string, opts: DecodeOptions) => {
      process.exitCode = await runDecode(file, opts);
    });
}

export async function runDecode(file: string, opts: DecodeOptions, out = new Output()): Promise<number> {
  const fmt = new PacketFormatter();
  const counter = new FrameCounter();
  const onRecord = (rec: CaptureRecord): void => {
    const f = decodeFrame(rec.linkType, rec.data);
    counter.count(f);
    if (f.kind === 'malformed') {
      // JSON lines on stdout stay one schema; the damage is reported on stderr instead.
      if (opts.json) process.stderr.write(fmt.malformedLine(rec, f));
      else out.write(fmt.malformedLine(rec, f));
      return;
    }
    if (f.kind !== 'vrrp') return;
    const findings = validateVrrp(f);
    if (opts.json) out.write(JSON.stringify(fmt.json(rec, f, findings)) + '\n');
    else out.write(opts.verbose ? fmt.verbose(rec, f, findings) : fmt.line(rec, f, findings));
    if (opts.hex) out.write(hexDump(rec.data));
  };
  let failure: Error | null = null;
  try {
    await readCaptureFile(file, onRecord);
  } catch (e) {
    failure = e as Error;
  }
  await out.end();
  process.stderr.write(`vrrpwatch: ${counter.summary()}\n`);
  if (failure) throw new CliError(failure.message, Exit.INPUT);
  return Exit.OK;
}
