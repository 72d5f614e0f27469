// The wiring of one vrrp_sync_group: its members (Daemons) report their transitions and faults
// here; sync-group.ts decides what the other members must do, and this carries the orders out,
// one at a time (an order can make a member move, which is reported here again and queued), then
// runs the group's notify scripts when the group's state changed. No I/O of its own: the
// notifications go through the group's NotifyQueue, the lines through `say`.
import type { SyncGroupRef } from './config.js';
import type { GroupPort } from './daemon.js';
import type { Transition } from './machine.js';
import type { NotifyQueue } from './notify-queue.js';
import { faultOrders, groupNotifications, groupStateOf, mayBecomeMaster, transitionOrders, type GroupState, type MemberView, type SyncOrder } from './sync-group.js';

/** A member as the group sees it: a Daemon. */
export interface GroupMember {
  readonly name: string;
  syncView(): MemberView;
  syncOrder(o: SyncOrder): void;
}

export class SyncBus {
  readonly name: string;
  readonly notifications: NotifyQueue;
  #ref: SyncGroupRef;
  readonly #say: (level: 'info' | 'warning', message: string) => void;
  readonly #members: GroupMember[] = [];
  #state: GroupState = 'INIT';
  /** Reports not yet acted on: a member's transitions (or none: its own fault changed). */
  readonly #pending: { member: string; transitions: readonly Transition[] }[] = [];
  #busy = false;

  constructor(ref: SyncGroupRef, notifications: NotifyQueue, say: (level: 'info' | 'warning', message: string) => void) {
    this.name = ref.name;
    this.#ref = ref;
    this.notifications = notifications;
    this.#say = say;
  }

  get state(): GroupState {
    return this.#state;
  }

  get size(): number {
    return this.#members.length;
  }

  /** One sentence for SIGUSR1: the group's state and its members'. */
  statusLine(): string {
    return `sync group ${this.name}: ${this.#state}; members ${this.#views().map((v) => `${v.name} ${v.state}${v.wantsMaster && v.state === 'BACKUP' ? ' (wants MASTER)' : ''}`).join(', ')}`;
  }

  /** A reload changed the group's notify scripts. */
  update(ref: SyncGroupRef): void {
    this.#ref = ref;
  }

  /** Add a member; what it is given to join with (Daemon.joinGroup). */
  add(m: GroupMember): GroupPort {
    this.#members.push(m);
    return {
      group: this.name,
      notifications: this.notifications,
      mayBecomeMaster: () => mayBecomeMaster(this.name, m.name, this.#views()),
      changed: (transitions) => this.#report(m.name, transitions),
    };
  }

  /** A member stopped for good (removed by a reload): the others no longer wait for it or carry its fault. */
  remove(m: GroupMember): void {
    const i = this.#members.indexOf(m);
    if (i < 0) return;
    this.#members.splice(i, 1);
    this.#report(m.name, []);
  }

  #views(): MemberView[] {
    return this.#members.map((m) => m.syncView());
  }

  #report(member: string, transitions: readonly Transition[]): void {
    this.#pending.push({ member, transitions });
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let r = this.#pending.shift(); r !== undefined; r = this.#pending.shift()) {
        const views = this.#views();
        const orders = [...r.transitions.flatMap((t) => transitionOrders(this.name, r.member, t, views)), ...faultOrders(this.name, views)];
        for (const o of orders) this.#members.find((m) => m.name === o.member)?.syncOrder(o);
      }
      this.#settle();
    } finally {
      this.#busy = false;
    }
  }

  /** The group's state after the members moved; its notify scripts when it changed (keepalived send_group_notifies). */
  #settle(): void {
    const views = this.#views();
    const next = groupStateOf(views);
    if (next === this.#state) return;
    if (next === 'INIT') {
      // Between the members' starts, or while they stop: STOP once every member has stopped (keepalived notify_shutdown: instances first, then groups).
      if (!views.every((v) => v.state === 'INITIALIZE')) return;
      this.#say('info', `sync group ${this.name}: ${this.#state} -> STOP`);
      this.#run('STOP');
      this.#state = 'INIT';
      return;
    }
    this.#say(next === 'FAULT' ? 'warning' : 'info', `sync group ${this.name}: ${this.#state} -> ${next} (${views.map((v) => `${v.name} ${v.state}`).join(', ')})`);
    this.#state = next;
    this.#run(next);
  }

  #run(state: 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP'): void {
    for (const n of groupNotifications(this.name, state, this.#ref)) this.notifications.push(n.command, n.args);
  }
}
