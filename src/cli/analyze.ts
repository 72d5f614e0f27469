// `vrrpwatch analyze FILE|-`: every virtual router of a capture, who was master, and what went
// wrong, as a table and timeline or one JSON document.
//
// Exit: 0 no warning or critical event, 1 warnings, 2 critical events. A file that cannot be
// read, or is damaged part way, also exits 2: the analysis is incomplete, so it cannot vouch
// for the network. Everything read before the damage is still reported, and stderr names the
// file and the byte offset.
import { Command } from 'commander';
import { Analyzer } from '../analysis/analyzer.js';
import { analysisJson, analysisText, type CaptureDamage } from '../analysis/report.js';
import { visitCaptureFile } from '../capture/file.js';
import { CaptureFileError } from '../capture/types.js';
import { CliError, Exit } from '../errors.js';
import { Output } from './output.js';
import { writeSafeJson } from '../format/escape.js';
import { collectConfig, CONFIG_FLAGS, CONFIG_HELP, loadConfigs, type ConfigArg } from './config-option.js';
import { holdAnalysis } from '../intent/analysis.js';
import { configText, withConfigJson } from '../intent/report.js';

interface AnalyzeOptions {
  json?: boolean;
  config?: ConfigArg[];
}

export function makeAnalyzeCommand(): Command {
  return new Command('analyze')
    .description('track every virtual router of a capture: masters, failovers, split brain, mismatches (exit 0 ok, 1 warnings, 2 critical or damaged file)')
    .argument('<file>', 'capture file (pcap or pcapng), or - for standard input')
    .option('--json', 'one JSON document: packets, vrids, events, openConditions, discarded')
    .option(CONFIG_FLAGS, CONFIG_HELP, collectConfig)
    .action(async (file: string, opts: AnalyzeOptions) => {
      process.exitCode = await runAnalyze(file, opts);
    });
}

export async function runAnalyze(file: string, opts: AnalyzeOptions, out = new Output()): Promise<number> {
  const configs = opts.config === undefined ? null : loadConfigs(opts.config, { wholeInput: true });
  const analyzer = new Analyzer();
  let failure: Error | null = null;
  try {
    await visitCaptureFile(file, analyzer.packet);
  } catch (e) {
    failure = e as Error;
  }
  const damage: CaptureDamage | null = failure instanceof CaptureFileError ? { offset: failure.offset, reason: failure.reason } : null;
  if (failure !== null && analyzer.counter.frames === 0) throw new CliError(failure.message, Exit.INPUT);

  // The capture ends at its latest packet: silences that reach it count.
  const endUs = analyzer.nowMicros;
  const wire = analyzer.result(endUs === -Infinity ? undefined : endUs);
  const a = configs === null ? wire : holdAnalysis(wire, configs.watch, endUs === -Infinity ? 0 : endUs);
  if (opts.json) {
    const doc = analysisJson(a, damage);
    // Written a member at a time: a flood's document is a few MB of text, never one string.
    writeSafeJson(configs === null ? doc : withConfigJson(doc, a.vrids, configs.watch, configs.lint), 2, (s) => out.write(s));
    out.write('\n');
  } else {
    out.write(analysisText(a, damage) + (configs === null ? '' : configText(configs.lint)));
  }
  await out.end();
  if (failure !== null) throw new CliError(failure.message, Exit.INPUT);
  // Exit.INPUT (2) is also analyze's code for critical events (see exit.ts).
  return a.worst === 'critical' ? Exit.INPUT : a.worst === 'warning' ? Exit.WARNING : Exit.OK;
}
