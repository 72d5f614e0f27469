// `simulate`: the election of each virtual router over its nodes on an ideal LAN (lan.ts runs the
// daemon's state machine), with keepalived's priority arithmetic (priority.ts). Steps apply in
// order; without steps, every single failure and every pair, each from the steady state.
import { escapeControl } from '../format/escape.js';
import { groupRouters, type VirtualRouter } from './cluster.js';
import type { InstanceConfig, NodeConfig, Tracked } from './model.js';
import { IdealLan, standInAddress, type LanMember } from './lan.js';
import { effectivePriority } from './priority.js';
import { compareAddresses } from './mismatch-rules.js';

export type Step =
  | { text: string; node: string; kind: 'script'; name: string; failing: boolean }
  | { text: string; node: string; kind: 'interface'; name: string; down: boolean }
  | { text: string; node: string; kind: 'node'; down: boolean };

/** `NODE:SCRIPT=fail|ok`, `NODE:INTERFACE=down|up`, `NODE:down|up`; a sentence when it is none. */
export function parseStep(text: string, nodes: readonly NodeConfig[]): Step | string {
  const m = /^([^:]+):(?:([^=]+)=(fail|ok|down|up)|(down|up))$/.exec(text);
  if (m === null) return `--step ${text}: expected NODE:SCRIPT=fail|ok, NODE:INTERFACE=down|up or NODE:down|up`;
  const node = m[1] as string;
  const n = nodes.find((x) => x.name === node);
  if (n === undefined) return `--step ${text}: no node ${node} (nodes: ${nodes.map((x) => x.name).join(', ')})`;
  if (m[4] !== undefined) return { text, node, kind: 'node', down: m[4] === 'down' };
  const name = m[2] as string;
  if (m[3] === 'fail' || m[3] === 'ok') {
    if (!n.scripts.some((s) => s.name === name)) return `--step ${text}: ${node} has no vrrp_script ${name} (it has: ${n.scripts.map((s) => s.name).join(', ') || 'none'})`;
    return { text, node, kind: 'script', name, failing: m[3] === 'fail' };
  }
  const ifs = new Set(n.instances.flatMap((i) => [i.interface?.value ?? '', ...i.tracked.filter((t) => t.kind === 'interface').map((t) => t.name)]));
  if (!ifs.has(name)) return `--step ${text}: ${node} neither runs on nor tracks an interface ${name}`;
  return { text, node, kind: 'interface', name, down: m[3] === 'down' };
}

export interface StepResult {
  step: string;
  /** Effective priority each node advertises (0 in FAULT), null when its keepalived is down. */
  priorities: Record<string, number | null>;
  master: string | null;
  /** More than one when the nodes do not hear each other (a mismatch): split brain. */
  masters: string[];
  /** The master holds the VIP although one of its own checks is failing. */
  failingMaster?: string;
}

export interface InstanceRun {
  name: string;
  vrid: number;
  family: 4 | 6;
  nodes: string[];
  /** Where each node's advert address came from. */
  addresses: Record<string, { address: string; from: 'unicast_src_ip' | 'node order' }>;
  steps: StepResult[];
  /** Failure cases (no --step): each from the steady state; `steps` then holds start only. */
  cases?: StepResult[];
  casesCut?: number;
}

export interface SimulationResult {
  instances: InstanceRun[];
}

/** Cases per virtual router when no steps are given (singles first, then pairs). */
export const MAX_CASES = 64;

interface Health {
  down: boolean;
  scripts: Set<string>;
  interfaces: Set<string>;
}

export function simulate(nodes: readonly NodeConfig[], steps: readonly Step[]): SimulationResult {
  const { routers } = groupRouters(nodes);
  // Virtual routers alike in everything the election depends on (a fleet made from one template)
  // have the same outcome, up to their names: each such shape is simulated once.
  const memo = new Map<string, ShapeResult>();
  const instances: InstanceRun[] = [];
  for (const r of routers) {
    const members = lanMembers(r, nodes);
    const addresses = Object.fromEntries(members.map((m) => [m.name, { address: m.address, from: m.instance.unicastSrcIp ? ('unicast_src_ip' as const) : ('node order' as const) }]));
    const cases = steps.length > 0 ? null : failureCases(members);
    const shape = new Shape(members);
    const key = shape.key(steps, cases?.list ?? null);
    let out = memo.get(key);
    if (out === undefined) {
      const frames = new Map<string, unknown>();
      out = {
        steps: runScenario(members, steps, frames),
        cases: cases?.list.map((c) => runScenario(members, c, frames).at(-1) as Outcome) ?? null,
      };
      memo.set(key, out);
    }
    const run: InstanceRun = { name: r.name, vrid: r.vrid, family: r.family, nodes: members.map((m) => m.name), addresses, steps: out.steps.map((o, i) => named(members, i === 0 ? 'start' : (steps[i - 1] as Step).text, o)) };
    if (cases !== null && out.cases !== null) {
      const list = cases.list;
      run.cases = out.cases.map((o, i) => named(members, (list[i] as Step[]).map((x) => x.text).join(' + '), o));
      run.casesCut = cases.cut;
    }
    instances.push(run);
  }
  return { instances };
}

/** A step or case outcome by member index, independent of names. */
interface Outcome {
  priorities: (number | null)[];
  masters: number[];
  /** The master whose own check fails: member and tracked entry. */
  failing: { member: number; tracked: number } | null;
}

interface ShapeResult {
  steps: Outcome[];
  cases: Outcome[] | null;
}

function named(members: readonly LanMember[], step: string, o: Outcome): StepResult {
  const priorities: Record<string, number | null> = {};
  members.forEach((m, i) => {
    priorities[m.name] = o.priorities[i] ?? null;
  });
  const masters = o.masters.map((i) => (members[i] as LanMember).name);
  const r: StepResult = { step, priorities, master: masters[0] ?? null, masters };
  if (o.failing !== null) {
    const m = members[o.failing.member] as LanMember;
    const t = m.instance.tracked[o.failing.tracked] as Tracked;
    r.failingMaster = `${m.name} holds the VIP although its ${t.kind === 'script' ? `track_script ${t.name} is failing` : `track_interface ${t.name} is down`} (${t.at.file}:${t.at.line}, weight ${t.weight.value})`;
  }
  return r;
}

/** The election-relevant shape of a virtual router: members by index, names by first appearance. */
class Shape {
  readonly #members: readonly LanMember[];
  readonly #names = new Map<string, number>();

  constructor(members: readonly LanMember[]) {
    this.#members = members;
  }

  #id(name: string): number {
    let i = this.#names.get(name);
    if (i === undefined) {
      i = this.#names.size;
      this.#names.set(name, i);
    }
    return i;
  }

  #tracked(t: Tracked): unknown {
    return [t.kind, this.#id(`${t.kind === 'script' ? 's' : 'if'}:${t.name}`), t.weight.value, t.reverse];
  }

  key(steps: readonly Step[], cases: readonly (readonly Step[])[] | null): string {
    const ms = this.#members;
    const order = ms.map((_, i) => i).sort((a, b) => compareAddresses((ms[a] as LanMember).address, (ms[b] as LanMember).address));
    const auths: string[] = [];
    const members = ms.map((m, idx) => {
      const i = m.instance;
      const a = i.auth.value;
      const auth = a.type === 'PASS' ? `P${a.password}` : a.type;
      if (!auths.includes(auth)) auths.push(auth);
      return [
        order.indexOf(idx), i.family, i.version.value, i.priority.value, i.advertIntervalCs.value, i.preempt.value, i.preemptDelaySec.value, auths.indexOf(auth),
        i.interface === null ? -1 : this.#id(`if:${i.interface.value}`), i.vips.length,
        i.tracked.map((t) => this.#tracked(t)),
        m.sync === undefined ? null : [m.sync.tracked.map((t) => this.#tracked(t)), m.sync.peers.map((p) => [p.interface === null ? -1 : this.#id(`if:${p.interface.value}`), p.tracked.map((t) => this.#tracked(t))])],
      ];
    });
    const step = (s: Step): unknown => {
      const member = ms.findIndex((m) => m.name === s.node);
      if (member < 0) return 0;
      if (s.kind === 'node') return [member, s.down];
      return [member, this.#id(`${s.kind === 'script' ? 's' : 'if'}:${s.name}`), s.kind === 'script' ? s.failing : s.down];
    };
    return JSON.stringify([members, steps.map(step), cases?.map((c) => c.map(step)) ?? null]);
  }
}

function lanMembers(r: VirtualRouter, nodes: readonly NodeConfig[]): LanMember[] {
  return r.members.map((m) => {
    const lm: LanMember = { name: m.node.name, instance: m.instance, address: m.instance.unicastSrcIp?.value ?? standInAddress(m.instance.family, nodes.indexOf(m.node) + 1) };
    const g = m.instance.syncGroup === null ? undefined : m.node.syncGroups.find((x) => x.name === m.instance.syncGroup);
    if (g !== undefined) lm.sync = { group: g.name, peers: m.node.instances.filter((i) => i !== m.instance && i.syncGroup === g.name), tracked: g.tracked };
    return lm;
  });
}

/** keepalived's FAULT for one instance: a weight-0 check failing, or its own interface down. */
function ownFault(i: InstanceConfig, h: Health): string | null {
  const failing = (t: Tracked): boolean => (t.kind === 'script' ? h.scripts.has(t.name) : h.interfaces.has(t.name)) !== t.reverse;
  const t = i.tracked.find((x) => x.weight.value === 0 && failing(x));
  if (t !== undefined) return `${t.kind === 'script' ? 'track_script' : 'track_interface'} ${t.name} ${t.kind === 'script' ? 'failing' : 'down'} (weight 0)`;
  const own = i.interface?.value;
  return own !== undefined && h.interfaces.has(own) ? `interface ${own} down` : null;
}

function effective(m: LanMember, h: Health): { priority: number; fault: string | null } {
  const failing = (t: Tracked): boolean => (t.kind === 'script' ? h.scripts.has(t.name) : h.interfaces.has(t.name));
  const e = effectivePriority(m.instance, { failing });
  let fault = ownFault(m.instance, h);
  // keepalived vrrp_sync.c: one member in FAULT takes the whole sync group to FAULT
  if (fault === null && m.sync !== undefined) {
    const g = m.sync;
    const t = g.tracked.find((x) => x.weight.value === 0 && failing(x) !== x.reverse);
    if (t !== undefined) fault = `sync group ${g.group}: ${t.kind === 'script' ? 'track_script' : 'track_interface'} ${t.name} ${t.kind === 'script' ? 'failing' : 'down'}`;
    for (const p of g.peers) {
      if (fault !== null) break;
      const pf = ownFault(p, h);
      if (pf !== null) fault = `sync group ${g.group}: ${p.name} in FAULT (${pf})`;
    }
  }
  return { priority: e.priority, fault };
}

function runScenario(members: readonly LanMember[], steps: readonly Step[], frames: Map<string, unknown>): Outcome[] {
  const lan = new IdealLan(members, frames);
  const health = new Map<string, Health>(members.map((m) => [m.name, { down: false, scripts: new Set(), interfaces: new Set() }]));
  const settle = settleSeconds(members);
  members.forEach((m, i) => {
    const e = effective(m, health.get(m.name) as Health);
    lan.start(i, e.priority, e.fault);
  });
  lan.run(settle);
  const out = [record(members, lan, health)];
  for (const s of steps) {
    const h = health.get(s.node);
    if (h !== undefined) {
      if (s.kind === 'script') (s.failing ? h.scripts.add(s.name) : h.scripts.delete(s.name));
      else if (s.kind === 'interface') (s.down ? h.interfaces.add(s.name) : h.interfaces.delete(s.name));
      else h.down = s.down;
      members.forEach((m, i) => {
        if (m.name !== s.node) return;
        const e = effective(m, h);
        if (h.down) lan.crash(i);
        else if (!lan.isUp(i)) lan.start(i, e.priority, e.fault);
        else lan.track(i, e.priority, e.fault);
      });
      lan.run(settle);
    }
    out.push(record(members, lan, health));
  }
  return out;
}

/**
 * Long enough for any takeover one step can cause: the master's next advert carries a changed
 * priority (1 interval), a backup's Master_Down_Interval then runs out (< 4 intervals), after its
 * preempt_delay when it has one; one interval and a second more as margin.
 */
function settleSeconds(members: readonly LanMember[]): number {
  const adv = Math.max(...members.map((m) => m.instance.advertIntervalCs.value / 100));
  const delay = Math.max(...members.map((m) => m.instance.preemptDelaySec.value));
  return 6 * adv + delay + 1;
}

function record(members: readonly LanMember[], lan: IdealLan, health: Map<string, Health>): Outcome {
  const masters = lan.masters();
  let failing: Outcome['failing'] = null;
  for (const i of masters) {
    const m = members[i] as LanMember;
    const h = health.get(m.name) as Health;
    const bad = m.instance.tracked.findIndex((t) => (t.kind === 'script' ? h.scripts.has(t.name) : h.interfaces.has(t.name)) !== t.reverse);
    if (bad >= 0 && failing === null) failing = { member: i, tracked: bad };
  }
  return { priorities: members.map((_, i) => lan.priority(i)), masters, failing };
}

/** Every single failure (each tracked script, tracked interface and node) and every pair. */
function failureCases(members: readonly LanMember[]): { list: Step[][]; cut: number } {
  const atoms: Step[] = [];
  for (const m of members) {
    const seen = new Set<string>();
    for (const t of m.instance.tracked) {
      const key = `${t.kind}:${t.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      atoms.push(t.kind === 'script'
        ? { text: `${m.name}:${t.name}=fail`, node: m.name, kind: 'script', name: t.name, failing: true }
        : { text: `${m.name}:${t.name}=down`, node: m.name, kind: 'interface', name: t.name, down: true });
    }
    atoms.push({ text: `${m.name}:down`, node: m.name, kind: 'node', down: true });
  }
  const all: Step[][] = atoms.map((a) => [a]);
  for (let i = 0; i < atoms.length; i++) {
    for (let j = i + 1; j < atoms.length; j++) {
      const a = atoms[i] as Step;
      const b = atoms[j] as Step;
      // a node down hides everything else failing on it
      if (a.node === b.node && (a.kind === 'node' || b.kind === 'node')) continue;
      all.push([a, b]);
    }
  }
  return { list: all.slice(0, MAX_CASES), cut: Math.max(0, all.length - MAX_CASES) };
}

export function simulationJson(r: SimulationResult): unknown {
  return r;
}

export function simulationText(r: SimulationResult): string {
  const out: string[] = [];
  for (const inst of r.instances) {
    const addr = inst.nodes.map((n) => `${n} ${inst.addresses[n]?.address ?? '?'}${inst.addresses[n]?.from === 'node order' ? '*' : ''}`).join(', ');
    out.push(escapeControl(`VRID ${inst.vrid} (${inst.name}), IPv${inst.family}: ${addr}`));
    const rows = inst.cases === undefined ? inst.steps : [...inst.steps, ...inst.cases];
    const label = inst.cases === undefined ? 'step' : 'case (from the steady state)';
    const w = Math.max(label.length, ...rows.map((s) => s.step.length));
    const cols = inst.nodes.map((n) => Math.max(n.length, 4));
    out.push(`  ${label.padEnd(w)}  ${inst.nodes.map((n, i) => n.padStart(cols[i] as number)).join('  ')}  master`);
    for (const s of rows) {
      const ps = inst.nodes.map((n, i) => {
        const p = s.priorities[n];
        return (p === null || p === undefined ? 'down' : p === 0 ? 'FAULT' : String(p)).padStart(cols[i] as number);
      });
      const master = s.masters.length > 1 ? `${s.masters.join(' and ')} (split brain)` : (s.master ?? 'none');
      out.push(escapeControl(`  ${s.step.padEnd(w)}  ${ps.join('  ')}  ${master}`));
      if (s.failingMaster !== undefined) out.push(escapeControl(`    ! ${s.failingMaster}`));
    }
    if (inst.casesCut) out.push(`  (${inst.casesCut} more failure pairs not simulated: at most ${MAX_CASES} cases per instance)`);
    if (inst.nodes.some((n) => inst.addresses[n]?.from === 'node order')) out.push('  * no unicast_src_ip: addresses stand in, in node order (a priority tie goes to the later node)');
    out.push('');
  }
  return `${out.join('\n')}`;
}
