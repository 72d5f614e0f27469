// Which router on the wire is which node's config (issue 12). In order: the address the user tied
// to a config (`--config ADDR=FILE`), the instance's unicast_src_ip, the one configured instance of
// the VRID whose priority (base, or base plus tracked weights) and interval fit, the node an
// address already is in another VRID, and the last unmapped router of a VRID against its last
// unclaimed instance. What stays ambiguous is said, never guessed.
import { canonicalAddress } from '../keepalived/numbers.js';
import type { InstanceConfig, NodeConfig } from '../keepalived/model.js';
import type { Family } from '../analysis/types.js';
import type { MappedBy } from './events.js';
import { explainPriority } from './tracking.js';

/** A router as the wire shows it, within its virtual router (`group`: segment, family and VRID). */
export interface WireRouter {
  key: string;
  group: string;
  vrid: number;
  family: Family;
  address: string;
  /** Every non-zero priority it advertised. */
  priorities: number[];
  advertIntervalCs: number;
}

export type Mapping =
  | { kind: 'mapped'; node: NodeConfig; instance: InstanceConfig; by: MappedBy }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'conflict'; candidates: string[] }
  | { kind: 'unexpected'; reason: 'no-config' | 'not-mapped' };

export interface ConfiguredNode {
  node: NodeConfig;
  /** `ADDR=` of --config, canonical; null when not given. */
  address: string | null;
}

const familyOf = (i: InstanceConfig): Family => (i.family === 6 ? 'ipv6' : 'ipv4');

export function canonical(address: string): string {
  return canonicalAddress(address)?.address ?? address;
}

function candidates(nodes: readonly ConfiguredNode[], r: WireRouter): { node: NodeConfig; instance: InstanceConfig }[] {
  const out: { node: NodeConfig; instance: InstanceConfig }[] = [];
  for (const { node } of nodes) {
    const i = node.instances.find((x) => x.vrid?.value === r.vrid && familyOf(x) === r.family);
    if (i !== undefined) out.push({ node, instance: i });
  }
  return out;
}

/** `exact`: the router advertised the configured priority itself; else base plus tracked weights will do. */
function fits(i: InstanceConfig, r: WireRouter, exact: boolean): boolean {
  if (i.advertIntervalCs.value !== r.advertIntervalCs) return false;
  return exact ? r.priorities.includes(i.priority.value) : r.priorities.some((p) => explainPriority(i, p) !== null);
}

/**
 * Every router's mapping. `fixed` holds mappings made before (a live view keeps them), so a
 * router keeps its node while the wire changes under it.
 */
export function mapRouters(nodes: readonly ConfiguredNode[], routers: readonly WireRouter[], fixed: ReadonlyMap<string, Mapping> = new Map()): Map<string, Mapping> {
  const out = new Map<string, Mapping>();
  for (const [k, m] of fixed) if (m.kind === 'mapped' && routers.some((r) => r.key === k)) out.set(k, m);
  const mapped = (r: WireRouter): Extract<Mapping, { kind: 'mapped' }> | undefined => {
    const m = out.get(r.key);
    return m?.kind === 'mapped' ? m : undefined;
  };
  const claimedIn = (group: string): Set<NodeConfig> => new Set(routers.filter((x) => x.group === group).map(mapped).filter((m) => m !== undefined).map((m) => m.node));
  // One interface of a node has one address: a node already seen at another address there is not this router.
  const elsewhere = (r: WireRouter, c: { node: NodeConfig; instance: InstanceConfig }): boolean => {
    const iface = c.instance.interface?.value;
    return routers.some((x) => x.family === r.family && x.address !== r.address && mapped(x)?.node === c.node && mapped(x)?.instance.interface?.value === iface);
  };
  const tie = (r: WireRouter, node: NodeConfig, by: MappedBy): boolean => {
    if (claimedIn(r.group).has(node)) return false;
    const c = candidates(nodes, r).find((x) => x.node === node);
    if (c === undefined) return false;
    if (by !== 'address' && elsewhere(r, c)) return false;
    out.set(r.key, { kind: 'mapped', node, instance: c.instance, by });
    return true;
  };

  // 1. What the user and unicast_src_ip say.
  const byAddress = new Map<string, { node: NodeConfig; by: MappedBy }[]>();
  const say = (address: string, node: NodeConfig, by: MappedBy): void => {
    const a = canonical(address);
    const l = byAddress.get(a) ?? [];
    if (!l.some((x) => x.node === node)) l.push({ node, by });
    byAddress.set(a, l);
  };
  for (const n of nodes) if (n.address !== null) say(n.address, n.node, 'address');
  for (const n of nodes) for (const i of n.node.instances) if (i.unicastSrcIp !== null && n.address === null) say(i.unicastSrcIp.value, n.node, 'unicast_src_ip');
  for (const r of routers) {
    if (out.has(r.key)) continue;
    const said = byAddress.get(r.address);
    if (said === undefined) continue;
    if (said.length > 1) {
      out.set(r.key, { kind: 'conflict', candidates: said.map((s) => s.node.name) });
      continue;
    }
    const s = said[0] as { node: NodeConfig; by: MappedBy };
    if (!tie(r, s.node, s.by)) out.set(r.key, { kind: 'unexpected', reason: 'not-mapped' });
  }

  // 2..4, until nothing changes: the fitting instance, the same address, the last one left.
  for (let changed = true; changed; ) {
    changed = false;
    // The configured priority itself first: a router at its base priority is surer evidence than tracking.
    for (const exact of [true, false]) {
      const open = routers.filter((r) => !out.has(r.key));
      for (const r of open) {
        const claimed = claimedIn(r.group);
        const fit = candidates(nodes, r).filter((c) => !claimed.has(c.node) && fits(c.instance, r, exact));
        if (fit.length !== 1) continue;
        const only = fit[0] as { node: NodeConfig; instance: InstanceConfig };
        const rivals = open.filter((x) => x !== r && x.group === r.group && fits(only.instance, x, exact));
        if (rivals.length === 0 && tie(r, only.node, 'vrid-priority-interval')) changed = true;
      }
      if (changed) break;
    }
    for (const r of routers.filter((x) => !out.has(x.key))) {
      const same = [...new Set(routers.filter((x) => x.address === r.address).map(mapped).filter((m) => m !== undefined).map((m) => m.node))];
      if (same.length === 1 && tie(r, same[0] as NodeConfig, 'same-address')) changed = true;
    }
    for (const group of new Set(routers.map((r) => r.group))) {
      const left = routers.filter((r) => r.group === group && !out.has(r.key));
      const first = left[0];
      if (left.length !== 1 || first === undefined) continue;
      const claimed = claimedIn(group);
      const free = candidates(nodes, first).filter((c) => !claimed.has(c.node));
      if (free.length === 1 && tie(first, (free[0] as { node: NodeConfig }).node, 'elimination')) changed = true;
    }
  }

  for (const r of routers) {
    if (out.has(r.key)) continue;
    const all = candidates(nodes, r);
    const claimed = claimedIn(r.group);
    const free = all.filter((c) => !claimed.has(c.node) && !elsewhere(r, c));
    out.set(r.key, all.length === 0 ? { kind: 'unexpected', reason: 'no-config' } : free.length === 0 ? { kind: 'unexpected', reason: 'not-mapped' } : { kind: 'ambiguous', candidates: free.map((c) => c.node.name) });
  }
  return out;
}
