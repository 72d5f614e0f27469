// The RFC state table (research/implementations.md section (a)) replayed row by row, holo-style:
// inputs at times -> the effects the machine must produce, on a manual clock. Our router is
// 192.0.2.10 (VRID 51, VRRPv2, 1 s, VIP 192.0.2.100); peers are 192.0.2.11 (a higher address)
// and 192.0.2.9 (a lower one).
//
// Timer values (centiseconds), RFC 3768 6.1 with AI = 1 s:
//   priority 100: Skew_Time 60.9375, Master_Down_Interval 360.9375
//   priority 150: Skew_Time 41.40625, Master_Down_Interval 341.40625
//   priority 255: Skew_Time 0.390625
import { describe, expect, it } from 'vitest';
import { config, config6, runScenario, type Scenario, type TraceLine } from './harness.js';

const MASTER_100 = (at: number, reason = 'master-down'): TraceLine => [
  at,
  'timer master-down',
  [`log BACKUP -> MASTER (${reason})`, 'send-advert 100', 'add-vips 192.0.2.100', 'send-garp 5', 'set-timer advert 100', 'set-timer garp-repeat 500', 'notify MASTER 100'],
];
const STARTUP_100: TraceLine = [0, 'startup', ['log INITIALIZE -> BACKUP (startup)', 'set-timer master-down 360.9375', 'notify BACKUP 100']];
const OWNER_STARTUP: TraceLine = [
  0,
  'startup',
  ['log INITIALIZE -> MASTER (owner-startup)', 'send-advert 255', 'add-vips 192.0.2.100', 'send-garp 5', 'set-timer advert 100', 'set-timer garp-repeat 500', 'notify MASTER 255'],
];
const ADVERT = (at: number, prio = 100): TraceLine => [at, 'timer advert', [`send-advert ${prio}`, 'set-timer advert 100']];

const scenarios: Scenario[] = [
  {
    name: 'row 1: the address owner (255) starts as Master at once and advertises every interval',
    config: config({ priority: 255 }),
    input: [[0, 'startup']],
    untilSec: 2.5,
    expect: [OWNER_STARTUP, ADVERT(1, 255), ADVERT(2, 255)],
  },
  {
    name: 'rows 2 and 4: a non-owner starts in Backup; with no advert it becomes Master after Master_Down_Interval, then repeats the GARPs 5 s later',
    config: config(),
    input: [[0, 'startup']],
    untilSec: 8.7,
    expect: [
      STARTUP_100,
      MASTER_100(3.609375),
      ADVERT(4.609375),
      ADVERT(5.609375),
      ADVERT(6.609375),
      ADVERT(7.609375),
      ADVERT(8.609375),
      [8.609375, 'timer garp-repeat', ['send-garp 5']],
    ],
  },
  {
    name: 'row 3: Backup shutdown cancels Master_Down_Timer and goes to Initialize (notify STOP)',
    config: config(),
    input: [
      [0, 'startup'],
      [1, 'shutdown'],
    ],
    untilSec: 10,
    expect: [STARTUP_100, [1, 'shutdown', ['log BACKUP -> INITIALIZE (shutdown)', 'cancel-timer master-down', 'notify STOP 100']]],
  },
  {
    name: 'row 5: Backup receiving priority 0 sets Master_Down_Timer to Skew_Time and takes over then',
    config: config(),
    input: [
      [0, 'startup'],
      [1, { advert: { priority: 150 } }],
      [2, { advert: { priority: 0 } }],
    ],
    untilSec: 2.7,
    expect: [
      STARTUP_100,
      [1, 'advert 150 from 192.0.2.11', ['set-timer master-down 360.9375']],
      [2, 'advert 0 from 192.0.2.11', ['log info', 'set-timer master-down 60.9375']],
      MASTER_100(2.609375, 'priority-zero'),
    ],
  },
  {
    name: 'row 6: Backup receiving a higher priority resets Master_Down_Timer each time and never takes over',
    config: config(),
    input: [
      [0, 'startup'],
      [1, { advert: { priority: 150 } }],
      [2, { advert: { priority: 150 } }],
      [3, { advert: { priority: 150 } }],
    ],
    untilSec: 6.5,
    expect: [
      STARTUP_100,
      [1, 'advert 150 from 192.0.2.11', ['set-timer master-down 360.9375']],
      [2, 'advert 150 from 192.0.2.11', ['set-timer master-down 360.9375']],
      [3, 'advert 150 from 192.0.2.11', ['set-timer master-down 360.9375']],
    ],
  },
  {
    name: 'row 6: Backup does not tie-break: an equal-priority master with a LOWER address keeps the role',
    config: config(),
    input: [
      [0, 'startup'],
      [1, { advert: { priority: 100, src: '192.0.2.9' } }],
      [2, { advert: { priority: 100, src: '192.0.2.9' } }],
    ],
    untilSec: 5,
    expect: [
      STARTUP_100,
      [1, 'advert 100 from 192.0.2.9', ['set-timer master-down 360.9375']],
      [2, 'advert 100 from 192.0.2.9', ['set-timer master-down 360.9375']],
    ],
  },
  {
    name: 'row 6: with --no-preempt a Backup accepts a lower-priority master and stays Backup',
    config: config({ priority: 150, preempt: false }),
    input: [
      [0, 'startup'],
      [1, { advert: { priority: 100 } }],
      [2, { advert: { priority: 100 } }],
      [3, { advert: { priority: 100 } }],
      [4, { advert: { priority: 100 } }],
    ],
    untilSec: 5,
    expect: [
      [0, 'startup', ['log INITIALIZE -> BACKUP (startup)', 'set-timer master-down 341.40625', 'notify BACKUP 150']],
      [1, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625']],
      [2, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625']],
      [3, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625']],
      [4, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625']],
    ],
  },
  {
    name: 'row 7: with preemption a Backup discards a lower-priority master (logged once), takes over when its timer runs out, and the old master is re-told at once (RFC 9568)',
    config: config({ priority: 150 }),
    input: [
      [0, 'startup'],
      [1, { advert: { priority: 100 } }],
      [2, { advert: { priority: 100 } }],
      [3, { advert: { priority: 100 } }],
      [4, { advert: { priority: 100 } }],
    ],
    untilSec: 4.5,
    expect: [
      [0, 'startup', ['log INITIALIZE -> BACKUP (startup)', 'set-timer master-down 341.40625', 'notify BACKUP 150']],
      [1, 'advert 100 from 192.0.2.11', ['log info']],
      [
        3.4140625,
        'timer master-down',
        ['log BACKUP -> MASTER (preempt)', 'send-advert 150', 'add-vips 192.0.2.100', 'send-garp 5', 'set-timer advert 100', 'set-timer garp-repeat 500', 'notify MASTER 150'],
      ],
      [4, 'advert 100 from 192.0.2.11', ['log info', 'send-advert 150']],
      ADVERT(4.4140625, 150),
    ],
  },
  {
    name: 'row 8: Master shutdown cancels its timers, sends priority 0 and removes the VIPs',
    config: config({ priority: 255 }),
    input: [
      [0, 'startup'],
      [0.5, 'shutdown'],
    ],
    untilSec: 3,
    expect: [
      OWNER_STARTUP,
      [0.5, 'shutdown', ['log MASTER -> INITIALIZE (shutdown)', 'cancel-timer advert', 'cancel-timer garp-repeat', 'send-advert 0', 'remove-vips 192.0.2.100', 'notify STOP 255']],
    ],
  },
  {
    name: 'row 10: Master receiving priority 0 advertises at once and resets Adver_Timer',
    config: config({ priority: 255 }),
    input: [
      [0, 'startup'],
      [0.5, { advert: { priority: 0 } }],
    ],
    untilSec: 1.6,
    expect: [OWNER_STARTUP, [0.5, 'advert 0 from 192.0.2.11', ['send-advert 255', 'set-timer advert 100']], ADVERT(1.5, 255)],
  },
  {
    name: 'row 11: Master receiving a higher priority goes to Backup and releases the VIPs',
    config: config(),
    input: [
      [0, 'startup'],
      [4, { advert: { priority: 200 } }],
    ],
    untilSec: 4,
    expect: [
      STARTUP_100,
      MASTER_100(3.609375),
      [4, 'advert 200 from 192.0.2.11', ['log MASTER -> BACKUP (higher-priority)', 'cancel-timer advert', 'cancel-timer garp-repeat', 'remove-vips 192.0.2.100', 'set-timer master-down 360.9375', 'notify BACKUP 100']],
    ],
  },
  {
    name: 'row 11: Master receiving its own priority from a HIGHER address goes to Backup (tie-break)',
    config: config(),
    input: [
      [0, 'startup'],
      [4, { advert: { priority: 100, src: '192.0.2.11' } }],
    ],
    untilSec: 4,
    expect: [
      STARTUP_100,
      MASTER_100(3.609375),
      [4, 'advert 100 from 192.0.2.11', ['log MASTER -> BACKUP (higher-address)', 'cancel-timer advert', 'cancel-timer garp-repeat', 'remove-vips 192.0.2.100', 'set-timer master-down 360.9375', 'notify BACKUP 100']],
    ],
  },
  {
    name: 'row 12: Master receiving its own priority from a LOWER address stays Master and advertises at once',
    config: config(),
    input: [
      [0, 'startup'],
      [4, { advert: { priority: 100, src: '192.0.2.9' } }],
    ],
    untilSec: 4,
    expect: [STARTUP_100, MASTER_100(3.609375), [4, 'advert 100 from 192.0.2.9', ['log info', 'send-advert 100']]],
  },
  {
    name: 'row 12: Master receiving a lower priority re-advertises at once each time (RFC 9568, keepalived), logging the sender once',
    config: config(),
    input: [
      [0, 'startup'],
      [4, { advert: { priority: 50 } }],
      [4.2, { advert: { priority: 50 } }],
    ],
    untilSec: 4.3,
    expect: [STARTUP_100, MASTER_100(3.609375), [4, 'advert 50 from 192.0.2.11', ['log info', 'send-advert 100']], [4.2, 'advert 50 from 192.0.2.11', ['send-advert 100']]],
  },
  {
    name: 'row 13: an advert from our own address (equal priority) is dropped, logged once',
    config: config(),
    input: [
      [0, 'startup'],
      [4, { advert: { priority: 100, src: '192.0.2.10' } }],
      [4.2, { advert: { priority: 100, src: '192.0.2.10' } }],
    ],
    untilSec: 4.3,
    expect: [
      STARTUP_100,
      MASTER_100(3.609375),
      [4, 'advert 100 from 192.0.2.10', ['drop own-address 192.0.2.10', 'log warning']],
      [4.2, 'advert 100 from 192.0.2.10', ['drop own-address 192.0.2.10']],
    ],
  },
  {
    name: 'row 14: two owners (RFC 9568 erratum 8298): logged, then the higher address stays Master',
    config: config({ priority: 255 }),
    input: [
      [0, 'startup'],
      [0.2, { advert: { priority: 255, src: '192.0.2.9' } }],
      [0.4, { advert: { priority: 255, src: '192.0.2.11' } }],
    ],
    untilSec: 0.5,
    expect: [
      OWNER_STARTUP,
      [0.2, 'advert 255 from 192.0.2.9', ['log warning', 'log info', 'send-advert 255']],
      [0.4, 'advert 255 from 192.0.2.11', ['log warning', 'log MASTER -> BACKUP (higher-address)', 'cancel-timer advert', 'cancel-timer garp-repeat', 'remove-vips 192.0.2.100', 'set-timer master-down 300.390625', 'notify BACKUP 255']],
    ],
  },
  {
    name: 'preempt delay (keepalived): lower-priority adverts count as a live master until the delay from startup runs out, then it preempts',
    config: config({ priority: 150, preemptDelayCs: 500 }),
    input: [
      [0, 'startup'],
      [1, { advert: { priority: 100 } }],
      [2, { advert: { priority: 100 } }],
      [3, { advert: { priority: 100 } }],
      [4, { advert: { priority: 100 } }],
      [5, { advert: { priority: 100 } }],
      [6, { advert: { priority: 100 } }],
      [7, { advert: { priority: 100 } }],
    ],
    untilSec: 7.5,
    expect: [
      [0, 'startup', ['log INITIALIZE -> BACKUP (startup)', 'set-timer master-down 341.40625', 'set-timer preempt-delay 500', 'notify BACKUP 150']],
      [1, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625']],
      [2, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625']],
      [3, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625']],
      [4, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625']],
      // 5: the delay expires just before the advert of 5, which is then discarded
      [5, 'advert 100 from 192.0.2.11', ['log info']],
      [
        7.4140625,
        'timer master-down',
        ['log BACKUP -> MASTER (preempt)', 'send-advert 150', 'add-vips 192.0.2.100', 'send-garp 5', 'set-timer advert 100', 'set-timer garp-repeat 500', 'notify MASTER 150'],
      ],
    ],
  },
  {
    name: 'preempt delay: a higher-priority advert stops the delay; the next lower one starts it again',
    config: config({ priority: 150, preemptDelayCs: 300 }),
    input: [
      [0, 'startup'],
      [1, { advert: { priority: 200 } }],
      [2, { advert: { priority: 100 } }],
    ],
    untilSec: 2.5,
    expect: [
      [0, 'startup', ['log INITIALIZE -> BACKUP (startup)', 'set-timer master-down 341.40625', 'set-timer preempt-delay 300', 'notify BACKUP 150']],
      [1, 'advert 200 from 192.0.2.11', ['set-timer master-down 341.40625', 'cancel-timer preempt-delay']],
      [2, 'advert 100 from 192.0.2.11', ['set-timer master-down 341.40625', 'set-timer preempt-delay 300']],
    ],
  },
  {
    name: 'VRRPv3/IPv6: a Backup learns Master_Adver_Interval (50 cs) from the master, so Master_Down_Interval is 180.47 cs; as Master it sends its own 100 cs',
    config: config6(),
    input: [
      [0, 'startup'],
      [1, { advert: { family: 6, priority: 200, interval: 50 } }],
    ],
    untilSec: 3.9,
    expect: [
      STARTUP_100,
      // logs: the interval mismatch (once per sender), then the learned Master_Adver_Interval
      [1, 'advert 200 from fe80::11', ['log info', 'log info', 'set-timer master-down 180.46875']],
      [
        2.8046875,
        'timer master-down',
        ['log BACKUP -> MASTER (master-down)', 'send-advert 100', 'add-vips fe80::100 2001:db8::100', 'send-garp 5', 'set-timer advert 100', 'set-timer garp-repeat 500', 'notify MASTER 100'],
      ],
      ADVERT(3.8046875),
    ],
  },
  {
    name: 'VRRPv3: a Master yielding to a higher priority takes that master\'s interval (RFC 5798 6.4.3 line 745)',
    config: config6(),
    input: [
      [0, 'startup'],
      [4, { advert: { family: 6, priority: 200, interval: 50 } }],
    ],
    untilSec: 4,
    expect: [
      STARTUP_100,
      [
        3.609375,
        'timer master-down',
        ['log BACKUP -> MASTER (master-down)', 'send-advert 100', 'add-vips fe80::100 2001:db8::100', 'send-garp 5', 'set-timer advert 100', 'set-timer garp-repeat 500', 'notify MASTER 100'],
      ],
      [4, 'advert 200 from fe80::11', ['log info', 'log MASTER -> BACKUP (higher-priority)', 'cancel-timer advert', 'cancel-timer garp-repeat', 'remove-vips fe80::100 2001:db8::100', 'set-timer master-down 180.46875', 'notify BACKUP 100']],
    ],
  },
];

describe('RFC state table, replayed on a manual clock', () => {
  for (const s of scenarios) it(s.name, () => void runScenario(s));
});

describe('log sentences', () => {
  it('says why a Backup became Master, naming the silent master and the time', () => {
    const sim = runScenario({
      name: '',
      config: config(),
      input: [
        [0, 'startup'],
        [1, { advert: { priority: 150 } }],
      ],
      untilSec: 4.7,
      expect: [STARTUP_100, [1, 'advert 150 from 192.0.2.11', ['set-timer master-down 360.9375']], MASTER_100(4.609375)],
    });
    expect(sim.logs()).toEqual([
      'VRID 51: INITIALIZE -> BACKUP: started; becoming master if no advert is heard for 3.61 s (Master_Down_Interval)',
      'VRID 51: BACKUP -> MASTER: no advert from 192.0.2.11 for 3.61 s (Master_Down_Interval)',
    ]);
  });

  it('names the sender and both priorities when a Master yields', () => {
    const sim = runScenario({
      name: '',
      config: config(),
      input: [
        [0, 'startup'],
        [4, { advert: { priority: 200 } }],
      ],
      untilSec: 4,
      expect: [STARTUP_100, MASTER_100(3.609375), [4, 'advert 200 from 192.0.2.11', ['log MASTER -> BACKUP (higher-priority)', 'cancel-timer advert', 'cancel-timer garp-repeat', 'remove-vips 192.0.2.100', 'set-timer master-down 360.9375', 'notify BACKUP 100']]],
    });
    expect(sim.logs().at(-1)).toBe('VRID 51: MASTER -> BACKUP: advert from 192.0.2.11 with higher priority 200 (ours 100)');
  });
});
