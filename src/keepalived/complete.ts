// keepalived 2.2.7's defaults and the changes it makes once the whole file is read
// (keepalived/vrrp/vrrp.c vrrp_complete_instance, vrrp_complete_init): each change the file did
// not ask for is a finding, with the line it undoes.
//
// How each quirk was verified ("source": read in acassen/keepalived at tag v2.2.7; "-t": what
// Debian's keepalived 2.2.7 prints, checked for every test config by test/keepalived/oracle.test.ts,
// case named in brackets):
// - extra words after a value are dropped silently: source (handlers read strvec slot 1 only,
//   e.g. vrrp_parser.c vrrp_prio_handler); -t prints nothing [extra-tokens].
// - keywords and `state` are case-sensitive: source (strcmp in lib/parser.c process_stream and
//   vrrp_state_handler); -t "unknown state 'Master', defaulting to BACKUP" [bad-value-state-case],
//   "Unknown keyword 'unicst_peer'" [unknown-keyword].
// - auth_pass keeps 8 characters: source (vrrp_auth_pass_handler); -t "Truncating auth_pass to 8
//   characters" [password-truncated].
// - a script's default weight is 0 (FAULT) and a track_script entry inherits it: source
//   (vrrp_data.c alloc_vrrp_script, vrrp_track.c alloc_track_script); -t says nothing.
// - a track_script names only scripts defined above it: source (alloc_track_script looks up at
//   read time); -t "track script chk_later not found, ignoring..." [script-undefined].
// - nopreempt cleared with state MASTER or priority 255: source (vrrp.c l.3100-3116); -t
//   "nopreempt will not work with initial state MASTER - clearing" [nopreempt-ignored].
// - tracking never moves priority 255: source (vrrp.c l.3825-3915, vrrp_track.c
//   vrrp_set_effective_priority); -t "ignoring tracked script chk with weights due to
//   address_owner" [owner-tracking-ignored].
// - weights ignored in a sync group unless global_tracking: source (vrrp.c l.3825); -t "ignoring
//   tracked script chk with weights due to SYNC group" [sync-group-weight-ignored].
// - VRRPv2 rounds a fractional advert_int to the nearest second: source (vrrp.c l.3262-3270 adds
//   0.5 s, then truncates: 1.6 -> 2); -t "VRRPv2 advertisement interval 1.600000s must be an
//   integer. rounding" [bad-value-advert-round] (-t does not print the result; the source does).
import type { GlobalDraft, InstanceDraft, SyncGroupDraft, TrackDraft } from './grammar.js';
import { TIMER_DIGITS } from './grammar.js';
import { finding, type LintFinding } from './findings.js';
import type { Auth, GlobalConfig, InstanceConfig, ScriptConfig, SyncGroupConfig, Tracked, Value } from './model.js';
import type { Origin } from './source.js';

export const OWNER_PRIORITY = 255;
/** keepalived vrrp.h VRRP_PRIO_DFL. */
export const DEFAULT_PRIORITY = 100;
/** keepalived vrrp.h: auth_data is 8 bytes. */
export const AUTH_PASS_LENGTH = 8;
const US = 10 ** TIMER_DIGITS;

export function completeGlobal(g: GlobalDraft, at: Origin): GlobalConfig {
  return {
    routerId: g.routerId,
    vrrpVersion: g.vrrpVersion ?? { value: 2, at, from: 'default' },
    garpMasterDelaySec: g.garpMasterDelaySec ?? { value: 5, at, from: 'default' },
    garpMasterRepeat: g.garpMasterRepeat ?? { value: 5, at, from: 'default' },
    scriptUser: g.scriptUser,
    enableScriptSecurity: g.enableScriptSecurity,
    strict: g.strict,
  };
}

export interface Completed {
  instances: InstanceConfig[];
  syncGroups: SyncGroupConfig[];
  findings: LintFinding[];
}

export function complete(global: GlobalConfig, scripts: readonly ScriptConfig[], drafts: readonly InstanceDraft[], groups: readonly SyncGroupDraft[]): Completed {
  const findings: LintFinding[] = [];
  const say = (f: LintFinding): number => findings.push(f);

  // vrrp_sync_group membership (vrrp_sync.c): names resolved once every instance is read
  const groupOf = new Map<string, SyncGroupDraft>();
  for (const g of groups) {
    for (const m of g.members) {
      if (!drafts.some((d) => d.name === m.name)) say(finding('bad-value', m.at, `sync group ${g.name}: no vrrp_instance ${m.name}; keepalived ignores the name`));
      else if (groupOf.has(m.name)) say(finding('bad-value', m.at, `vrrp_instance ${m.name} is already in sync group ${groupOf.get(m.name)?.name}; an instance belongs to one group`, { instance: m.name }));
      else groupOf.set(m.name, g);
    }
    if (g.members.length === 1) say(finding('bad-value', g.at, `sync group ${g.name} has a single member; keepalived warns that a group of one does nothing`));
  }

  const instances: InstanceConfig[] = [];
  for (const d of drafts) {
    const c = completeInstance(d, global, groupOf.get(d.name) ?? null, say);
    if (c !== null) instances.push(c);
  }

  // vrrp_complete_init: "Warning - script X is not used"
  for (const s of scripts) {
    const used = instances.some((i) => i.tracked.some((t) => t.script === s)) || groups.some((g) => g.tracked.some((t) => t.script === s));
    if (!used) say(finding('script-unused', s.at, `vrrp_script ${s.name} is tracked by no instance: keepalived never runs it ("script ${s.name} is not used")`));
  }

  // vrrp.c: scripts run as root without enable_script_security: "SECURITY VIOLATION - scripts are being executed but script_security not enabled"
  const firstScript = instances.flatMap((i) => i.tracked.filter((t) => t.script !== null))[0];
  if (firstScript !== undefined && !global.enableScriptSecurity) {
    say(finding('script-security', firstScript.at, `scripts run without enable_script_security in global_defs: keepalived warns ("SECURITY VIOLATION - scripts are being executed but script_security not enabled") and runs them as ${global.scriptUser ? global.scriptUser.words.join(':') : 'root (or keepalived_script)'}`));
  }

  // vrrp_complete_init: "VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0"
  const seen = new Map<string, InstanceConfig>();
  for (const i of instances) {
    if (i.vrid === null || i.interface === null || i.unicastPeers.length > 0) continue;
    const key = `${i.interface.value}|${i.family}|${i.vrid.value}`;
    const prev = seen.get(key);
    if (prev === undefined) seen.set(key, i);
    else {
      say(finding('vrid-reused', i.vrid.at, `${prev.name} and ${i.name} both use VRID ${i.vrid.value} with IPv${i.family} on interface ${i.interface.value} (${prev.name} at ${prev.vrid?.at.file}:${prev.vrid?.at.line}): one virtual router, two configurations; keepalived refuses this ("both use VRID"). Give one of them another virtual_router_id`, { instance: i.name }));
    }
  }

  const syncGroups: SyncGroupConfig[] = groups.map((g) => ({
    name: g.name, at: g.at, members: g.members, trackingWeight: g.trackingWeight, notify: g.notify, statements: g.statements,
    tracked: g.tracked.flatMap((t) => completeTracked(t, g.name, null, say)),
  }));
  return { instances, syncGroups, findings };
}

function completeInstance(d: InstanceDraft, global: GlobalConfig, group: SyncGroupDraft | null, say: (f: LintFinding) => void): InstanceConfig | null {
  const at = d.at;
  const tell = (code: Parameters<typeof finding>[0], where: Origin, text: string): void => say(finding(code, where, `(${d.name}) ${text}`, { instance: d.name }));
  const family: 4 | 6 = d.vips[0]?.family ?? 4;

  // version: the instance's, IPv6 forces 3, else vrrp_version (vrrp.c ~l.2880)
  let version: Value<2 | 3> = d.version ?? (family === 6 ? { value: 3, at, from: 'default', why: 'IPv6 instances are always VRRPv3' } : global.vrrpVersion);

  if (d.vrid === null) {
    tell('parse-error', at, 'has no valid virtual_router_id: keepalived refuses to run it ("the virtual router id must be set")');
    return null;
  }
  if (d.vips.length === 0) {
    if (version.value === 3) {
      tell('parse-error', at, 'has no virtual_ipaddress: a VRRPv3 instance needs one, keepalived refuses it ("No VIP specified; at least one is required")');
      return null;
    }
    tell('no-vip', at, 'has no virtual_ipaddress: its adverts carry no address and a failover moves nothing ("No VIP specified; at least one is sensible")');
  }

  // priority unset: 255 with state MASTER, else 100; state unset: MASTER iff priority 255 (vrrp.c ~l.2905-2913)
  const wantMaster = d.state?.value === 'MASTER';
  const priority: Value<number> = d.priority ?? (wantMaster
    ? { value: OWNER_PRIORITY, at: d.state?.at ?? at, from: 'keepalived', why: 'no priority line and state MASTER: keepalived makes it the address owner' }
    : { value: DEFAULT_PRIORITY, at, from: 'default' });
  if (d.priority === null && wantMaster) {
    tell('bad-value', d.state?.at ?? at, 'state MASTER without a priority line: keepalived gives it priority 255, the address owner, which always preempts and ignores tracking weights; set a priority (1-254) if that is not meant');
  }
  const state: Value<'MASTER' | 'BACKUP'> = d.state ?? { value: priority.value === OWNER_PRIORITY ? 'MASTER' : 'BACKUP', at, from: 'default' };

  // authentication (vrrp.c ~l.2922-2950)
  let auth: Value<Auth> = { value: { type: 'none' }, at, from: 'default' };
  if (d.authType !== null) {
    const pass = d.authPass;
    if (version.value === 3) {
      tell('bad-value', d.authType.at, 'authentication with VRRPv3: keepalived ignores it ("VRRP version 3 does not support authentication. Ignoring."); adverts go without it');
    } else if (d.authType.value === 'PASS' && (pass === null || pass.written === '')) {
      tell('bad-value', d.authType.at, 'auth_type PASS without auth_pass: keepalived ignores the authentication ("Authentication specified but no password given")');
    } else if (d.authType.value === 'AH') {
      auth = { value: { type: 'AH' }, at: d.authType.at, from: 'file' };
    } else if (pass !== null) {
      const kept = pass.written.slice(0, AUTH_PASS_LENGTH);
      const truncated = pass.written.length > AUTH_PASS_LENGTH;
      auth = truncated
        ? { value: { type: 'PASS', password: kept, written: pass.written }, at: pass.at, from: 'keepalived', why: `only the first ${AUTH_PASS_LENGTH} characters are used` }
        : { value: { type: 'PASS', password: kept, written: pass.written }, at: pass.at, from: 'file' };
      if (truncated) {
        tell('password-truncated', pass.at, `auth_pass is ${pass.written.length} characters; keepalived keeps the first ${AUTH_PASS_LENGTH}, '${kept}' ("Truncating auth_pass to 8 characters"): a peer whose password differs only after them still matches, and one written as '${kept}' matches too`);
      }
    }
  } else if (d.authPass !== null && version.value === 2) {
    tell('bad-value', d.authPass.at, 'auth_pass without auth_type: keepalived sends no authentication; add auth_type PASS');
  }

  // advert_int (vrrp.c l.3254-3290): v2 rounds to whole seconds (adds 0.5 s, truncates), max 255; v3 10 ms steps, max 40.95 s
  const asked = d.advertIntUs ?? { value: US, at, from: 'default' as const };
  let advertUs = asked.value;
  let advertWhy: string | undefined;
  if (version.value === 2) {
    if (advertUs >= 256 * US) {
      advertUs = 255 * US;
      advertWhy = 'VRRPv2 intervals stop at 255 s';
    } else if (advertUs % US !== 0) {
      advertUs = Math.max(US, advertUs + US / 2 - ((advertUs + US / 2) % US));
      advertWhy = `VRRPv2 intervals are whole seconds: keepalived rounds ${asked.value / US} s to ${advertUs / US} s ("must be an integer. rounding")`;
    }
  } else if (advertUs >= 4096 * (US / 100)) {
    advertUs = 4095 * (US / 100);
    advertWhy = 'VRRPv3 intervals stop at 40.95 s';
  } else if (advertUs % (US / 100) !== 0) {
    advertUs = Math.max(US / 100, advertUs + US / 200 - ((advertUs + US / 200) % (US / 100)));
    advertWhy = `VRRPv3 intervals are in 10 ms steps: keepalived rounds to ${advertUs / US} s`;
  }
  if (advertWhy !== undefined) tell('bad-value', asked.at, `advert_int ${asked.value / US}: ${advertWhy}; write the value it uses`);
  const advertIntervalCs: Value<number> = advertWhy === undefined ? { ...asked, value: advertUs / (US / 100) } : { value: advertUs / (US / 100), at: asked.at, from: 'keepalived', why: advertWhy };

  // nopreempt / preempt_delay (vrrp.c l.3100-3135)
  let preempt: Value<boolean> = { value: true, at, from: 'default' };
  if (d.nopreempt !== null) {
    if (priority.value === OWNER_PRIORITY) {
      tell('nopreempt-ignored', d.nopreempt, 'nopreempt with priority 255: the address owner always preempts; keepalived clears nopreempt ("nopreempt is incompatible with priority 255")');
      preempt = { value: true, at: d.nopreempt, from: 'keepalived', why: 'priority 255' };
    } else if (state.value === 'MASTER') {
      tell('nopreempt-ignored', d.nopreempt, `nopreempt with state MASTER${state.from === 'file' ? ` (line ${state.at.line})` : ''}: keepalived clears it ("nopreempt will not work with initial state MASTER - clearing"), so this node preempts whenever its priority is higher; use state BACKUP on every node for nopreempt`);
      preempt = { value: true, at: d.nopreempt, from: 'keepalived', why: 'state MASTER' };
    } else preempt = { value: false, at: d.nopreempt, from: 'file' };
  }
  let preemptDelaySec: Value<number> = d.preemptDelayUs === null ? { value: 0, at, from: 'default' } : { ...d.preemptDelayUs, value: d.preemptDelayUs.value / US };
  if (preemptDelaySec.value > 0 && (state.value === 'MASTER' || !preempt.value)) {
    const why = state.value === 'MASTER' ? 'state MASTER ("preempt delay will not work with initial state MASTER - clearing")' : 'nopreempt ("preempt_delay is incompatible with nopreempt mode - resetting")';
    tell('bad-value', preemptDelaySec.at, `preempt_delay with ${why}: keepalived uses 0`);
    preemptDelaySec = { value: 0, at: preemptDelaySec.at, from: 'keepalived', why };
  }

  // tracking: owner ignores weighted tracking; a sync group drops weights unless global_tracking (vrrp.c l.3825-3915)
  const inGroup = group !== null && !group.trackingWeight ? group : null;
  const tracked = d.tracked.flatMap((t) => completeTracked(t, d.name, { priority: priority.value, group: inGroup }, say));

  const g = d.garp;
  const garpDef = (v: Value<number> | undefined, global: Value<number>): Value<number> => v ?? global;
  return {
    name: d.name, at, end: d.end, state, interface: d.interface, vrid: d.vrid, priority, advertIntervalCs, version, family, auth,
    vips: d.vips, excludedVips: d.excludedVips, preempt, preemptDelaySec, tracked, unicastSrcIp: d.unicastSrcIp, unicastPeers: d.unicastPeers,
    useVmac: d.useVmac, notify: d.notify, syncGroup: group?.name ?? null, statements: d.statements,
    garp: {
      masterDelaySec: garpDef(g.masterDelaySec, global.garpMasterDelaySec),
      masterRepeat: garpDef(g.masterRepeat, global.garpMasterRepeat),
      masterRefreshSec: g.masterRefreshSec ?? { value: 0, at, from: 'default' },
      lowerPrioDelaySec: g.lowerPrioDelaySec ?? garpDef(g.masterDelaySec, global.garpMasterDelaySec),
      lowerPrioRepeat: g.lowerPrioRepeat ?? garpDef(g.masterRepeat, global.garpMasterRepeat),
    },
  };
}

/** One tracking entry as keepalived keeps it, or nothing when keepalived drops it. */
function completeTracked(t: TrackDraft, owner: string, instance: { priority: number; group: SyncGroupDraft | null } | null, say: (f: LintFinding) => void): Tracked[] {
  const tell = (code: Parameters<typeof finding>[0], text: string): void => say(finding(code, t.at, `(${owner}) ${text}`, { instance: owner }));
  if (t.kind === 'script' && t.script === null) {
    tell('script-undefined', `track_script ${t.name}: no vrrp_script ${t.name} is defined before this line; keepalived drops the entry ("track script ${t.name} not found, ignoring"), so its failure changes nothing. Define the vrrp_script above the instance`);
    return [];
  }
  // vrrp_track.c alloc_track_script: an entry without `weight` takes the script's (default 0)
  const weight: Value<number> = t.weight !== null
    ? { value: t.weight.value, at: t.weight.at, from: 'file' }
    : t.script !== null
      ? { value: t.script.weight.value, at: t.script.weight.at, from: t.script.weight.from === 'default' ? 'default' : 'file', why: `the weight of vrrp_script ${t.script.name}` }
      : { value: 0, at: t.at, from: 'default' };
  const reverse = t.reverse ?? t.script?.reverse ?? false;
  const out: Tracked = { kind: t.kind, name: t.name, at: t.at, weight, reverse, ignored: null, script: t.script };
  if (instance !== null && weight.value === 0 && t.kind === 'script') {
    tell('weight-zero-fault', `track_script ${t.name} has weight 0${weight.from === 'default' ? " (vrrp_script's default)" : ''}: when it fails keepalived puts ${owner} in FAULT (priority 0 advert, VIPs released) instead of lowering its priority`);
  }
  if (instance !== null && weight.value !== 0) {
    const what = t.kind === 'script' ? `track_script ${t.name}` : `track_interface ${t.name}`;
    if (instance.priority === OWNER_PRIORITY) {
      tell('owner-tracking-ignored', `${what} with weight ${weight.value} on priority 255: keepalived stops tracking it ("ignoring ... due to address owner"); the owner's priority never changes, so its failure never moves the VIP. Lower the priority below 255 or use weight 0 (FAULT)`);
      return [];
    }
    if (instance.group !== null) {
      if (t.kind === 'script') {
        tell('sync-group-weight-ignored', `${what} with weight ${weight.value} inside sync group ${instance.group.name}: keepalived drops it ("ignoring tracked script with weights due to SYNC group"); its failure changes nothing. Add global_tracking to the group, or track it with weight 0 (FAULT moves the whole group)`);
        return [];
      }
      tell('sync-group-weight-ignored', `${what} weight ${weight.value} inside sync group ${instance.group.name}: keepalived sets the weight to 0 ("ignoring weight ... due to SYNC group"), so the interface going down puts the whole group in FAULT instead. Add global_tracking to the group to keep the weight`);
      return [{ ...out, weight: { value: 0, at: weight.at, from: 'keepalived', why: `sync group ${instance.group.name}` }, ignored: 'sync-group' }];
    }
  }
  return [out];
}
