// Track scripts with keepalived's semantics: rise/fall counters, weight arithmetic, clamping,
// the owner left alone, weight 0 meaning FAULT.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectivePriority,
  faultingScripts,
  initialTrack,
  recordResult,
  trackResult,
  trackSpecs,
  type ScriptStatus,
  type TrackScriptSpec,
  type TrackState,
} from '../../src/daemon/track.js';

const script = (weight: number, rise = 1, fall = 1, name = `w${weight}`): TrackScriptSpec => ({ name, weight, rise, fall });

/** Feed results ('+' ok, '-' ko) to script 0 and list its status after each. */
function statuses(spec: TrackScriptSpec, results: string): ScriptStatus[] {
  let s: TrackState = initialTrack([spec]);
  return [...results].map((r) => {
    s = recordResult(s, 0, r === '+');
    return (s[0] as { status: ScriptStatus }).status;
  });
}

function withStatuses(specs: TrackScriptSpec[], st: ScriptStatus[]): TrackState {
  let s = initialTrack(specs);
  st.forEach((x, i) => {
    if (x !== 'init') s = recordResult(s, i, x === 'ok');
  });
  return s;
}

describe('rise and fall (keepalived vrrp_script_child_thread)', () => {
  it('from the start one result decides: one success is OK, one failure is KO, whatever rise and fall say', () => {
    expect(statuses(script(-10, 3, 3), '+')).toEqual(['ok']);
    expect(statuses(script(-10, 3, 3), '-')).toEqual(['ko']);
  });

  it('rise 1 / fall 1 follows every result', () => {
    expect(statuses(script(-10), '+-+-')).toEqual(['ok', 'ko', 'ok', 'ko']);
  });

  it('fall 2 needs two failures in a row; rise 3 needs three successes in a row', () => {
    expect(statuses(script(-10, 3, 2), '+-+-')).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(statuses(script(-10, 3, 2), '+--')).toEqual(['ok', 'ok', 'ko']);
    expect(statuses(script(-10, 3, 2), '+--++-+++')).toEqual(['ok', 'ok', 'ko', 'ko', 'ko', 'ko', 'ko', 'ko', 'ok']);
  });
});

describe('effective priority = configured + active weights, clamped to [1, 254]', () => {
  const rows: [configured: number, specs: TrackScriptSpec[], statuses: ScriptStatus[], expected: number][] = [
    [150, [script(-60)], ['ko'], 90],
    [150, [script(-60)], ['ok'], 150],
    [150, [script(-60)], ['init'], 150],
    [100, [script(20)], ['ok'], 120],
    [100, [script(20)], ['ko'], 100],
    [100, [script(20)], ['init'], 100],
    [100, [script(20), script(-30)], ['ok', 'ko'], 90],
    [100, [script(-30), script(-30)], ['ko', 'ko'], 40],
    [250, [script(20)], ['ok'], 254],
    [100, [script(200), script(100)], ['ok', 'ok'], 254],
    [10, [script(-50)], ['ko'], 1],
    [255, [script(-100)], ['ko'], 255],
    [254, [script(10)], ['ok'], 254],
    [100, [script(0)], ['ko'], 100],
  ];
  for (const [configured, specs, st, expected] of rows) {
    it(`${configured} with ${specs.map((s, i) => `${s.weight}:${st[i]}`).join(', ')} -> ${expected}`, () => {
      expect(effectivePriority(configured, withStatuses(specs, st))).toBe(expected);
    });
  }

  it('stays in [1, 254] for any non-owner, and 255 for the owner, whatever the scripts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 255 }), fc.array(fc.tuple(fc.integer({ min: -254, max: 254 }), fc.constantFrom<ScriptStatus>('init', 'ok', 'ko')), { maxLength: 6 }), (configured, scripts) => {
        const p = effectivePriority(configured, withStatuses(scripts.map(([w]) => script(w)), scripts.map(([, s]) => s)));
        if (configured === 255) expect(p).toBe(255);
        else {
          expect(p).toBeGreaterThanOrEqual(1);
          expect(p).toBeLessThanOrEqual(254);
        }
      }),
    );
  });
});

describe('weight 0 means FAULT', () => {
  it('lists the failing weight-0 scripts only', () => {
    const s = withStatuses([script(0, 1, 1, 'a'), script(0, 1, 1, 'b'), script(-10, 1, 1, 'c')], ['ko', 'ok', 'ko']);
    expect(faultingScripts(s)).toEqual(['a']);
  });
});

describe('trackResult: what the state machine hears', () => {
  it('starts from the configured scripts, named by their command', () => {
    const s = initialTrack(trackSpecs([{ command: 'pidof nginx', weight: -60, intervalSec: 1, timeoutSec: 1, rise: 2, fall: 3 }]));
    expect(s).toEqual([{ spec: { name: 'pidof nginx', weight: -60, rise: 2, fall: 3 }, status: 'init', counter: 1 }]);
  });

  it('a weight -60 script failing demotes 150 to 90, and recovering restores 150', () => {
    let s = initialTrack([script(-60, 1, 1, 'chk_nginx')]);
    const down = trackResult(s, 150, 0, false, 7);
    expect(down.events).toEqual([{ type: 'priority', atSec: 7, priority: 90, reason: 'track script "chk_nginx" failed (weight -60)' }]);
    s = down.state;
    expect(trackResult(s, 150, 0, false, 8).events).toEqual([]);
    const up = trackResult(s, 150, 0, true, 9);
    expect(up.events).toEqual([{ type: 'priority', atSec: 9, priority: 150, reason: 'track script "chk_nginx" succeeded (weight -60)' }]);
  });

  it('says how many results it took after the first one', () => {
    let s = initialTrack([script(-60, 2, 3, 'chk')]);
    s = trackResult(s, 150, 0, true, 0).state;
    s = trackResult(s, 150, 0, false, 1).state;
    s = trackResult(s, 150, 0, false, 2).state;
    expect(trackResult(s, 150, 0, false, 3).events).toEqual([{ type: 'priority', atSec: 3, priority: 90, reason: 'track script "chk" failed 3 times in a row (weight -60)' }]);
  });

  it('a weight-0 script emits fault and fault-cleared, and no priority change', () => {
    let s = initialTrack([script(0, 1, 1, 'chk'), script(0, 1, 1, 'chk2')]);
    const f = trackResult(s, 100, 0, false, 1);
    expect(f.events).toEqual([{ type: 'fault', atSec: 1, reason: 'track script "chk" failed (weight 0: FAULT while it fails)' }]);
    s = f.state;
    // a second weight-0 failure changes nothing the machine must hear
    s = trackResult(s, 100, 1, false, 2).state;
    expect(trackResult(s, 100, 0, true, 3).events).toEqual([]);
    expect(trackResult(trackResult(s, 100, 0, true, 3).state, 100, 1, true, 4).events).toEqual([
      { type: 'fault-cleared', atSec: 4, reason: 'track script "chk2" succeeded (weight 0: FAULT while it fails)' },
    ]);
  });

  it('the owner\'s priority never moves, but its weight-0 scripts still fault it', () => {
    const s = initialTrack([script(-60), script(0, 1, 1, 'z')]);
    expect(trackResult(s, 255, 0, false, 1).events).toEqual([]);
    expect(trackResult(s, 255, 1, false, 1).events.map((e) => e.type)).toEqual(['fault']);
  });

  it('a result that changes nothing returns the same state object', () => {
    const s = initialTrack([script(-60, 3, 3)]);
    const ok = recordResult(s, 0, true);
    expect(recordResult(ok, 0, true)).toBe(ok);
  });
});
