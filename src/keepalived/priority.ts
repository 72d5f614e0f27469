// keepalived's priority arithmetic (keepalived/vrrp/vrrp_track.c): one place for lint and simulate.
// effective = clamp(base + weights, 1, 254); a positive weight counts while its check is OK, a
// negative one while it fails (reverse swaps OK and failing); a weight-0 failure is FAULT; the
// owner (255) never moves (vrrp_set_effective_priority returns early).
import { OWNER_PRIORITY } from './complete.js';
import type { InstanceConfig, Tracked } from './model.js';

export interface Health {
  /** Is this tracked script failing / interface down on this node? */
  failing(t: Tracked): boolean;
}

export const ALL_OK: Health = { failing: () => false };

export interface EffectivePriority {
  priority: number;
  /** The weight-0 check that holds the instance in FAULT, if any. */
  fault: Tracked | null;
}

export function effectivePriority(inst: InstanceConfig, health: Health): EffectivePriority {
  let total = inst.priority.value;
  let fault: Tracked | null = null;
  for (const t of inst.tracked) {
    const bad = health.failing(t) !== t.reverse;
    if (t.weight.value === 0) {
      if (bad && fault === null) fault = t;
    } else if (t.weight.value > 0 ? !bad : bad) total += t.weight.value;
  }
  if (inst.priority.value === OWNER_PRIORITY) return { priority: OWNER_PRIORITY, fault };
  return { priority: Math.min(OWNER_PRIORITY - 1, Math.max(1, total)), fault };
}

/** Only `t` fails. */
export function failingOnly(t: Tracked): Health {
  return { failing: (x) => x === t };
}
