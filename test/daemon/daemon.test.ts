// The daemon's wiring with every piece of I/O faked: a manual clock, frames captured instead of
// injected, VIPs in a set, scripts that end when the test says. Frames in come from the independent
// builder; frames out are read back with the project's decoder.
import { describe, expect, it } from 'vitest';
import { validateConfig, type DaemonConfig, type DaemonFlags } from '../../src/daemon/config.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { NOTIFY_TIMEOUT_MS } from '../../src/daemon/notify-queue.js';
import { arpFrame, naFrame, vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';
import { FakeIo, MAC, ME, PEER, T0, type FakeCommand } from './fake-io.js';

function configOf(over: DaemonFlags = {}): DaemonConfig {
  const r = validateConfig({ interface: 'eth0', vrid: 51, priority: 150, vip: ['192.0.2.100/24'], notify: '/usr/local/bin/notify', ...over });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

function daemon(over: DaemonFlags = {}, json = false): { d: Daemon; io: FakeIo } {
  const io = new FakeIo();
  const d = new Daemon(configOf(over), { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json });
  return { d, io };
}

const peer = (s: FrameSpec = {}): Uint8Array => vrrpFrame({ src: PEER, srcMac: '02:00:00:00:00:0b', vrid: 51, priority: 100, addresses: ['192.0.2.100'], ...s });

/** Let resolved command promises run their continuations. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

async function finishNotifies(io: FakeIo): Promise<void> {
  for (let i = 0; i < 10; i++) {
    for (const c of io.commands) if (c.kind === 'notify') c.finish({ code: 0 });
    await settle();
  }
}

describe('Daemon: the machine wired to (fake) I/O', () => {
  it('alone on the segment: master after Master_Down_Interval, then an advert every second from our MAC and address', async () => {
    const { d, io } = daemon();
    d.start();
    expect(d.state).toBe('BACKUP');
    io.advance(T0 + 3.41);
    expect(io.sent).toHaveLength(0);
    io.advance(T0 + 3.4140625); // 3 + (256 - 150) / 256 s: the machine's timers wake at their deadline (scheduler.ts)
    expect(d.state).toBe('MASTER');
    io.advance(T0 + 6.5);
    const adverts = io.adverts();
    expect(adverts.map((a) => a.t - T0)).toEqual([3.4140625, 4.4140625, 5.4140625, 6.4140625]);
    expect(adverts.every((a) => a.priority === 150 && a.src === ME && a.srcMac === MAC)).toBe(true);
    expect(io.ops).toEqual(['add 192.0.2.100/24']);
    expect(d.heldVips.map((v) => v.address)).toEqual(['192.0.2.100']);
    // 5 gratuitous ARPs right after the first advert, 5 more 5 s later
    expect(io.garps()).toHaveLength(5);
    io.advance(T0 + 3.415 + 5);
    expect(io.garps()).toHaveLength(10);
    expect(io.garps().every((g) => g.kind === 'arp' && g.arp.senderIp === '192.0.2.100' && g.arp.senderMac === MAC)).toBe(true);
    await finishNotifies(io);
    expect(io.notified()).toEqual(['INSTANCE VI_51 BACKUP 150', 'INSTANCE VI_51 MASTER 150']);
  });

  it("keepalived's notify_<state> runs before the generic notify, one at a time, in transition order", async () => {
    const io = new FakeIo();
    const config = { ...configOf(), notifyState: { MASTER: '/etc/k/master.sh', BACKUP: '/etc/k/backup.sh', STOP: '/etc/k/stop.sh' } };
    const d = new Daemon(config, { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json: false });
    d.start();
    io.advance(T0 + 4);
    const stopped = d.stop('received SIGTERM');
    await settle();
    // one at a time: only the first is running until it finishes
    expect(io.commands.filter((c) => c.kind === 'notify').map((c) => c.command)).toEqual(['/etc/k/backup.sh']);
    await finishNotifies(io);
    await stopped;
    expect(io.commands.filter((c) => c.kind === 'notify').map((c) => [c.command, ...c.args].join(' '))).toEqual([
      '/etc/k/backup.sh',
      '/usr/local/bin/notify INSTANCE VI_51 BACKUP 150',
      '/etc/k/master.sh',
      '/usr/local/bin/notify INSTANCE VI_51 MASTER 150',
      '/etc/k/stop.sh',
      '/usr/local/bin/notify INSTANCE VI_51 STOP 150',
    ]);
  });

  it('our own frames coming back are ignored, neither dropped nor counted', () => {
    const { d, io } = daemon();
    d.start();
    io.advance(T0 + 4);
    const own = io.sent.find((s) => s.frame.kind === 'vrrp')!;
    d.receive(own.bytes);
    expect(d.counters.advertsReceived).toBe(0);
    expect(d.counters.drops).toEqual({});
    expect(io.lines.join('')).not.toMatch(/own address/);
    // the same address from another MAC is a duplicate address, not ours: dropped and said once
    d.receive(vrrpFrame({ src: ME, srcMac: '02:00:00:00:00:99', vrid: 51, priority: 100, addresses: ['192.0.2.100'] }));
    expect(d.counters.drops).toEqual({ 'own-address': 1 });
  });

  it('a higher-priority advert sends a master back to backup and takes its VIP away; adverts stop', () => {
    const { d, io } = daemon();
    d.start();
    io.advance(T0 + 4);
    d.receive(peer({ priority: 200 }));
    expect(d.state).toBe('BACKUP');
    expect(io.ops).toEqual(['add 192.0.2.100/24', 'del 192.0.2.100/24']);
    expect(io.host.size).toBe(0);
    const n = io.adverts().length;
    io.advance(T0 + 6);
    expect(io.adverts()).toHaveLength(n);
    expect(d.counters.advertsReceived).toBe(1);
  });

  it('stop(): the priority-0 advert, the VIP removed, notify STOP, and it waits for --notify to finish', async () => {
    const { d, io } = daemon();
    d.start();
    io.advance(T0 + 4);
    let stopped = false;
    const p = d.stop('received SIGTERM').then(() => (stopped = true));
    expect(io.adverts().at(-1)?.priority).toBe(0);
    expect(io.host.size).toBe(0);
    expect(d.state).toBe('INITIALIZE');
    await settle();
    expect(stopped).toBe(false); // notify MASTER is still running
    await finishNotifies(io);
    await p;
    expect(io.notified()).toEqual(['INSTANCE VI_51 BACKUP 150', 'INSTANCE VI_51 MASTER 150', 'INSTANCE VI_51 STOP 150']);
    // nothing runs any more
    const sent = io.sent.length;
    io.advance(T0 + 20);
    expect(io.sent).toHaveLength(sent);
    expect(io.lines.join('')).toMatch(/stopping: received SIGTERM/);
  });

  it('stop(): a --notify that hangs is killed after the 2 s grace, then STOP runs; every notify has its timeout', async () => {
    const { d, io } = daemon();
    d.start();
    await settle();
    const backup = io.commands.find((c) => c.kind === 'notify')!;
    expect(backup).toMatchObject({ args: ['INSTANCE', 'VI_51', 'BACKUP', '150'], timeoutMs: NOTIFY_TIMEOUT_MS });
    let stopped = false;
    const p = d.stop('received SIGINT').then(() => (stopped = true));
    await settle();
    io.advance(T0 + 1.9);
    await settle();
    expect(backup.killed).toBe(false);
    expect(stopped).toBe(false);
    io.advance(T0 + 2.001);
    await settle();
    expect(backup.killed).toBe(true);
    const stop = io.commands.filter((c) => c.kind === 'notify')[1]!;
    expect(stop).toMatchObject({ args: ['INSTANCE', 'VI_51', 'STOP', '150'], timeoutMs: NOTIFY_TIMEOUT_MS, killed: false });
    expect(stopped).toBe(false);
    stop.finish({ code: 0 });
    await p;
    expect(io.lines.join('')).toMatch(/warning: --notify "\/usr\/local\/bin\/notify" INSTANCE VI_51 BACKUP 150: killed by SIGTERM/);
  });

  it('releaseVips() (the exit hook) removes only what it added, once; a VIP found already there is left alone', () => {
    const { d, io } = daemon({ vip: ['192.0.2.100', '192.0.2.101'] });
    io.host.add('192.0.2.101');
    d.start();
    io.advance(T0 + 4);
    expect(d.heldVips.map((v) => v.address)).toEqual(['192.0.2.100']);
    expect(io.lines.join('')).toMatch(/warning: 192\.0\.2\.101 was already on eth0; it is left there/);
    d.releaseVips();
    d.releaseVips();
    expect([...io.host]).toEqual(['192.0.2.101']);
    expect(io.ops.filter((o) => o.startsWith('del'))).toEqual(['del 192.0.2.100/32']);
  });

  it('a failing track script with weight -60: the next advert carries 90; runs every interval, one at a time, with its timeout', async () => {
    const { d, io } = daemon({ notify: undefined, trackScripts: [{ command: 'check-web', weight: -60, interval: 2, timeout: 1.5 }] });
    d.start();
    const runs = (): FakeCommand[] => io.commands.filter((c) => c.kind === 'track');
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ command: 'check-web', args: [], timeoutMs: 1500 });
    runs()[0]!.finish({ code: 0 });
    await settle();
    io.advance(T0 + 4);
    expect(d.state).toBe('MASTER');
    expect(runs()).toHaveLength(2); // T0 and T0 + 2
    runs()[1]!.finish({ code: 1 });
    await settle();
    expect(io.lines.join('')).toMatch(/effective priority 150 -> 90: track script "check-web" failed \(weight -60\)/);
    io.advance(T0 + 5);
    expect(io.adverts().at(-1)?.priority).toBe(90);
    // still running at the next interval: not started twice
    io.advance(T0 + 6.5);
    expect(runs()).toHaveLength(3);
    io.advance(T0 + 8.5);
    expect(runs()).toHaveLength(3);
    runs()[2]!.finish({ timedOut: true, code: null, signal: 'SIGTERM' });
    await settle();
    expect(d.statusLine()).toMatch(/^VRID 51: MASTER, priority 90, advertising every 1 s; adverts sent \d+, received 0; holding 192\.0\.2\.100$/);
    io.advance(T0 + 10.5);
    expect(runs()).toHaveLength(4);
    await d.stop('test over');
    expect(runs()[3]!.killed).toBe(true); // stopping ends a script still running
    io.advance(T0 + 20);
    expect(runs()).toHaveLength(4);
  });

  it('--json: one object per line with the transition; the password never appears, the peer\'s wrong one is named once', () => {
    const { d, io } = daemon({ authPass: 'secret1', authPassSource: 'file', notify: undefined }, true);
    d.start();
    for (let i = 0; i < 3; i++) d.receive(peer({ authType: 1, auth: 'secret2' }));
    d.logStatus();
    const objects = io.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(io.lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(objects[0]).toMatchObject({ level: 'info', transition: { from: 'INITIALIZE', to: 'BACKUP', reason: 'startup' } });
    expect(objects[0]!.time).toBe('2026-01-01T00:16:40.000Z');
    const auth = objects.filter((o) => String(o.message).includes('auth mismatch'));
    expect(auth).toHaveLength(1);
    expect(auth[0]!.message).toBe('VRID 51: auth mismatch from 192.0.2.11: its password (7 bytes) differs from ours; advert dropped (not logged again for this sender within 10 minutes)');
    expect(objects.at(-1)).toMatchObject({ status: { state: 'BACKUP', priority: 150, holding: [] }, counters: { drops: { auth: 3 } } });
    expect(io.lines.join('')).not.toContain('secret1');
  });

  it('a frame that cannot be sent is logged once, and the daemon keeps going', () => {
    const { d, io } = daemon({ notify: undefined });
    io.failSend = 'sending a 54-byte frame on eth0 failed: is the interface up?';
    d.start();
    io.advance(T0 + 8);
    expect(d.state).toBe('MASTER');
    expect(io.lines.filter((l) => l.includes('sending a 54-byte frame'))).toHaveLength(1);
    expect(d.counters.advertsSent).toBe(0);
  });

  it('--vmac: adverts and gratuitous ARPs from 00:00:5e:00:01:VRID', () => {
    const { io, d } = daemon({ vmac: true, notify: undefined });
    d.start();
    io.advance(T0 + 4);
    expect(io.adverts()[0]?.srcMac).toBe('00:00:5e:00:01:33');
    expect(io.garps().every((g) => g.kind === 'arp' && g.arp.senderMac === '00:00:5e:00:01:33' && g.link.srcMac === '00:00:5e:00:01:33')).toBe(true);
    // and our own frames from the virtual MAC are still recognised as ours
    d.receive(io.sent[0]!.bytes);
    expect(d.counters.drops).toEqual({});
  });

  it('the link goes down: FAULT (VIP released, notify FAULT, no advert on a dead link); up again: backup, then master', async () => {
    const { d, io } = daemon();
    d.start();
    io.advance(T0 + 4);
    d.setLinkUp(true); // no change: nothing happens
    const before = io.sent.length;
    d.setLinkUp(false);
    expect(d.state).toBe('FAULT');
    expect(io.sent).toHaveLength(before); // a link that is down carries nothing, not even priority 0
    expect(io.lines.join('')).toMatch(/MASTER -> FAULT: interface eth0 is down; released the virtual addresses \(no priority-0 advert: nothing can be sent\)/);
    expect(io.host.size).toBe(0);
    const sent = io.sent.length;
    io.advance(T0 + 10);
    expect(io.sent).toHaveLength(sent); // silent in FAULT, no second GARP burst either
    d.setLinkUp(true);
    expect(d.state).toBe('BACKUP');
    io.advance(T0 + 10 + 3.42);
    expect(d.state).toBe('MASTER');
    expect(io.lines.join('')).toMatch(/FAULT -> BACKUP: interface eth0 is up again\n.*BACKUP -> MASTER: no advert heard for 3\.41 s since leaving FAULT/);
    await finishNotifies(io);
    expect(io.notified()).toEqual(['INSTANCE VI_51 BACKUP 150', 'INSTANCE VI_51 MASTER 150', 'INSTANCE VI_51 FAULT 150', 'INSTANCE VI_51 BACKUP 150', 'INSTANCE VI_51 MASTER 150']);
  });

  it('a failing weight-0 script and a link down: FAULT until both are well again', async () => {
    const { d, io } = daemon({ notify: undefined, trackScripts: [{ command: 'check', weight: 0, interval: 1 }] });
    d.start();
    const runs = (): FakeCommand[] => io.commands.filter((c) => c.kind === 'track');
    runs()[0]!.finish({ code: 1 });
    await settle();
    expect(d.state).toBe('FAULT');
    d.setLinkUp(false);
    io.advance(T0 + 1);
    runs()[1]!.finish({ code: 0 });
    await settle();
    expect(d.state).toBe('FAULT'); // the link still holds it there
    expect(io.lines.at(-1)).toMatch(/track script "check" succeeded .*; still in FAULT: interface eth0 is down\n$/);
    d.setLinkUp(true);
    expect(d.state).toBe('BACKUP');
  });

  it('the interface deleted, then back; a dead capture; a new MAC: FAULT while any holds, one line each', () => {
    const { d, io } = daemon({ notify: undefined });
    d.start();
    io.advance(T0 + 4);
    expect(d.state).toBe('MASTER');
    d.setInterface('gone');
    d.setInterface('gone'); // said once
    expect(d.state).toBe('FAULT');
    expect(io.host.size).toBe(0);
    expect(io.lines.filter((l) => l.includes('deleted'))).toEqual([expect.stringMatching(/warning: VRID 51: MASTER -> FAULT: interface eth0 was deleted; waiting for an interface of that name to return; released the virtual addresses/)]);
    d.setCapture(false, 'cannot reopen the capture: no interface named eth0; trying again in 1 s');
    expect(io.lines.at(-1)).toMatch(/warning: cannot reopen the capture: .*; still in FAULT: interface eth0 was deleted/);
    d.setInterface('up');
    expect(io.lines.at(-1)).toMatch(/interface eth0 is back; still in FAULT: cannot reopen the capture/);
    expect(d.state).toBe('FAULT');
    d.setCapture(false, 'cannot reopen the capture: still failing; trying again in 2 s');
    expect(io.lines.at(-1)).toMatch(/warning: cannot reopen the capture: still failing/);
    d.setMac('02:00:00:00:00:aa');
    d.setCapture(true, 'the capture works again');
    expect(d.state).toBe('BACKUP');
    io.advance(T0 + 10);
    expect(d.state).toBe('MASTER');
    expect(io.adverts().at(-1)?.srcMac).toBe('02:00:00:00:00:aa');
    d.receive(io.sent.at(-1)!.bytes); // our own frame from the new MAC is still ours
    expect(d.counters.drops).toEqual({});
  });
});

describe('Daemon: the advert rhythm under a busy event loop', () => {
  it("a wake late by less than the edge's grace keeps the rhythm; a later one starts afresh from then, and a stall is not caught up", () => {
    const { d, io } = daemon();
    io.wakeGraceSec = 0.001; // the timer thread's (scheduler.ts)
    d.start();
    io.advance(T0 + 3.4140625);
    expect(d.state).toBe('MASTER');
    io.now = T0 + 4.415; // the wake for 4.4140625 runs 0.94 ms late: within the grace
    io.advance(T0 + 5.5);
    io.now = T0 + 6.416; // the 6.4140625 wake runs 1.94 ms late: beyond it
    io.advance(T0 + 8);
    io.now = T0 + 8.426; // the 8.416 wake runs 10 ms late (a stall)
    io.advance(T0 + 9.5);
    const at = io.adverts().map((a) => Number((a.t - T0).toFixed(4)));
    expect(at).toEqual([3.4141, 4.415, 5.4141, 6.416, 7.416, 8.426, 9.426]);
  });

  it('an advert held up on its way out (the wake on time) beyond the grace: the next counts from when it left, as keepalived re-arms after sending', () => {
    const { d, io } = daemon();
    io.wakeGraceSec = 0.001;
    d.start();
    io.advance(T0 + 3.4140625);
    const send = io.send.bind(io);
    // The advert of 5.4140625 leaves 4 ms after its wake; the one of 7.4140625 0.5 ms after.
    let delays = [0, 0.004, 0, 0.0005];
    io.send = (frame) => {
      io.now += delays[0] ?? 0;
      delays = delays.slice(1);
      send(frame);
    };
    io.advance(T0 + 9.5);
    const at = io.adverts().map((a) => Number((a.t - T0).toFixed(4)));
    // 5.4181: 4.1 ms late, the interval after it a whole second; 7.4186 left 0.5 ms late (within
    // the grace): the rhythm holds, 8.4181.
    expect(at).toEqual([3.4141, 4.4141, 5.4181, 6.4181, 7.4186, 8.4181, 9.4181]);
  });

  it('with the setTimeout fallback (a grace of 2 ms) the same 1.94 ms late wake keeps the rhythm', () => {
    const { d, io } = daemon();
    d.start();
    io.advance(T0 + 3.4140625);
    io.now = T0 + 4.416;
    io.advance(T0 + 6.5);
    const at = io.adverts().map((a) => Number((a.t - T0).toFixed(4)));
    expect(at).toEqual([3.4141, 4.416, 5.4141, 6.4141]);
  });
});

describe('Daemon: unicast_peer (adverts to each peer by unicast, MACs resolved by ARP / NS)', () => {
  const P1 = '192.0.2.21';
  const P2 = '192.0.2.22';
  const MAC1 = '02:00:00:00:00:21';
  const MAC2 = '02:00:00:00:00:22';

  function unicastDaemon(over: Partial<DaemonConfig> = {}, flags: DaemonFlags = {}, primary = ME): { d: Daemon; io: FakeIo } {
    const io = new FakeIo();
    const c: DaemonConfig = { ...configOf(flags), unicast: { srcAddress: null, peers: [P1, P2] }, ...over };
    return { d: new Daemon(c, { mac: MAC, primaryAddress: primary, linkType: 1 }, io, { json: false }), io };
  }

  const unicastAdverts = (io: FakeIo) =>
    io.sent.flatMap((s) => (s.frame.kind === 'vrrp' ? [{ t: s.t - T0, dst: s.frame.ip.dst, dstMac: s.frame.link.dstMac, ttl: s.frame.ip.family === 4 ? s.frame.ip.ttl : s.frame.ip.hopLimit, src: s.frame.ip.src, addresses: s.frame.vrrp.addresses, checksumOk: s.frame.checksum.ok }] : []));
  const arpRequests = (io: FakeIo) =>
    io.sent.flatMap((s) => (s.frame.kind === 'arp' && !s.frame.arp.gratuitous ? [{ target: s.frame.arp.targetIp, sender: s.frame.arp.senderIp, dstMac: s.frame.link.dstMac, op: s.frame.arp.operation }] : []));

  it('asks each peer its MAC (ARP), sends the held advert once it answers, then one advert per peer per interval, TTL 255, never to the group', () => {
    const { d, io } = unicastDaemon();
    d.start();
    io.advance(T0 + 3.5); // master: the first advert waits for the peers' MACs
    expect(d.state).toBe('MASTER');
    expect(unicastAdverts(io)).toEqual([]);
    expect(arpRequests(io)).toEqual([
      { target: P1, sender: ME, dstMac: 'ff:ff:ff:ff:ff:ff', op: 1 },
      { target: P2, sender: ME, dstMac: 'ff:ff:ff:ff:ff:ff', op: 1 },
    ]);
    d.receive(arpFrame(P1, MAC1, 2, ME));
    d.receive(arpFrame(P2, MAC2, 2, ME));
    io.advance(T0 + 4.5);
    const sent = unicastAdverts(io);
    expect(sent.map((a) => [a.dst, a.dstMac, a.ttl, a.src])).toEqual([
      [P1, MAC1, 255, ME],
      [P2, MAC2, 255, ME],
      [P1, MAC1, 255, ME],
      [P2, MAC2, 255, ME],
    ]);
    expect(sent.every((a) => a.checksumOk !== false)).toBe(true);
    expect(d.counters.advertsSent).toBe(4); // one per frame on the wire: per peer, the held one included
    expect(io.lines.filter((l) => /unicast peer .* is at/.test(l))).toHaveLength(2);
  });

  it('accepts adverts only from its peers: another sender is dropped, counted and logged once; a multicast advert is dropped; a peer TTL below 255 is accepted, as keepalived', () => {
    const { d, io } = unicastDaemon();
    d.start();
    io.advance(T0 + 3.5);
    expect(d.state).toBe('MASTER');
    const stranger = (): Uint8Array => vrrpFrame({ src: '192.0.2.99', dst: ME, srcMac: '02:00:00:00:00:99', dstMac: MAC, vrid: 51, priority: 200, addresses: ['192.0.2.100'] });
    d.receive(stranger());
    d.receive(stranger());
    expect(d.state).toBe('MASTER');
    expect(d.counters.drops['not-a-peer']).toBe(2);
    expect(io.lines.filter((l) => l.includes('192.0.2.99, which is not a unicast_peer'))).toHaveLength(1);
    d.receive(vrrpFrame({ src: P1, srcMac: MAC1, vrid: 51, priority: 200, addresses: ['192.0.2.100'] })); // to 224.0.0.18
    expect(d.counters.drops['wrong-cast']).toBe(1);
    expect(d.state).toBe('MASTER');
    d.receive(vrrpFrame({ src: P1, dst: ME, srcMac: MAC1, dstMac: MAC, ttl: 254, vrid: 51, priority: 200, addresses: ['192.0.2.100'] }));
    expect(d.state).toBe('BACKUP');
  });

  it("follows a peer's new MAC at once (heard in its advert), and says so", () => {
    const { d, io } = unicastDaemon({ unicast: { srcAddress: null, peers: [P1] } });
    d.start();
    d.receive(vrrpFrame({ src: P1, dst: ME, srcMac: MAC1, dstMac: MAC, vrid: 51, priority: 100, addresses: ['192.0.2.100'] }));
    d.receive(vrrpFrame({ src: P1, dst: ME, srcMac: MAC2, dstMac: MAC, vrid: 51, priority: 100, addresses: ['192.0.2.100'] }));
    expect(io.lines.some((l) => l.includes(`unicast peer ${P1} moved to ${MAC2} (was ${MAC1})`))).toBe(true);
    io.advance(T0 + 3.5);
    expect(d.state).toBe('MASTER'); // the lower peer's adverts are ignored: Master_Down_Interval passes
    expect(unicastAdverts(io).map((a) => a.dstMac)).toEqual([MAC2]);
    expect(arpRequests(io)).toEqual([]);
  });

  it('a peer that never answers: one warning after 3 requests, adverts held; an answer later resumes them', () => {
    const { d, io } = unicastDaemon({ unicast: { srcAddress: null, peers: [P1] } });
    d.start();
    io.advance(T0 + 8.5);
    expect(arpRequests(io).length).toBeGreaterThanOrEqual(5);
    expect(io.lines.filter((l) => l.includes(`unicast peer ${P1} does not answer ARP`))).toHaveLength(1);
    expect(unicastAdverts(io)).toEqual([]);
    d.receive(arpFrame(P1, MAC1, 2, ME));
    io.advance(T0 + 9.5);
    expect(unicastAdverts(io).length).toBeGreaterThanOrEqual(2);
  });

  it('from unicast_src_ip; IPv6: a neighbour solicitation to the solicited-node group, the NA resolves it', () => {
    const peer6 = '2001:db8::21';
    const io = new FakeIo();
    const r = validateConfig({ interface: 'eth0', vrid: 51, priority: 150, vip: ['2001:db8::100/64'] });
    if (!r.ok) throw new Error(r.errors.join('; '));
    const c: DaemonConfig = { ...r.config, unicast: { srcAddress: '2001:db8::10', peers: [peer6] } };
    const d = new Daemon(c, { mac: MAC, primaryAddress: '2001:db8::10', linkType: 1 }, io, { json: false });
    d.start();
    io.advance(T0 + 3.5);
    const ns = io.sent.find((s) => s.frame.kind === 'other' || s.frame.kind === 'malformed');
    expect(ns).toBeDefined();
    const b = ns!.bytes;
    expect(Array.from(b.subarray(0, 6), (x) => x.toString(16).padStart(2, '0')).join(':')).toBe('33:33:ff:00:00:21');
    expect(b[14 + 40]).toBe(135); // ICMPv6 neighbour solicitation
    d.receive(naFrame(peer6, MAC1, peer6));
    io.advance(T0 + 4.5);
    expect(unicastAdverts(io).map((a) => [a.dst, a.dstMac, a.ttl, a.src, a.checksumOk])).toEqual([
      [peer6, MAC1, 255, '2001:db8::10', true],
      [peer6, MAC1, 255, '2001:db8::10', true],
    ]);
  });

  it('virtual_ipaddress_excluded: added and removed with the VIPs, announced by ARP, never in the advert', async () => {
    const io = new FakeIo();
    const c: DaemonConfig = { ...configOf(), excludedVips: [{ address: '198.51.100.7', prefixLength: 32 }] };
    const d = new Daemon(c, { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json: false });
    d.start();
    io.advance(T0 + 3.5);
    expect(io.ops).toEqual(['add 192.0.2.100/24', 'add 198.51.100.7/32']);
    const first = io.sent.find((s) => s.frame.kind === 'vrrp');
    expect(first?.frame.kind === 'vrrp' && first.frame.vrrp.addresses).toEqual(['192.0.2.100']);
    const announced = new Set(io.garps().flatMap((g) => (g.kind === 'arp' ? [g.arp.senderIp] : [])));
    expect([...announced].sort()).toEqual(['192.0.2.100', '198.51.100.7']);
    const stopping = d.stop('test');
    await finishNotifies(io);
    await stopping;
    expect(io.ops.slice(2)).toEqual(['del 192.0.2.100/24', 'del 198.51.100.7/32']);
  });
});
