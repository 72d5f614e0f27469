// keepalived's vrrp_sync_group decisions (src/daemon/sync-group.ts), member views in, orders out.
import { describe, expect, it } from 'vitest';
import { faultOrders, groupNotifications, groupStateOf, mayBecomeMaster, transitionOrders, type MemberView } from '../../src/daemon/sync-group.js';

const m = (name: string, state: MemberView['state'], over: Partial<MemberView> = {}): MemberView => ({ name, state, wantsMaster: state === 'MASTER', ownFault: null, groupFault: null, ...over });

describe('sync group: becoming master together (vrrp_sync_can_goto_master)', () => {
  it('a member may become master only when every other member is master or wants to be', () => {
    expect(mayBecomeMaster('G', 'A', [m('A', 'BACKUP'), m('B', 'BACKUP')])).toBe('sync group G: held in BACKUP until every member can be master; waiting for B (BACKUP)');
    expect(mayBecomeMaster('G', 'A', [m('A', 'BACKUP'), m('B', 'BACKUP', { wantsMaster: true })])).toBeNull();
    expect(mayBecomeMaster('G', 'A', [m('A', 'BACKUP'), m('B', 'MASTER')])).toBeNull();
    expect(mayBecomeMaster('G', 'A', [m('A', 'BACKUP'), m('B', 'MASTER'), m('C', 'FAULT')])).toMatch(/waiting for C \(FAULT\)$/);
    expect(mayBecomeMaster('G', 'A', [m('A', 'BACKUP')])).toBeNull();
  });

  it('a member becoming master takes the backups with it; leaving master for BACKUP takes the masters with it; nothing else moves the others', () => {
    const views = [m('A', 'MASTER'), m('B', 'BACKUP'), m('C', 'FAULT')];
    expect(transitionOrders('G', 'A', { from: 'BACKUP', to: 'MASTER', reason: 'preempt' }, views)).toEqual([
      { member: 'B', order: 'master', reason: 'sync group G: A became master (preempt)' },
    ]);
    const masters = [m('A', 'BACKUP'), m('B', 'MASTER'), m('C', 'MASTER')];
    expect(transitionOrders('G', 'A', { from: 'MASTER', to: 'BACKUP', reason: 'higher-priority' }, masters)).toEqual([
      { member: 'B', order: 'backup', reason: 'sync group G: A went to BACKUP (higher-priority)' },
      { member: 'C', order: 'backup', reason: 'sync group G: A went to BACKUP (higher-priority)' },
    ]);
    expect(transitionOrders('G', 'A', { from: 'INITIALIZE', to: 'BACKUP', reason: 'startup' }, masters)).toEqual([]);
    expect(transitionOrders('G', 'A', { from: 'MASTER', to: 'FAULT', reason: 'fault' }, masters)).toEqual([]);
  });
});

describe('sync group: FAULT (vrrp_sync_fault, try_up_instance)', () => {
  it('one member with a fault of its own puts every other member in FAULT, once; the group leaves FAULT when no member has one', () => {
    const failing = [m('A', 'FAULT', { ownFault: 'track script "chk" failed' }), m('B', 'MASTER'), m('C', 'BACKUP')];
    const reason = 'sync group G: A is in FAULT (track script "chk" failed)';
    expect(faultOrders('G', failing)).toEqual([
      { member: 'B', order: 'fault', reason },
      { member: 'C', order: 'fault', reason },
    ]);
    // Already carried: no order again.
    expect(faultOrders('G', [m('A', 'FAULT', { ownFault: 'track script "chk" failed' }), m('B', 'FAULT', { groupFault: reason })])).toEqual([]);
    // Both failing: each carries the other's.
    expect(faultOrders('G', [m('A', 'FAULT', { ownFault: 'x', groupFault: 'sync group G: B is in FAULT (y)' }), m('B', 'FAULT', { ownFault: 'y', groupFault: 'sync group G: A is in FAULT (x)' })])).toEqual([]);
    // Recovered: the carried faults are cleared.
    expect(faultOrders('G', [m('A', 'BACKUP'), m('B', 'FAULT', { groupFault: reason })])).toEqual([
      { member: 'B', order: 'fault-cleared', reason: 'sync group G: no member is in FAULT any more' },
    ]);
  });

  it("the group's state: FAULT when a member is, MASTER when all are, INIT while one is not running, else BACKUP", () => {
    expect(groupStateOf([m('A', 'MASTER'), m('B', 'FAULT')])).toBe('FAULT');
    expect(groupStateOf([m('A', 'MASTER'), m('B', 'MASTER')])).toBe('MASTER');
    expect(groupStateOf([m('A', 'MASTER'), m('B', 'BACKUP')])).toBe('BACKUP');
    expect(groupStateOf([m('A', 'BACKUP'), m('B', 'INITIALIZE')])).toBe('INIT');
  });

  it("the group's notifications: notify_STATE as written, then notify with GROUP NAME STATE 0 (keepalived send_group_notifies)", () => {
    const c = { notify: '/bin/group-notify', notifyState: { FAULT: '/bin/on-fault now' } };
    expect(groupNotifications('G', 'FAULT', c)).toEqual([{ command: '/bin/on-fault now', args: [] }, { command: '/bin/group-notify', args: ['GROUP', 'G', 'FAULT', '0'] }]);
    expect(groupNotifications('G', 'MASTER', c)).toEqual([{ command: '/bin/group-notify', args: ['GROUP', 'G', 'MASTER', '0'] }]);
    expect(groupNotifications('G', 'STOP', { notify: null, notifyState: {} })).toEqual([]);
  });
});
