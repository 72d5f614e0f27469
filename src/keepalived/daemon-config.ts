// An instance of keepalived.conf as the daemon's configuration (src/daemon/config.ts DaemonConfig):
// the one translation `simulate` uses now and `vrrpwatch daemon -f` (issue 13) can use.
import { AuthPassword, type DaemonConfig, type TrackScriptConfig } from '../daemon/config.js';
import type { InstanceConfig } from './model.js';

/**
 * The effective values of `i` for the daemon. Tracked scripts become track scripts with their
 * effective weight (keepalived's dropped entries are already gone); tracked interfaces are not
 * scripts and are left to the caller, as is `notify` beyond the generic `notify` line.
 */
export function daemonConfigOf(i: InstanceConfig): DaemonConfig {
  const a = i.auth.value;
  const trackScripts: TrackScriptConfig[] = i.tracked.flatMap((t) =>
    t.kind === 'script' && t.script !== null && t.script.script !== null
      ? [{ command: t.script.script.value, weight: t.weight.value, intervalSec: t.script.intervalSec.value, timeoutSec: t.script.timeoutSec.value || t.script.intervalSec.value, rise: t.script.rise.value, fall: t.script.fall.value }]
      : [],
  );
  return {
    name: i.name,
    interface: i.interface?.value ?? '',
    vrid: i.vrid?.value ?? 0,
    family: i.family,
    version: i.version.value,
    priority: i.priority.value,
    vips: i.vips.map((v) => ({ address: v.address, prefixLength: v.prefixLength })),
    advertIntervalCs: i.advertIntervalCs.value,
    auth: a.type === 'PASS' ? new AuthPassword(a.password) : null,
    preempt: i.preempt.value,
    preemptDelayCs: Math.round(i.preemptDelaySec.value * 100),
    trackScripts,
    notify: i.notify.notify?.words.join(' ') ?? null,
    vmac: i.useVmac !== null,
    garp: { repeat: i.garp.masterRepeat.value, delayCs: i.garp.masterDelaySec.value * 100 },
    // keepalived's default (vrrp_lower_prio_no_advert off)
    lowerPriorityAdvert: true,
  };
}
