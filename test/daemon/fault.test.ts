// keepalived's FAULT state (a weight-0 track script failing), which the RFCs do not have.
import { describe, it } from 'vitest';
import { config, runScenario } from './harness.js';

describe('FAULT (keepalived)', () => {
  it('Backup -> FAULT stops the down timer; adverts are ignored; cleared -> Backup with a fresh Master_Down_Interval', () => {
    runScenario({
      name: '',
      config: config(),
      input: [
        [0, 'startup'],
        [1, { fault: 'track script "chk" failed (weight 0: FAULT while it fails)' }],
        [2, { advert: { priority: 0 } }],
        [10, { faultCleared: 'track script "chk" succeeded (weight 0: FAULT while it fails)' }],
      ],
      untilSec: 12,
      expect: [
        [0, 'startup', ['log INITIALIZE -> BACKUP (startup)', 'set-timer master-down 360.9375', 'notify BACKUP 100']],
        [1, 'fault', ['log BACKUP -> FAULT (fault)', 'cancel-timer master-down', 'notify FAULT 100']],
        [10, 'fault-cleared', ['log FAULT -> BACKUP (fault-cleared)', 'set-timer master-down 360.9375', 'notify BACKUP 100']],
      ],
    });
  });

  it('Master -> FAULT sends priority 0 and releases the VIPs, as keepalived does', () => {
    runScenario({
      name: '',
      config: config({ priority: 255 }),
      input: [
        [0, 'startup'],
        [0.5, { fault: 'chk failed' }],
        [2, { faultCleared: 'chk ok' }],
      ],
      untilSec: 2,
      expect: [
        [0, 'startup', ['log INITIALIZE -> MASTER (owner-startup)', 'send-advert 255', 'add-vips 192.0.2.100', 'send-garp 5', 'set-timer advert 100', 'set-timer garp-repeat 500', 'notify MASTER 255']],
        [0.5, 'fault', ['log MASTER -> FAULT (fault)', 'cancel-timer advert', 'cancel-timer garp-repeat', 'send-advert 0', 'remove-vips 192.0.2.100', 'notify FAULT 255']],
        // the owner leaves FAULT straight to Master
        [2, 'fault-cleared', ['log FAULT -> MASTER (fault-cleared)', 'send-advert 255', 'add-vips 192.0.2.100', 'send-garp 5', 'set-timer advert 100', 'set-timer garp-repeat 500', 'notify MASTER 255']],
      ],
    });
  });

  it('a fault known before startup starts in FAULT ("Entering FAULT STATE (init)"); shutdown from FAULT notifies STOP', () => {
    runScenario({
      name: '',
      config: config(),
      input: [
        [0, { fault: 'chk failed' }],
        [0, 'startup'],
        [1, 'shutdown'],
        [2, 'startup'],
      ],
      untilSec: 2,
      expect: [
        [0, 'startup', ['log INITIALIZE -> FAULT (fault)', 'notify FAULT 100']],
        [1, 'shutdown', ['log FAULT -> INITIALIZE (shutdown)', 'notify STOP 100']],
        [2, 'startup', ['log INITIALIZE -> FAULT (fault)', 'notify FAULT 100']],
      ],
    });
  });

  it('a fault cleared before startup is forgotten', () => {
    runScenario({
      name: '',
      config: config(),
      input: [
        [0, { fault: 'chk failed' }],
        [0, { faultCleared: 'chk ok' }],
        [0, 'startup'],
      ],
      untilSec: 1,
      expect: [[0, 'startup', ['log INITIALIZE -> BACKUP (startup)', 'set-timer master-down 360.9375', 'notify BACKUP 100']]],
    });
  });
});
