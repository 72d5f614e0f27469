// Track-script bookkeeping with keepalived's semantics (vrrp_script / track_script). Pure: the
// edge runs the commands with their timeouts and feeds each exit status in as a result here.
import type { TrackInterfaceConfig, TrackScriptConfig } from './config.js';
import type { MachineEvent } from './machine.js';

export interface TrackScriptSpec {
  /** A vrrp_script (the default) or a track_interface (up = OK), for the log's words. */
  kind?: 'script' | 'interface';
  name: string;
  weight: number;
  rise: number;
  fall: number;
}

/** 'init' until the first result: it neither adds nor subtracts its weight, and is no FAULT. */
export type ScriptStatus = 'init' | 'ok' | 'ko';

export interface ScriptState {
  readonly spec: TrackScriptSpec;
  readonly status: ScriptStatus;
  /**
   * keepalived's `result` counter, 0 .. rise+fall-1: OK once it reaches `rise`. It starts at
   * rise-1, so the first success makes the script OK and the first failure makes it KO.
   */
  readonly counter: number;
}

export type TrackState = readonly ScriptState[];

/** The configured scripts, named by their command line as keepalived names them by vrrp_script. */
export function trackSpecs(scripts: readonly TrackScriptConfig[]): TrackScriptSpec[] {
  return scripts.map((s) => ({ name: s.command, weight: s.weight, rise: s.rise, fall: s.fall }));
}

/** track_interface entries as tracked objects: one look at the link is enough either way (rise = fall = 1). */
export function interfaceSpecs(ifaces: readonly TrackInterfaceConfig[]): TrackScriptSpec[] {
  return ifaces.map((i) => ({ kind: 'interface', name: i.name, weight: i.weight, rise: 1, fall: 1 }));
}

export function initialTrack(specs: readonly TrackScriptSpec[]): TrackState {
  return specs.map((spec) => ({ spec, status: 'init', counter: spec.rise - 1 }));
}

/**
 * The tracked objects after a reload: an entry the new configuration keeps as it was keeps its
 * status (no new FAULT, no priority step while it re-runs); a new or changed one starts afresh.
 */
export function retrack(old: TrackState, specs: readonly TrackScriptSpec[]): TrackState {
  const same = (a: TrackScriptSpec, b: TrackScriptSpec): boolean =>
    (a.kind ?? 'script') === (b.kind ?? 'script') && a.name === b.name && a.weight === b.weight && a.rise === b.rise && a.fall === b.fall;
  return specs.map((spec) => old.find((s) => same(s.spec, spec)) ?? { spec, status: 'init', counter: spec.rise - 1 });
}

/**
 * What the state machine must hear when the tracked objects are replaced (a reload): the new
 * effective priority and the FAULT condition, as they differ from before.
 */
export function trackReplaced(before: TrackState, after: TrackState, configuredBefore: number, configured: number, atSec: number): MachineEvent[] {
  const events: MachineEvent[] = [];
  const p0 = effectivePriority(configuredBefore, before);
  const p1 = effectivePriority(configured, after);
  if (p0 !== p1) events.push({ type: 'priority', atSec, priority: p1, reason: 'configuration reloaded (SIGHUP)' });
  const f0 = faultingScripts(before);
  const f1 = faultingScripts(after);
  if (f0.length === 0 && f1.length > 0) events.push({ type: 'fault', atSec, reason: `configuration reloaded (SIGHUP): ${f1.join(', ')} failing (weight 0)` });
  else if (f0.length > 0 && f1.length === 0) events.push({ type: 'fault-cleared', atSec, reason: 'configuration reloaded (SIGHUP): no weight-0 tracking fails any more' });
  return events;
}

/** One script's result; the state after it. Follows keepalived's vrrp_script_child_thread. */
export function recordResult(state: TrackState, index: number, ok: boolean): TrackState {
  const s = state[index];
  if (s === undefined) throw new RangeError(`no track script #${index}`);
  const { rise, fall } = s.spec;
  let { status, counter } = s;
  if (ok) {
    if (counter < rise - 1) counter++;
    else {
      status = 'ok';
      counter = rise + fall - 1;
    }
  } else if (counter > rise) counter--;
  else {
    status = 'ko';
    counter = 0;
  }
  if (status === s.status && counter === s.counter) return state;
  return state.map((x, i) => (i === index ? { spec: s.spec, status, counter } : x));
}

/** What one script adds to the priority now. */
function contribution(s: ScriptState): number {
  if (s.status === 'ok' && s.spec.weight > 0) return s.spec.weight;
  if (s.status === 'ko' && s.spec.weight < 0) return s.spec.weight;
  return 0;
}

/**
 * keepalived's vrrp_set_effective_priority: configured + the active weights, clamped to
 * [1, 254]; the address owner (255) is never changed, and nothing else can reach 255.
 */
export function effectivePriority(configured: number, state: TrackState): number {
  if (configured === 255) return 255;
  const sum = state.reduce((acc, s) => acc + contribution(s), 0);
  return Math.min(254, Math.max(1, configured + sum));
}

/** Names of the weight-0 scripts now failing: any one of them puts the instance in FAULT. */
export function faultingScripts(state: TrackState): string[] {
  return state.filter((s) => s.spec.weight === 0 && s.status === 'ko').map((s) => s.spec.name);
}

/**
 * Record a result and say what the state machine must hear about it: a `priority` event when
 * the effective priority moved, `fault` / `fault-cleared` when the FAULT condition changed.
 */
export function trackResult(
  state: TrackState,
  configured: number,
  index: number,
  ok: boolean,
  atSec: number,
): { state: TrackState; events: MachineEvent[] } {
  const next = recordResult(state, index, ok);
  if (next === state) return { state, events: [] };
  const before = state[index] as ScriptState;
  const after = next[index] as ScriptState;
  const events: MachineEvent[] = [];
  if (before.status !== after.status) {
    const what = scriptChange(before.status, after);
    const p0 = effectivePriority(configured, state);
    const p1 = effectivePriority(configured, next);
    if (p0 !== p1) events.push({ type: 'priority', atSec, priority: p1, reason: what });
    const f0 = faultingScripts(state);
    const f1 = faultingScripts(next);
    if (f0.length === 0 && f1.length > 0) events.push({ type: 'fault', atSec, reason: what });
    else if (f0.length > 0 && f1.length === 0) events.push({ type: 'fault-cleared', atSec, reason: what });
  }
  return { state: next, events };
}

function scriptChange(from: ScriptStatus, s: ScriptState): string {
  if (s.spec.kind === 'interface') {
    const w = s.spec.weight;
    const weight = w === 0 ? 'weight 0: FAULT while it is down' : `weight ${w > 0 ? '+' : ''}${w}`;
    return `track_interface ${s.spec.name} is ${s.status === 'ok' ? 'up' : 'down'} (${weight})`;
  }
  // From 'init' one result is enough (keepalived starts the counter at rise-1).
  const times = (n: number): string => (from === 'init' || n === 1 ? '' : ` ${n} times in a row`);
  const w = s.spec.weight;
  const weight = w === 0 ? 'weight 0: FAULT while it fails' : `weight ${w > 0 ? '+' : ''}${w}`;
  return s.status === 'ok'
    ? `track script ${JSON.stringify(s.spec.name)} succeeded${times(s.spec.rise)} (${weight})`
    : `track script ${JSON.stringify(s.spec.name)} failed${times(s.spec.fall)} (${weight})`;
}
