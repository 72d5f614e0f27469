// An ideal LAN for the simulation: the daemon's own state machine (src/daemon/machine.ts), one per
// node of a virtual router, driven by a manual clock; every advert one machine sends reaches every
// other running machine at once, as the real frame the decoder makes of it. No loss, no delay.
// Wraps the machine without changing it: a crash is the machine's removal (no priority 0),
// tracking is its 'priority' / 'fault' / 'fault-cleared' events.
import { advertFrameSpec } from '../daemon/advert.js';
import { VrrpMachine, type Effect, type MachineConfig, type MachineEvent, type VrrpFrame, type VrrpState } from '../daemon/machine.js';
import { TimerTable } from '../daemon/timers.js';
import { decodeFrame, encodeAdvertFrame, advertFrameLength } from '../decode/frame.js';
import { LinkType } from '../decode/types.js';
import { daemonConfigOf } from './daemon-config.js';
import type { InstanceConfig, Tracked } from './model.js';

export interface LanMember {
  name: string;
  instance: InstanceConfig;
  /** The advert's source address: unicast_src_ip, else one made up in node order (so ties go to the later node). */
  address: string;
  /** The vrrp_sync_group the instance is in on its node: the other members there, and the group's own tracking. */
  sync?: { group: string; peers: InstanceConfig[]; tracked: Tracked[] };
}

interface Running {
  machine: VrrpMachine;
  timers: TimerTable;
}

/** The machine judges a frame itself (src/rules/receive.ts), so only the frame is kept. */
type BuiltFrame = { frame: VrrpFrame };

/** An address for member `index` when the file names none (documentation prefixes only). */
export function standInAddress(family: 4 | 6, index: number): string {
  return family === 4 ? `192.0.2.${10 + index}` : `fe80::${(0x10 + index).toString(16)}`;
}

/** The machine of one member: its instance as the daemon runs it, from its advert address. */
export function machineConfig(m: LanMember): MachineConfig {
  // An ideal LAN has no virtual MAC question: the election does not depend on it.
  return { ...daemonConfigOf(m.instance), vmac: false, primaryAddress: m.address };
}

export class IdealLan {
  readonly #members: readonly LanMember[];
  readonly #running: (Running | null)[];
  /** Decoded adverts by sender and advertised priority, built once (shareable by runs of one virtual router). */
  readonly #frames: Map<string, unknown>;
  #now = 0;
  /** Bound on events per run, so a machine bug cannot hang the CLI. */
  static readonly MAX_EVENTS = 100_000;

  constructor(members: readonly LanMember[], frames: Map<string, unknown> = new Map()) {
    this.#members = members;
    this.#running = members.map(() => null);
    this.#frames = frames;
  }

  get now(): number {
    return this.#now;
  }

  isUp(i: number): boolean {
    return this.#running[i] !== null;
  }

  state(i: number): VrrpState | null {
    return this.#running[i]?.machine.state ?? null;
  }

  priority(i: number): number | null {
    const r = this.#running[i];
    if (r === undefined || r === null) return null;
    return r.machine.state === 'FAULT' ? 0 : r.machine.priority;
  }

  masters(): number[] {
    return this.#running.flatMap((r, i) => (r?.machine.state === 'MASTER' ? [i] : []));
  }

  /** Start member i's machine (keepalived starting), with its current tracking applied first. */
  start(i: number, priority: number, fault: string | null): void {
    if (this.#running[i] !== null) return;
    const machine = new VrrpMachine(machineConfig(this.#members[i] as LanMember));
    const r: Running = { machine, timers: new TimerTable() };
    this.#running[i] = r;
    if (fault !== null) machine.handle({ type: 'fault', atSec: this.#now, reason: fault });
    if (priority !== machine.priority && priority >= 1) machine.handle({ type: 'priority', atSec: this.#now, priority, reason: 'tracking' });
    this.#deliver(i, machine.handle({ type: 'startup', atSec: this.#now }));
  }

  /** keepalived killed: nothing more is sent, not even priority 0. */
  crash(i: number): void {
    this.#running[i] = null;
  }

  /** Tracking moved: the new effective priority and the weight-0 fault, if any. */
  track(i: number, priority: number, fault: string | null): void {
    const r = this.#running[i];
    if (r === null || r === undefined) return;
    const m = r.machine;
    const wasFault = m.state === 'FAULT';
    if (priority !== m.priority) this.#deliver(i, m.handle({ type: 'priority', atSec: this.#now, priority, reason: 'tracking' }));
    if (fault !== null && !wasFault) this.#deliver(i, m.handle({ type: 'fault', atSec: this.#now, reason: fault }));
    if (fault === null && wasFault) this.#deliver(i, m.handle({ type: 'fault-cleared', atSec: this.#now, reason: 'tracking recovered' }));
  }

  /** Run the clock `seconds` forward, firing every timer at its due time. */
  run(seconds: number): void {
    const until = this.#now + seconds;
    for (let n = 0; n < IdealLan.MAX_EVENTS; n++) {
      let best = -1;
      let due = Infinity;
      for (const [i, r] of this.#running.entries()) {
        const next = r?.timers.next();
        if (next && next.dueSec < due) {
          due = next.dueSec;
          best = i;
        }
      }
      if (best < 0 || due > until) break;
      this.#now = due;
      const r = this.#running[best] as Running;
      const t = r.timers.take(due);
      if (t !== null) this.#deliver(best, r.machine.handle({ type: 'timer', atSec: due, timer: t.timer }));
    }
    this.#now = until;
  }

  /** Apply effects of member `from`; its adverts reach every other running member at once (breadth first). */
  #deliver(from: number, effects: Effect[]): void {
    const queue: { from: number; effects: Effect[] }[] = [{ from, effects }];
    for (let n = 0; n < queue.length && n < IdealLan.MAX_EVENTS; n++) {
      const { from: src, effects: fx } = queue[n] as (typeof queue)[number];
      const r = this.#running[src];
      if (r === null || r === undefined) continue;
      r.timers.apply(fx, this.#now);
      for (const e of fx) {
        if (e.type !== 'send-advert') continue;
        const frame = this.#frame(src, e);
        for (const [j, other] of this.#running.entries()) {
          if (j === src || other === null) continue;
          const ev: MachineEvent = { type: 'advert', atSec: this.#now, frame: frame.frame };
          queue.push({ from: j, effects: other.machine.handle(ev) });
        }
      }
    }
  }

  #frame(i: number, e: Extract<Effect, { type: 'send-advert' }>): BuiltFrame {
    const key = `${i}/${e.priority}`;
    const cached = this.#frames.get(key) as BuiltFrame | undefined;
    if (cached !== undefined) return cached;
    const m = this.#members[i] as LanMember;
    const spec = advertFrameSpec(e.message, { family: m.instance.family, srcAddress: m.address, interfaceMac: `02:00:00:00:00:${(i % 256).toString(16).padStart(2, '0')}` });
    const buf = new Uint8Array(advertFrameLength(spec));
    encodeAdvertFrame(spec, buf, 0);
    const f = decodeFrame(LinkType.ETHERNET, buf);
    if (f.kind !== 'vrrp') throw new Error(`simulation: our own advert decoded as ${f.kind}`);
    const built = { frame: f };
    this.#frames.set(key, built);
    return built;
  }
}
