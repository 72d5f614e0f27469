// The parsed keepalived.conf of one node, as keepalived 2.2.7 would run it. Every value keeps
// where it was written (or, for a default, the block it applies to) and how it got its value,
// so `lint`, `simulate`, `--config` (issue 12) and the daemon (issue 13) can all say "a.conf:12".
import type { LintFinding } from './findings.js';
import type { Statement } from './blocks.js';
import type { ConfigLine } from './preprocess.js';
import type { Origin } from './source.js';

/**
 * An effective value. `from`: 'file' when the file set it as written; 'default' when nothing
 * set it (`at` is then the block's header); 'keepalived' when keepalived changed what the file
 * says (rounding, clearing, truncating: `why` says how, and a finding says it too).
 */
export interface Value<T> {
  value: T;
  at: Origin;
  from: 'file' | 'default' | 'keepalived';
  why?: string;
}

/** A line as written: the words after the keyword, and where. */
export interface Setting {
  words: string[];
  at: Origin;
}

export type InitialState = 'MASTER' | 'BACKUP';

export type Auth =
  | { type: 'none' }
  /** `password`: what goes on the wire, at most 8 characters; `written`: the file's text. */
  | { type: 'PASS'; password: string; written: string }
  | { type: 'AH' };

export interface VirtualAddress {
  /** Canonical text, as the decoder prints addresses (adverts compare as strings). */
  address: string;
  prefixLength: number;
  family: 4 | 6;
  dev: string | null;
  label: string | null;
  scope: string | null;
  at: Origin;
  /** The whole entry as written (brd, peer, no_track, ... are kept here). */
  words: string[];
}

export interface ScriptConfig {
  name: string;
  at: Origin;
  /** The command line as written (null when the block has no `script`). */
  script: Value<string> | null;
  intervalSec: Value<number>;
  /** 0: keepalived uses the interval. */
  timeoutSec: Value<number>;
  /** -253..253; 0 = a failure puts every instance tracking it in FAULT. */
  weight: Value<number>;
  reverse: boolean;
  rise: Value<number>;
  fall: Value<number>;
  user: Setting | null;
  initFail: boolean;
  statements: Statement[];
}

/**
 * One track_script / track_interface entry as keepalived keeps it. `weight` is the effective one
 * (a script entry without `weight` inherits the script's); `ignored` says when keepalived drops
 * the tracking (owner) or its weight (sync group), with the line.
 */
export interface Tracked {
  kind: 'script' | 'interface';
  name: string;
  at: Origin;
  weight: Value<number>;
  reverse: boolean;
  /** 'owner': keepalived stops tracking (priority 255); 'sync-group': the weight is dropped. */
  ignored: 'owner' | 'sync-group' | null;
  /** For scripts: the vrrp_script it refers to (null when keepalived found none, then the entry is dropped). */
  script: ScriptConfig | null;
}

export interface NotifyConfig {
  master: Setting | null;
  backup: Setting | null;
  fault: Setting | null;
  stop: Setting | null;
  deleted: Setting | null;
  notify: Setting | null;
}

export interface InstanceConfig {
  name: string;
  at: Origin;
  /** Where the block ended (its `}`), when it did. */
  end: Origin | null;
  state: Value<InitialState>;
  interface: Value<string> | null;
  /** null: keepalived refuses the instance ("the virtual router id must be set"). */
  vrid: Value<number> | null;
  priority: Value<number>;
  /** Effective, after keepalived's rounding: v2 whole seconds * 100, v3 centiseconds. */
  advertIntervalCs: Value<number>;
  version: Value<2 | 3>;
  family: 4 | 6;
  auth: Value<Auth>;
  vips: VirtualAddress[];
  excludedVips: VirtualAddress[];
  /** false for `nopreempt` unless keepalived cleared it. */
  preempt: Value<boolean>;
  preemptDelaySec: Value<number>;
  tracked: Tracked[];
  unicastSrcIp: Value<string> | null;
  unicastPeers: { address: string; at: Origin; words: string[] }[];
  useVmac: Setting | null;
  notify: NotifyConfig;
  garp: { masterDelaySec: Value<number>; masterRepeat: Value<number>; masterRefreshSec: Value<number>; lowerPrioDelaySec: Value<number>; lowerPrioRepeat: Value<number> };
  /** The vrrp_sync_group holding it, if any. */
  syncGroup: string | null;
  statements: Statement[];
}

export interface SyncGroupConfig {
  name: string;
  at: Origin;
  members: { name: string; at: Origin }[];
  /** global_tracking or sync_group_tracking_weight: the members' tracking weights are kept. */
  trackingWeight: boolean;
  tracked: Tracked[];
  notify: NotifyConfig;
  statements: Statement[];
}

export interface GlobalConfig {
  routerId: Value<string> | null;
  vrrpVersion: Value<2 | 3>;
  garpMasterDelaySec: Value<number>;
  garpMasterRepeat: Value<number>;
  scriptUser: Setting | null;
  enableScriptSecurity: boolean;
  strict: boolean;
}

export interface NodeConfig {
  /** The node's name: its config-id, else router_id, else the file name without extension. */
  name: string;
  nameFrom: 'config-id' | 'router_id' | 'file';
  file: string;
  configId: string | null;
  global: GlobalConfig;
  scripts: ScriptConfig[];
  instances: InstanceConfig[];
  syncGroups: SyncGroupConfig[];
  /** The preprocessed lines (includes, `@`, `$` and `~SEQ` done), each with its file and line. */
  lines: ConfigLine[];
  statements: Statement[];
  /** Every file read (the root first, then includes). */
  files: string[];
  /** What keepalived would say about this file alone (parse and per-node rules). */
  findings: LintFinding[];
}
