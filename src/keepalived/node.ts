// One node: `FILE` or `FILE@CONFIG_ID` read as keepalived on that node reads it, and its name.
import { parseBlocks } from './blocks.js';
import { complete, completeGlobal } from './complete.js';
import { severityRank, type LintFinding } from './findings.js';
import { readDrafts } from './grammar.js';
import { ROOT } from './keywords.js';
import type { NodeConfig } from './model.js';
import { preprocess } from './preprocess.js';
import { basename, type ConfigReader } from './source.js';

export interface NodeArg {
  file: string;
  configId: string | null;
}

/** `a.conf@lb1` -> file a.conf, config-id lb1. The last `@` splits, so a path may hold one. */
export function parseNodeArg(arg: string): NodeArg {
  const at = arg.lastIndexOf('@');
  if (at <= 0 || at === arg.length - 1 || arg.slice(at + 1).includes('/')) return { file: arg, configId: null };
  return { file: arg.slice(0, at), configId: arg.slice(at + 1) };
}

export function readNode(arg: NodeArg, reader: ConfigReader): NodeConfig {
  const pre = preprocess(arg.file, reader, { configId: arg.configId });
  const blocks = parseBlocks(pre.lines, ROOT);
  const drafts = readDrafts(blocks.statements);
  const top = { file: arg.file, line: 1 };
  const global = completeGlobal(drafts.global, top);
  const done = complete(global, drafts.scripts, drafts.instances, drafts.syncGroups);
  const routerId = global.routerId?.value;
  const name = arg.configId ?? routerId ?? basename(arg.file).replace(/\.[^.]*$/, '');
  const nameFrom = arg.configId !== null ? 'config-id' : routerId !== undefined ? 'router_id' : 'file';
  const findings: LintFinding[] = [...pre.findings, ...blocks.findings, ...drafts.findings, ...done.findings].map((f) => ({ ...f, node: name }));
  return {
    name, nameFrom, file: arg.file, configId: arg.configId, global, scripts: drafts.scripts, instances: done.instances, syncGroups: done.syncGroups,
    lines: pre.lines, statements: blocks.statements, files: pre.files, findings,
  };
}

/** Nodes given twice under one name are told apart by their argument. */
export function readNodes(args: readonly string[], reader: ConfigReader): NodeConfig[] {
  const nodes = args.map((a) => readNode(parseNodeArg(a), reader));
  const count = new Map<string, number>();
  for (const n of nodes) count.set(n.name, (count.get(n.name) ?? 0) + 1);
  for (const [i, n] of nodes.entries()) {
    if ((count.get(n.name) ?? 0) > 1) {
      const name = `${n.name}#${i + 1}`;
      n.name = name;
      for (const f of n.findings) f.node = name;
    }
  }
  return nodes;
}

export function worstSeverity(findings: readonly LintFinding[]): number {
  return findings.reduce((m, f) => Math.max(m, severityRank(f.severity)), -1);
}
