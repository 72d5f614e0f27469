// A manual clock around one VrrpMachine: inputs at given times, timers fired at their exact due
// time by the same TimerTable the live edge uses. Adverts are real frames from the independent
// builder (test/support/vrrp-frames.ts), decoded by the project's decoder.
import { expect } from 'vitest';
import { decodeFrame } from '../../src/decode/frame.js';
import { LinkType } from '../../src/decode/types.js';
import { advertEvent, VrrpMachine, type Effect, type MachineConfig, type MachineEvent, type VrrpFrame } from '../../src/daemon/machine.js';
import { TimerTable } from '../../src/daemon/timers.js';
import { vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

/** Our router in most tests: 192.0.2.10, VRID 51, priority 100, VRRPv2, 1 s, VIP 192.0.2.100. */
export function config(over: Partial<MachineConfig> = {}): MachineConfig {
  return {
    vrid: 51,
    family: 4,
    version: 2,
    priority: 100,
    vips: [{ address: '192.0.2.100', prefixLength: 32 }],
    advertIntervalCs: 100,
    auth: null,
    preempt: true,
    preemptDelayCs: 0,
    vmac: false,
    garp: { repeat: 5, delayCs: 500 },
    lowerPriorityAdvert: true,
    primaryAddress: '192.0.2.10',
    ...over,
  };
}

/** VRRPv3 over IPv6: fe80::10, VIPs fe80::100 and 2001:db8::100. */
export function config6(over: Partial<MachineConfig> = {}): MachineConfig {
  return config({
    family: 6,
    version: 3,
    vips: [
      { address: 'fe80::100', prefixLength: 64 },
      { address: '2001:db8::100', prefixLength: 64 },
    ],
    primaryAddress: 'fe80::10',
    ...over,
  });
}

/** A peer's advert; defaults match config(): VRID 51, v2, 1 s, VIP 192.0.2.100, from 192.0.2.11. */
export function frame(spec: FrameSpec = {}): VrrpFrame {
  const v6 = spec.family === 6;
  const bytes = vrrpFrame({
    src: v6 ? 'fe80::11' : '192.0.2.11',
    addresses: v6 ? ['fe80::100', '2001:db8::100'] : ['192.0.2.100'],
    ...(v6 ? { version: 3, interval: 100 } : {}),
    ...spec,
  });
  const f = decodeFrame(LinkType.ETHERNET, bytes);
  if (f.kind !== 'vrrp') throw new Error(`test frame decoded as ${f.kind}`);
  return f;
}

export type Input =
  | 'startup'
  | 'shutdown'
  | { advert: FrameSpec }
  | { priority: number; reason?: string }
  | { fault: string }
  | { faultCleared: string };

export function toEvent(input: Input, atSec: number): MachineEvent {
  if (input === 'startup' || input === 'shutdown') return { type: input, atSec };
  if ('advert' in input) return advertEvent(frame(input.advert), atSec);
  if ('priority' in input) return { type: 'priority', atSec, priority: input.priority, reason: input.reason ?? 'test' };
  if ('fault' in input) return { type: 'fault', atSec, reason: input.fault };
  return { type: 'fault-cleared', atSec, reason: input.faultCleared };
}

/** Effects in a line each, short enough for scenario tables. */
export function effectText(e: Effect): string {
  switch (e.type) {
    case 'send-advert':
      return `send-advert ${e.priority}`;
    case 'add-vips':
    case 'remove-vips':
      return `${e.type} ${e.vips.map((v) => v.address).join(' ')}`;
    case 'send-garp':
      return `send-garp ${e.count}`;
    case 'set-timer':
      return `set-timer ${e.timer} ${round(e.delayCs)}`;
    case 'cancel-timer':
      return `cancel-timer ${e.timer}`;
    case 'log':
      return e.transition ? `log ${e.transition.from} -> ${e.transition.to} (${e.transition.reason})` : `log ${e.level}`;
    case 'notify':
      return `notify ${e.state} ${e.priority}`;
    case 'drop':
      return `drop ${e.reason} ${e.from}`;
  }
}

export type TraceLine = [atSec: number, trigger: string, effects: string[]];

function round(n: number): number {
  return Number(n.toFixed(9));
}

function triggerText(e: MachineEvent): string {
  switch (e.type) {
    case 'timer':
      return `timer ${e.timer}`;
    case 'advert':
      return `advert ${e.frame.vrrp.priority} from ${e.frame.ip.src}`;
    default:
      return e.type;
  }
}

export class Sim {
  readonly machine: VrrpMachine;
  readonly timers = new TimerTable();
  readonly log: { atSec: number; event: MachineEvent; effects: Effect[] }[] = [];
  nowSec = 0;

  /** `gate`: the sync group's say on becoming master (null: free). */
  constructor(c: MachineConfig, gate?: () => string | null) {
    this.machine = new VrrpMachine(c, gate === undefined ? {} : { gate });
  }

  /** Fire every timer due up to `toSec`, each at its own due time, then set the clock. */
  advance(toSec: number): void {
    for (let t = this.timers.take(toSec); t !== null; t = this.timers.take(toSec)) {
      this.#handle({ type: 'timer', timer: t.timer, atSec: t.dueSec });
    }
    this.nowSec = Math.max(this.nowSec, toSec);
  }

  /** Advance to `atSec` and deliver one input there; returns its effects. */
  at(atSec: number, input: Input | MachineEvent): Effect[] {
    this.advance(atSec);
    const event = typeof input === 'object' && 'type' in input ? input : toEvent(input, atSec);
    return this.#handle(event);
  }

  #handle(event: MachineEvent): Effect[] {
    const effects = this.machine.handle(event);
    this.timers.apply(effects, event.atSec);
    this.log.push({ atSec: event.atSec, event, effects });
    return effects;
  }

  /** The whole run as text lines; calls with no effect are left out. */
  trace(): TraceLine[] {
    return this.log.filter((l) => l.effects.length > 0).map((l) => [round(l.atSec), triggerText(l.event), l.effects.map(effectText)]);
  }

  effects(type: Effect['type']): Effect[] {
    return this.log.flatMap((l) => l.effects.filter((e) => e.type === type));
  }

  logs(): string[] {
    return this.log.flatMap((l) => l.effects.flatMap((e) => (e.type === 'log' ? [e.message] : [])));
  }
}

export interface Scenario {
  name: string;
  config: MachineConfig;
  input: [atSec: number, input: Input][];
  /** Run the clock to here after the last input. */
  untilSec: number;
  expect: TraceLine[];
}

export function runScenario(s: Scenario): Sim {
  const sim = new Sim(s.config);
  for (const [atSec, input] of s.input) sim.at(atSec, input);
  sim.advance(s.untilSec);
  expect(sim.trace()).toEqual(s.expect);
  return sim;
}
