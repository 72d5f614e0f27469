// The nodes' keepalived.conf files held against the analysis (issue 12): one pure watcher that
// every face feeds. It sees every analyzer event (priorities, for tracking), and at each
// evaluation the virtual routers' snapshots; it returns the events not said before: which router
// is which node, config-mismatch, unexpected-router, configured-not-seen, unexpected-master.
// analyze and check evaluate once at the end of the input; watch after every packet and tick.
import { vridKey, vridText } from '../analysis/labels.js';
import type { AnalysisEvent, EventFields, Family, RouterSnapshot, SegmentId, VridSnapshot } from '../analysis/types.js';
import type { InstanceConfig, NodeConfig } from '../keepalived/model.js';
import { eventSeverity } from '../rules/severity.js';
import { masterDownIntervalUs, missedAdvertsUs } from '../rules/timers.js';
import { compareRouter } from './compare.js';
import type { IntentFields } from './events.js';
import { mapRouters, type ConfiguredNode, type Mapping, type WireRouter } from './mapping.js';
import { mappedText, mismatchText, notSeenText, priorityExplained, unexpectedMasterText, unexpectedText, unmappedText, where } from './messages.js';
import { explainPriority } from './tracking.js';

/** Bound on what the watcher remembers (keys of events said, routers' priorities). */
export const MAX_REMEMBERED = 65_536;

const NO_SEGMENT: SegmentId = { interface: null, vlan: null, vlans: [] };

export interface IntentOptions {
  /**
   * true (analyze): a configured VRID is not seen when the whole input never shows it. false
   * (watch, check): only once it has been absent for its Master_Down_Interval since `startUs`.
   */
  wholeInput: boolean;
}

export class IntentWatch {
  readonly nodes: readonly ConfiguredNode[];
  private readonly opts: IntentOptions;
  /** router key -> priority -> first time advertised */
  private readonly priorities = new Map<string, Map<number, number>>();
  private mappings = new Map<string, Mapping>();
  private readonly said = new Set<string>();
  private readonly masterSince = new Map<string, { master: string; sinceUs: number }>();
  private startUs: number | null = null;
  /** Events not said because MAX_REMEMBERED was reached. */
  dropped = 0;

  constructor(nodes: readonly ConfiguredNode[], opts: IntentOptions) {
    this.nodes = nodes;
    this.opts = opts;
  }

  /** Every analyzer event, in order; a priority-change of a mapped router comes back with `tracking`. */
  observe(e: AnalysisEvent): AnalysisEvent {
    if (this.startUs === null) this.startUs = e.timeUs;
    if (e.type === 'router-seen' || e.type === 'priority-change') {
      const key = routerKey(e.segment, e.family, e.vrid, e.router);
      let ps = this.priorities.get(key);
      if (ps === undefined) {
        if (this.priorities.size >= MAX_REMEMBERED) return e;
        ps = new Map();
        this.priorities.set(key, ps);
      }
      const p = e.type === 'router-seen' ? e.priority : e.to;
      if (!ps.has(p)) ps.set(p, e.timeUs);
    }
    return e.type === 'priority-change' ? this.annotate(e) : e;
  }

  /** A priority-change with the tracked weights that explain its new priority (null: none does). */
  annotate(e: Extract<AnalysisEvent, { type: 'priority-change' }>): AnalysisEvent {
    const m = this.mappings.get(routerKey(e.segment, e.family, e.vrid, e.router));
    if (m?.kind !== 'mapped' || e.to === 0) return e;
    const tracking = explainPriority(m.instance, e.to);
    return { ...e, tracking, message: priorityExplained(e.message, m.node.name, tracking, m.instance) };
  }

  /** The node of a router on the wire, null when it is none's (or not decided). */
  nodeOf(v: Pick<VridSnapshot, 'segment' | 'family' | 'vrid'>, address: string): string | null {
    const m = this.mappings.get(routerKey(v.segment, v.family, v.vrid, address));
    return m?.kind === 'mapped' ? m.node.name : null;
  }

  /** New events at `nowUs`; `final`: the input has ended (analyze, check). */
  evaluate(vrids: readonly VridSnapshot[], nowUs: number, final: boolean): AnalysisEvent[] {
    if (this.startUs === null) this.startUs = nowUs;
    const out: AnalysisEvent[] = [];
    const emit = (timeUs: number, v: { segment: SegmentId; family: Family; vrid: number }, fields: IntentFields, text: string, key: string): void => {
      if (this.said.has(key)) return;
      if (this.said.size >= MAX_REMEMBERED) {
        this.dropped++;
        return;
      }
      this.said.add(key);
      out.push({ timeUs, vrid: v.vrid, family: v.family, severity: eventSeverity(fields.type), message: text, segment: v.segment, ...(fields as EventFields) } as AnalysisEvent);
    };

    const wire: { w: WireRouter; v: VridSnapshot; r: RouterSnapshot }[] = [];
    for (const v of vrids) {
      for (const r of v.routers) {
        const key = routerKey(v.segment, v.family, v.vrid, r.address);
        const ps = [...(this.priorities.get(key)?.keys() ?? [])];
        if (!ps.includes(r.priority)) ps.push(r.priority);
        const w = { key, group: vridKey(v.segment, v.family, v.vrid), vrid: v.vrid, family: v.family, address: r.address, priorities: ps.filter((p) => p > 0), advertIntervalCs: r.advertIntervalCs };
        wire.push({ w, v, r });
      }
    }
    this.mappings = mapRouters(this.nodes, wire.map((x) => x.w), this.mappings);

    for (const { w, v, r } of wire) {
      const text = vridText(v.segment, v.family, v.vrid);
      const m = this.mappings.get(w.key);
      if (m === undefined) continue;
      const when = final ? r.firstSeenUs : nowUs;
      switch (m.kind) {
        case 'mapped': {
          emit(when, v, { type: 'router-mapped', router: r.address, node: m.node.name, by: m.by, instance: m.instance.name, file: m.instance.at.file, line: m.instance.at.line }, mappedText(text, r.address, m.node, m.instance, m.by), `map|${w.key}`);
          const firsts = this.priorities.get(w.key);
          for (const f of compareRouter(m.instance, { priorities: w.priorities, advertIntervalCs: r.advertIntervalCs, version: r.version, authType: r.authType, authData: r.authData, vips: r.vips })) {
            const t = f.field === 'priority' ? firsts?.get(f.wire as number) ?? when : when;
            emit(t, v, { type: 'config-mismatch', router: r.address, node: m.node.name, field: f.field, wire: f.wire, config: f.config, file: f.at.file, line: f.at.line },
              mismatchText(text, r.address, m.node.name, f), `mismatch|${w.key}|${f.field}|${JSON.stringify(f.wire)}|${JSON.stringify(f.config)}`);
          }
          break;
        }
        case 'ambiguous':
        case 'conflict':
          // Said once the evidence is all in (a live view waits: the next router may settle it).
          if (final || this.opts.wholeInput === false) {
            emit(when, v, { type: 'router-unmapped', router: r.address, reason: m.kind, candidates: m.candidates }, unmappedText(text, r.address, m.kind, m.candidates), `unmapped|${w.key}`);
          }
          break;
        case 'unexpected':
          emit(when, v, { type: 'unexpected-router', router: r.address, reason: m.reason }, unexpectedText(text, r.address, m.reason), `unexpected|${w.key}`);
          break;
      }
    }

    this.notSeen(vrids, nowUs, final, emit);
    this.expectedMasters(vrids, nowUs, final, emit);
    return out.sort((a, b) => a.timeUs - b.timeUs);
  }

  private notSeen(vrids: readonly VridSnapshot[], nowUs: number, final: boolean, emit: Emit): void {
    const start = this.startUs ?? nowUs;
    for (const { node } of this.nodes) {
      for (const inst of node.instances) {
        if (inst.vrid === null) continue;
        const vrid = inst.vrid.value;
        const family: Family = inst.family === 6 ? 'ipv6' : 'ipv4';
        if (vrids.some((v) => v.vrid === vrid && v.family === family)) continue;
        const waited = nowUs - start >= masterDownIntervalUs({ version: inst.version.value, priority: inst.priority.value, advertIntervalCs: inst.advertIntervalCs.value });
        if (this.opts.wholeInput ? !final : !waited) continue;
        const v = { segment: NO_SEGMENT, family, vrid };
        emit(nowUs, v, { type: 'configured-not-seen', node: node.name, instance: inst.name, file: inst.at.file, line: inst.at.line }, notSeenText(vridText(NO_SEGMENT, family, vrid), node, inst), `notseen|${node.name}|${inst.name}`);
      }
    }
  }

  /**
   * When exactly one mapped router should be master (the highest priority on the wire among those
   * heard), and another one has been master for three adverts: the config's reason, or none.
   */
  private expectedMasters(vrids: readonly VridSnapshot[], nowUs: number, final: boolean, emit: Emit): void {
    for (const v of vrids) {
      const group = vridKey(v.segment, v.family, v.vrid);
      const master = v.routers.find((r) => r.address === v.master);
      if (master === undefined) {
        this.masterSince.delete(group);
        continue;
      }
      const since = this.masterSince.get(group);
      if (since === undefined || since.master !== master.address) this.masterSince.set(group, { master: master.address, sinceUs: master.lastSeenUs });
      const held = nowUs - (this.masterSince.get(group)?.sinceUs ?? nowUs) >= missedAdvertsUs({ advertIntervalCs: master.advertIntervalCs });
      if (!held && !final) continue;
      // The wire's evidence: each mapped router's last priority (a silent one may be a backup holding back).
      const known = v.routers.filter((r) => r.priority > 0 && r.discarded === 0 && this.mappings.get(routerKey(v.segment, v.family, v.vrid, r.address))?.kind === 'mapped');
      const top = Math.max(...known.map((r) => r.priority));
      const best = known.filter((r) => r.priority === top);
      const expected = best[0];
      if (best.length !== 1 || expected === undefined || expected.address === master.address) continue;
      const em = this.mappings.get(routerKey(v.segment, v.family, v.vrid, expected.address));
      if (em?.kind !== 'mapped') continue;
      // Silent and preempting: it is down, not holding back; master-change and master-down say that.
      if (expected.silent && em.instance.preempt.value && em.instance.preemptDelaySec.value === 0) continue;
      const mm = this.mappings.get(routerKey(v.segment, v.family, v.vrid, master.address));
      const node = mm?.kind === 'mapped' ? mm.node.name : null;
      const why = reasonOf(em.instance);
      const text = unexpectedMasterText(vridText(v.segment, v.family, v.vrid), master.address, node, expected.address, em.node.name, why?.text ?? null);
      emit(nowUs, v, { type: 'unexpected-master', router: master.address, node, expected: expected.address, expectedNode: em.node.name, reason: why?.text ?? null, file: why?.at.file ?? null, line: why?.at.line ?? null }, text, `master|${group}|${master.address}|${expected.address}`);
    }
  }
}

type Emit = (timeUs: number, v: { segment: SegmentId; family: Family; vrid: number }, fields: IntentFields, text: string, key: string) => void;

/** Why the config lets a higher-priority router stay backup: nopreempt or a preempt delay. */
function reasonOf(inst: InstanceConfig): { text: string; at: { file: string; line: number } } | null {
  if (!inst.preempt.value) return { text: `nopreempt (${where(inst.preempt.at)}): when it came back it did not take the role from the master already there (or it is down); restart keepalived on the master's node to move the role`, at: inst.preempt.at };
  if (inst.preemptDelaySec.value > 0) return { text: `preempt_delay ${inst.preemptDelaySec.value} (${where(inst.preemptDelaySec.at)}): it waits before taking the role back`, at: inst.preemptDelaySec.at };
  return null;
}

export function routerKey(segment: SegmentId, family: Family | null, vrid: number | null, address: string): string {
  return `${vridKey(segment, family, vrid)}|${address}`;
}

export type { ConfiguredNode, NodeConfig };
