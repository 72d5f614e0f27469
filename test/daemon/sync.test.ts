// Two Daemons in one vrrp_sync_group, wired by the SyncBus as run.ts wires them, on one fake clock:
// they become master together, a weight-0 track script failing on one takes both to FAULT (each
// sends priority 0 and releases its VIPs), one hearing a better master takes the other to BACKUP
// without a priority-0 advert, and the notifications run in keepalived's order through the group's
// one queue: the members' (INSTANCE ...), then the group's (GROUP G STATE 0).
import { describe, expect, it } from 'vitest';
import { validateConfig, type DaemonConfig, type DaemonFlags, type SyncGroupRef } from '../../src/daemon/config.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { NotifyQueue } from '../../src/daemon/notify-queue.js';
import { SyncBus } from '../../src/daemon/sync-bus.js';
import { rfcTimers } from '../lab/harness.js';
import { vrrpFrame } from '../support/vrrp-frames.js';
import { FakeIo, MAC, ME, PEER, T0 } from './fake-io.js';

const GROUP: SyncGroupRef = { name: 'G', notify: '/bin/group-notify', notifyState: { FAULT: '/bin/group-fault' } };

function configOf(over: DaemonFlags): DaemonConfig {
  const r = validateConfig({ interface: 'eth0', priority: 150, notify: '/bin/notify', ...over });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return { ...r.config, syncGroup: GROUP };
}

function group(): { io: FakeIo; a: Daemon; b: Daemon; said: string[]; bus: SyncBus } {
  const io = new FakeIo();
  const said: string[] = [];
  const queue = new NotifyQueue({ run: (c, args, t) => io.run(c, args, 'notify', t), setTimer: (ms, fn) => io.setTimer(ms, fn), failed: () => undefined });
  const bus = new SyncBus(GROUP, queue, (_level, message) => said.push(message));
  const a = new Daemon(configOf({ name: 'VI_1', vrid: 51, vip: ['192.0.2.100/24'], trackScripts: [{ command: 'chk', weight: 0, interval: 1 }] }), { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json: false, instance: 'VI_1' });
  const b = new Daemon(configOf({ name: 'VI_2', vrid: 52, vip: ['192.0.2.101/24'] }), { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json: false, instance: 'VI_2' });
  a.joinGroup(bus.add(a));
  b.joinGroup(bus.add(b));
  a.start();
  b.start();
  return { io, a, b, said, bus };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Finish the notifications one at a time (the queue starts the next when one ends); their command lines in order. */
async function notified(io: FakeIo): Promise<string[]> {
  for (let i = 0; i < 20; i++) {
    for (const c of io.commands) if (c.kind === 'notify') c.finish({ code: 0 });
    await settle();
  }
  return io.commands.filter((c) => c.kind === 'notify').map((c) => [c.command, ...c.args].join(' '));
}

const zeroes = (io: FakeIo, vrid: number): number => io.sent.filter((s) => s.frame.kind === 'vrrp' && s.frame.vrrp.vrid === vrid && s.frame.vrrp.priority === 0).length;

describe('vrrp_sync_group: two Daemons move together', () => {
  it('become master together, after the later of the two Master_Down_Timers; notifications in order, then the group\'s', async () => {
    const { io, a, b, said } = group();
    const { mdi } = rfcTimers(150, 1);
    io.advance(T0 + mdi + 0.01);
    expect([a.state, b.state]).toEqual(['MASTER', 'MASTER']);
    expect(io.host).toEqual(new Set(['192.0.2.100', '192.0.2.101']));
    expect(said).toEqual(['sync group G: INIT -> BACKUP (VI_1 BACKUP, VI_2 BACKUP)', 'sync group G: BACKUP -> MASTER (VI_1 MASTER, VI_2 MASTER)']);
    expect(await notified(io)).toEqual([
      '/bin/notify INSTANCE VI_1 BACKUP 150', '/bin/notify INSTANCE VI_2 BACKUP 150', '/bin/group-notify GROUP G BACKUP 0',
      '/bin/notify INSTANCE VI_2 MASTER 150', '/bin/notify INSTANCE VI_1 MASTER 150', '/bin/group-notify GROUP G MASTER 0',
    ]);
    expect(io.lines.join('')).toMatch(/VI_1: VRID 51: BACKUP -> MASTER: sync group G: VI_2 became master \(master-down\)/);

    // Stopping (SIGTERM stops every instance): the members' STOP, then the group's (keepalived notify_shutdown).
    const before = (await notified(io)).length;
    const stopped = Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
    const lines = await notified(io);
    await stopped;
    expect(lines.slice(before)).toEqual(['/bin/notify INSTANCE VI_1 STOP 150', '/bin/notify INSTANCE VI_2 STOP 150', '/bin/group-notify GROUP G STOP 0']);
    expect(said.at(-1)).toBe('sync group G: MASTER -> STOP');
  });

  it('a weight-0 track script failing on one member: both to FAULT, each with priority 0 and its VIPs released; recovered, both master again', async () => {
    const { io, a, b } = group();
    const { mdi } = rfcTimers(150, 1);
    io.commands.find((c) => c.kind === 'track')?.finish({ code: 0 });
    await settle();
    io.advance(T0 + mdi + 0.01);
    expect([a.state, b.state]).toEqual(['MASTER', 'MASTER']);
    const before = (await notified(io)).length;

    io.advance(T0 + mdi + 0.5);
    io.commands.filter((c) => c.kind === 'track').at(-1)?.finish({ code: 1 });
    await settle();
    expect([a.state, b.state]).toEqual(['FAULT', 'FAULT']);
    expect([zeroes(io, 51), zeroes(io, 52)]).toEqual([1, 1]);
    expect(io.host.size).toBe(0);
    expect(io.lines.join('')).toMatch(/VI_2: warning: VRID 52: MASTER -> FAULT: sync group G: VI_1 is in FAULT \(track script "chk" failed \(weight 0: FAULT while it fails\)\); sent priority 0/);
    expect((await notified(io)).slice(before)).toEqual([
      '/bin/notify INSTANCE VI_1 FAULT 150', '/bin/notify INSTANCE VI_2 FAULT 150', '/bin/group-fault', '/bin/group-notify GROUP G FAULT 0',
    ]);

    const t = io.now;
    io.advance(t + 1);
    io.commands.filter((c) => c.kind === 'track').at(-1)?.finish({ code: 0 });
    await settle();
    expect([a.state, b.state]).toEqual(['BACKUP', 'BACKUP']);
    io.advance(io.now + mdi + 0.01);
    expect([a.state, b.state]).toEqual(['MASTER', 'MASTER']);
    expect(io.host.size).toBe(2);
  });

  it('one member hearing a better master takes the other to BACKUP, without a priority-0 advert', () => {
    const { io, a, b } = group();
    io.commands.find((c) => c.kind === 'track')?.finish({ code: 0 });
    io.advance(T0 + rfcTimers(150, 1).mdi + 0.01);
    b.receive(vrrpFrame({ src: PEER, srcMac: '02:00:00:00:00:0b', vrid: 52, priority: 200, addresses: ['192.0.2.101'] }));
    expect([a.state, b.state]).toEqual(['BACKUP', 'BACKUP']);
    expect([zeroes(io, 51), zeroes(io, 52)]).toEqual([0, 0]);
    expect(io.host.size).toBe(0);
    expect(io.lines.join('')).toMatch(/VI_1: VRID 51: MASTER -> BACKUP: sync group G: VI_2 went to BACKUP \(higher-priority\)/);
  });

  it('a member whose master is gone stays BACKUP while the other still hears its master (keepalived: prefer backup to thrashing)', () => {
    const { io, a, b, bus } = group();
    io.commands.find((c) => c.kind === 'track')?.finish({ code: 0 });
    const heard = (vrid: number, address: string): Uint8Array => vrrpFrame({ src: PEER, srcMac: '02:00:00:00:00:0b', vrid, priority: 200, addresses: [address] });
    // b's master speaks every second for 10 s; a's says nothing.
    for (let t = 0.5; t < 10; t += 1) {
      io.advance(T0 + t);
      b.receive(heard(52, '192.0.2.101'));
    }
    expect([a.state, b.state]).toEqual(['BACKUP', 'BACKUP']);
    expect(a.statusLine()).toMatch(/^VRID 51: BACKUP, priority 150, .* \(sync group G\)/);
    expect(io.lines.join('')).toMatch(/VI_1: VRID 51: sync group G: held in BACKUP until every member can be master; waiting for VI_2 \(BACKUP\)/);
    expect(bus.statusLine()).toBe('sync group G: BACKUP; members VI_1 BACKUP (wants MASTER), VI_2 BACKUP');
    // b's master goes quiet too: now both want master, and go together.
    io.advance(T0 + 10 + rfcTimers(150, 1).mdi + 0.01);
    expect([a.state, b.state]).toEqual(['MASTER', 'MASTER']);
  });
});
