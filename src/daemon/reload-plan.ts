// What SIGHUP does to one running instance, given its new configuration (keepalived's reload,
// vrrp.c clear_diff_vrrp / restore_vrrp_state). Pure. An instance is the same virtual router when
// its VRID, family and interface are the same (keepalived's vrrp_exist) and it uses the same MAC
// (use_vmac); then it keeps its state and takes the new values in place. Otherwise it is another
// virtual router: the old one stops (as on SIGTERM) and the new one starts.
import type { DaemonConfig, Vip } from './config.js';

export type ReloadAction =
  /** The same configuration: untouched (no advert, no VIP, no state change). */
  | { action: 'keep' }
  /** Applied in place (Daemon.reconfigure); `changes` for the log. */
  | { action: 'apply'; changes: string[] }
  /** Another virtual router under the same name: stop, then start. */
  | { action: 'restart'; why: string };

const OWNER = 255;

export function reloadActionOf(old: DaemonConfig, next: DaemonConfig, same: (a: DaemonConfig, b: DaemonConfig) => boolean): ReloadAction {
  if (same(old, next)) return { action: 'keep' };
  const identity: [string, unknown, unknown][] = [
    ['interface', old.interface, next.interface],
    ['virtual_router_id', old.vrid, next.vrid],
    ['address family', old.family, next.family],
    ['use_vmac', old.vmac, next.vmac],
    ['sync group', old.syncGroup?.name ?? null, next.syncGroup?.name ?? null],
    // unicast_src_ip is the adverts' source (the tie-break address), unicast_peer whom it talks to.
    ['unicast_src_ip / unicast_peer', unicastText(old), unicastText(next)],
  ];
  for (const [what, a, b] of identity) {
    if (a !== b) return { action: 'restart', why: `its ${what} changed (${String(a ?? 'none')} -> ${String(b ?? 'none')}): another virtual router` };
  }
  // The address owner is master at once and never tracks: entering or leaving 255 starts afresh.
  if ((old.priority === OWNER) !== (next.priority === OWNER)) {
    return { action: 'restart', why: `priority ${old.priority} -> ${next.priority} ${next.priority === OWNER ? 'makes it' : 'stops it being'} the address owner` };
  }
  const changes: string[] = [];
  const was = (what: string, a: unknown, b: unknown, say = `${what} ${String(a)} -> ${String(b)}`): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push(say);
  };
  was('priority', old.priority, next.priority);
  was('advert_int', old.advertIntervalCs / 100, next.advertIntervalCs / 100, `advert_int ${old.advertIntervalCs / 100} s -> ${next.advertIntervalCs / 100} s`);
  was('version', old.version, next.version);
  const key = (v: Vip): string => `${v.address}/${v.prefixLength}`;
  const added = next.vips.filter((v) => !old.vips.some((o) => key(o) === key(v))).map(key);
  const gone = old.vips.filter((v) => !next.vips.some((n) => key(n) === key(v))).map(key);
  if (added.length + gone.length > 0) changes.push(`virtual_ipaddress ${[...added.map((a) => `+${a}`), ...gone.map((g) => `-${g}`)].join(' ')}`);
  was('virtual_ipaddress_excluded', old.excludedVips, next.excludedVips, 'virtual_ipaddress_excluded');
  was('preempt', old.preempt, next.preempt, next.preempt ? 'preempt on (nopreempt removed)' : 'nopreempt');
  was('preempt_delay', old.preemptDelayCs / 100, next.preemptDelayCs / 100, `preempt_delay ${old.preemptDelayCs / 100} s -> ${next.preemptDelayCs / 100} s`);
  was('authentication', old.auth === null ? null : Array.from(old.auth.authData()), next.auth === null ? null : Array.from(next.auth.authData()), 'authentication');
  was('track_script', old.trackScripts, next.trackScripts, 'track_script');
  was('track_interface', old.trackInterfaces ?? [], next.trackInterfaces ?? [], 'track_interface');
  was('notify', [old.notify, old.notifyState], [next.notify, next.notifyState], 'notify scripts');
  was('garp', old.garp, next.garp, 'garp settings');
  was('sync group notify', old.syncGroup ?? null, next.syncGroup ?? null, 'sync group notify scripts');
  // Whatever else differs (a field this list does not name yet) still applies with the rest.
  if (changes.length === 0) changes.push('settings');
  return { action: 'apply', changes };
}

function unicastText(c: DaemonConfig): string | null {
  return c.unicast === null ? null : `${c.unicast.srcAddress ?? 'primary'} to ${c.unicast.peers.join(',')}`;
}
