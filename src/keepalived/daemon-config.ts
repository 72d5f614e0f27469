// An instance of keepalived.conf as the daemon's configuration (src/daemon/config.ts DaemonConfig):
// the one translation `simulate` uses now and `vrrpwatch daemon -f` (issue 13) can use.
import { AuthPassword, type DaemonConfig, type SyncGroupRef, type TrackInterfaceConfig, type TrackScriptConfig, type UnicastConfig, type Vip } from '../daemon/config.js';
import type { InstanceConfig, NodeConfig, NotifyConfig, SyncGroupConfig, Tracked, VirtualAddress } from './model.js';
import type { Origin } from './source.js';

/**
 * The effective values of `i` for the daemon. Tracked scripts and interfaces keep their effective
 * weight (keepalived's dropped entries are already gone, and inside a sync group without
 * global_tracking an interface's weight is already 0); `group`: its vrrp_sync_group, whose own
 * tracking every member takes on, as keepalived adds it to each member.
 */
export function daemonConfigOf(i: InstanceConfig, group: SyncGroupConfig | null = null): DaemonConfig {
  const a = i.auth.value;
  const tracked: Tracked[] = [...i.tracked, ...(group?.tracked ?? [])];
  const trackScripts: TrackScriptConfig[] = tracked.flatMap((t) =>
    t.kind === 'script' && t.script !== null && t.script.script !== null
      ? [{ command: t.script.script.value, weight: t.weight.value, intervalSec: t.script.intervalSec.value, timeoutSec: t.script.timeoutSec.value || t.script.intervalSec.value, rise: t.script.rise.value, fall: t.script.fall.value }]
      : [],
  );
  const trackInterfaces: TrackInterfaceConfig[] = tracked.flatMap((t) => (t.kind === 'interface' ? [{ name: t.name, weight: t.weight.value, reverse: t.reverse }] : []));
  return {
    name: i.name,
    interface: i.interface?.value ?? '',
    vrid: i.vrid?.value ?? 0,
    family: i.family,
    version: i.version.value,
    priority: i.priority.value,
    vips: i.vips.map(vipOf),
    excludedVips: i.excludedVips.map(vipOf),
    unicast: unicastOf(i),
    advertIntervalCs: i.advertIntervalCs.value,
    auth: a.type === 'PASS' ? new AuthPassword(a.password) : null,
    preempt: i.preempt.value,
    preemptDelayCs: Math.round(i.preemptDelaySec.value * 100),
    trackScripts,
    notify: i.notify.notify?.words.join(' ') ?? null,
    notifyState: notifyStateOf(i),
    vmac: i.useVmac !== null,
    garp: { repeat: i.garp.masterRepeat.value, delayCs: i.garp.masterDelaySec.value * 100 },
    // keepalived's default (vrrp_lower_prio_no_advert off)
    lowerPriorityAdvert: true,
    ...(trackInterfaces.length > 0 ? { trackInterfaces } : {}),
    ...(group !== null ? { syncGroup: syncGroupRefOf(group) } : {}),
  };
}

function syncGroupRefOf(g: SyncGroupConfig): SyncGroupRef {
  return { name: g.name, notify: g.notify.notify?.words.join(' ') ?? null, notifyState: notifyStateFrom(g.notify) };
}

/** An instance the daemon runs, with where it is written (for every message about it). */
export interface PlannedInstance {
  config: DaemonConfig;
  at: Origin;
}

/** What `vrrpwatch daemon -f` makes of a node: the instances it runs, those it cannot (one sentence each), what it says. */
export interface DaemonPlan {
  instances: PlannedInstance[];
  refused: { name: string; at: Origin; reason: string }[];
  warnings: string[];
  /** Files holding an auth_pass, for the edge's permission check. */
  passwordFiles: string[];
}

/**
 * The node's instances as daemon configurations. An instance keepalived itself would not run
 * (no virtual_router_id, no interface, no address) or that needs what the daemon does not do
 * (AH) is refused with a sentence; what the daemon leaves out but can run
 * without (notify_deleted, ...) is a warning naming the line. A member of a vrrp_sync_group runs
 * with its group (src/daemon/sync-group.ts).
 */
export function daemonPlanOf(node: NodeConfig): DaemonPlan {
  const plan: DaemonPlan = { instances: [], refused: [], warnings: [], passwordFiles: [] };
  const taken = new Map<string, string>();
  for (const i of node.instances) {
    const where = `vrrp_instance ${i.name} (${at(i.at)})`;
    const refuse = (reason: string): void => {
      plan.refused.push({ name: i.name, at: i.at, reason: `${where}: ${reason}` });
    };
    if (i.vrid === null) { refuse('has no virtual_router_id; keepalived does not run it either'); continue; }
    if (i.interface === null) { refuse('has no interface; keepalived does not run it either'); continue; }
    if (i.vips.length === 0) { refuse('has no virtual_ipaddress; keepalived does not run it either'); continue; }
    if (i.auth.value.type === 'AH') { refuse(`auth_type AH (${at(i.auth.at)}) is not supported (RFC 3768 removed it); use PASS or none`); continue; }
    const key = `${i.interface.value}/${i.family}/${i.vrid.value}`;
    const other = taken.get(key);
    if (other !== undefined) { refuse(`VRID ${i.vrid.value} on ${i.interface.value} is already used by vrrp_instance ${other}; keepalived refuses it too`); continue; }
    taken.set(key, i.name);
    if (i.auth.value.type === 'PASS' && !plan.passwordFiles.includes(i.auth.at.file)) plan.passwordFiles.push(i.auth.at.file);
    const ignored = (what: string, o: Origin): void => {
      plan.warnings.push(`${where}: ${what} (${at(o)}) is not supported by vrrpwatch daemon yet and is ignored`);
    };
    if (i.notify.deleted !== null) ignored('notify_deleted', i.notify.deleted.at);
    for (const p of i.unicastPeers) {
      const family = p.address.includes(':') ? 6 : 4;
      if (family !== i.family) plan.warnings.push(`${where}: unicast_peer ${p.address} (${at(p.at)}) is IPv${family} and the instance IPv${i.family}; keepalived skips it too`);
    }
    if (i.unicastPeers.length === 0 && i.unicastSrcIp !== null) ignored(`${i.unicastSrcIp.value} as the source of multicast adverts`, i.unicastSrcIp.at);
    for (const v of [...i.vips, ...i.excludedVips]) {
      // keepalived: "Cannot specify scope / label for IPv6 addresses - ignoring"
      if (v.family === 6 && (v.scope !== null || v.label !== null)) plan.warnings.push(`${where}: ${v.address} (${at(v.at)}): IPv6 addresses take no scope or label; ignored, as keepalived does`);
    }
    const group = i.syncGroup === null ? null : (node.syncGroups.find((s) => s.name === i.syncGroup) ?? null);
    plan.instances.push({ config: daemonConfigOf(i, group), at: i.at });
  }
  return plan;
}

/** An address entry as `ip addr add` takes it: dev, label, scope and brd as written (IPv6: no label, no scope, no brd, as keepalived). */
function vipOf(v: VirtualAddress): Vip {
  const out: Vip = { address: v.address, prefixLength: v.prefixLength };
  if (v.dev !== null) out.dev = v.dev;
  if (v.family === 4) {
    if (v.label !== null) out.label = v.label;
    if (v.scope !== null) out.scope = v.scope;
    const b = v.words.findIndex((w) => w === 'brd' || w === 'broadcast');
    const brd = b < 0 ? undefined : v.words[b + 1];
    if (brd !== undefined) out.brd = brd;
  }
  return out;
}

/** unicast_peer (of the instance's family) makes the instance unicast; unicast_src_ip then is its source. */
function unicastOf(i: InstanceConfig): UnicastConfig | null {
  const peers = i.unicastPeers.filter((p) => p.address.includes(':') === (i.family === 6)).map((p) => p.address);
  if (peers.length === 0) return null;
  return { srcAddress: i.unicastSrcIp?.value ?? null, peers: [...new Set(peers)] };
}

function notifyStateOf(i: InstanceConfig): DaemonConfig['notifyState'] {
  return notifyStateFrom(i.notify);
}

function notifyStateFrom(n: NotifyConfig): DaemonConfig['notifyState'] {
  const out: DaemonConfig['notifyState'] = {};
  for (const [state, s] of [['MASTER', n.master], ['BACKUP', n.backup], ['FAULT', n.fault], ['STOP', n.stop]] as const) {
    if (s !== null) out[state] = s.words.join(' ');
  }
  return out;
}

function at(o: Origin): string {
  return `${o.file}:${o.line}`;
}
