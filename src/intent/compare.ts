// A mapped router's adverts against its node's instance: the fields of `config-mismatch`. Each
// finding carries the config's line; a priority that tracking explains is no mismatch.
import type { InstanceConfig, Value } from '../keepalived/model.js';
import type { Origin } from '../keepalived/source.js';
import type { MismatchField } from './events.js';
import { explainPriority } from './tracking.js';

/** What the wire shows of one router (its snapshot, plus every priority it advertised). */
export interface WireValues {
  priorities: number[];
  advertIntervalCs: number;
  version: number;
  /** null for VRRPv3 (no authentication field). */
  authType: number | null;
  authData: string | null;
  vips: string[];
}

export interface FieldMismatch {
  field: MismatchField;
  wire: number | string | string[] | null;
  config: number | string | string[] | null;
  at: Origin;
  /** The config's value is keepalived's default (nothing written in the block at `at`). */
  byDefault: boolean;
}

const AUTH_WORDS: Readonly<Record<number, string>> = { 0: 'none', 1: 'PASS', 2: 'AH' };

export function authWord(type: number): string {
  return AUTH_WORDS[type] ?? `type ${type}`;
}

function mismatch(field: MismatchField, wire: FieldMismatch['wire'], config: FieldMismatch['config'], v: Pick<Value<unknown>, 'at' | 'from'>): FieldMismatch {
  return { field, wire, config, at: v.at, byDefault: v.from === 'default' };
}

export function compareRouter(inst: InstanceConfig, w: WireValues): FieldMismatch[] {
  const out: FieldMismatch[] = [];
  for (const p of w.priorities) {
    if (p !== 0 && explainPriority(inst, p) === null) out.push(mismatch('priority', p, inst.priority.value, inst.priority));
  }
  if (w.version !== inst.version.value) out.push(mismatch('version', w.version, inst.version.value, inst.version));
  if (w.advertIntervalCs !== inst.advertIntervalCs.value) out.push(mismatch('advertInterval', w.advertIntervalCs / 100, inst.advertIntervalCs.value / 100, inst.advertIntervalCs));
  // VRRPv3 has no authentication field; keepalived ignores the block there.
  if (w.authType !== null && inst.version.value === 2) {
    const auth = inst.auth.value;
    const wireType = authWord(w.authType);
    if (wireType !== auth.type) out.push(mismatch('authType', wireType, auth.type, inst.auth));
    else if (auth.type === 'PASS' && w.authData !== auth.password) out.push(mismatch('authData', w.authData, auth.password, inst.auth));
  }
  const wireVips = [...new Set(w.vips)].sort();
  const confVips = [...new Set(inst.vips.map((v) => v.address))].sort();
  if (wireVips.join(',') !== confVips.join(',')) {
    const at = inst.vips[0]?.at ?? inst.at;
    out.push({ field: 'vips', wire: wireVips, config: confVips, at, byDefault: false });
  }
  return out;
}
