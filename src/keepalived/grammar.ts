// The VRRP part of keepalived.conf: the handlers of keepalived/core/global_parser.c and
// keepalived/vrrp/vrrp_parser.c (2.2.7) applied to the statement tree, in file order, as keepalived
// applies them. What a handler rejects is a `bad-value` saying what keepalived does instead; words
// a handler never reads are `extra-tokens`. Defaults and the checks keepalived makes once the whole
// file is read are in complete.ts.
import type { Statement } from './blocks.js';
import { finding, type FindingCode, type LintFinding } from './findings.js';
import type { KeywordTable } from './keywords.js';
import { AUTHENTICATION, GLOBAL_DEFS, INSTANCE, ROOT, SCRIPT, SYNC_GROUP } from './keywords.js';
import type { ScriptConfig, Setting, Value, VirtualAddress, NotifyConfig, InitialState } from './model.js';
import { canonicalAddress, readDecimal, readInteger } from './numbers.js';
import type { ConfigLine } from './preprocess.js';
import type { Origin } from './source.js';

/** keepalived's TIMER_HZ_DIGITS: times are read in microseconds. */
export const TIMER_DIGITS = 6;
const US = 1_000_000;

/** A track_script / track_interface entry before complete.ts applies owner and sync-group rules. */
export interface TrackDraft {
  kind: 'script' | 'interface';
  name: string;
  at: Origin;
  /** The entry's own `weight N`, when it has one. */
  weight: { value: number; at: Origin } | null;
  reverse: boolean | null;
  /** For scripts: the vrrp_script defined before this line (keepalived looks it up while reading). */
  script: ScriptConfig | null;
}

export interface InstanceDraft {
  name: string;
  at: Origin;
  end: Origin | null;
  statements: Statement[];
  state: Value<InitialState> | null;
  interface: Value<string> | null;
  vrid: Value<number> | null;
  priority: Value<number> | null;
  advertIntUs: Value<number> | null;
  version: Value<2 | 3> | null;
  authType: Value<'PASS' | 'AH'> | null;
  authPass: { written: string; at: Origin } | null;
  vips: VirtualAddress[];
  excludedVips: VirtualAddress[];
  nopreempt: Origin | null;
  preemptDelayUs: Value<number> | null;
  tracked: TrackDraft[];
  unicastSrcIp: Value<string> | null;
  unicastPeers: { address: string; at: Origin; words: string[] }[];
  useVmac: Setting | null;
  notify: NotifyConfig;
  garp: Partial<Record<'masterDelaySec' | 'masterRepeat' | 'masterRefreshSec' | 'lowerPrioDelaySec' | 'lowerPrioRepeat', Value<number>>>;
}

export interface SyncGroupDraft {
  name: string;
  at: Origin;
  members: { name: string; at: Origin }[];
  trackingWeight: boolean;
  tracked: TrackDraft[];
  notify: NotifyConfig;
  statements: Statement[];
}

export interface GlobalDraft {
  routerId: Value<string> | null;
  vrrpVersion: Value<2 | 3> | null;
  garpMasterDelaySec: Value<number> | null;
  garpMasterRepeat: Value<number> | null;
  scriptUser: Setting | null;
  enableScriptSecurity: boolean;
  strict: boolean;
}

export interface Drafts {
  global: GlobalDraft;
  scripts: ScriptConfig[];
  instances: InstanceDraft[];
  syncGroups: SyncGroupDraft[];
  findings: LintFinding[];
}

const file = (value: number, at: Origin): Value<number> => ({ value, at, from: 'file' });

export function readDrafts(statements: readonly Statement[]): Drafts {
  const r = new Reader();
  for (const st of statements) r.root(st);
  return { global: r.global, scripts: r.scripts, instances: r.instances, syncGroups: r.syncGroups, findings: r.findings };
}

class Reader {
  readonly findings: LintFinding[] = [];
  readonly global: GlobalDraft = { routerId: null, vrrpVersion: null, garpMasterDelaySec: null, garpMasterRepeat: null, scriptUser: null, enableScriptSecurity: false, strict: false };
  readonly scripts: ScriptConfig[] = [];
  readonly instances: InstanceDraft[] = [];
  readonly syncGroups: SyncGroupDraft[] = [];

  #say(code: FindingCode, at: Origin, message: string, instance?: string): void {
    this.findings.push(finding(code, at, message, instance === undefined ? {} : { instance }));
  }

  /** Words the keyword's handler never reads: keepalived drops them without a word. */
  #extra(st: Statement, table: KeywordTable, owner?: string): void {
    const spec = table.get(st.keyword);
    const max = spec !== undefined && spec.kind !== 'skip' ? spec.args : undefined;
    if (max === undefined || st.args.length <= max) return;
    const kept = [st.keyword, ...st.args.slice(0, max)].join(' ');
    const dropped = st.args.slice(max).join(' ');
    const hint = /^[a-z_]+$/.test(st.args[max] ?? '') && table.has(st.args[max] as string) ? `; '${st.args[max]}' is a keyword of its own: put it on a line of its own` : '';
    this.#say('extra-tokens', st.at, `'${kept}' is all keepalived reads of this line: it drops '${dropped}' silently${hint}`, owner);
  }

  root(st: Statement): void {
    switch (st.keyword) {
      case 'global_defs':
        this.#extra(st, ROOT);
        for (const s of st.block ?? []) this.#globalDef(s);
        return;
      case 'vrrp_script':
        this.#script(st);
        return;
      case 'vrrp_instance':
        this.#instance(st);
        return;
      case 'vrrp_sync_group':
        this.#syncGroup(st);
        return;
    }
  }

  #globalDef(st: Statement): void {
    this.#extra(st, GLOBAL_DEFS);
    const g = this.global;
    const w = st.args[0];
    switch (st.keyword) {
      case 'router_id':
        if (w === undefined) this.#say('bad-value', st.at, 'router_id without a name: keepalived ignores it ("routerid name missing")');
        else g.routerId = { value: w, at: st.at, from: 'file' };
        return;
      case 'vrrp_version': {
        const n = readInteger(w, 2, 3);
        if (!n.ok) this.#say('bad-value', st.at, `vrrp_version ${w ?? ''}: ${n.why}; keepalived keeps the default, 2 ("Version must be either 2 or 3")`);
        else g.vrrpVersion = { value: n.value as 2 | 3, at: st.at, from: 'file' };
        return;
      }
      case 'vrrp_garp_master_delay': {
        const n = readInteger(w, 0, 1000);
        if (!n.ok) this.#say('bad-value', st.at, `vrrp_garp_master_delay ${w ?? ''}: ${n.why}; keepalived keeps 5 s`);
        else g.garpMasterDelaySec = file(n.value, st.at);
        return;
      }
      case 'vrrp_garp_master_repeat': {
        const n = readInteger(w, 0, 255);
        if (!n.ok) this.#say('bad-value', st.at, `vrrp_garp_master_repeat ${w ?? ''}: ${n.why}; keepalived keeps 5`);
        else g.garpMasterRepeat = file(n.value, st.at);
        return;
      }
      case 'script_user':
        g.scriptUser = { words: st.args, at: st.at };
        return;
      case 'enable_script_security':
        g.enableScriptSecurity = true;
        return;
      case 'vrrp_strict':
        g.strict = true;
        return;
    }
  }

  #script(st: Statement): void {
    const name = st.args[0];
    if (name === undefined) {
      this.#say('parse-error', st.at, 'vrrp_script without a name: nothing can track it');
      return;
    }
    this.#extra(st, ROOT);
    const def = (value: number): Value<number> => ({ value, at: st.at, from: 'default' });
    // keepalived vrrp_data.c alloc_vrrp_script: interval 1 s, timeout 0 (= the interval), weight 0, rise 1, fall 1
    const s: ScriptConfig = { name, at: st.at, script: null, intervalSec: def(1), timeoutSec: def(0), weight: def(0), reverse: false, rise: def(1), fall: def(1), user: null, initFail: false, statements: st.block ?? [] };
    for (const k of st.block ?? []) {
      this.#extra(k, SCRIPT);
      const w = k.args[0];
      switch (k.keyword) {
        case 'script':
          if (k.args.length === 0) this.#say('bad-value', k.at, `vrrp_script ${name}: 'script' without a command`);
          else s.script = { value: k.args.join(' '), at: k.at, from: 'file' };
          break;
        case 'interval': {
          const n = readInteger(w, 0, 4294);
          if (!n.ok) this.#say('bad-value', k.at, `vrrp_script ${name}: interval ${w ?? ''}: ${n.why}; keepalived keeps ${s.intervalSec.value} s`);
          else if (n.value === 0) s.intervalSec = { value: 1, at: k.at, from: 'keepalived', why: 'interval 0 is raised to 1' };
          else s.intervalSec = file(n.value, k.at);
          break;
        }
        case 'timeout': {
          const n = readInteger(w, 0, 4294);
          if (!n.ok) this.#say('bad-value', k.at, `vrrp_script ${name}: timeout ${w ?? ''}: ${n.why}; keepalived keeps the interval`);
          else s.timeoutSec = file(n.value, k.at);
          break;
        }
        case 'weight': {
          const n = readInteger(w, -253, 253);
          if (!n.ok) this.#say('bad-value', k.at, `vrrp_script ${name}: weight ${w ?? ''}: ${n.why} ("weight must be in [-253, 253]"); keepalived's value is then undefined: fix it`);
          else s.weight = file(n.value, k.at);
          if (k.args[1] === 'reverse') s.reverse = true;
          else if (k.args[1] !== undefined) this.#say('bad-value', k.at, `vrrp_script ${name}: unknown weight option '${k.args[1]}' (only 'reverse'); ignored`);
          break;
        }
        case 'rise':
        case 'fall': {
          const n = readInteger(w, 1, 2147483647);
          if (!n.ok) this.#say('bad-value', k.at, `vrrp_script ${name}: ${k.keyword} ${w ?? ''}: ${n.why}; keepalived uses 1`);
          else s[k.keyword] = file(n.value, k.at);
          break;
        }
        case 'user':
          s.user = { words: k.args, at: k.at };
          break;
        case 'init_fail':
          s.initFail = true;
          break;
      }
    }
    if (s.script === null) this.#say('bad-value', st.at, `vrrp_script ${name} has no 'script' line: keepalived cannot run it`);
    this.scripts.push(s);
  }

  #instance(st: Statement): void {
    if (st.args.length !== 1) {
      this.#say('parse-error', st.at, `vrrp_instance ${st.args.join(' ')}: an instance takes exactly one name (keepalived: "vrrp_instance must have a name"); the block is skipped`);
      return;
    }
    const name = st.args[0] as string;
    const dup = this.instances.find((i) => i.name === name);
    if (dup !== undefined) {
      this.#say('parse-error', st.at, `vrrp_instance ${name} is already defined at ${dup.at.file}:${dup.at.line} (keepalived: "vrrp instance ${name} already defined"); this block is skipped`, name);
      return;
    }
    const v: InstanceDraft = {
      name, at: st.at, end: st.end ?? null, statements: st.block ?? [], state: null, interface: null, vrid: null, priority: null, advertIntUs: null,
      version: null, authType: null, authPass: null, vips: [], excludedVips: [], nopreempt: null, preemptDelayUs: null, tracked: [],
      unicastSrcIp: null, unicastPeers: [], useVmac: null, notify: emptyNotify(), garp: {},
    };
    for (const k of st.block ?? []) this.#instanceKeyword(v, k);
    this.instances.push(v);
  }

  #instanceKeyword(v: InstanceDraft, k: Statement): void {
    this.#extra(k, INSTANCE, v.name);
    const w = k.args[0];
    const bad = (text: string): void => this.#say('bad-value', k.at, `(${v.name}) ${text}`, v.name);
    switch (k.keyword) {
      case 'state':
        // vrrp_parser.c vrrp_state_handler: strcmp, so case-sensitive; anything else is BACKUP
        if (w === 'MASTER') v.state = { value: 'MASTER', at: k.at, from: 'file' };
        else if (w === 'BACKUP') {
          if (v.state?.value === 'MASTER') bad(`state BACKUP after state MASTER at line ${v.state.at.line}: keepalived keeps MASTER ("state previously set as MASTER - ignoring BACKUP")`);
          else v.state = { value: 'BACKUP', at: k.at, from: 'file' };
        } else {
          bad(`state '${w ?? ''}' is neither MASTER nor BACKUP (keepalived matches case): keepalived uses BACKUP ("unknown state '${w ?? ''}', defaulting to BACKUP")`);
          v.state = { value: 'BACKUP', at: k.at, from: 'keepalived', why: `unknown state '${w ?? ''}'` };
        }
        return;
      case 'interface':
        if (w === undefined) bad('interface without a name');
        else if (w.length >= 16) bad(`interface name '${w}' is longer than 15 characters: keepalived ignores it ("Interface name too long")`);
        else v.interface = { value: w, at: k.at, from: 'file' };
        return;
      case 'virtual_router_id': {
        const n = readInteger(w, 1, 255);
        if (!n.ok) bad(`virtual_router_id ${w ?? ''}: ${n.why} ("VRID not valid - must be between 1 & 255"): keepalived leaves it unset and refuses the instance`);
        else v.vrid = file(n.value, k.at);
        return;
      }
      case 'priority': {
        const n = readInteger(w, 1, 255);
        if (!n.ok) {
          bad(`priority ${w ?? ''}: ${n.why} ("Priority not valid! must be between 1 & 255. Using default 100"): keepalived uses 100`);
          v.priority = { value: 100, at: k.at, from: 'keepalived', why: `invalid priority '${w ?? ''}'` };
        } else v.priority = file(n.value, k.at);
        return;
      }
      case 'advert_int': {
        const n = readDecimal(w, US / 100, 255 * US, TIMER_DIGITS);
        if (!n.ok) bad(`advert_int ${w ?? ''}: ${n.why} ("Advert interval not valid! Must be > 0 - ignoring"): keepalived keeps 1 s`);
        else v.advertIntUs = file(n.value, k.at);
        return;
      }
      case 'version': {
        const n = readInteger(w, 2, 3);
        if (!n.ok) bad(`version ${w ?? ''}: ${n.why} ("Version must be either 2 or 3"): keepalived uses vrrp_version`);
        else if (n.value === 2 && v.vips.some((x) => x.family === 6)) bad('version 2 cannot carry the IPv6 addresses above: keepalived keeps version 3 ("conflicts with configured or deduced version")');
        else v.version = { value: n.value as 2 | 3, at: k.at, from: 'file' };
        return;
      }
      case 'authentication':
        for (const a of k.block ?? []) {
          this.#extra(a, AUTHENTICATION, v.name);
          const aw = a.args[0];
          if (a.keyword === 'auth_type') {
            // vrrp_auth_type_handler: strcmp, case-sensitive
            if (aw === 'PASS' || aw === 'AH') v.authType = { value: aw, at: a.at, from: 'file' };
            else this.#say('bad-value', a.at, `(${v.name}) auth_type '${aw ?? ''}' is neither PASS nor AH (case matters): keepalived ignores it ("unknown authentication type"), so adverts go without authentication`, v.name);
          } else if (a.keyword === 'auth_pass') {
            if (aw === undefined) this.#say('bad-value', a.at, `(${v.name}) auth_pass without a password`, v.name);
            else v.authPass = { written: aw, at: a.at };
          }
        }
        return;
      case 'virtual_ipaddress':
      case 'virtual_ipaddress_excluded': {
        const list = k.keyword === 'virtual_ipaddress' ? v.vips : v.excludedVips;
        for (const line of k.values ?? []) {
          const vip = parseVip(line);
          if (typeof vip === 'string') {
            bad(`${k.keyword} entry '${line.words.join(' ')}': ${vip}; keepalived skips it`);
            continue;
          }
          const first = v.vips[0];
          if (list === v.vips && first !== undefined && first.family !== vip.family) {
            this.#say('bad-value', line.at, `(${v.name}) ${vip.address} is IPv${vip.family} but this instance is IPv${first.family} (from ${first.address}); keepalived skips it: put it in virtual_ipaddress_excluded or another instance`, v.name);
            continue;
          }
          list.push(vip);
        }
        return;
      }
      case 'nopreempt':
        v.nopreempt = k.at;
        return;
      case 'preempt':
        v.nopreempt = null;
        return;
      case 'preempt_delay': {
        const n = readDecimal(w, 0, 1000 * US, TIMER_DIGITS);
        if (!n.ok) bad(`preempt_delay ${w ?? ''}: ${n.why} ("Preempt_delay not valid! must be between 0-1000"): keepalived uses 0`);
        else v.preemptDelayUs = file(n.value, k.at);
        return;
      }
      case 'track_script':
      case 'track_interface':
        for (const line of k.values ?? []) {
          const t = this.#track(k.keyword === 'track_script' ? 'script' : 'interface', line, v.name);
          if (t === null) continue;
          if (v.tracked.some((x) => x.kind === t.kind && x.name === t.name)) {
            this.#say('bad-value', line.at, `(${v.name}) duplicate ${k.keyword} ${t.name}: keepalived ignores the second one`, v.name);
            continue;
          }
          v.tracked.push(t);
        }
        return;
      case 'unicast_src_ip':
      case 'mcast_src_ip': {
        const a = w === undefined ? null : canonicalAddress(w);
        if (a === null) bad(`${k.keyword} '${w ?? ''}' is not an address; keepalived ignores it`);
        else v.unicastSrcIp = { value: a.address, at: k.at, from: 'file' };
        return;
      }
      case 'unicast_peer':
        for (const line of k.values ?? []) {
          const a = canonicalAddress(line.words[0] as string);
          if (a === null) this.#say('bad-value', line.at, `(${v.name}) unicast_peer '${line.words[0]}' is not an address; keepalived skips it`, v.name);
          else v.unicastPeers.push({ address: a.address, at: line.at, words: line.words });
        }
        return;
      case 'use_vmac':
        v.useVmac = { words: k.args, at: k.at };
        return;
      case 'notify_master':
      case 'notify_backup':
      case 'notify_fault':
      case 'notify_stop':
      case 'notify_deleted':
      case 'notify': {
        const first = notifyInto(v.notify, k);
        if (first !== null) bad(`${k.keyword} is already set at line ${first.at.line}: keepalived keeps that one and ignores this ("script already specified - ignoring")`);
        return;
      }
      case 'garp_master_delay':
      case 'garp_master_repeat':
      case 'garp_master_refresh':
      case 'garp_lower_prio_delay':
      case 'garp_lower_prio_repeat': {
        const key = ({ garp_master_delay: 'masterDelaySec', garp_master_repeat: 'masterRepeat', garp_master_refresh: 'masterRefreshSec', garp_lower_prio_delay: 'lowerPrioDelaySec', garp_lower_prio_repeat: 'lowerPrioRepeat' } as const)[k.keyword];
        const n = readInteger(w, 0, key.endsWith('Repeat') ? 255 : 1000);
        if (!n.ok) bad(`${k.keyword} ${w ?? ''}: ${n.why}; keepalived keeps the global value`);
        else v.garp[key] = file(n.value, k.at);
        return;
      }
    }
  }

  /** One track_script / track_interface entry: `NAME [weight N [reverse|noreverse]]` (vrrp_track.c). */
  #track(kind: 'script' | 'interface', line: ConfigLine, owner: string): TrackDraft | null {
    const [name, opt, num, rev, ...rest] = line.words as [string, ...string[]];
    const say = (code: FindingCode, text: string): void => this.#say(code, line.at, `(${owner}) ${text}`, owner);
    const t: TrackDraft = { kind, name, at: line.at, weight: null, reverse: null, script: null };
    if (kind === 'script') {
      // vrrp_track.c alloc_track_script: find_script_by_name() at the time the line is read
      t.script = this.scripts.find((s) => s.name === name) ?? null;
    }
    if (opt !== undefined) {
      if (opt !== 'weight') {
        say('bad-value', `unknown track_${kind} option '${opt}' for ${name} (only 'weight N'): keepalived ignores the whole entry`);
        return null;
      }
      const n = readInteger(num, -254, 254);
      if (num === undefined) {
        say('bad-value', `weight without a value for ${name}: keepalived ignores the whole entry`);
        return null;
      }
      if (!n.ok) say('bad-value', `weight ${num} for ${name}: ${n.why} (-253..253); keepalived uses ${kind === 'script' ? "the script's weight" : '0 (down = FAULT)'}`);
      else if (Math.abs(n.value) === 254) {
        say('bad-value', `weight ${n.value} for ${name} cannot be +/-254: keepalived uses ${n.value > 0 ? 253 : -253}`);
        t.weight = { value: n.value > 0 ? 253 : -253, at: line.at };
      } else t.weight = { value: n.value, at: line.at };
      if (rev === 'reverse') t.reverse = true;
      else if (rev === 'noreverse' && kind === 'script') t.reverse = false;
      else if (rev !== undefined) say('bad-value', `unknown weight option '${rev}' for ${name}; ignored`);
    }
    if (rest.length > 0) say('extra-tokens', `'${line.words.slice(0, 4).join(' ')}' is all keepalived reads of this entry: it drops '${rest.join(' ')}' silently`);
    return t;
  }

  #syncGroup(st: Statement): void {
    if (st.args.length !== 1) {
      this.#say('parse-error', st.at, 'vrrp_sync_group takes exactly one name (keepalived: "vrrp_sync_group must have a name - skipping"); the block is skipped');
      return;
    }
    const name = st.args[0] as string;
    if (this.syncGroups.some((g) => g.name === name)) {
      this.#say('parse-error', st.at, `vrrp sync group ${name} already defined; this block is skipped`);
      return;
    }
    const g: SyncGroupDraft = { name, at: st.at, members: [], trackingWeight: false, tracked: [], notify: emptyNotify(), statements: st.block ?? [] };
    for (const k of st.block ?? []) {
      this.#extra(k, SYNC_GROUP);
      switch (k.keyword) {
        case 'group':
          for (const line of k.values ?? []) for (const w of line.words) g.members.push({ name: w, at: line.at });
          break;
        case 'global_tracking':
          // vrrp_parser.c vrrp_gglobal_tracking_handler: still honoured, with a warning
          this.#say('deprecated', k.at, `sync group ${name}: global_tracking is deprecated (keepalived: "global_tracking is deprecated. Use track_interface/script/file on the sync group"); it still keeps the members' tracking weights: sync_group_tracking_weight says the same`);
          g.trackingWeight = true;
          break;
        case 'sync_group_tracking_weight':
          g.trackingWeight = true;
          break;
        case 'track_script':
        case 'track_interface':
          for (const line of k.values ?? []) {
            const t = this.#track(k.keyword === 'track_script' ? 'script' : 'interface', line, name);
            if (t !== null) g.tracked.push(t);
          }
          break;
        case 'notify_master':
        case 'notify_backup':
        case 'notify_fault':
        case 'notify_stop':
        case 'notify':
          notifyInto(g.notify, k);
          break;
      }
    }
    this.syncGroups.push(g);
  }
}

export function emptyNotify(): NotifyConfig {
  return { master: null, backup: null, fault: null, stop: null, deleted: null, notify: null };
}

/** The first notify_* line counts: keepalived ignores a second ("script already specified - ignoring"). */
function notifyInto(n: NotifyConfig, k: Statement): Setting | null {
  const key = k.keyword === 'notify' ? 'notify' : (k.keyword.slice('notify_'.length) as keyof NotifyConfig);
  const first = n[key];
  if (first !== null) return first;
  n[key] = { words: k.args, at: k.at };
  return null;
}

/** A virtual_ipaddress entry: `ADDR[/LEN] [dev IF] [label L] [scope S] ...` (keepalived's parse_ipaddress). */
function parseVip(line: ConfigLine): VirtualAddress | string {
  const [first, ...opts] = line.words as [string, ...string[]];
  const slash = first.indexOf('/');
  const a = canonicalAddress(slash < 0 ? first : first.slice(0, slash));
  if (a === null) return `'${first}' is not an IP address`;
  const max = a.family === 4 ? 32 : 128;
  let prefixLength = max;
  if (slash >= 0) {
    const n = readInteger(first.slice(slash + 1), 0, max);
    if (!n.ok) return `prefix length ${first.slice(slash + 1)}: ${n.why}`;
    prefixLength = n.value;
  }
  const opt = (name: string): string | null => {
    const i = opts.indexOf(name);
    return i >= 0 ? (opts[i + 1] ?? null) : null;
  };
  return { address: a.address, prefixLength, family: a.family, dev: opt('dev'), label: opt('label'), scope: opt('scope'), at: line.at, words: line.words };
}
