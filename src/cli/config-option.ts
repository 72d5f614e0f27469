// `--config [ADDR=]FILE[@CONFIG_ID]` (issue 12), shared by analyze, check and watch: parsed here,
// the files read at this edge (src/keepalived-fs.ts), the nodes handed to the pure watcher.
import { fsReader } from '../keepalived-fs.js';
import { canonicalAddress } from '../keepalived/numbers.js';
import { lint, type LintResult } from '../keepalived/lint.js';
import { readNodes } from '../keepalived/node.js';
import { IntentWatch, type IntentOptions } from '../intent/intent.js';

export const CONFIG_FLAGS = '--config <[addr=]file[@id]>';
export const CONFIG_HELP = "a node's keepalived.conf to hold the wire against (repeatable); ADDR= ties it to the router address it advertises from, @ID is keepalived's -i config-id";

export interface ConfigArg {
  /** Canonical; null when not given. */
  address: string | null;
  /** FILE or FILE@CONFIG_ID, as `lint` takes it. */
  node: string;
}

/** `192.0.2.11=lb-a.conf@lb1`; a prefix before `=` that is no address is part of the file name. */
export function parseConfigArg(text: string): ConfigArg | { error: string } {
  const eq = text.indexOf('=');
  const head = eq > 0 ? canonicalAddress(text.slice(0, eq)) : null;
  const node = head === null ? text : text.slice(eq + 1);
  if (node === '') return { error: `--config ${text}: no file after '='; give ADDR=FILE or FILE` };
  return { address: head?.address ?? null, node };
}

/** The repeatable option's collector for commander. */
export function collectConfig(text: string, previous: ConfigArg[] | undefined): ConfigArg[] {
  const p = parseConfigArg(text);
  if ('error' in p) throw new Error(p.error);
  return [...(previous ?? []), p];
}

export interface LoadedConfigs {
  watch: IntentWatch;
  lint: LintResult;
}

/** Reads every node (a missing or broken file is a lint finding, as `lint` says it) and lints them together. */
export function loadConfigs(args: readonly ConfigArg[], opts: IntentOptions): LoadedConfigs {
  const nodes = readNodes(args.map((a) => a.node), fsReader);
  const watch = new IntentWatch(nodes.map((node, i) => ({ node, address: args[i]?.address ?? null })), opts);
  return { watch, lint: lint(nodes) };
}
