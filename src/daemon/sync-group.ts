// keepalived's vrrp_sync_group: the members of a group move together. Pure: the members' states
// in, orders for the other members out; the wiring (sync-bus.ts) carries the orders out. Follows
// keepalived 2.2 vrrp_sync.c and the transition matrix of vrrp_scheduler.c (VRRP_TSM):
//   - a member in FAULT (its own tracking, its link) puts every other member in FAULT
//     (vrrp_sync_fault); the group leaves FAULT when no member has a fault of its own;
//   - a member leaving MASTER for BACKUP (it heard a better router) takes the group's masters
//     to BACKUP, without a priority-0 advert (vrrp_sync_backup);
//   - a member becoming MASTER takes the group's backups to MASTER (vrrp_sync_master), and a
//     member may become MASTER only when every other member is MASTER or wants to be
//     (vrrp_sync_can_goto_master: "prefer backup state to avoid thrashing").
import type { NotifyState, Transition, VrrpState } from './machine.js';

/** What the group needs to know of one member. */
export interface MemberView {
  name: string;
  state: VrrpState;
  /** keepalived's wantstate MASTER: it is master, or its Master_Down_Timer expired and the group held it back. */
  wantsMaster: boolean;
  /** Its own fault (weight-0 tracking, its interface), or null: what puts the group in FAULT. */
  ownFault: string | null;
  /** The FAULT the group put on it now, or null. */
  groupFault: string | null;
}

/** What one member must do because another one moved. */
export type SyncOrder =
  | { member: string; order: 'fault'; reason: string }
  | { member: string; order: 'fault-cleared'; reason: string }
  | { member: string; order: 'master'; reason: string }
  | { member: string; order: 'backup'; reason: string };

/** The group's state as keepalived reports it to the group's notify scripts. */
export type GroupState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

/**
 * keepalived vrrp_sync_can_goto_master: null when `self` may become MASTER now, else why not
 * (a member that is neither MASTER nor wanting to be); the caller holds it in BACKUP.
 */
export function mayBecomeMaster(group: string, self: string, members: readonly MemberView[]): string | null {
  const waiting = members.filter((m) => m.name !== self && !m.wantsMaster && m.state !== 'MASTER');
  if (waiting.length === 0) return null;
  const names = waiting.map((m) => `${m.name} (${m.state})`).join(', ');
  return `sync group ${group}: held in BACKUP until every member can be master; waiting for ${names}`;
}

/**
 * The FAULT each member must carry for the others: every member whose OTHER members have a
 * fault of their own is in FAULT; none when no member has one. Orders only what changes.
 */
export function faultOrders(group: string, members: readonly MemberView[]): SyncOrder[] {
  const orders: SyncOrder[] = [];
  for (const m of members) {
    const faulty = members.filter((o) => o.name !== m.name && o.ownFault !== null);
    if (faulty.length > 0) {
      // keepalived vrrp_sync_fault: one member in FAULT -> every member in FAULT
      const reason = `sync group ${group}: ${faulty.map((o) => `${o.name} is in FAULT (${o.ownFault})`).join('; ')}`;
      if (m.groupFault !== reason) orders.push({ member: m.name, order: 'fault', reason });
    } else if (m.groupFault !== null) {
      // keepalived try_up_instance: the last member fault gone -> the group leaves FAULT, as BACKUP (vrrp_sync_backup)
      orders.push({ member: m.name, order: 'fault-cleared', reason: `sync group ${group}: no member is in FAULT any more` });
    }
  }
  return orders;
}

/** What the others must do after `member` made transition `t` (keepalived's VRRP_TSM handlers). */
export function transitionOrders(group: string, member: string, t: Transition, members: readonly MemberView[]): SyncOrder[] {
  const others = members.filter((m) => m.name !== member);
  if (t.from === 'MASTER' && t.to === 'BACKUP') {
    // VRRP_TSM[MASTER][BACKUP] = vrrp_sync_backup: the group's masters step down too (no priority 0)
    const reason = `sync group ${group}: ${member} went to BACKUP (${t.reason})`;
    return others.filter((m) => m.state === 'MASTER').map((m) => ({ member: m.name, order: 'backup', reason }));
  }
  if (t.to === 'MASTER') {
    // VRRP_TSM[*][MASTER] = vrrp_sync_master: the group's backups become master with it
    const reason = `sync group ${group}: ${member} became master (${t.reason})`;
    return others.filter((m) => m.state === 'BACKUP').map((m) => ({ member: m.name, order: 'master', reason }));
  }
  return [];
}

/**
 * The group's state from its members': FAULT when one is, MASTER when all are, INIT before they
 * start, BACKUP otherwise (keepalived's sgroup->state as send_group_notifies reports it).
 */
export function groupStateOf(members: readonly MemberView[]): GroupState {
  if (members.some((m) => m.state === 'FAULT')) return 'FAULT';
  if (members.length > 0 && members.every((m) => m.state === 'MASTER')) return 'MASTER';
  if (members.some((m) => m.state === 'INITIALIZE')) return 'INIT';
  return 'BACKUP';
}

/** The group's notify scripts, as keepalived's vrrp_sync_group holds them. */
export interface GroupNotifyConfig {
  /** `notify`: run as `CMD GROUP NAME STATE 0` (keepalived gives a group priority 0). */
  notify: string | null;
  /** notify_master / notify_backup / notify_fault / notify_stop, run as written. */
  notifyState: Partial<Record<NotifyState, string>>;
}

/** The commands for the group entering `state`, in keepalived's order (send_group_notifies): notify_STATE, then notify. */
export function groupNotifications(group: string, state: NotifyState, c: GroupNotifyConfig): { command: string; args: string[] }[] {
  const out: { command: string; args: string[] }[] = [];
  const own = c.notifyState[state];
  if (own !== undefined) out.push({ command: own, args: [] });
  if (c.notify !== null) out.push({ command: c.notify, args: ['GROUP', group, state, '0'] });
  return out;
}
