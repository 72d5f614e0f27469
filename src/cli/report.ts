// `vrrpwatch report FILE|- [-o OUT.html]`: the failover timeline of a capture as one
// self-contained HTML page, for the post-mortem and the incident ticket.
//
// Output: -o, else the capture's name with .html (captures/x.pcap -> captures/x.html). Standard
// input has no name, so `report -` needs -o (`-o -` writes the page to standard output).
// Exit: 0 the report was written (whatever it shows: `check` and `analyze` judge), 2 the capture
// could not be read (a damaged one still gets its report of what came before, and exits 2),
// 64 bad usage.
import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Command } from 'commander';
import { Analyzer } from '../analysis/analyzer.js';
import type { PacketVisitor } from '../capture/parser.js';
import { visitCaptureFile } from '../capture/file.js';
import { CaptureFileError } from '../capture/types.js';
import { judge } from '../check/verdict.js';
import { buildReport } from '../report/model.js';
import { renderHtml } from '../report/html.js';
import { microsOf, microsToSeconds } from '../time/timestamp.js';
import { holdAnalysis } from '../intent/analysis.js';
import { collectConfig, CONFIG_FLAGS, CONFIG_HELP, loadConfigs, type ConfigArg } from './config-option.js';
import { VERSION } from '../version.js';
import { CliError, Exit } from '../errors.js';

interface ReportOptions {
  output?: string;
  config?: ConfigArg[];
}

/** Where the report goes when -o is not given: beside the capture, named after it. */
export function defaultOutput(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${ext === '.html' || ext === '' ? basename(file) : basename(file, ext)}.html`);
}

export function makeReportCommand(): Command {
  return new Command('report')
    .description('the failover timeline of a capture as one self-contained HTML page (exit 0 written, 2 unreadable or damaged capture)')
    .argument('<file>', 'capture file (pcap or pcapng), or - for standard input (then give -o)')
    .option('-o, --output <file>', 'where to write the page (default: the capture\'s name with .html; - for standard output)')
    .option(CONFIG_FLAGS, CONFIG_HELP, collectConfig)
    .action(async (file: string, opts: ReportOptions) => {
      process.exitCode = await runReport(file, opts);
    });
}

export async function runReport(file: string, opts: ReportOptions): Promise<number> {
  if (file === '-' && opts.output === undefined) {
    process.stderr.write('vrrpwatch report: standard input has no name to make the page\'s from: give -o OUT.html (or -o - for standard output)\n');
    return Exit.USAGE;
  }
  const out = opts.output ?? defaultOutput(file);
  const configs = opts.config === undefined ? null : loadConfigs(opts.config, { wholeInput: true });
  const analyzer = new Analyzer({ timeline: true });
  let firstUs = Infinity;
  const visit: PacketVisitor = (bytes, offset, length, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength) => {
    if (firstUs === Infinity) firstUs = microsOf(tsSec, tsNsec);
    analyzer.packet(bytes, offset, length, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength);
  };
  let failure: Error | null = null;
  try {
    await visitCaptureFile(file, visit);
  } catch (e) {
    failure = e as Error;
  }
  if (failure !== null && analyzer.counter.frames === 0) throw new CliError(failure.message, Exit.INPUT);
  const damage = failure instanceof CaptureFileError ? `${failure.reason} at byte ${failure.offset}` : failure?.message ?? null;

  const lastUs = analyzer.nowMicros;
  const end = lastUs === -Infinity ? undefined : lastUs;
  const wire = analyzer.result(end);
  // With --config, the wire held against the nodes' files: their events join the page and the verdict.
  const analysis = configs === null ? wire : holdAnalysis(wire, configs.watch, end ?? 0);
  const timeline = analyzer.timeline(end);
  if (timeline === null) throw new Error('the analyzer recorded no timeline');
  // The same verdict `check -r FILE` gives: the whole capture is its window.
  const verdict = judge(analysis, {
    expectVrids: [],
    expectMasters: [],
    warning: null,
    critical: null,
    windowSeconds: lastUs === -Infinity ? null : microsToSeconds(lastUs - firstUs),
  });
  const html = renderHtml(buildReport({ file, analysis, timeline, verdict, firstUs, lastUs, damage }), VERSION);
  try {
    if (out === '-') process.stdout.write(html);
    else writeFileSync(out, html);
  } catch (e) {
    throw new CliError(`cannot write the report to ${out}: ${(e as Error).message}`, Exit.INPUT);
  }
  if (out !== '-') process.stderr.write(`vrrpwatch report: wrote ${out} (${Math.ceil(Buffer.byteLength(html) / 1024)} KiB)\n`);
  if (failure !== null) throw new CliError(failure.message, Exit.INPUT);
  return Exit.OK;
}
