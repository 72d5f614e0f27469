// The VRRP router state machine for one virtual router (one VRID, one address family):
// RFC 3768 (v2) and RFC 5798 / RFC 9568 (v3), with keepalived's FAULT state and habits.
// Pure: events in (each with its time), effects out (in the order the edge must carry them
// out). No clock, no timers, no I/O: a timer is an effect when armed and an event when it fires.
//
// Driving it from the edge: handle(event) -> effects; carry them out in order and apply them to
// a TimerTable (timers.ts) at the same atSec; keep one real timeout for table.next(); when it
// fires, take() each due timer and handle({ type: 'timer', timer, atSec: now }). A captured
// frame: decodeFrame -> kind 'vrrp' -> advertEvent(frame, atSec); drop our own transmitted
// frames before that (capture direction "in"), or they come back as 'own-address' drops.
import { authTypeShort } from '../decode/auth.js';
import { writeIpv4, writeIpv6 } from '../decode/bytes.js';
import type { DecodedFrame } from '../decode/types.js';
import { virtualMac } from '../decode/validate.js';
import { discardsOf, DISCARD_REASONS } from '../rules/receive.js';
import { masterDownIntervalCs, skewTimeCs, type TimerBasis } from '../rules/timers.js';
import type { VrrpMessage } from '../decode/vrrp.js';
import { passwordLength, type DaemonConfig, type Vip } from './config.js';
import { ANSWERS_PER_INTERVAL, AnswerBudget } from './answer-limit.js';
import { LOG_MEMORY, LogMemory } from './log-memory.js';

export type VrrpFrame = Extract<DecodedFrame, { kind: 'vrrp' }>;

export const TIMERS = ['master-down', 'advert', 'preempt-delay', 'garp-repeat'] as const;
export type TimerName = (typeof TIMERS)[number];

export const STATES = ['INITIALIZE', 'BACKUP', 'MASTER', 'FAULT'] as const;
export type VrrpState = (typeof STATES)[number];

/** The STATE argument keepalived passes to its notify scripts. */
export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';

/** Every event carries its time: seconds on any monotonic scale (a pcap timestamp, performance.now() / 1000). */
export type MachineEvent =
  | { type: 'startup'; atSec: number }
  | { type: 'shutdown'; atSec: number }
  /** A received frame of kind 'vrrp' (see advertEvent); src/rules/receive.ts judges it first. */
  | { type: 'advert'; atSec: number; frame: VrrpFrame }
  /** A timer this machine armed with set-timer has expired. Stale or unknown timers are ignored. */
  | { type: 'timer'; atSec: number; timer: TimerName }
  /** The effective priority changed (track scripts); `reason` says why, for the log. */
  | { type: 'priority'; atSec: number; priority: number; reason: string }
  /**
   * A weight-0 track script failed: stop advertising, release the VIPs. `silent`: the link is
   * down or the capture dead, so nothing can be sent (no priority-0 advert).
   */
  | { type: 'fault'; atSec: number; reason: string; silent?: boolean }
  | { type: 'fault-cleared'; atSec: number; reason: string }
  /** Its vrrp_sync_group moved (sync-group.ts): to MASTER with the group, or to BACKUP (no priority 0). */
  | { type: 'sync'; atSec: number; to: 'MASTER' | 'BACKUP'; reason: string }
  /** SIGHUP: the instance's new configuration, applied in place (reload-plan.ts says when that is possible). */
  | { type: 'reconfigure'; atSec: number; config: MachineConfig };

export const DROP_REASONS = [
  'not-ours', // another VRID or family: demultiplexing, never logged
  ...DISCARD_REASONS, // src/rules/receive.ts; 'version' also when the version is not ours
  'auth-type',
  'auth',
  'own-address',
  'interval',
  'not-a-peer', // unicast_peer: the sender is not a listed peer
  'wrong-cast', // a multicast advert to a unicast instance, or a unicast one to a multicast instance
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export type TransitionReason =
  | 'owner-startup'
  | 'startup'
  | 'master-down'
  | 'priority-zero'
  | 'preempt'
  | 'higher-priority'
  | 'higher-address'
  | 'fault'
  | 'fault-cleared'
  | 'sync-group'
  | 'shutdown';

export interface Transition {
  from: VrrpState;
  to: VrrpState;
  reason: TransitionReason;
}

/**
 * What the edge must do, in list order. Timer delays are in centiseconds (VRRPv3's unit; v2
 * seconds are * 100) and may be fractional: Skew_Time is (256 - priority) / 256 of an interval.
 */
export type Effect =
  /** Encode `message` (advertFrameSpec + encodeAdvertFrame) and inject it. It holds the v2 password: never log it. */
  | { type: 'send-advert'; priority: number; message: VrrpMessage }
  | { type: 'add-vips'; vips: readonly Vip[] }
  | { type: 'remove-vips'; vips: readonly Vip[] }
  /** IPv4: `count` gratuitous ARPs per address; IPv6: `count` unsolicited NAs (R=1, S=0, O=1). virtualMac null = the interface's MAC. */
  | { type: 'send-garp'; family: 4 | 6; addresses: readonly string[]; count: number; virtualMac: string | null }
  /** (Re)arm: replaces a running timer of the same name. */
  | { type: 'set-timer'; timer: TimerName; delayCs: number }
  | { type: 'cancel-timer'; timer: TimerName }
  | { type: 'log'; level: 'info' | 'warning'; message: string; transition?: Transition }
  /** Run --notify as `CMD INSTANCE NAME STATE PRIORITY`. */
  | { type: 'notify'; state: NotifyState; priority: number }
  /** A received advert was dropped (emitted every time, for counters; logged once per sender and reason). */
  | { type: 'drop'; from: string; reason: DropReason; detail: string };

export type MachineConfig = Pick<
  DaemonConfig,
  'vrid' | 'family' | 'version' | 'priority' | 'vips' | 'advertIntervalCs' | 'auth' | 'preempt' | 'preemptDelayCs' | 'vmac' | 'garp' | 'lowerPriorityAdvert'
> &
  Partial<Pick<DaemonConfig, 'excludedVips' | 'unicast'>> & {
  /** Our source address on the interface (IPv6: the link-local one, or unicast_src_ip); it breaks priority ties. */
  primaryAddress: string;
};

export interface MachineStatus {
  state: VrrpState;
  priority: number;
  configuredPriority: number;
  masterAdverIntervalCs: number;
  skewTimeCs: number;
  masterDownIntervalCs: number;
  /** The last router heard advertising this VRID (accepted or not), and when. */
  lastHeard: { address: string; priority: number; atSec: number } | null;
  timers: { timer: TimerName; dueSec: number }[];
}

const OWNER = 255;

/**
 * Asked when the Master_Down_Timer fires: null lets the machine become master; a sentence holds
 * it in BACKUP (keepalived vrrp_sync_can_goto_master: a sync group becomes master together).
 */
export type MasterGate = () => string | null;

interface TimerRecord {
  startSec: number;
  dueSec: number;
  /** master-down only: what the delay was computed from, to recompute it when the priority moves. */
  basis?: 'mdi' | 'skew';
}

export class VrrpMachine {
  #c: MachineConfig;
  readonly #myAddress: Uint8Array;
  readonly #gate: MasterGate | null;
  /** keepalived's wantstate MASTER while a sync group holds this Backup back. */
  #heldByGroup = false;
  /** The one state field. */
  #state: VrrpState = 'INITIALIZE';
  #priority: number;
  #masterAdverIntervalCs: number;
  /** The fault condition reported by tracking; an input remembered for startup, not a state. */
  #faultReason: string | null = null;
  /** keepalived's preempt_time: idle (0), running (the preempt-delay timer is armed), expired. */
  #preemptHold: 'idle' | 'running' | 'expired' = 'idle';
  #lastHeard: { address: string; priority: number; atSec: number } | null = null;
  /** How the current Backup spell began, for the log when nobody is heard: startup or leaving FAULT. */
  #backupSince: 'startup' | 'leaving FAULT' = 'startup';
  readonly #timers = new Map<TimerName, TimerRecord>();
  /** Which per-sender lines were said, bounded, aging, with a share for routers that matter (log-memory.ts). */
  readonly #said = new LogMemory();
  /** The time of the event being handled, for #once. */
  #atSec = 0;
  /** Answers to received adverts, at most a few per Advertisement_Interval (answer-limit.ts). */
  #answers: AnswerBudget;
  /** The last advert's message and the configuration it was made from (see #sendAdvert). */
  #lastAdvert: { config: MachineConfig; message: VrrpMessage } | null = null;

  constructor(config: MachineConfig, opts: { gate?: MasterGate } = {}) {
    this.#c = config;
    this.#gate = opts.gate ?? null;
    const bytes = addressBytes(config.primaryAddress, config.family);
    if (bytes === null) throw new Error(`primary address ${config.primaryAddress} is not an IPv${config.family} address`);
    this.#myAddress = bytes;
    this.#priority = config.priority;
    this.#masterAdverIntervalCs = config.advertIntervalCs;
    this.#answers = new AnswerBudget(config.advertIntervalCs / 100);
  }

  /** Answers to received adverts not sent because of the budget (answer-limit.ts). */
  get answersHeld(): number {
    return this.#answers.held;
  }

  get state(): VrrpState {
    return this.#state;
  }

  get priority(): number {
    return this.#priority;
  }

  /** keepalived's wantstate == MASTER: master now, or held in BACKUP by its sync group. */
  get wantsMaster(): boolean {
    return this.#state === 'MASTER' || (this.#state === 'BACKUP' && this.#heldByGroup);
  }

  handle(e: MachineEvent): Effect[] {
    this.#atSec = e.atSec;
    const fx = this.#dispatch(e);
    const held = this.#said.summary(e.atSec);
    if (held !== null) fx.push(this.#log('warning', held));
    return fx;
  }

  #dispatch(e: MachineEvent): Effect[] {
    switch (e.type) {
      case 'startup':
        return this.#startup(e.atSec);
      case 'shutdown':
        return this.#shutdown();
      case 'advert':
        return this.#advert(e.atSec, e.frame);
      case 'timer':
        return this.#timer(e.atSec, e.timer);
      case 'priority':
        return this.#priorityChanged(e.atSec, e.priority, e.reason);
      case 'fault':
        return this.#fault(e.reason, e.silent === true);
      case 'fault-cleared':
        return this.#faultCleared(e.atSec, e.reason);
      case 'sync':
        return this.#sync(e.atSec, e.to, e.reason);
      case 'reconfigure':
        return this.#reconfigure(e.atSec, e.config);
    }
  }

  status(): MachineStatus {
    return {
      state: this.#state,
      priority: this.#priority,
      configuredPriority: this.#c.priority,
      masterAdverIntervalCs: this.#masterAdverIntervalCs,
      skewTimeCs: this.#skewCs(),
      masterDownIntervalCs: this.#mdiCs(),
      lastHeard: this.#lastHeard,
      timers: [...this.#timers].map(([timer, r]) => ({ timer, dueSec: r.dueSec })),
    };
  }

  /** One sentence for SIGUSR1. */
  statusLine(atSec: number): string {
    const head = `VRID ${this.#c.vrid}: ${this.#state}, priority ${this.#priority}`;
    const h = this.#lastHeard;
    switch (this.#state) {
      case 'MASTER':
        return `${head}, advertising every ${seconds(this.#c.advertIntervalCs)} s`;
      case 'BACKUP': {
        const heard = h ? `last advert from ${h.address} (priority ${h.priority}) ${seconds((atSec - h.atSec) * 100)} s ago` : 'no advert heard yet';
        return `${head}, ${heard}; Master_Down_Interval ${seconds(this.#mdiCs())} s`;
      }
      case 'FAULT':
        return `${head}, in fault: ${this.#faultReason ?? 'unknown'}`;
      case 'INITIALIZE':
        return `${head}, not running`;
    }
  }

  // ---- transitions -------------------------------------------------------------------------

  #startup(at: number): Effect[] {
    if (this.#state !== 'INITIALIZE') return [];
    this.#lastHeard = null;
    this.#preemptHold = 'idle';
    if (this.#faultReason !== null) {
      // keepalived: "Entering FAULT STATE (init)" when a weight-0 tracker already failed.
      return [this.#goto('FAULT', 'fault', this.#faultReason, 'warning'), this.#notify('FAULT')];
    }
    if (this.#priority === OWNER) {
      // RFC 3768 6.4.1: Priority = 255 -> send ADVERTISEMENT, gratuitous ARP, Adver_Timer, Master
      return this.#becomeMaster(at, this.#goto('MASTER', 'owner-startup', 'address owner (priority 255): master at once'));
    }
    // RFC 5798 6.4.1 (155-160): Master_Adver_Interval = Advertisement_Interval; Master_Down_Timer = Master_Down_Interval; Backup
    this.#masterAdverIntervalCs = this.#c.advertIntervalCs;
    this.#backupSince = 'startup';
    const log = this.#goto('BACKUP', 'startup', `started; becoming master if no advert is heard for ${seconds(this.#mdiCs())} s (Master_Down_Interval)`);
    const fx: Effect[] = [log, this.#armDown(at, 'mdi')];
    // keepalived: preempt_delay counts from startup (and again from the first lower-priority advert after a higher one).
    if (this.#preemptive() && this.#c.preemptDelayCs > 0) fx.push(this.#startPreemptDelay(at));
    fx.push(this.#notify('BACKUP'));
    return fx;
  }

  #shutdown(): Effect[] {
    switch (this.#state) {
      case 'INITIALIZE':
        return [];
      case 'BACKUP': {
        // RFC 3768 6.4.2: Shutdown -> cancel Master_Down_Timer, Initialize
        const log = this.#goto('INITIALIZE', 'shutdown', 'shutdown');
        return [log, ...this.#cancel('master-down'), ...this.#cancel('preempt-delay'), this.#notify('STOP')];
      }
      case 'MASTER': {
        // RFC 3768 6.4.3: Shutdown -> cancel Adver_Timer, send ADVERTISEMENT with Priority = 0, Initialize
        const log = this.#goto('INITIALIZE', 'shutdown', 'shutdown; sent priority 0 so the best backup takes over after its Skew_Time');
        return [log, ...this.#leaveMaster(), this.#sendAdvert(0), this.#removeVips(), this.#notify('STOP')];
      }
      case 'FAULT':
        // keepalived: stopping from FAULT only runs notify STOP; nothing is held.
        return [this.#goto('INITIALIZE', 'shutdown', 'shutdown'), this.#notify('STOP')];
    }
  }

  #timer(at: number, timer: TimerName): Effect[] {
    if (!this.#timers.delete(timer)) return []; // cancelled or replaced since: stale
    switch (timer) {
      case 'master-down':
        // RFC 3768 6.4.2: Master_Down_Timer fires -> send ADVERTISEMENT, gratuitous ARP, Adver_Timer, Master
        if (this.#state !== 'BACKUP') return [];
        return this.#held(at) ?? this.#becomeMaster(at, this.#masterDownLog(at));
      case 'advert':
        // RFC 3768 6.4.3: Adver_Timer fires -> send ADVERTISEMENT, reset Adver_Timer
        if (this.#state !== 'MASTER') return [];
        return [this.#sendAdvert(this.#priority), this.#arm('advert', at, this.#c.advertIntervalCs)];
      case 'garp-repeat':
        // keepalived vrrp_garp_master_delay: the second burst of gratuitous ARPs / NAs
        if (this.#state !== 'MASTER') return [];
        return this.#garp();
      case 'preempt-delay':
        // keepalived preempt_delay: from now on a lower-priority master is preempted
        if (this.#state === 'BACKUP' && this.#preemptHold === 'running') this.#preemptHold = 'expired';
        return [];
    }
  }

  #advert(at: number, f: VrrpFrame): Effect[] {
    // keepalived: FAULT sends nothing and ignores adverts; Initialize is not running.
    if (this.#state !== 'BACKUP' && this.#state !== 'MASTER') return [];
    const dropped = this.#receiveCheck(f);
    if (dropped !== null) return dropped;
    const from = f.ip.src;
    const p = f.vrrp.priority;
    // A router that matters: one we would follow as master. Lower priorities and priority 0 are
    // what a flood of spoofed senders sends; they get no reserved share of the log memory.
    if (p > 0 && (p >= this.#priority || !this.#preemptive())) this.#said.known(from);
    const fx = this.#logOnlyChecks(f);
    this.#lastHeard = { address: from, priority: p, atSec: at };
    if (this.#state === 'BACKUP') fx.push(...this.#backupAdvert(at, f));
    else fx.push(...this.#masterAdvert(at, f));
    return fx;
  }

  #backupAdvert(at: number, f: VrrpFrame): Effect[] {
    const from = f.ip.src;
    const p = f.vrrp.priority;
    if (p === 0) {
      // RFC 3768 6.4.2: priority 0 -> Master_Down_Timer = Skew_Time
      return [
        this.#log('info', `${from} released master (priority 0); taking over in ${seconds(this.#skewCs())} s (Skew_Time) unless a better backup speaks first`),
        this.#armDown(at, 'skew'),
      ];
    }
    const holding = this.#c.preemptDelayCs > 0 && this.#preemptHold !== 'expired';
    if (!this.#preemptive() || p >= this.#priority || holding) {
      // RFC 5798 6.4.2 (450-460) + RFC 9568: Master_Adver_Interval = advert's; recompute Skew_Time and Master_Down_Interval; reset Master_Down_Timer
      const fx: Effect[] = [];
      this.#heldByGroup = false; // keepalived vrrp_state_backup: a master is heard, so wantstate = BACKUP
      if (this.#c.version === 3 && f.vrrp.intervalCs !== this.#masterAdverIntervalCs) {
        fx.push(this.#log('info', `Master_Adver_Interval ${centis(this.#masterAdverIntervalCs)} -> ${centis(f.vrrp.intervalCs)}, learned from ${from}`));
        this.#masterAdverIntervalCs = f.vrrp.intervalCs;
      }
      fx.push(this.#armDown(at, 'mdi'));
      if (this.#preemptive() && this.#c.preemptDelayCs > 0) {
        // keepalived vrrp_state_backup: a higher or equal advert stops the preempt delay; the first lower one starts it
        if (p >= this.#priority) fx.push(...this.#stopPreemptDelay());
        else if (this.#preemptHold === 'idle') fx.push(this.#startPreemptDelay(at));
      }
      return fx;
    }
    // RFC 3768 6.4.2: lower priority with Preempt_Mode -> discard; the Master_Down_Timer keeps running
    return this.#once('lower-priority', from, 'info', `${from} advertises priority ${p}, lower than ours (${this.#priority}); ignoring it, so we preempt when Master_Down_Timer expires`);
  }

  #masterAdvert(at: number, f: VrrpFrame): Effect[] {
    const from = f.ip.src;
    const p = f.vrrp.priority;
    if (p === 0) {
      // RFC 3768 6.4.3: priority 0 -> send ADVERTISEMENT, reset Adver_Timer (within the answer budget)
      return this.#answer(at, from, p, () => [this.#sendAdvert(this.#priority), this.#arm('advert', at, this.#c.advertIntervalCs)]);
    }
    const fx: Effect[] = [];
    if (p === OWNER && this.#priority === OWNER) {
      // RFC 9568 erratum 8298: another owner is logged, not dropped; the address tie-break below decides
      fx.push(...this.#once('owner', from, 'warning', `${from} also advertises priority 255: both routers are configured as the address owner; fix one of them (the higher address stays master)`));
    }
    const higherAddress = compareBytes(addressBytes(from, this.#c.family), this.#myAddress) > 0;
    if (p > this.#priority || (p === this.#priority && higherAddress)) {
      // RFC 5798 6.4.3 (730-765): higher priority, or equal and a greater address -> cancel Adver_Timer, learn Master_Adver_Interval, Master_Down_Timer, Backup
      this.#masterAdverIntervalCs = this.#c.version === 3 ? f.vrrp.intervalCs : this.#c.advertIntervalCs;
      const why =
        p > this.#priority
          ? `advert from ${from} with higher priority ${p} (ours ${this.#priority})`
          : `advert from ${from} with our priority ${p} and a higher address`;
      const log = this.#goto('BACKUP', p > this.#priority ? 'higher-priority' : 'higher-address', why);
      return [...fx, log, ...this.#leaveMaster(), this.#removeVips(), this.#armDown(at, 'mdi'), this.#notify('BACKUP')];
    }
    // RFC 9568 6.4.3: lower priority (or equal and a lower address) -> discard, send an ADVERTISEMENT at once (keepalived's default too)
    fx.push(...this.#once('lower-priority-master', from, 'info', `${from} advertises priority ${p} while we are master with ${this.#priority}; ${this.#c.lowerPriorityAdvert ? 'advertising at once so it backs off' : 'ignoring it'}`));
    if (this.#c.lowerPriorityAdvert) fx.push(...this.#answer(at, from, p, () => [this.#sendAdvert(this.#priority)]));
    return fx;
  }

  #priorityChanged(at: number, priority: number, reason: string): Effect[] {
    if (!Number.isInteger(priority) || priority < 1 || priority > OWNER) throw new RangeError(`effective priority ${priority} is outside 1-255`);
    if (priority === this.#priority) return [];
    // keepalived vrrp_set_effective_priority (no RFC text): a Master advertises the new priority at its next advert;
    // a Backup recomputes Skew_Time and Master_Down_Interval (RFC 3768 6.1) and moves its running Master_Down_Timer.
    const old = this.#priority;
    this.#priority = priority;
    return [this.#log('info', `effective priority ${old} -> ${priority}: ${reason}`), ...this.#moveDownTimer(at)];
  }

  /** A Backup's running Master_Down_Timer, recomputed for the current priority and interval from when it was armed. */
  #moveDownTimer(at: number): Effect[] {
    const down = this.#timers.get('master-down');
    if (this.#state !== 'BACKUP' || down?.basis === undefined) return [];
    const full = down.basis === 'mdi' ? this.#mdiCs() : this.#skewCs();
    const remainingCs = Math.max(0, (down.startSec - at) * 100 + full);
    this.#timers.set('master-down', { startSec: down.startSec, dueSec: at + remainingCs / 100, basis: down.basis });
    return [{ type: 'set-timer', timer: 'master-down', delayCs: remainingCs }];
  }

  #sync(at: number, to: 'MASTER' | 'BACKUP', reason: string): Effect[] {
    if (to === 'MASTER') {
      // keepalived vrrp_sync_master: a Backup member becomes master with its group, as if its Master_Down_Timer had fired
      if (this.#state !== 'BACKUP') return [];
      return this.#becomeMaster(at, this.#goto('MASTER', 'sync-group', reason));
    }
    // keepalived vrrp_sync_backup -> vrrp_state_leave_master: Backup with the group; VIPs released, no priority 0
    if (this.#state !== 'MASTER') return [];
    const log = this.#goto('BACKUP', 'sync-group', reason);
    return [log, ...this.#leaveMaster(), this.#removeVips(), this.#armDown(at, 'mdi'), this.#notify('BACKUP')];
  }

  /**
   * keepalived's reload of an instance it keeps (clear_diff_vrrp, restore_vrrp_state): the state
   * stays; a Master releases the VIPs that are gone and adds the new ones (with gratuitous ARPs /
   * NAs for them), advertises the new values from its next advert on and sends that advert at the
   * new interval counted from its last one; a Backup starts its Master_Down_Timer again. The
   * effective priority arrives after this as a `priority` event (the edge adds the track weights).
   */
  #reconfigure(at: number, next: MachineConfig): Effect[] {
    const old = this.#c;
    if (next.vrid !== old.vrid || next.family !== old.family || next.primaryAddress !== old.primaryAddress) {
      throw new RangeError(`VRID ${old.vrid}: a new VRID, family or source address is another virtual router: stop this one and start that one`);
    }
    this.#c = next;
    this.#answers = new AnswerBudget(next.advertIntervalCs / 100);
    const fx: Effect[] = [];
    if (next.version === 2 || this.#state !== 'BACKUP') this.#masterAdverIntervalCs = next.advertIntervalCs;
    if (this.#state === 'MASTER') {
      // The excluded addresses too; an address whose dev, label, scope or brd changed is taken away and added again.
      const key = (v: Vip): string => JSON.stringify([v.address, v.prefixLength, v.dev, v.label, v.scope, v.brd]);
      const [was, now] = [this.#addresses(old), this.#addresses(next)];
      const gone = was.filter((v) => !now.some((n) => key(n) === key(v)));
      const added = now.filter((v) => !was.some((o) => key(o) === key(v)));
      if (gone.length > 0) fx.push({ type: 'remove-vips', vips: gone });
      if (added.length > 0) {
        fx.push({ type: 'add-vips', vips: added }, ...this.#garp(added));
      }
      const adv = this.#timers.get('advert');
      if (adv !== undefined && next.advertIntervalCs !== old.advertIntervalCs) {
        const delayCs = Math.max(0, (adv.startSec - at) * 100 + next.advertIntervalCs);
        this.#timers.set('advert', { startSec: adv.startSec, dueSec: at + delayCs / 100 });
        fx.push({ type: 'set-timer', timer: 'advert', delayCs });
      }
    }
    // keepalived vrrp_init_state on reload: a Backup's Master_Down_Timer starts again, a full Master_Down_Interval from now
    if (this.#state === 'BACKUP') fx.push(this.#armDown(at, 'mdi'));
    if (this.#preemptHold === 'running' && (!this.#preemptive() || next.preemptDelayCs === 0)) fx.push(...this.#stopPreemptDelay());
    return fx;
  }

  /**
   * keepalived vrrp_state_goto_master in a sync group: while another member cannot be master
   * yet, stay Backup wanting MASTER with a fresh Master_Down_Interval; null when free to go.
   */
  #held(at: number): Effect[] | null {
    const why = this.#gate?.() ?? null;
    if (why === null) return null;
    this.#heldByGroup = true;
    return [...this.#once('sync-held', 'sync group', 'info', why), this.#armDown(at, 'mdi')];
  }

  #fault(reason: string, silent: boolean): Effect[] {
    this.#faultReason = reason;
    switch (this.#state) {
      case 'INITIALIZE':
      case 'FAULT':
        return [];
      case 'BACKUP': {
        // keepalived (no RFC text): a failed weight-0 tracker -> FAULT; sends nothing, ignores adverts
        const log = this.#goto('FAULT', 'fault', reason, 'warning');
        return [log, ...this.#cancel('master-down'), ...this.#cancel('preempt-delay'), this.#notify('FAULT')];
      }
      case 'MASTER': {
        // keepalived vrrp_state_leave_master: FAULT from Master -> send priority 0, release the VIPs (as RFC 3768 6.4.3 Shutdown)
        if (silent) {
          const log = this.#goto('FAULT', 'fault', `${reason}; released the virtual addresses (no priority-0 advert: nothing can be sent)`, 'warning');
          return [log, ...this.#leaveMaster(), this.#removeVips(), this.#notify('FAULT')];
        }
        const log = this.#goto('FAULT', 'fault', `${reason}; sent priority 0 and released the virtual addresses`, 'warning');
        return [log, ...this.#leaveMaster(), this.#sendAdvert(0), this.#removeVips(), this.#notify('FAULT')];
      }
    }
  }

  #faultCleared(at: number, reason: string): Effect[] {
    this.#faultReason = null;
    if (this.#state !== 'FAULT') return [];
    if (this.#priority === OWNER) {
      // keepalived vrrp_state_leave_fault: the owner goes straight to Master (RFC 3768 6.4.1 owner path)
      return this.#becomeMaster(at, this.#goto('MASTER', 'fault-cleared', `${reason}; address owner: master at once`));
    }
    // keepalived vrrp_state_leave_fault: Backup with Master_Adver_Interval = Advertisement_Interval, as RFC 5798 6.4.1 (155-160)
    this.#masterAdverIntervalCs = this.#c.advertIntervalCs;
    this.#preemptHold = 'idle';
    this.#lastHeard = null;
    this.#backupSince = 'leaving FAULT';
    const log = this.#goto('BACKUP', 'fault-cleared', reason);
    return [log, this.#armDown(at, 'mdi'), this.#notify('BACKUP')];
  }

  // ---- receive checks (RFC 3768 / 5798 7.1) -------------------------------------------------

  /** The drop effects for a packet section 7.1 says to discard, or null to accept it. */
  #receiveCheck(f: VrrpFrame): Effect[] | null {
    const c = this.#c;
    const v = f.vrrp;
    const from = f.ip.src;
    // RFC 3768 7.1: MUST verify that the VRID is configured on the receiving interface (others are demultiplexed away, silently)
    if (f.ip.family !== c.family || v.vrid !== c.vrid) {
      return [{ type: 'drop', from, reason: 'not-ours', detail: `advert for VRID ${v.vrid} over IPv${f.ip.family} from ${from}` }];
    }
    // RFC 3768 / 5798 7.1, the rules that need no configuration: the one rule book the monitor uses too.
    // keepalived: no TTL check for a unicast instance (its peers may be routed; unicast_ttl sets what it sends).
    const d = discardsOf(f).find((x) => c.unicast == null || x.reason !== 'ttl');
    if (d !== undefined) return this.#drop(from, d.reason, d.detail);
    // RFC 3768 7.1: MUST verify the VRRP version (ours)
    if (v.version !== c.version) return this.#drop(from, 'version', `wrong version from ${from}: got VRRPv${v.version}, we run VRRPv${c.version}`);
    if (c.version === 2) {
      // RFC 3768 7.1: MUST verify that the Auth Type matches the locally configured method and perform it
      const want = c.auth === null ? 0 : 1;
      if (v.authType !== want) {
        return this.#drop(from, 'auth-type', `auth type mismatch from ${from}: got ${v.authType ?? 'none'} (${authName(v.authType)}), expected ${want} (${authName(want)})`);
      }
      if (c.auth !== null && !c.auth.matches(v.authData)) {
        // Never the password itself: with a typo in our file, the peer's is the cluster's real one.
        return this.#drop(from, 'auth', `auth mismatch from ${from}: its password (${passwordLength(v.authData)} bytes) differs from ours`);
      }
    }
    const u = c.unicast ?? null;
    // keepalived: a unicast instance takes only unicast adverts, a multicast one only multicast adverts
    if (isMulticast(f.ip.dst) === (u !== null)) {
      const got = u === null ? `a unicast advert (to ${f.ip.dst})` : `a multicast advert (to ${f.ip.dst})`;
      return this.#drop(from, 'wrong-cast', `${got} from ${from}, and this instance ${u === null ? 'has no unicast_peer' : 'uses unicast_peer'}: the two routers disagree on unicast`);
    }
    // keepalived check_unicast_src: only the listed peers' adverts
    if (u !== null && !u.peers.includes(from)) {
      return this.#drop(from, 'not-a-peer', `advert from ${from}, which is not a unicast_peer of this instance (peers: ${u.peers.join(', ')})`);
    }
    // Our own frame looped back, or a duplicate address: never an election input.
    if (compareBytes(addressBytes(from, c.family), this.#myAddress) === 0) {
      return this.#drop(from, 'own-address', `advert from our own address ${from}: a looped-back frame, or another router uses our address`);
    }
    // RFC 3768 7.1: MUST verify that the Adver Interval in the packet is the same as the locally configured one
    if (c.version === 2 && v.intervalCs !== c.advertIntervalCs) {
      return this.#drop(from, 'interval', `advertisement interval mismatch from ${from}: got ${seconds(v.intervalCs)} s, ours is ${seconds(c.advertIntervalCs)} s`);
    }
    return null;
  }

  /** Section 7.1 checks that only log (once per sender): the address list, a v3 interval mismatch. */
  #logOnlyChecks(f: VrrpFrame): Effect[] {
    const from = f.ip.src;
    const fx: Effect[] = [];
    const mine = this.#c.vips.map((x) => x.address);
    const theirs = f.vrrp.addresses;
    if (theirs.length !== mine.length || [...theirs].sort().join() !== [...mine].sort().join()) {
      // RFC 5798 7.1: MAY verify the address list, log only (RFC 3768 and keepalived drop; we follow RFC 5798 / 9568)
      fx.push(...this.#once('addresses', from, 'warning', `address list mismatch from ${from}: it advertises ${theirs.join(', ') || 'none'}, we have ${mine.join(', ')} (accepted anyway)`));
    }
    if (this.#c.version === 3 && f.vrrp.intervalCs !== this.#c.advertIntervalCs) {
      // RFC 5798 5.2.7 / 9568 7.1: a different Max Adver Int is logged; a Backup follows the master's
      fx.push(...this.#once('interval-v3', from, 'info', `${from} advertises every ${centis(f.vrrp.intervalCs)}, ours is ${centis(this.#c.advertIntervalCs)}; a backup follows the master's interval`));
    }
    return fx;
  }

  // ---- building blocks ----------------------------------------------------------------------

  #becomeMaster(at: number, log: Effect): Effect[] {
    this.#preemptHold = 'idle';
    const fx: Effect[] = [log, ...this.#cancel('master-down'), ...this.#cancel('preempt-delay')];
    fx.push(this.#sendAdvert(this.#priority), { type: 'add-vips', vips: this.#addresses() }, ...this.#garp());
    fx.push(this.#arm('advert', at, this.#c.advertIntervalCs));
    if (this.#c.garp.repeat > 0 && this.#c.garp.delayCs > 0) fx.push(this.#arm('garp-repeat', at, this.#c.garp.delayCs));
    fx.push(this.#notify('MASTER'));
    return fx;
  }

  #leaveMaster(): Effect[] {
    return [...this.#cancel('advert'), ...this.#cancel('garp-repeat')];
  }

  /** `send` when the answer budget allows it; else nothing (counted), and a line the first time in a while. */
  #answer(at: number, from: string, p: number, send: () => Effect[]): Effect[] {
    if (this.#answers.take(at)) return send();
    return this.#once('answer-limit', 'any sender', 'warning', `more adverts to answer than ${ANSWERS_PER_INTERVAL} per Advertisement_Interval (the last from ${from}, priority ${p}): the rest are counted, not answered, and our adverts go on every ${seconds(this.#c.advertIntervalCs)} s`);
  }

  #removeVips(): Effect {
    return { type: 'remove-vips', vips: this.#addresses() };
  }

  #masterDownLog(at: number): Effect {
    const h = this.#lastHeard;
    if (h === null) return this.#goto('MASTER', 'master-down', `no advert heard for ${seconds(this.#mdiCs())} s since ${this.#backupSince} (Master_Down_Interval)`);
    if (h.priority === 0) {
      return this.#goto('MASTER', 'priority-zero', `${h.address} released master (priority 0) and no better backup spoke within ${seconds((at - h.atSec) * 100)} s (Skew_Time)`);
    }
    if (h.priority < this.#priority && this.#preemptive()) {
      return this.#goto('MASTER', 'preempt', `preempting ${h.address}, whose priority ${h.priority} is lower than ours (${this.#priority})`);
    }
    return this.#goto('MASTER', 'master-down', `no advert from ${h.address} for ${seconds((at - h.atSec) * 100)} s (Master_Down_Interval)`);
  }

  #sendAdvert(priority: number): Effect {
    const c = this.#c;
    // The same message object while its contents stay: the edge keeps the frame it built for it (advert-frames.ts).
    const last = this.#lastAdvert;
    if (last !== null && last.config === c && last.message.priority === priority) return { type: 'send-advert', priority, message: last.message };
    const message: VrrpMessage = {
      version: c.version,
      type: 1,
      vrid: c.vrid,
      priority,
      intervalRaw: c.version === 2 ? c.advertIntervalCs / 100 : c.advertIntervalCs,
      addresses: c.vips.map((v) => v.address),
    };
    if (c.version === 2) {
      message.authType = c.auth === null ? 0 : 1;
      if (c.auth !== null) message.authData = c.auth.authData();
    }
    this.#lastAdvert = { config: c, message };
    return { type: 'send-advert', priority, message };
  }

  /** What a master holds: the VIPs, then the excluded addresses (keepalived's virtual_ipaddress_excluded, never advertised). */
  #addresses(c: MachineConfig = this.#c): readonly Vip[] {
    const excluded = c.excludedVips ?? [];
    return excluded.length === 0 ? c.vips : [...c.vips, ...excluded];
  }

  /** keepalived announces the excluded addresses too: an ARP burst for the IPv4 ones, NAs for the IPv6 ones. */
  #garp(vips: readonly Vip[] = this.#addresses()): Effect[] {
    const c = this.#c;
    return ([4, 6] as const).flatMap((family): Effect[] => {
      const addresses = vips.filter((v) => v.address.includes(':') === (family === 6)).map((v) => v.address);
      return addresses.length === 0 ? [] : [{ type: 'send-garp', family, addresses, count: c.garp.repeat, virtualMac: c.vmac ? virtualMac(family, c.vrid) : null }];
    });
  }

  #goto(to: VrrpState, reason: TransitionReason, why: string, level: 'info' | 'warning' = 'info'): Effect {
    const from = this.#state;
    this.#state = to;
    this.#heldByGroup = false;
    return { type: 'log', level, message: `VRID ${this.#c.vrid}: ${from} -> ${to}: ${why}`, transition: { from, to, reason } };
  }

  #notify(state: NotifyState): Effect {
    return { type: 'notify', state, priority: this.#priority };
  }

  #log(level: 'info' | 'warning', text: string): Effect {
    return { type: 'log', level, message: `VRID ${this.#c.vrid}: ${text}` };
  }

  /** A log effect the first time this (key, sender) pair is seen, and again after LOG_MEMORY.repeatAfterSec. */
  #once(key: string, from: string, level: 'info' | 'warning', text: string): Effect[] {
    return this.#said.shouldSay(key.replace(/^drop:/, ''), from, this.#atSec) ? [this.#log(level, text)] : [];
  }

  #drop(from: string, reason: DropReason, detail: string): Effect[] {
    return [{ type: 'drop', from, reason, detail }, ...this.#once(`drop:${reason}`, from, 'warning', `${detail}; advert dropped (not logged again for this sender within ${LOG_MEMORY.repeatAfterSec / 60} minutes)`)];
  }

  #arm(timer: TimerName, at: number, delayCs: number): Effect {
    this.#timers.set(timer, { startSec: at, dueSec: at + delayCs / 100 });
    return { type: 'set-timer', timer, delayCs };
  }

  #armDown(at: number, basis: 'mdi' | 'skew'): Effect {
    const delayCs = basis === 'mdi' ? this.#mdiCs() : this.#skewCs();
    this.#timers.set('master-down', { startSec: at, dueSec: at + delayCs / 100, basis });
    return { type: 'set-timer', timer: 'master-down', delayCs };
  }

  #cancel(timer: TimerName): Effect[] {
    return this.#timers.delete(timer) ? [{ type: 'cancel-timer', timer }] : [];
  }

  #startPreemptDelay(at: number): Effect {
    this.#preemptHold = 'running';
    return this.#arm('preempt-delay', at, this.#c.preemptDelayCs);
  }

  #stopPreemptDelay(): Effect[] {
    this.#preemptHold = 'idle';
    return this.#cancel('preempt-delay');
  }

  /** RFC 3768 6.1: the owner preempts whatever Preempt_Mode says. */
  #preemptive(): boolean {
    return this.#c.preempt || this.#c.priority === OWNER;
  }

  #skewCs(): number {
    return skewTimeCs(this.#timerBasis());
  }

  #mdiCs(): number {
    return masterDownIntervalCs(this.#timerBasis());
  }

  /** RFC 5798 6.1: a Backup's timers use its own priority and the master's interval (v2: the configured one). */
  #timerBasis(): TimerBasis {
    return { version: this.#c.version, priority: this.#priority, advertIntervalCs: this.#masterAdverIntervalCs };
  }
}

/** The advert event for a decoded frame. */
export function advertEvent(frame: VrrpFrame, atSec: number): MachineEvent {
  return { type: 'advert', atSec, frame };
}

function addressBytes(a: string, family: 4 | 6): Uint8Array | null {
  const b = new Uint8Array(family === 4 ? 4 : 16);
  return (family === 4 ? writeIpv4(a, b, 0) : writeIpv6(a, b, 0)) ? b : null;
}

/** RFC 9568 6.4.3: "an unsigned integer comparison of the IPvX addresses in network byte order". */
function compareBytes(a: Uint8Array | null, b: Uint8Array): number {
  if (a === null) return -1;
  for (let i = 0; i < b.length; i++) {
    const d = (a[i] ?? 0) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Seconds for people: 360.9375 cs -> "3.61", 100 cs -> "1". */
function seconds(cs: number): string {
  return String(Number((cs / 100).toFixed(2)));
}

function centis(cs: number): string {
  return `${seconds(cs)} s`;
}

function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

function authName(t: number | null): string {
  return t === null ? 'none (v3)' : authTypeShort(t);
}

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8, from the decoder's canonical text. */
function isMulticast(address: string): boolean {
  if (address.includes(':')) return address.toLowerCase().startsWith('ff');
  const first = Number(address.split('.', 1)[0]);
  return first >= 224 && first <= 239;
}
