// What --config adds to analyze's outputs: `node` on every router of `vrids[].routers`, and the
// configs as `lint` reads them (their findings once, with file:line). Pure: strings and objects.
import { lintJson, lintText, type LintResult } from '../keepalived/lint.js';
import type { VridSnapshot } from '../analysis/types.js';
import type { IntentWatch } from './intent.js';

/** analysisJson's document with `node` on each router and `config` (lint's document plus addresses). */
export function withConfigJson(doc: Record<string, unknown>, vrids: readonly VridSnapshot[], w: IntentWatch, lint: LintResult): Record<string, unknown> {
  const json = doc.vrids as { routers: Record<string, unknown>[] }[];
  vrids.forEach((v, i) => {
    const rows = json[i]?.routers ?? [];
    v.routers.forEach((r, j) => {
      const row = rows[j];
      if (row !== undefined) row.node = w.nodeOf(v, r.address);
    });
  });
  const l = lintJson(lint) as { nodes: Record<string, unknown>[]; findings: unknown[] };
  l.nodes.forEach((n, i) => {
    n.address = w.nodes[i]?.address ?? null;
  });
  return { ...doc, config: l };
}

/** The configs' lint, after analyze's text. */
export function configText(lint: LintResult): string {
  const body = lintText(lint).trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
  return `\nConfigs (as \`vrrpwatch lint\` reads them):\n${body}\n`;
}

