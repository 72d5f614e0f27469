// The daemon's metrics as data, per instance (name and VRID: one today, several once the daemon
// runs many, issue 13). Pure. vrrpwatch_instance_state is an OpenMetrics StateSet: one series per
// state, 1 for the current one, so that a failover changes values and never series names.
import { stateChangeSeverity } from '../rules/severity.js';
import { DROP_REASONS, STATES, type DropReason, type Transition, type VrrpState } from '../daemon/machine.js';
import { buildInfo, type BuildFacts, type MetricFamily } from './metrics.js';

export interface InstanceFacts {
  name: string;
  vrid: number;
  family: 4 | 6;
  interface: string;
  state: VrrpState;
  effectivePriority: number;
  transitions: number;
  advertsSent: number;
  advertsReceived: number;
  drops: Partial<Record<DropReason, number>>;
}

/** The reasons a received advert is dropped that are counted (another VRID's adverts are not drops). */
const COUNTED_DROPS = DROP_REASONS.filter((r) => r !== 'not-ours');

export function daemonMetrics(instances: readonly InstanceFacts[], build: BuildFacts): MetricFamily[] {
  const labels = ['instance', 'vrid'] as const;
  const fam = (name: string, type: MetricFamily['type'], help: string, labelNames: readonly string[]): MetricFamily => ({ name, type, help, labelNames, samples: [] });
  const state = fam('vrrpwatch_instance_state', 'gauge', 'The instance\'s VRRP state, as a StateSet: 1 for the current state, 0 for the others.', [...labels, 'state']);
  const priority = fam('vrrpwatch_instance_effective_priority', 'gauge', 'The priority the instance advertises now (configured, moved by track scripts).', labels);
  const transitions = fam('vrrpwatch_instance_transitions_total', 'counter', 'State changes of the instance since it started.', labels);
  const sent = fam('vrrpwatch_instance_adverts_sent_total', 'counter', 'Adverts the instance sent.', labels);
  const received = fam('vrrpwatch_instance_adverts_received_total', 'counter', 'Adverts for the instance\'s VRID received from other routers.', labels);
  const dropped = fam('vrrpwatch_instance_adverts_dropped_total', 'counter', 'Received adverts the instance dropped (RFC checks, auth, interval), by reason.', [...labels, 'reason']);
  for (const i of instances) {
    const l = { instance: i.name, vrid: String(i.vrid) };
    for (const s of STATES) state.samples.push({ labels: { ...l, state: s.toLowerCase() }, value: s === i.state ? 1 : 0 });
    priority.samples.push({ labels: l, value: i.effectivePriority });
    transitions.samples.push({ labels: l, value: i.transitions });
    sent.samples.push({ labels: l, value: i.advertsSent });
    received.samples.push({ labels: l, value: i.advertsReceived });
    for (const r of COUNTED_DROPS) dropped.samples.push({ labels: { ...l, reason: r }, value: i.drops[r] ?? 0 });
  }
  return [state, priority, transitions, sent, received, dropped, buildInfo(build)];
}

/** A state change as an event line of --events and --on-event, in the shape of `watch --json`'s. */
export function transitionEvent(i: Pick<InstanceFacts, 'name' | 'vrid' | 'family' | 'interface'>, t: Transition, priority: number, time: string): Record<string, unknown> {
  return {
    time,
    type: 'state-change',
    severity: stateChangeSeverity(t.to),
    vrid: i.vrid,
    family: i.family === 4 ? 'ipv4' : 'ipv6',
    interface: i.interface,
    vlan: null,
    instance: i.name,
    from: t.from.toLowerCase(),
    to: t.to.toLowerCase(),
    reason: t.reason,
    priority,
    message: `${i.name} (VRID ${i.vrid} on ${i.interface}): ${t.from} -> ${t.to} (${t.reason}), priority ${priority}`,
  };
}
