// The state machine's side of vrrp_sync_group and of SIGHUP (pure): the gate that holds a Backup
// whose group cannot go master yet, the group's orders, and a new configuration taken in place.
import { describe, expect, it } from 'vitest';
import { config, effectText, Sim } from './harness.js';

describe('VrrpMachine in a sync group', () => {
  it('held by the gate: stays BACKUP wanting MASTER with a fresh Master_Down_Interval; an advert heard ends the wish', () => {
    let why: string | null = 'sync group G: held';
    const sim = new Sim(config({ priority: 100 }), () => why);
    sim.at(0, 'startup');
    sim.advance(3.7);
    expect(sim.machine.state).toBe('BACKUP');
    expect(sim.machine.wantsMaster).toBe(true);
    expect(sim.trace().at(-1)).toEqual([3.609375, 'timer master-down', ['log info', 'set-timer master-down 360.9375']]);
    sim.at(4, { advert: { priority: 150 } });
    expect(sim.machine.wantsMaster).toBe(false);
    why = null;
    sim.advance(4 + 3.7);
    expect(sim.machine.state).toBe('MASTER');
  });

  it("the group's orders: MASTER from BACKUP as at Master_Down_Timer; BACKUP from MASTER without priority 0; ignored in other states", () => {
    const sim = new Sim(config());
    sim.at(0, 'startup');
    expect(sim.at(1, { type: 'sync', atSec: 1, to: 'BACKUP', reason: 'sync group G: B went to BACKUP' })).toEqual([]);
    const up = sim.at(2, { type: 'sync', atSec: 2, to: 'MASTER', reason: 'sync group G: B became master' });
    expect(up.map((e) => e.type)).toEqual(['log', 'cancel-timer', 'send-advert', 'add-vips', 'send-garp', 'set-timer', 'set-timer', 'notify']);
    expect(sim.machine.state).toBe('MASTER');
    const down = sim.at(3, { type: 'sync', atSec: 3, to: 'BACKUP', reason: 'sync group G: B went to BACKUP' });
    expect(down.filter((e) => e.type === 'send-advert')).toEqual([]);
    expect(down.map((e) => e.type)).toEqual(['log', 'cancel-timer', 'cancel-timer', 'remove-vips', 'set-timer', 'notify']);
    expect(sim.logs().at(-1)).toBe('VRID 51: MASTER -> BACKUP: sync group G: B went to BACKUP');
  });

  it('reconfigure: a master changes its VIPs and interval in place; another VRID is refused', () => {
    const sim = new Sim(config());
    sim.at(0, 'startup');
    sim.advance(4);
    const fx = sim.at(4.2, { type: 'reconfigure', atSec: 4.2, config: config({ vips: [{ address: '192.0.2.101', prefixLength: 24 }], advertIntervalCs: 200 }) });
    expect(fx.map((e) => e.type)).toEqual(['remove-vips', 'add-vips', 'send-garp', 'set-timer']);
    expect(sim.machine.state).toBe('MASTER');
    expect(() => sim.at(5, { type: 'reconfigure', atSec: 5, config: config({ vrid: 52 }) })).toThrow(RangeError);
  });

  it('reconfigure: excluded addresses come and go in place; a changed label re-adds the address; none is ever advertised', () => {
    const sim = new Sim(config({ excludedVips: [{ address: '198.51.100.7', prefixLength: 32 }] }));
    sim.at(0, 'startup');
    sim.advance(4);
    const next = config({ vips: [{ address: '192.0.2.100', prefixLength: 32, label: 'eth0:v' }], excludedVips: [{ address: '2001:db8::7', prefixLength: 64 }] });
    const fx = sim.at(4.2, { type: 'reconfigure', atSec: 4.2, config: next });
    expect(fx.map(effectText)).toEqual(['remove-vips 192.0.2.100 198.51.100.7', 'add-vips 192.0.2.100 2001:db8::7', 'send-garp 5', 'send-garp 5']);
    expect(fx.flatMap((e) => (e.type === 'send-garp' ? [[e.family, e.addresses]] : []))).toEqual([[4, ['192.0.2.100']], [6, ['2001:db8::7']]]);
    sim.advance(6);
    const adverts = sim.effects('send-advert').flatMap((e) => (e.type === 'send-advert' ? [e.message.addresses] : []));
    expect(adverts.length).toBeGreaterThan(1);
    expect(new Set(adverts.map((a) => a.join()))).toEqual(new Set(['192.0.2.100']));
  });
});
