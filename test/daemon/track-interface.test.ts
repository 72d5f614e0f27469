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
    d.setTrackedInterface('eth1', 'up');
    d.start();
    io.advance(T0 + 4);
    expect(d.state).toBe('MASTER');
    d.setTrackedInterface('eth1', 'down');
    expect(d.state).toBe('FAULT');
    expect(io.adverts().at(-1)?.priority).toBe(0);
    expect(io.host.size).toBe(0);
    expect(io.lines.join('')).toMatch(/MASTER -> FAULT: track_interface eth1 is down \(weight 0: FAULT while it is down\); sent priority 0/);
    d.setTrackedInterface('eth1', 'down'); // the same look again: nothing
    d.setTrackedInterface('eth1', 'up');
    expect(d.state).toBe('BACKUP');
  });

  it('down at startup: FAULT from the start, as keepalived ("Entering FAULT STATE (init)")', () => {
    const { d } = daemon([{ name: 'eth1', weight: 0, reverse: false }]);
    d.setTrackedInterface('eth1', 'down');
    d.start();
    expect(d.state).toBe('FAULT');
  });

  it('a weight moves the effective priority: -30 while down, +20 while up; reverse counts up as down', () => {
    const { d } = daemon([{ name: 'eth1', weight: -30, reverse: false }, { name: 'eth2', weight: 20, reverse: false }, { name: 'eth3', weight: -5, reverse: true }]);
    d.start();
    d.setTrackedInterface('eth1', 'up');
    d.setTrackedInterface('eth2', 'up');
    d.setTrackedInterface('eth3', 'down');
    expect(d.effectivePriority).toBe(170);
    d.setTrackedInterface('eth1', 'down');
    expect(d.effectivePriority).toBe(140);
    d.setTrackedInterface('eth3', 'up');
    expect(d.effectivePriority).toBe(135);
    expect(d.state).toBe('BACKUP');
  });

  it('absent at the first look: dropped with a warning, as keepalived ("tracked interface X doesn\'t exist"); deleted after it was seen: down', () => {
    const { d, io } = daemon([{ name: 'eth1', weight: 0, reverse: false }, { name: 'eth2', weight: 0, reverse: false }]);
    d.setTrackedInterface('eth1', 'absent');
    d.setTrackedInterface('eth2', 'up');
    d.start();
    expect(d.state).toBe('BACKUP');
    expect(io.lines.join('')).toMatch(/tracked interface eth1 doesn't exist: not tracked, as keepalived ignores it/);
    d.setTrackedInterface('eth1', 'down');
    expect(d.state).toBe('BACKUP');
    d.setTrackedInterface('eth2', 'absent');
    expect(d.state).toBe('FAULT');
  });
});
