// Several machines on one simulated segment: every send-advert is framed, encoded, decoded and
// delivered to the others 0.1 ms later, on a manual clock. The lab scenarios in pure form
// (the peer standing in for keepalived is another machine), and a convergence property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, advertFrameLength, encodeAdvertFrame } from '../../src/decode/frame.js';
import { LinkType } from '../../src/decode/types.js';
import { advertFrameSpec } from '../../src/daemon/advert.js';
import { AuthPassword } from '../../src/daemon/config.js';
import { masterDownIntervalCs } from '../../src/rules/timers.js';
import { advertEvent, VrrpMachine, type Effect, type MachineConfig, type MachineEvent, type Transition } from '../../src/daemon/machine.js';
import { TimerTable } from '../../src/daemon/timers.js';
import { initialTrack, trackResult, type TrackState } from '../../src/daemon/track.js';
import { config, config6 } from './harness.js';

const LATENCY_SEC = 0.0001;

interface Router {
  name: string;
  config: MachineConfig;
  machine: VrrpMachine;
  timers: TimerTable;
  up: boolean;
  holdsVips: boolean;
  transitions: (Transition & { atSec: number })[];
  logs: string[];
}

interface InFlight {
  atSec: number;
  to: Router;
  bytes: Uint8Array;
}

class Lan {
  readonly routers: Router[];
  #inFlight: InFlight[] = [];
  nowSec = 0;

  constructor(configs: Record<string, MachineConfig>) {
    this.routers = Object.entries(configs).map(([name, c]) => ({ name, config: c, machine: new VrrpMachine(c), timers: new TimerTable(), up: false, holdsVips: false, transitions: [], logs: [] }));
  }

  r(name: string): Router {
    const r = this.routers.find((x) => x.name === name);
    if (!r) throw new Error(name);
    return r;
  }

  start(name: string, atSec: number): void {
    this.run(atSec);
    const r = this.r(name);
    r.up = true;
    this.#handle(r, { type: 'startup', atSec });
  }

  /** SIGTERM: the machine shuts down cleanly (priority 0). */
  stop(name: string, atSec: number): void {
    this.run(atSec);
    const r = this.r(name);
    this.#handle(r, { type: 'shutdown', atSec });
    r.up = false;
  }

  /** SIGKILL: gone without a word; the VIPs vanish with the host. */
  kill(name: string, atSec: number): void {
    this.run(atSec);
    const r = this.r(name);
    r.up = false;
    r.holdsVips = false;
    // A restarted process starts from scratch.
    r.machine = new VrrpMachine(r.config);
    r.timers = new TimerTable();
  }

  event(name: string, e: MachineEvent): void {
    this.run(e.atSec);
    this.#handle(this.r(name), e);
  }

  run(untilSec: number): void {
    for (;;) {
      let best: { atSec: number; go: () => void } | null = null;
      for (const r of this.routers) {
        const t = r.up ? r.timers.next() : null;
        if (t && t.dueSec <= untilSec && (!best || t.dueSec < best.atSec)) {
          best = { atSec: t.dueSec, go: () => { r.timers.take(t.dueSec); this.#handle(r, { type: 'timer', timer: t.timer, atSec: t.dueSec }); } };
        }
      }
      const f = this.#inFlight.reduce<InFlight | null>((a, x) => (a === null || x.atSec < a.atSec ? x : a), null);
      if (f && f.atSec <= untilSec && (!best || f.atSec <= best.atSec)) {
        best = { atSec: f.atSec, go: () => { this.#inFlight.splice(this.#inFlight.indexOf(f), 1); this.#receive(f.to, f.bytes, f.atSec); } };
      }
      if (!best) break;
      this.nowSec = best.atSec;
      best.go();
    }
    this.nowSec = Math.max(this.nowSec, untilSec);
  }

  masters(): string[] {
    return this.routers.filter((r) => r.up && r.machine.state === 'MASTER').map((r) => r.name);
  }

  vipHolders(): string[] {
    return this.routers.filter((r) => r.holdsVips).map((r) => r.name);
  }

  #receive(r: Router, bytes: Uint8Array, atSec: number): void {
    if (!r.up) return;
    const f = decodeFrame(LinkType.ETHERNET, bytes);
    if (f.kind !== 'vrrp') throw new Error(`our own advert decoded as ${f.kind}`);
    this.#handle(r, advertEvent(f, atSec));
  }

  #handle(r: Router, e: MachineEvent): void {
    const effects = r.machine.handle(e);
    r.timers.apply(effects, e.atSec);
    for (const x of effects) this.#carryOut(r, x, e.atSec);
  }

  #carryOut(r: Router, x: Effect, atSec: number): void {
    switch (x.type) {
      case 'send-advert': {
        const spec = advertFrameSpec(x.message, { family: r.config.family, srcAddress: r.config.primaryAddress, interfaceMac: null });
        const bytes = new Uint8Array(advertFrameLength(spec));
        encodeAdvertFrame(spec, bytes);
        for (const to of this.routers) if (to !== r && to.up) this.#inFlight.push({ atSec: atSec + LATENCY_SEC, to, bytes });
        return;
      }
      case 'add-vips':
        expect(r.holdsVips, `${r.name} adds VIPs it holds`).toBe(false);
        r.holdsVips = true;
        return;
      case 'remove-vips':
        expect(r.holdsVips, `${r.name} removes VIPs it does not hold`).toBe(true);
        r.holdsVips = false;
        return;
      case 'log':
        r.logs.push(x.message);
        if (x.transition) r.transitions.push({ ...x.transition, atSec });
        return;
      default:
        return;
    }
  }
}

const mdiSec = (priority: number, version: 2 | 3 = 2, maiCs = 100): number => masterDownIntervalCs({ version, priority, advertIntervalCs: maiCs }) / 100;
const skewSec = (priority: number): number => (256 - priority) / 256;

function lastTransition(r: Router): Transition & { atSec: number } {
  const t = r.transitions.at(-1);
  if (!t) throw new Error(`${r.name} never moved`);
  return t;
}

describe('two routers on one segment: the issue\'s lab scenarios, pure', () => {
  const pair = (over: Partial<MachineConfig> = {}): Lan =>
    new Lan({
      us: config({ priority: 150, primaryAddress: '192.0.2.10', ...over }),
      peer: config({ priority: 100, primaryAddress: '192.0.2.20', ...over }),
    });

  it('1-4: we (150) win against the peer (100); SIGTERM hands over within Skew_Time; a restart preempts back; SIGKILL hands over within Master_Down_Interval', () => {
    const lan = pair();
    lan.start('peer', 0);
    lan.start('us', 0.3);
    lan.run(10);
    expect(lan.masters()).toEqual(['us']);
    expect(lan.vipHolders()).toEqual(['us']);

    // 2. SIGTERM: priority 0 on the wire; the peer is master within its Skew_Time (+ latency).
    lan.stop('us', 10.5);
    lan.run(12);
    expect(lan.masters()).toEqual(['peer']);
    const takeover = lastTransition(lan.r('peer'));
    expect(takeover.reason).toBe('priority-zero');
    expect(takeover.atSec - 10.5).toBeLessThanOrEqual(skewSec(100) + LATENCY_SEC + 1e-9);
    expect(lan.vipHolders()).toEqual(['peer']);

    // 3. Restarted, we preempt: the peer's adverts are lower, so our Master_Down_Timer runs out.
    lan.start('us', 15);
    lan.run(25);
    expect(lan.masters()).toEqual(['us']);
    expect(lastTransition(lan.r('us'))).toMatchObject({ reason: 'preempt', atSec: 15 + mdiSec(150) });
    expect(lastTransition(lan.r('peer')).reason).toBe('higher-priority');
    expect(lan.vipHolders()).toEqual(['us']);

    // 4. SIGKILL: the peer is master within Master_Down_Interval of our last advert.
    lan.kill('us', 25.7);
    lan.run(35);
    expect(lan.masters()).toEqual(['peer']);
    const t = lastTransition(lan.r('peer'));
    expect(t.reason).toBe('master-down');
    expect(t.atSec - 25.7).toBeLessThanOrEqual(mdiSec(100) + LATENCY_SEC + 1e-9);
  });

  it('5: roles reversed: the peer (150) is master; killed, we (100) take over within Master_Down_Interval; restarted, it takes over again', () => {
    const rev = new Lan({ us: config({ priority: 100, primaryAddress: '192.0.2.10' }), peer: config({ priority: 150, primaryAddress: '192.0.2.20' }) });
    rev.start('peer', 0);
    rev.start('us', 0.2);
    rev.run(8);
    expect(rev.masters()).toEqual(['peer']);
    rev.kill('peer', 8.25);
    rev.run(15);
    expect(rev.masters()).toEqual(['us']);
    expect(lastTransition(rev.r('us')).atSec - 8.25).toBeLessThanOrEqual(mdiSec(100) + LATENCY_SEC);
    expect(rev.vipHolders()).toEqual(['us']);
    rev.start('peer', 15);
    rev.run(22);
    expect(rev.masters()).toEqual(['peer']);
    expect(rev.vipHolders()).toEqual(['peer']);
  });

  it('6: a failing track script with weight -60 demotes us from 150 to 90, the peer (100) takes over; recovered, we preempt back', () => {
    const lan = pair();
    lan.start('peer', 0);
    lan.start('us', 0.1);
    lan.run(8);
    expect(lan.masters()).toEqual(['us']);
    let track: TrackState = initialTrack([{ name: 'chk', weight: -60, rise: 1, fall: 1 }]);
    const fail = trackResult(track, 150, 0, false, 8.05);
    track = fail.state;
    for (const e of fail.events) lan.event('us', e);
    lan.run(14);
    expect(lan.r('us').machine.priority).toBe(90);
    expect(lan.masters()).toEqual(['peer']);
    expect(lan.vipHolders()).toEqual(['peer']);
    const ok = trackResult(track, 150, 0, true, 14.05);
    for (const e of ok.events) lan.event('us', e);
    lan.run(20);
    expect(lan.masters()).toEqual(['us']);
    expect(lan.vipHolders()).toEqual(['us']);
  });

  it('7: a password mismatch: each drops the other\'s adverts, names the sender once, and both end up master', () => {
    const lan = new Lan({
      us: config({ priority: 150, primaryAddress: '192.0.2.10', auth: new AuthPassword('1111') }),
      peer: config({ priority: 100, primaryAddress: '192.0.2.20', auth: new AuthPassword('2222') }),
    });
    lan.start('peer', 0);
    lan.start('us', 0.1);
    lan.run(10);
    expect(lan.masters().sort()).toEqual(['peer', 'us']);
    expect(lan.r('us').logs.filter((l) => l.includes('auth mismatch'))).toEqual(['VRID 51: auth mismatch from 192.0.2.20: its password (4 bytes) differs from ours; advert dropped (not logged again for this sender within 10 minutes)']);
  });

  it('8: VRRPv3 over IPv6, the same takeover both ways', () => {
    const lan = new Lan({ us: config6({ priority: 150, primaryAddress: 'fe80::10' }), peer: config6({ priority: 100, primaryAddress: 'fe80::20' }) });
    lan.start('peer', 0);
    lan.start('us', 0.1);
    lan.run(8);
    expect(lan.masters()).toEqual(['us']);
    lan.kill('us', 8.2);
    lan.run(14);
    expect(lan.masters()).toEqual(['peer']);
    expect(lastTransition(lan.r('peer')).atSec - 8.2).toBeLessThanOrEqual(mdiSec(100, 3) + LATENCY_SEC);
    lan.start('us', 14);
    lan.run(20);
    expect(lan.masters()).toEqual(['us']);
    expect(lan.vipHolders()).toEqual(['us']);
  });
});

describe('convergence (property)', () => {
  it('any mix of 2-4 routers ends with exactly one master of the highest priority holding the VIPs; kill it and one of the rest takes over', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ priority: fc.integer({ min: 1, max: 255 }), startSec: fc.integer({ min: 0, max: 300 }).map((x) => x / 100), preempt: fc.boolean() }), { minLength: 2, maxLength: 4 }),
        (specs) => {
          const configs: Record<string, MachineConfig> = {};
          specs.forEach((s, i) => (configs[`r${i}`] = config({ priority: s.priority, preempt: s.preempt, primaryAddress: `192.0.2.${10 + i}` })));
          const lan = new Lan(configs);
          specs.forEach((s, i) => lan.start(`r${i}`, s.startSec));
          lan.run(20);
          const masters = lan.masters();
          expect(masters).toHaveLength(1);
          expect(lan.vipHolders()).toEqual(masters);
          // Without preemption a lower router that started first may legitimately keep the role;
          // with it everywhere, the highest priority wins.
          const best = Math.max(...specs.map((s) => s.priority));
          const master = lan.r(masters[0] as string);
          if (specs.every((s) => s.preempt) || best === 255) expect(master.config.priority).toBe(best);

          lan.kill(master.name, 20.5);
          lan.run(20.5 + 3 * 4 + 1);
          expect(lan.masters()).toHaveLength(1);
          expect(lan.vipHolders()).toEqual(lan.masters());
        },
      ),
      { numRuns: 150 },
    );
  });
});
