// SIGHUP applying a changed instance in place (reload-plan.ts decides, Daemon.reconfigure applies):
// the state stays, a new priority is advertised from the next advert on and can preempt, VIPs gone
// are released and new ones added while master, a new advert_int counts from the last advert.
import { describe, expect, it } from 'vitest';
import { validateConfig, sameConfig, type DaemonConfig, type DaemonFlags } from '../../src/daemon/config.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { reloadActionOf } from '../../src/daemon/reload-plan.js';
import { rfcTimers } from '../lab/harness.js';
import { vrrpFrame } from '../support/vrrp-frames.js';
import { FakeIo, MAC, ME, PEER, T0 } from './fake-io.js';

function configOf(over: DaemonFlags = {}): DaemonConfig {
  const r = validateConfig({ interface: 'eth0', vrid: 51, priority: 150, vip: ['192.0.2.100/24'], ...over });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

describe('reloadActionOf: what SIGHUP does to a running instance', () => {
  it('the same configuration is kept untouched', () => {
    expect(reloadActionOf(configOf(), configOf(), sameConfig)).toEqual({ action: 'keep' });
  });

  it('new values are applied in place, each named for the log', () => {
    const next = configOf({ priority: 200, vip: ['192.0.2.100/24', '192.0.2.101/24'], advertInt: 2, preempt: false, trackScripts: [{ command: 'chk', weight: -10 }] });
    expect(reloadActionOf(configOf(), next, sameConfig)).toEqual({
      action: 'apply',
      changes: ['priority 150 -> 200', 'advert_int 1 s -> 2 s', 'virtual_ipaddress +192.0.2.101/24', 'nopreempt', 'track_script'],
    });
    expect(reloadActionOf(configOf(), configOf({ vip: ['192.0.2.102/24'] }), sameConfig)).toMatchObject({ changes: ['virtual_ipaddress +192.0.2.102/24 -192.0.2.100/24'] });
  });

  it('unicast peers or source changed: another virtual router; excluded addresses are applied in place', () => {
    const unicast = { ...configOf(), unicast: { srcAddress: null, peers: ['192.0.2.12'] } };
    expect(reloadActionOf(configOf(), unicast, sameConfig)).toEqual({ action: 'restart', why: 'its unicast_src_ip / unicast_peer changed (none -> primary to 192.0.2.12): another virtual router' });
    expect(reloadActionOf(unicast, { ...unicast, unicast: { srcAddress: null, peers: ['192.0.2.13'] } }, sameConfig)).toMatchObject({ action: 'restart' });
    expect(reloadActionOf(configOf(), { ...configOf(), excludedVips: [{ address: '198.51.100.7', prefixLength: 32 }] }, sameConfig)).toEqual({ action: 'apply', changes: ['virtual_ipaddress_excluded'] });
  });

  it("another VRID, interface, use_vmac or sync group is another virtual router (keepalived's vrrp_exist); becoming or ceasing to be the owner starts afresh", () => {
    expect(reloadActionOf(configOf(), configOf({ vrid: 52 }), sameConfig)).toEqual({ action: 'restart', why: 'its virtual_router_id changed (51 -> 52): another virtual router' });
    expect(reloadActionOf(configOf(), configOf({ interface: 'eth1' }), sameConfig)).toMatchObject({ action: 'restart' });
    expect(reloadActionOf(configOf(), configOf({ vmac: true }), sameConfig)).toMatchObject({ action: 'restart' });
    expect(reloadActionOf(configOf(), { ...configOf(), syncGroup: { name: 'G', notify: null, notifyState: {} } }, sameConfig)).toMatchObject({ action: 'restart', why: 'its sync group changed (none -> G): another virtual router' });
    expect(reloadActionOf(configOf(), configOf({ priority: 255 }), sameConfig)).toMatchObject({ action: 'restart' });
  });
});

const ADDRESS_LIST = (io: FakeIo): { priority: number; addresses: string[]; t: number }[] =>
  io.sent.flatMap((s) => (s.frame.kind === 'vrrp' ? [{ priority: s.frame.vrrp.priority, addresses: [...s.frame.vrrp.addresses], t: s.t }] : []));

describe('Daemon.reconfigure: a changed instance keeps running', () => {
  it('a master: VIPs gone released, new ones added (with gratuitous ARPs for them), the new priority and interval from the next advert on; no transition', () => {
    const io = new FakeIo();
    const d = new Daemon(configOf(), { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json: false });
    d.start();
    io.advance(T0 + 4.5);
    expect(d.state).toBe('MASTER');
    const transitions = d.transitions;
    const lastAdvert = ADDRESS_LIST(io).at(-1)?.t as number;
    io.ops.length = 0;
    const garps = io.garps().length;
    d.reconfigure(configOf({ priority: 180, vip: ['192.0.2.101/24'], advertInt: 2 }));
    expect(io.ops).toEqual(['del 192.0.2.100/24', 'add 192.0.2.101/24']);
    expect(io.host).toEqual(new Set(['192.0.2.101']));
    expect(io.garps().length - garps).toBe(5);
    io.advance(T0 + 9);
    const after = ADDRESS_LIST(io).filter((x) => x.t > lastAdvert);
    expect(after.map((x) => x.t - lastAdvert)).toEqual([2, 4]); // 2 s from the last advert, then every 2 s
    expect(after.every((x) => x.priority === 180 && x.addresses.join() === '192.0.2.101')).toBe(true);
    expect(d.transitions).toBe(transitions);
    expect(d.effectivePriority).toBe(180);
  });

  it('a backup whose priority rises above the master\'s preempts a Master_Down_Interval after the reload (keepalived restarts the timer), never leaving BACKUP before, no priority 0', () => {
    const io = new FakeIo();
    const d = new Daemon(configOf({ priority: 100 }), { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json: false });
    d.start();
    const master = (): Uint8Array => vrrpFrame({ src: PEER, srcMac: '02:00:00:00:00:0b', vrid: 51, priority: 150, addresses: ['192.0.2.100'] });
    for (let t = 0.5; t < 5; t += 1) {
      io.advance(T0 + t);
      d.receive(master());
    }
    expect(d.state).toBe('BACKUP');
    const transitions = d.transitions;
    io.advance(T0 + 5.2);
    d.reconfigure(configOf({ priority: 200 }));
    for (let t = 5.5; t < 12; t += 1) {
      io.advance(T0 + t);
      d.receive(master());
    }
    expect(d.state).toBe('MASTER');
    expect(d.transitions).toBe(transitions + 1);
    // keepalived's reload: the Master_Down_Timer starts again at the SIGHUP (5.2 s), Master_Down_Interval at 200 (3.22 s)
    const first = ADDRESS_LIST(io)[0];
    expect(first?.priority).toBe(200);
    expect((first?.t as number) - T0).toBeCloseTo(5.2 + rfcTimers(200, 1).mdi, 2);
    expect(io.lines.join('')).toMatch(/BACKUP -> MASTER: preempting 192\.0\.2\.11, whose priority 150 is lower than ours \(200\)/);
  });

  it('a track script kept as it was keeps its status (no FAULT while it runs again); one added starts afresh', async () => {
    const io = new FakeIo();
    const d = new Daemon(configOf({ trackScripts: [{ command: 'chk', weight: -50 }] }), { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json: false });
    d.start();
    io.commands.find((c) => c.kind === 'track')?.finish({ code: 1 });
    await new Promise((r) => setImmediate(r));
    expect(d.effectivePriority).toBe(100);
    const ran = io.commands.length;
    d.reconfigure(configOf({ priority: 160, trackScripts: [{ command: 'chk', weight: -50 }, { command: 'other', weight: 0 }] }));
    expect(d.effectivePriority).toBe(110); // 160 - 50: chk still failing
    expect(d.state).toBe('BACKUP');
    expect(io.commands.slice(ran).filter((c) => c.kind === 'track').map((c) => c.command)).toEqual(['chk', 'other']);
  });
});
