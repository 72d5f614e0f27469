// The faces agree: on every capture (the project's and ../shared/captures/public, recursively),
// `analyze --json`, `watch -r FILE --speed 0 --json` and `check -r FILE` name the same
// conditions (type, virtual router, routers), and their severities follow the one table
// (src/rules/severity.ts). Each face runs in this process through its command's own entry point.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CONDITION_TYPES, type ConditionType } from '../../src/analysis/types.js';
import { runAnalyze } from '../../src/cli/analyze.js';
import { runCheck } from '../../src/cli/check.js';
import { Output } from '../../src/cli/output.js';
import { realClock } from '../../src/live/clock.js';
import { CONDITION_SEVERITY, checkState, eventSeverity } from '../../src/rules/severity.js';
import { runWatch } from '../../src/tui/run.js';
import { allCaptures } from '../support/captures.js';

const CONDITIONS = new Set<string>(CONDITION_TYPES);

/** Conditions as (type, where, VRID) -> the routers (or MACs) named, over every occurrence. */
type Faces = Map<string, Set<string>>;

interface JsonEvent {
  type: string;
  severity: string;
  vrid: number | null;
  family: string | null;
  interface: string | null;
  vlan: number | null;
  router?: string | null;
  routers?: (string | { address: string })[];
  macs?: { mac: string; router: string | null }[];
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(c: Buffer, _e, cb) { chunks.push(Buffer.from(c)); cb(); } });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function where(type: string, iface: string | null, vlan: number | null, family: string | null, vrid: number | null): string {
  return `${type}|${iface ?? ''}|${vlan ?? ''}|${family ?? ''}|${vrid ?? ''}`;
}

function parties(e: JsonEvent): string[] {
  if (e.macs !== undefined) return e.macs.map((m) => m.router ?? m.mac);
  if (e.routers !== undefined) return e.routers.map((r) => (typeof r === 'string' ? r : r.address));
  return e.router === undefined || e.router === null ? [] : [e.router];
}

function fromEvents(events: readonly JsonEvent[], face: string): Faces {
  const out: Faces = new Map();
  for (const e of events) {
    expect(e.severity, `${face}: ${e.type}`).toBe(eventSeverity(e.type as never));
    if (!CONDITIONS.has(e.type)) continue;
    const k = where(e.type, e.interface, e.vlan, e.family, e.vrid);
    const set = out.get(k) ?? new Set<string>();
    for (const p of parties(e)) set.add(p);
    out.set(k, set);
  }
  return out;
}

async function analyzeFace(file: string): Promise<Faces> {
  const s = sink();
  await runAnalyze(file, { json: true }, new Output(s.stream)).catch(() => undefined); // damaged: what came before
  const doc = JSON.parse(s.text()) as { events: JsonEvent[]; droppedEvents: number };
  expect(doc.droppedEvents).toBe(0);
  return fromEvents(doc.events, 'analyze');
}

async function watchFace(file: string): Promise<Faces> {
  const out = sink();
  const err = sink();
  await runWatch(
    { file, speed: 0, tui: false, json: true },
    { clock: realClock, stdin: process.stdin, stdout: out.stream, stderr: err.stream, env: {} },
  );
  const lines = out.text().split('\n').filter((l) => l !== '');
  return fromEvents(lines.map((l) => JSON.parse(l) as JsonEvent), 'watch');
}

async function checkFace(file: string): Promise<Faces | null> {
  const r = await runCheck(['-r', file], '0');
  if (r.verdict === null) return null; // nothing readable: UNKNOWN
  const out: Faces = new Map();
  for (const p of r.verdict.problems) {
    const c = p.condition;
    if (c === undefined) continue;
    expect(p.state, `check: ${c.type}`).toBe(checkState(CONDITION_SEVERITY[c.type as ConditionType]));
    const k = where(c.type, c.segment.interface, c.segment.vlan, c.family, c.vrid);
    const set = out.get(k) ?? new Set<string>();
    for (const x of p.routers) set.add(x);
    out.set(k, set);
  }
  return out;
}

function plain(f: Faces): Record<string, string[]> {
  return Object.fromEntries([...f].map(([k, v]) => [k, [...v].sort()]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
}

describe('the faces agree on every capture', () => {
  const captures = allCaptures();
  it.skipIf(captures.length === 0)(`analyze --json, watch --json and check -r name the same conditions (${captures.length} captures)`, async () => {
    let withConditions = 0;
    for (const c of captures) {
      const analyze = await analyzeFace(c.path);
      const watch = await watchFace(c.path);
      const check = await checkFace(c.path);
      expect(plain(watch), `${c.name}: watch vs analyze`).toEqual(plain(analyze));
      if (check !== null) expect(plain(check), `${c.name}: check vs analyze`).toEqual(plain(analyze));
      if (analyze.size > 0) withConditions++;
    }
    // Not vacuous: the shipped captures alone give 5 with conditions (more with ../shared's).
    expect(withConditions).toBeGreaterThanOrEqual(5);
  }, 300_000);
});
