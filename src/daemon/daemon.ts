// One running virtual router: the state machine wired to the world. Frames in, effects carried
// out in their order, timers on a clock, track scripts and --notify as commands. Every piece of
// I/O comes in through DaemonIo, so tests drive it with a manual clock and fakes; run.ts gives it
// libpcap, iproute2, child processes and the real clock.
import { advertFrameLength, decodeFrame, encodeAdvertFrame } from '../decode/frame.js';
import { isVirtualMac, virtualMac } from '../decode/validate.js';
import { advertFrameSpec, type UnicastDestination } from './advert.js';
import { AdvertFrames } from './advert-frames.js';
import { writeMac } from '../decode/bytes.js';
import type { DecodedFrame } from '../decode/types.js';
import type { VrrpMessage } from '../decode/vrrp.js';
import type { DaemonConfig, TrackScriptConfig, Vip } from './config.js';
import type { CommandResult, RunningCommand } from './commands.js';
import { garpFrame } from './garp.js';
import { PEER_MAC, PeerMacs } from './peer-mac.js';
import { probeFrame } from './probe-frame.js';
import type { AddResult, RemoveResult } from './host.js';
import { formatLogLine, type LogEntry, type LogLevel } from './log.js';
import { NOTIFY_TIMEOUT_MS, NotifyQueue } from './notify-queue.js';
import { ANSWERS_PER_INTERVAL } from './answer-limit.js';
import { advertEvent, VrrpMachine, type DropReason, type Effect, type MachineEvent, type MachineStatus, type NotifyState, type Transition, type VrrpFrame } from './machine.js';
import { TimerTable } from './timers.js';
import { initialTrack, interfaceSpecs, retrack, trackReplaced, trackResult, trackSpecs, type TrackScriptSpec, type TrackState } from './track.js';
import type { MemberView, SyncOrder } from './sync-group.js';

export interface DaemonIo {
  /** Monotonic seconds: the machine's time scale (performance.now() / 1000 in run.ts). */
  nowSec(): number;
  /** Unix time in milliseconds, for log stamps only. */
  wallMs(): number;
  /** A one-shot timer, for scripts and notifications; returns its cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /** The machine's timers: calls fn once nowSec() >= dueSec, as soon after as the edge can; returns its cancel function. */
  wakeAt(dueSec: number, fn: () => void): () => void;
  /** How late a wakeAt may come and still count as on time: the timer then keeps its rhythm (see #onWake). */
  readonly wakeGraceSec: number;
  /** Put one whole Ethernet frame on the interface. Throws when it cannot. */
  send(frame: Uint8Array): void;
  addVip(vip: Vip): AddResult;
  removeVip(vip: Vip): RemoveResult;
  /** Run `command` through the shell with `args` appended (see commands.ts). */
  run(command: string, args: readonly string[], kind: 'track' | 'notify', timeoutMs: number | null): RunningCommand;
  /** One finished log line, and its level (the edge marks it for the journal). */
  write(line: string, level?: LogLevel): void;
}

export interface DaemonLink {
  /** The interface's MAC: our adverts' source unless --vmac. */
  mac: string;
  /** Our advert source address (IPv4 primary, IPv6 link-local). */
  primaryAddress: string;
  /** LINKTYPE of captured frames (1, Ethernet). */
  linkType: number;
}

export interface DaemonCounters {
  /** Advert frames put on the wire: one per advert, or with unicast_peer one per peer. */
  advertsSent: number;
  advertsReceived: number;
  garpsSent: number;
  drops: Partial<Record<DropReason, number>>;
  /** Answers to received adverts (lower priority, priority 0) held back by the budget (answer-limit.ts). */
  answersHeld: number;
}

/** What can hold the router in FAULT, besides the machine's own inputs. 'sync-group': another member of its group is in FAULT. */
type FaultSource = 'track' | 'link' | 'capture' | 'sync-group';

interface ScriptRunner {
  /** Its index in the tracked objects (scripts first, then interfaces). */
  index: number;
  config: TrackScriptConfig;
  running: RunningCommand | null;
  cancelNext: (() => void) | null;
  /** Replaced by a reload or stopped: its last result is not heard. */
  retired: boolean;
}

/** What a Daemon in a vrrp_sync_group is given by its group (sync-bus.ts). */
export interface GroupPort {
  readonly group: string;
  /** The group's queue: its members' notifications and the group's own, one at a time, in order. */
  readonly notifications: NotifyQueue;
  /** keepalived vrrp_sync_can_goto_master for this member: null, or why it must stay BACKUP. */
  mayBecomeMaster(): string | null;
  /** This member's state, wish or own fault may have changed: the group decides what the others do. */
  changed(transitions: readonly Transition[]): void;
}

export class Daemon {
  #c: DaemonConfig;
  #link: DaemonLink;
  readonly #io: DaemonIo;
  readonly #json: boolean;
  readonly #instance: string | undefined;
  readonly #machine: VrrpMachine;
  readonly #timers = new TimerTable();
  #ownMacs: Set<string>;
  #wake: { dueSec: number; cancel: () => void } | null = null;
  #track: TrackState;
  #scripts: ScriptRunner[];
  #group: GroupPort | null = null;
  /** track_interface entries looked at since start or the last reload: seen, or dropped as absent at the first look. */
  readonly #ifaceLooks = new Map<string, 'seen' | 'dropped'>();
  /** Transitions made by the event being handled, for the group. */
  #transitionsNow: Transition[] = [];
  /** VIPs this process added and has not removed: what every exit path must take away. */
  readonly #held = new Map<string, Vip>();
  #notifications: NotifyQueue;
  #ipId = 0;
  #stopping = false;
  readonly #sendErrors = new Set<string>();
  /** unicast_peer: each peer's MAC, and the advert held for a peer whose MAC is not known yet. */
  readonly #peers: PeerMacs | null;
  readonly #held4Peer = new Map<string, { frame: Uint8Array; atSec: number }>();
  /** The advert frame kept for the group, and for each unicast peer. */
  readonly #frames = new AdvertFrames();
  readonly #framesTo = new Map<string, AdvertFrames>();
  /** What holds the router in FAULT now, by source: the machine hears only the first to come and the last to go. */
  readonly #faults = new Map<FaultSource, string>();
  readonly counters: DaemonCounters = { advertsSent: 0, advertsReceived: 0, garpsSent: 0, drops: {}, answersHeld: 0 };
  /** State changes since start (the metrics' vrrpwatch_instance_transitions_total). */
  transitions = 0;
  readonly #onTransition: ((t: Transition, atMs: number) => void) | undefined;

  /** `instance`: name every log line with it (several instances in one process). */
  constructor(config: DaemonConfig, link: DaemonLink, io: DaemonIo, opts: { json: boolean; instance?: string; onTransition?: (t: Transition, atMs: number) => void }) {
    this.#onTransition = opts.onTransition;
    this.#c = config;
    this.#instance = opts.instance;
    this.#link = link;
    this.#io = io;
    this.#json = opts.json;
    this.#machine = new VrrpMachine({ ...config, primaryAddress: link.primaryAddress }, { gate: () => this.#group?.mayBecomeMaster() ?? null });
    this.#ownMacs = new Set([link.mac.toLowerCase(), virtualMac(config.family, config.vrid)]);
    this.#track = initialTrack(trackedSpecs(config));
    this.#scripts = runnersOf(config);
    this.#peers = config.unicast === null ? null : new PeerMacs(config.unicast.peers);
    this.#notifications = new NotifyQueue({
      run: (command, args, timeoutMs) => io.run(command, args, 'notify', timeoutMs),
      setTimer: (ms, fn) => io.setTimer(ms, fn),
      failed: (command, args, r) => this.#log('warning', `--notify ${JSON.stringify(command)} ${args.join(' ')}: ${describeResult(r, r.timedOut ? NOTIFY_TIMEOUT_SEC : null)}`),
    });
  }

  /** The instance's name (keepalived's vrrp_instance). */
  get name(): string {
    return this.#c.name;
  }

  get state(): MachineStatus['state'] {
    return this.#machine.state;
  }

  /** The priority this router advertises now (track scripts move it). */
  get effectivePriority(): number {
    return this.#machine.priority;
  }

  /** Addresses this process added and still holds. */
  get heldVips(): Vip[] {
    return [...this.#held.values()];
  }

  start(): void {
    this.#handle({ type: 'startup', atSec: this.#io.nowSec() });
    for (const s of this.#scripts) this.#runScript(s);
  }

  /**
   * Join a vrrp_sync_group (before start): its notifications go through the group's queue, and
   * the group hears of every transition and fault of this member.
   */
  joinGroup(port: GroupPort): void {
    this.#group = port;
    this.#notifications = port.notifications;
  }

  /** What the group needs to know of this member. */
  syncView(): MemberView {
    const own = [...this.#faults].filter(([k]) => k !== 'sync-group').map(([, v]) => v);
    return {
      name: this.#c.name,
      state: this.#machine.state,
      wantsMaster: this.#machine.wantsMaster,
      ownFault: own.length > 0 ? own.join('; ') : null,
      groupFault: this.#faults.get('sync-group') ?? null,
    };
  }

  /** The group moved: follow it (sync-group.ts decided). */
  syncOrder(o: SyncOrder): void {
    if (this.#stopping) return;
    const at = this.#io.nowSec();
    switch (o.order) {
      case 'fault':
      case 'fault-cleared':
        this.#setFault('sync-group', o.order === 'fault', o.reason, at);
        return;
      case 'master':
      case 'backup':
        this.#handle({ type: 'sync', atSec: at, to: o.order === 'master' ? 'MASTER' : 'BACKUP', reason: o.reason });
        return;
    }
  }

  /**
   * SIGHUP with a new configuration for this instance, applied in place (reload-plan.ts decided
   * that it can be): the state stays, the machine takes the new values, the track scripts run
   * again from their current status, the effective priority follows.
   */
  reconfigure(next: DaemonConfig): void {
    if (this.#stopping) return;
    const at = this.#io.nowSec();
    const before = this.#track;
    const configuredBefore = this.#c.priority;
    for (const s of this.#scripts) this.#retire(s);
    this.#ifaceLooks.clear();
    this.#c = next;
    this.#track = retrack(before, trackedSpecs(next));
    this.#scripts = runnersOf(next);
    this.#handle({ type: 'reconfigure', atSec: at, config: { ...next, primaryAddress: this.#link.primaryAddress } });
    for (const e of trackReplaced(before, this.#track, configuredBefore, next.priority, at)) {
      if (e.type === 'fault' || e.type === 'fault-cleared') this.#setFault('track', e.type === 'fault', e.reason, e.atSec);
      else this.#handle(e);
    }
    for (const s of this.#scripts) this.#runScript(s);
  }

  /**
   * The edge's look at a track_interface. As keepalived 2.2.7 (without dynamic_interfaces): an
   * interface that does not exist when the instance starts (or is reloaded) is dropped from the
   * tracking, with a warning; one that existed and is deleted later counts as down.
   */
  setTrackedInterface(name: string, link: 'up' | 'down' | 'absent'): void {
    if (this.#stopping || this.#ifaceLooks.get(name) === 'dropped') return;
    const ifaces = this.#c.trackInterfaces ?? [];
    const j = ifaces.findIndex((t) => t.name === name);
    const t = ifaces[j];
    if (t === undefined) return;
    if (link === 'absent' && !this.#ifaceLooks.has(name)) {
      this.#ifaceLooks.set(name, 'dropped');
      this.#log('warning', `tracked interface ${name} doesn't exist: not tracked, as keepalived ignores it; create it and reload (SIGHUP) to track it`);
      return;
    }
    this.#ifaceLooks.set(name, 'seen');
    this.#trackResult(this.#c.trackScripts.length + j, (link === 'up') !== t.reverse, null);
  }

  /** A captured frame: ours and other protocols are ignored, VRRP goes to the machine. */
  receive(bytes: Uint8Array): void {
    if (this.#stopping) return;
    const f = decodeFrame(this.#link.linkType, bytes);
    if (this.#peers !== null) this.#learnPeerMac(f);
    if (f.kind !== 'vrrp' || this.#isOwn(f)) return;
    const event = advertEvent(f, this.#io.nowSec());
    if (f.vrrp.vrid === this.#c.vrid && f.ip.family === this.#c.family) this.counters.advertsReceived++;
    this.#handle(event);
  }

  /**
   * SIGTERM / SIGINT: RFC 3768 6.4.3 Shutdown (priority 0 if master), VIPs removed, notify STOP.
   * Resolves once the --notify scripts have run: each is bounded in time (notify-queue.ts).
   */
  async stop(reason: string): Promise<void> {
    if (this.#stopping) return;
    this.#log('info', `stopping: ${reason}`);
    this.#shutdown();
    await this.#drainNotify();
  }

  /**
   * The interface's link state (IFF_UP and IFF_RUNNING), polled by the edge. As keepalived: a
   * link that goes down puts the router in FAULT (VIPs released, no adverts); back up, it
   * starts again as a backup.
   */
  setLinkUp(up: boolean): void {
    this.setInterface(up ? 'up' : 'down');
  }

  /**
   * The interface is up (and the capture open again), down, or deleted. As keepalived: FAULT
   * while it is down or gone, back to work as a backup when an interface of that name returns.
   */
  setInterface(state: 'up' | 'down' | 'gone'): void {
    if (this.#stopping) return;
    const iface = this.#c.interface;
    const before = this.#faults.get('link');
    if (state === 'up') {
      if (before === undefined) return;
      this.#setFault('link', false, before === goneReason(iface) ? `interface ${iface} is back` : `interface ${iface} is up again`, this.#io.nowSec());
      return;
    }
    const reason = state === 'down' ? `interface ${iface} is down` : goneReason(iface);
    if (before !== reason) this.#setFault('link', true, reason, this.#io.nowSec());
  }

  /** The capture failed (with why, and when it is retried), or works again. */
  setCapture(ok: boolean, reason: string): void {
    if (this.#stopping || ok === !this.#faults.has('capture')) {
      if (!ok && !this.#stopping) this.#log('warning', reason); // another failed retry: said, no transition
      return;
    }
    this.#setFault('capture', !ok, reason, this.#io.nowSec());
  }

  /** The interface came back with another MAC (a re-created veth): adverts go out from it now. */
  setMac(mac: string): void {
    const m = mac.toLowerCase();
    if (m === this.#link.mac) return;
    this.#log('info', `interface ${this.#c.interface} now has MAC ${m} (was ${this.#link.mac})`);
    this.#link = { ...this.#link, mac: m };
    this.#ownMacs = new Set([m, virtualMac(this.#c.family, this.#c.vrid)]);
  }

  /** Synchronous last resort for exit hooks: remove whatever VIPs are still held. Idempotent. */
  releaseVips(): void {
    for (const vip of [...this.#held.values()]) this.#removeVip(vip);
  }

  statusLine(): string {
    const c = this.counters;
    const drops = Object.entries(c.drops).map(([k, n]) => `${k} ${n}`);
    return (
      `${this.#machine.statusLine(this.#io.nowSec())}${this.#group === null ? '' : ` (sync group ${this.#group.group})`}; adverts sent ${c.advertsSent}, received ${c.advertsReceived}` +
      (drops.length > 0 ? `, dropped: ${drops.join(', ')}` : '') +
      (c.answersHeld > 0 ? `; ${c.answersHeld} answers held back (at most ${ANSWERS_PER_INTERVAL} per Advertisement_Interval)` : '') +
      `; holding ${this.#held.size > 0 ? [...this.#held.keys()].join(', ') : 'no virtual address'}`
    );
  }

  /** SIGUSR1: the status line, and in --json the machine's status and counters as fields. */
  logStatus(): void {
    const now = this.#io.nowSec();
    const s = this.#machine.status();
    // Deadlines are on the monotonic clock: say how far away they are instead.
    const timers = s.timers.map((t) => ({ timer: t.timer, inSec: Number((t.dueSec - now).toFixed(3)) }));
    const lastHeard = s.lastHeard && { address: s.lastHeard.address, priority: s.lastHeard.priority, agoSec: Number((now - s.lastHeard.atSec).toFixed(3)) };
    const status = { ...s, lastHeard, timers, holding: [...this.#held.keys()] };
    this.#write({ level: 'info', message: this.statusLine(), fields: { status, counters: this.counters } });
  }

  /** For log lines from the edge (startup, warnings), in the daemon's format. */
  log(level: LogLevel, message: string): void {
    this.#log(level, message);
  }

  // ---- the machine ------------------------------------------------------------------------

  #shutdown(): void {
    this.#stopping = true;
    for (const s of this.#scripts) this.#retire(s);
    this.#handle({ type: 'shutdown', atSec: this.#io.nowSec() });
    this.#wake?.cancel();
    this.#wake = null;
    this.releaseVips();
  }

  #handle(event: MachineEvent): void {
    const effects = this.#machine.handle(event);
    const outer = this.#transitionsNow;
    this.#transitionsNow = [];
    for (const e of effects) this.#carryOut(e);
    this.counters.answersHeld = this.#machine.answersHeld;
    this.#timers.apply(effects, this.#timersFrom(event, effects));
    if (!this.#stopping) this.#schedule();
    const made = this.#transitionsNow;
    this.#transitionsNow = outer;
    if (made.length > 0) this.#group?.changed(made);
  }

  /**
   * When the timers an event sets count from: the event's time, unless a timer's advert left
   * later than the grace after it (held up on its way out, as an advert now and then is by the
   * process or the machine: 2 to 4 ms, bench --daemon-200). Then from when it left, as keepalived
   * re-arms its advert timer after sending: the interval after a late advert is a whole one, not
   * short by its lateness.
   */
  #timersFrom(event: MachineEvent, effects: readonly Effect[]): number {
    if (event.type !== 'timer' || !effects.some((e) => e.type === 'send-advert')) return event.atSec;
    const now = this.#io.nowSec();
    return now - event.atSec > this.#io.wakeGraceSec ? now : event.atSec;
  }

  #carryOut(e: Effect): void {
    switch (e.type) {
      case 'send-advert': {
        const u = this.#c.unicast;
        if (u === null) {
          if (this.#send(this.#advertFrame(e.message, null, this.#frames))) this.counters.advertsSent++;
          return;
        }
        // keepalived's unicast_peer: the same advert to each peer, one frame each (each counted).
        for (const peer of u.peers) if (this.#sendToPeer(e.message, peer)) this.counters.advertsSent++;
        return;
      }
      case 'add-vips':
        for (const vip of e.vips) this.#addVip(vip);
        return;
      case 'remove-vips':
        for (const vip of e.vips) if (this.#held.has(vip.address)) this.#removeVip(vip);
        return;
      case 'send-garp': {
        const mac = e.virtualMac ?? this.#link.mac;
        for (const address of e.addresses) {
          const frame = garpFrame(e.family, address, mac);
          for (let i = 0; i < e.count; i++) if (this.#send(frame)) this.counters.garpsSent++;
        }
        return;
      }
      case 'set-timer':
      case 'cancel-timer':
        return; // applied to the TimerTable after the whole list
      case 'log':
        this.#write({ level: e.level, message: e.message, ...(e.transition ? { transition: e.transition } : {}) });
        if (e.transition) {
          this.#transitionsNow.push(e.transition);
          this.transitions++;
          this.#onTransition?.(e.transition, this.#io.wallMs());
        }
        return;
      case 'notify':
        this.#notify(e.state, e.priority);
        return;
      case 'drop':
        if (e.reason !== 'not-ours') this.counters.drops[e.reason] = (this.counters.drops[e.reason] ?? 0) + 1;
        return;
    }
  }

  // ---- timers -----------------------------------------------------------------------------

  /** Keep one wake, for the earliest deadline in the table. */
  #schedule(): void {
    const next = this.#timers.next();
    if (this.#wake !== null && next !== null && this.#wake.dueSec === next.dueSec) return;
    this.#wake?.cancel();
    this.#wake = null;
    if (next === null) return;
    this.#wake = { dueSec: next.dueSec, cancel: this.#io.wakeAt(next.dueSec, this.#onWakeFn) };
  }

  readonly #onWakeFn = (): void => this.#onWake();

  #onWake(): void {
    this.#wake = null;
    const now = this.#io.nowSec();
    const grace = this.#io.wakeGraceSec;
    for (let t = this.#timers.take(now); t !== null && !this.#stopping; t = this.#timers.take(now)) {
      // The deadline itself is the event's time when the wake is on time, give or take how late
      // the edge's wakes usually are: each instance's adverts then keep their phase instead of
      // drifting by that lateness every interval, and instances that drift at different rates
      // do not keep meeting in bursts (bench --daemon-200). A later wake starts afresh from now,
      // as keepalived does: an interval is never more than the grace short, and a stall is not
      // caught up.
      this.#handle({ type: 'timer', timer: t.timer, atSec: now - t.dueSec <= grace ? t.dueSec : now });
    }
    if (!this.#stopping) this.#schedule();
  }

  // ---- track scripts ----------------------------------------------------------------------

  /** keepalived runs a script every `interval` from the start of the previous run, never two at once. */
  #runScript(s: ScriptRunner): void {
    if (s.retired || this.#stopping) return;
    const cfg = s.config;
    s.cancelNext = this.#io.setTimer(cfg.intervalSec * 1000, () => this.#runScript(s));
    if (s.running !== null) return;
    const running = this.#io.run(cfg.command, [], 'track', cfg.timeoutSec * 1000);
    s.running = running;
    void running.done.then((r) => {
      s.running = null;
      if (!this.#stopping && !s.retired) this.#trackResult(s.index, r.ok, { command: cfg.command, result: r, timeoutSec: cfg.timeoutSec });
    });
  }

  #retire(s: ScriptRunner): void {
    s.retired = true;
    s.cancelNext?.();
    s.cancelNext = null;
    s.running?.kill();
  }

  /** One tracked object's result (a script's exit, a tracked interface's link): the machine hears what changed. */
  #trackResult(i: number, ok: boolean, script: { command: string; result: CommandResult; timeoutSec: number } | null): void {
    const before = this.#track[i]?.status;
    const { state, events } = trackResult(this.#track, this.#c.priority, i, ok, this.#io.nowSec());
    this.#track = state;
    const after = state[i]?.status;
    const what = script !== null ? `track script ${JSON.stringify(script.command)}` : `track_interface ${state[i]?.spec.name ?? '?'}`;
    if (before !== after && events.length === 0) {
      // No effect on the machine (a positive weight failing, the owner): still worth a line.
      const how = script === null ? (after === 'ok' ? 'is up' : 'is down') : after === 'ok' ? 'succeeded' : `failed (${describeResult(script.result, script.timeoutSec)})`;
      this.#log('info', `${what} ${how}; priority stays ${this.#machine.priority}`);
    } else if (before !== after && after === 'ko' && script !== null) {
      this.#log('info', `${what}: ${describeResult(script.result, script.timeoutSec)}`);
    }
    for (const e of events) {
      if (e.type === 'fault' || e.type === 'fault-cleared') this.#setFault('track', e.type === 'fault', e.reason, e.atSec);
      else this.#handle(e);
    }
  }

  #setFault(source: FaultSource, active: boolean, reason: string, atSec: number): void {
    const before = this.#faults.size > 0;
    const ownBefore = this.#group === null ? null : this.syncView().ownFault;
    if (active) this.#faults.set(source, reason);
    else this.#faults.delete(source);
    const after = this.#faults.size > 0;
    // A group's other members learn of this member's own fault even when it makes no transition here.
    if (this.#group !== null && this.syncView().ownFault !== ownBefore && before === after) this.#group.changed([]);
    if (!before && after) this.#handle({ type: 'fault', atSec, reason, silent: source === 'link' || source === 'capture' });
    else if (before && !after) this.#handle({ type: 'fault-cleared', atSec, reason });
    else {
      const others = [...this.#faults].filter(([k]) => k !== source).map(([, v]) => v);
      this.#log(active ? 'warning' : 'info', `${reason}${others.length > 0 ? `; still in FAULT: ${others.join('; ')}` : ''}`);
    }
  }

  // ---- notify -------------------------------------------------------------------------------

  /**
   * keepalived's notify_<state> (as written), then its `notify` (CMD INSTANCE NAME STATE
   * PRIORITY), the order keepalived starts them in; here one at a time, in transition order.
   */
  #notify(state: NotifyState, priority: number): void {
    const own = this.#c.notifyState[state];
    if (own !== undefined) this.#notifications.push(own, []);
    const cmd = this.#c.notify;
    if (cmd !== null) this.#notifications.push(cmd, ['INSTANCE', this.#c.name, state, String(priority)]);
  }

  async #drainNotify(): Promise<void> {
    await this.#notifications.drain();
  }

  // ---- host ---------------------------------------------------------------------------------

  #addVip(vip: Vip): void {
    const r = this.#io.addVip(vip);
    if (r === 'added') this.#held.set(vip.address, vip);
    else if (r === 'present') {
      // Not ours to take away later: someone configured it (the address owner's real address).
      this.#log('warning', `${vip.address} was already on ${this.#c.interface}; it is left there when this router stops being master`);
    } else this.#log('error', r.error);
  }

  #removeVip(vip: Vip): void {
    const r = this.#io.removeVip(vip);
    if (r === 'removed' || r === 'absent') this.#held.delete(vip.address);
    else this.#log('error', r.error);
  }

  #send(frame: Uint8Array): boolean {
    // A link that is down or gone, or a dead capture, carries nothing: not an error to log.
    if (this.#faults.has('link') || this.#faults.has('capture')) return false;
    try {
      this.#io.send(frame);
      return true;
    } catch (e) {
      const message = (e as Error).message;
      if (!this.#sendErrors.has(message)) {
        this.#sendErrors.add(message);
        this.#log('error', `${message} (not logged again)`);
      }
      return false;
    }
  }

  /** The advert's frame: the kept one of its destination (advert-frames.ts), or a new one when `kept` is null. */
  #advertFrame(message: VrrpMessage, to: UnicastDestination | null, kept: AdvertFrames | null): Uint8Array {
    const link = { family: this.#c.family, srcAddress: this.#link.primaryAddress, interfaceMac: this.#c.vmac ? null : this.#link.mac, ipId: this.#ipId };
    this.#ipId = (this.#ipId + 1) & 0xffff;
    if (kept !== null) return kept.frame(message, link, to);
    const spec = advertFrameSpec(message, link, to);
    const buf = new Uint8Array(advertFrameLength(spec));
    encodeAdvertFrame(spec, buf);
    return buf;
  }

  /** The kept frames to unicast peer `peer` (a few peers an instance: one entry each). */
  #peerFrames(peer: string): AdvertFrames {
    let f = this.#framesTo.get(peer);
    if (f === undefined) this.#framesTo.set(peer, (f = new AdvertFrames()));
    return f;
  }

  /** One advert to one unicast peer: to its MAC, or held (with a request for the MAC) until it answers. */
  #sendToPeer(message: VrrpMessage, peer: string): boolean {
    const peers = this.#peers as PeerMacs;
    const now = this.#io.nowSec();
    const r = peers.route(peer, now);
    if (r.probe !== null) this.#send(probeFrame(this.#c.family, r.probe, { address: this.#link.primaryAddress, mac: this.#link.mac }));
    if (r.failed) {
      this.#log('warning', `unicast peer ${peer} does not answer ${this.#c.family === 4 ? 'ARP' : 'neighbour solicitations'} on ${this.#c.interface} (${PEER_MAC.probes} requests): adverts to it wait until it does; is it up, and is unicast_peer right?`);
    }
    if (r.mac === null) {
      // As the kernel queues a packet while it resolves: the latest advert goes once the MAC is known.
      this.#held4Peer.set(peer, { frame: this.#advertFrame(message, { address: peer, mac: UNKNOWN_MAC }, null), atSec: now });
      return false;
    }
    this.#held4Peer.delete(peer);
    return this.#send(this.#advertFrame(message, { address: peer, mac: r.mac }, this.#peerFrames(peer)));
  }

  /** A peer's ARP, NA or advert tells its MAC: a new one is used at once, and a held advert goes. */
  #learnPeerMac(f: DecodedFrame): void {
    const peers = this.#peers as PeerMacs;
    let heard: { ip: string; mac: string } | null = null;
    if (f.kind === 'arp' && this.#c.family === 4) heard = { ip: f.arp.senderIp, mac: f.arp.senderMac };
    else if (f.kind === 'neighbor-advert' && this.#c.family === 6 && f.na.targetMac !== null) heard = { ip: f.na.target, mac: f.na.targetMac };
    // An advert from a peer's address: its MAC, unless it sends from the virtual MAC (use_vmac).
    else if (f.kind === 'vrrp' && f.link.srcMac !== null && !isVirtualMac(f.link.srcMac)) heard = { ip: f.ip.src, mac: f.link.srcMac };
    if (heard === null) return;
    const now = this.#io.nowSec();
    const change = peers.heard(heard.ip, heard.mac, now);
    if (change === null) return;
    const mac = heard.mac.toLowerCase();
    this.#log('info', change.was === null ? `unicast peer ${heard.ip} is at ${mac}` : `unicast peer ${heard.ip} moved to ${mac} (was ${change.was}); adverts follow it`);
    const held = this.#held4Peer.get(heard.ip);
    this.#held4Peer.delete(heard.ip);
    // Only a fresh advert: an older one may say what is no longer true.
    if (held !== undefined && now - held.atSec < this.#c.advertIntervalCs / 100 && !this.#stopping) {
      const frame = held.frame;
      writeMacAt(mac, frame, 0);
      if (this.#send(frame)) this.counters.advertsSent++;
    }
  }

  /** Our own frames, should the capture hand them back: our MAC (or the virtual one) and our address. */
  #isOwn(f: VrrpFrame): boolean {
    return f.ip.src === this.#link.primaryAddress && f.link.srcMac !== null && this.#ownMacs.has(f.link.srcMac);
  }

  #log(level: LogLevel, message: string): void {
    this.#write({ level, message });
  }

  #write(entry: LogEntry): void {
    this.#io.write(formatLogLine(this.#instance === undefined ? entry : { ...entry, instance: this.#instance }, this.#io.wallMs(), this.#json), entry.level);
  }
}

const NOTIFY_TIMEOUT_SEC = NOTIFY_TIMEOUT_MS / 1000;

/** Stands in for a peer's MAC in a held advert; written over once the peer answers. */
const UNKNOWN_MAC = '00:00:00:00:00:00';

function writeMacAt(mac: string, buf: Uint8Array, o: number): void {
  if (!writeMac(mac, buf, o)) throw new Error(`bad MAC ${mac}`);
}

function goneReason(iface: string): string {
  return `interface ${iface} was deleted; waiting for an interface of that name to return`;
}

/** A few words for the log: "exit 1", "killed by SIGTERM after the 2 s timeout". */
export function describeResult(r: CommandResult, timeoutSec: number | null): string {
  if (r.error !== null) return `could not start: ${r.error}`;
  if (r.timedOut) return `timed out after ${timeoutSec} s and was killed`;
  if (r.signal !== null) return `killed by ${r.signal}`;
  return `exit ${r.code}`;
}

/** The tracked objects of `c`: its track scripts, then its tracked interfaces. */
function trackedSpecs(c: DaemonConfig): TrackScriptSpec[] {
  return [...trackSpecs(c.trackScripts), ...interfaceSpecs(c.trackInterfaces ?? [])];
}

function runnersOf(c: DaemonConfig): ScriptRunner[] {
  return c.trackScripts.map((config, index) => ({ index, config, running: null, cancelNext: null, retired: false }));
}
