// track_interface with keepalived's semantics: weight 0 -> FAULT while the interface is down;
// a weight moves the priority (negative while down, positive while up); reverse swaps up and down.
import { describe, expect, it } from 'vitest';
import { validateConfig, type DaemonConfig, type TrackInterfaceConfig } from '../../src/daemon/config.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { FakeIo, MAC, ME, T0 } from './fake-io.js';

function daemon(trackInterfaces: TrackInterfaceConfig[]): { d: Daemon; io: FakeIo } {
  const r = validateConfig({ interface: 'eth0', vrid: 51, priority: 150, vip: ['192.0.2.100/24'] });
  if (!r.ok) throw new Error(r.errors.join('; '));
  const config: DaemonConfig = { ...r.config, trackInterfaces };
  const io = new FakeIo();
  return { d: new Daemon(config, { mac: MAC, primaryAddress: ME, linkType: 1 }, io, { json: false }), io };
}

describe('track_interface', () => {
  it('weight 0: FAULT while it is down (priority 0 from a master, VIPs released), BACKUP when it is up again', () => {
    const { d, io } = daemon([{ name: 'eth1', weight: 0, reverse: false }]);
    d.setTrackedInterface('eth1', true);
    d.start();
    io.advance(T0 + 4);
    expect(d.state).toBe('MASTER');
    d.setTrackedInterface('eth1', false);
    expect(d.state).toBe('FAULT');
    expect(io.adverts().at(-1)?.priority).toBe(0);
    expect(io.host.size).toBe(0);
    expect(io.lines.join('')).toMatch(/MASTER -> FAULT: track_interface eth1 is down \(weight 0: FAULT while it is down\); sent priority 0/);
    d.setTrackedInterface('eth1', false); // the same look again: nothing
    d.setTrackedInterface('eth1', true);
    expect(d.state).toBe('BACKUP');
  });

  it('down at startup: FAULT from the start, as keepalived ("Entering FAULT STATE (init)")', () => {
    const { d } = daemon([{ name: 'eth1', weight: 0, reverse: false }]);
    d.setTrackedInterface('eth1', false);
    d.start();
    expect(d.state).toBe('FAULT');
  });

  it('a weight moves the effective priority: -30 while down, +20 while up; reverse counts up as down', () => {
    const { d } = daemon([{ name: 'eth1', weight: -30, reverse: false }, { name: 'eth2', weight: 20, reverse: false }, { name: 'eth3', weight: -5, reverse: true }]);
    d.start();
    d.setTrackedInterface('eth1', true);
    d.setTrackedInterface('eth2', true);
    d.setTrackedInterface('eth3', false);
    expect(d.effectivePriority).toBe(170);
    d.setTrackedInterface('eth1', false);
    expect(d.effectivePriority).toBe(140);
    d.setTrackedInterface('eth3', true);
    expect(d.effectivePriority).toBe(135);
    expect(d.state).toBe('BACKUP');
  });
});
