// The plugin's rules, one by one, on analyses of hand-built frames (the real analyzer, so the
// verdict reads the events it really emits).
import { describe, expect, it } from 'vitest';
import { parseRange, type Range } from '../../src/check/range.js';
import { judge, type Verdict, type VerdictOptions } from '../../src/check/verdict.js';
import { MAX_OUTPUT, verdictText } from '../../src/check/output.js';
import { canonicalAddress } from '../../src/check/options.js';
import { A, B, C, Scenario } from '../analysis/scenario.js';

function range(text: string): Range {
  const r = parseRange(text);
  if ('error' in r) throw new Error(r.error);
  return r;
}

function verdict(s: Scenario, endSeconds: number, opts: Partial<VerdictOptions> = {}): Verdict {
  return judge(s.result(endSeconds), { expectVrids: [], expectMasters: [], warning: null, critical: null, windowSeconds: endSeconds, ...opts });
}

function expected(vrid: number, address: string) {
  const a = canonicalAddress(address);
  if (a === null) throw new Error(address);
  return { vrid, ...a };
}

const perf = (v: Verdict, label: string) => v.perf.find((p) => p.label === label)?.value;

describe('OK', () => {
  it('one master: the summary names the VRID and its master; the VRID has its line', () => {
    const v = verdict(new Scenario().adverts(0, 10, A), 10);
    expect(v.state).toBe('OK');
    expect(v.summary).toBe('VRID 51: master 192.0.2.11');
    expect(v.lines).toEqual(['VRID 51 OK: master 192.0.2.11 (150), every 1 s']);
    expect(v.problems).toEqual([]);
  });

  it('perfdata: vrids, masters, routers, master_changes with the thresholds, packets, window', () => {
    const v = verdict(new Scenario().adverts(0, 10, A).adverts(0, 10, A, { vrid: 52, addresses: ['192.0.2.152'] }), 10, { warning: range('1'), critical: range('3') });
    expect(v.perf).toEqual([
      { label: 'vrids', value: 2, min: 0 },
      { label: 'masters', value: 2, min: 0 },
      { label: 'routers', value: 1, min: 0 },
      { label: 'master_changes', value: 0, warn: range('1'), crit: range('3'), min: 0 },
      { label: 'packets', value: 20, min: 0 },
      { label: 'window', value: 10, uom: 's', min: 0 },
    ]);
    expect(v.summary).toBe('VRIDs 51 and 52: one master each');
  });

  it('a failover is no problem without -w/-c: it is counted, and shown on the VRID line', () => {
    // A's last advert at 4; B takes over after its Master_Down_Interval (3.609 s).
    const s = new Scenario().adverts(0, 4.5, A).adverts(7.61, 12, B);
    const v = verdict(s, 12);
    expect(v.state).toBe('OK');
    expect(perf(v, 'master_changes')).toBe(1);
    expect(v.lines[0]).toBe('VRID 51 OK: master 192.0.2.12 (100), other 192.0.2.11 (150, silent), every 1 s, 1 master change (192.0.2.11 > 192.0.2.12)');
  });
});

describe('CRITICAL', () => {
  const splitBrain = () => new Scenario().adverts(0, 10, A).adverts(3.5, 10, B);

  it('split brain: the summary names the VRID and both routers; masters counts both', () => {
    const v = verdict(splitBrain(), 10);
    expect(v.state).toBe('CRITICAL');
    expect(v.summary).toBe('split brain on VRID 51: 192.0.2.11 and 192.0.2.12 both master');
    expect(perf(v, 'masters')).toBe(2);
    expect(v.lines[0]).toMatch(/^VRID 51 CRITICAL: .*; split brain: 192\.0\.2\.11 and 192\.0\.2\.12 both master$/);
  });

  it('a split brain that ended inside the window still counts, in the past tense with its length', () => {
    const s = new Scenario().adverts(0, 20, A).adverts(3.5, 8, B).tick(20);
    const v = verdict(s, 20);
    expect(v.state).toBe('CRITICAL');
    expect(v.summary).toMatch(/^split brain on VRID 51: 192\.0\.2\.11 and 192\.0\.2\.12 were both master for \d+\.\d s$/);
    expect(v.problems[0]).toMatchObject({ kind: 'split-brain', ongoing: false });
    expect(perf(v, 'masters')).toBe(1);
  });

  it('a mismatch on the split VRID is named as the likely cause', () => {
    const s = new Scenario().adverts(0, 10, A).adverts(3.5, 10, B, { auth: 'other' });
    const v = verdict(s, 10);
    expect(v.summary).toBe('split brain on VRID 51: 192.0.2.11 and 192.0.2.12 both master (auth mismatch)');
    expect(v.problems.map((p) => [p.kind, p.state])).toEqual([['split-brain', 'CRITICAL'], ['auth-mismatch', 'WARNING']]);
  });

  it('a VIP claimed by two MACs', () => {
    const s = new Scenario().adverts(0, 10, A).garp(5, '192.0.2.100', '02:00:00:00:00:99');
    const v = verdict(s, 10);
    expect(v.state).toBe('CRITICAL');
    expect(v.summary).toBe('duplicate VIP on VRID 51: 192.0.2.100 claimed by 192.0.2.11 and 02:00:00:00:00:99');
  });

  it('an expected VRID not seen, with its own line', () => {
    const v = verdict(new Scenario().adverts(0, 10, A), 10, { expectVrids: [51, 52] });
    expect(v.state).toBe('CRITICAL');
    expect(v.summary).toBe('VRID 52 not seen in 10.0 s');
    expect(v.lines).toEqual(['VRID 52 CRITICAL: not seen in 10.0 s (expected)', 'VRID 51 OK: master 192.0.2.11 (150), every 1 s']);
  });

  it('an expected master whose VRID is absent is an absent VRID', () => {
    const v = verdict(new Scenario().adverts(0, 10, A), 10, { expectMasters: [expected(61, 'fe80::1')] });
    expect(v.summary).toBe('VRID 61 (IPv6) not seen in 10.0 s');
  });

  it('nothing at all on the wire, with nothing expected', () => {
    const v = verdict(new Scenario().tick(3.5), 3.5);
    expect(v).toMatchObject({ state: 'CRITICAL', summary: 'no VRRP advertisement seen in 3.5 s', lines: [] });
  });

  it('a master that went silent with no takeover (the clock ticks: no frame arrives)', () => {
    const v = verdict(new Scenario().adverts(0, 5, A).tick(12), 12);
    expect(v.state).toBe('CRITICAL');
    expect(v.summary).toBe('master down on VRID 51: 192.0.2.11 went silent and no backup took over');
    expect(v.lines[0]).toMatch(/^VRID 51 CRITICAL: no master, other 192\.0\.2\.11 \(150, silent\)/);
    expect(perf(v, 'masters')).toBe(0);
  });

  it('two address owners: critical, as in analyze and watch (one severity table)', () => {
    const s = new Scenario().adverts(0, 5, A, { priority: 255 }).adverts(0.5, 5, B, { priority: 255 });
    const v = verdict(s, 5);
    expect(v.state).toBe('CRITICAL');
    expect(v.problems.map((p) => p.kind)).toContain('owner-conflict');
    expect(v.problems.find((p) => p.kind === 'owner-conflict')?.summary).toBe('two address owners on VRID 51: 192.0.2.11 and 192.0.2.12 both priority 255');
  });
});

describe('WARNING', () => {
  const one = (s: Scenario, end: number) => {
    const v = verdict(s, end);
    expect(v.state).toBe('WARNING');
    expect(v.problems).toHaveLength(1);
    return v.summary;
  };

  it('interval mismatch', () => {
    // B advertised alone first; A, higher, took over (a failover: OK without -w/-c).
    expect(one(new Scenario().advert(0, B, { interval: 3 }).adverts(0.5, 10, A), 10)).toBe('interval mismatch on VRID 51: 192.0.2.11 1 s, 192.0.2.12 3 s');
  });

  it('auth mismatch, without printing the passwords', () => {
    expect(one(new Scenario().advert(0, B, { auth: 'secret2' }).adverts(0.5, 10, A), 10)).toBe('auth mismatch on VRID 51: 192.0.2.11 and 192.0.2.12 use different passwords');
    expect(one(new Scenario().advert(0, B, { authType: 0, auth: '' }).adverts(0.5, 10, A), 10)).toBe('auth mismatch on VRID 51: 192.0.2.11 password, 192.0.2.12 none');
  });

  it('VIP mismatch', () => {
    expect(one(new Scenario().advert(0, B, { addresses: ['192.0.2.200'] }).adverts(0.5, 10, A), 10)).toBe('VIP mismatch on VRID 51: 192.0.2.11 has 192.0.2.100, 192.0.2.12 has 192.0.2.200');
  });

  it('one VIP in two VRIDs, named on both VRID lines', () => {
    const v = verdict(new Scenario().adverts(0, 10, A).adverts(0.5, 10, C, { vrid: 52 }), 10);
    expect(v.state).toBe('WARNING');
    expect(v.summary).toBe('shared VIP on VRID 51: 192.0.2.100 in VRIDs 51 and 52 (192.0.2.11 and 192.0.2.13)');
    expect(v.lines).toEqual([
      'VRID 51 WARNING: master 192.0.2.11 (150), every 1 s; shared VIP: 192.0.2.100 in VRIDs 51 and 52',
      'VRID 52 WARNING: master 192.0.2.13 (140), every 1 s; shared VIP: 192.0.2.100 in VRIDs 51 and 52',
    ]);
  });

  it('bad checksum, bad TTL, malformed adverts', () => {
    expect(one(new Scenario().adverts(0, 5, A).adverts(0.5, 5, B, { checksum: 0x1234 }), 5)).toBe('bad checksum on VRID 51: adverts from 192.0.2.12, which routers drop');
    expect(one(new Scenario().adverts(0, 5, A).adverts(0.5, 5, B, { ttl: 64 }), 5)).toBe('bad TTL on VRID 51: 192.0.2.12 sends TTL 64, not 255, which routers drop');
    // Cut by the capture, B's advert still counts as B advertising: it came before A took over.
    const v = verdict(new Scenario().advert(0, B, { snap: 50 }).adverts(0.5, 5, A), 5);
    expect(v.state).toBe('WARNING');
    expect(v.summary).toMatch(/^malformed adverts on VRID 51: from 192\.0\.2\.12: /);
  });

  it('a condition that ended is still named, with how long it lasted', () => {
    // B advertised alone, A took over and stopped; B takes over again with A's interval.
    const s = new Scenario().advert(0, B, { interval: 3 }).adverts(0.5, 10, A).adverts(13.5, 15, B, { interval: 1 });
    expect(one(s, 15)).toBe('interval mismatch on VRID 51: 192.0.2.11 1 s, 192.0.2.12 3 s (over after 13.0 s)');
  });

  it('a VRID whose only router released the role, before the master-down timer ran out: no gateway, critical', () => {
    const v = verdict(new Scenario().adverts(0, 3, A).advert(3, A, { priority: 0 }), 4);
    expect(v.state).toBe('CRITICAL');
    expect(v.summary).toBe('no master on VRID 51: 192.0.2.11 released the role (priority 0)');
  });

  it('--expect-master: another router is master', () => {
    const s = () => new Scenario().adverts(0, 10, A);
    expect(verdict(s(), 10, { expectMasters: [expected(51, '192.0.2.11')] }).state).toBe('OK');
    const v = verdict(s(), 10, { expectMasters: [expected(51, '192.0.2.12')] });
    expect(v.state).toBe('WARNING');
    expect(v.summary).toBe('unexpected master on VRID 51: 192.0.2.11, expected 192.0.2.12');
  });

  it('--expect-master compares IPv6 addresses in any spelling', () => {
    const s = new Scenario().adverts(0, 10, { ...A, src: 'fe80::11' } as typeof A, { family: 6, version: 3, interval: 100, vrid: 61 });
    expect(verdict(s, 10, { expectMasters: [expected(61, 'FE80:0:0::0011')] }).state).toBe('OK');
  });
});

describe('-w and -c on master changes', () => {
  // Two failovers: A crashes, B takes over after its Master_Down_Interval, A comes back and preempts.
  const flap = () => new Scenario().adverts(0, 4.5, A).adverts(7.61, 14, B).adverts(14, 20, A);

  it.each<[string | null, string | null, string]>([
    [null, null, 'OK'],
    ['2', null, 'OK'],
    ['1', null, 'WARNING'],
    ['1', '1', 'CRITICAL'],
    [null, '@2:5', 'CRITICAL'],
    ['~:0', '5', 'WARNING'],
  ])('-w %s -c %s: %s', (w, c, state) => {
    const v = verdict(flap(), 20, { warning: w === null ? null : range(w), critical: c === null ? null : range(c) });
    expect(perf(v, 'master_changes')).toBe(2);
    expect(v.state).toBe(state);
    if (state !== 'OK') {
      expect(v.summary).toBe('2 master changes in 20.0 s, on VRID 51: 192.0.2.11 > 192.0.2.12 > 192.0.2.11');
      expect(v.lines[0]).toMatch(new RegExp(`^VRID 51 ${state}: master 192\\.0\\.2\\.11 .*, 2 master changes \\(192\\.0\\.2\\.11 > 192\\.0\\.2\\.12 > 192\\.0\\.2\\.11\\)$`));
    }
  });
});

describe('the worst problem leads', () => {
  it('critical before warning, and outages before their causes', () => {
    const s = new Scenario().adverts(0, 10, A).adverts(3.5, 10, B, { interval: 1 }).advert(5, C, { ttl: 64 }).garp(6, '192.0.2.100', '02:00:00:00:00:99');
    const v = verdict(s, 10, { expectVrids: [52] });
    expect(v.problems.map((p) => p.kind)).toEqual(['vrid-missing', 'split-brain', 'vip-arp-conflict', 'bad-ttl']);
    expect(v.summary).toBe('VRID 52 not seen in 10.0 s');
  });
});

describe('the lines after the first: worst first, bounded', () => {
  /** 45 healthy VRIDs (1 to 45), a backup's advert with a bad TTL on VRID 45, a master that goes silent on VRID 50 (the last). */
  const crowd = () => {
    const s = new Scenario();
    for (let vrid = 1; vrid <= 45; vrid++) s.adverts(0, 12, A, { vrid, addresses: [`198.51.100.${vrid}`] });
    s.advert(5, C, { vrid: 45, ttl: 64, addresses: ['198.51.100.45'] });
    s.adverts(0, 4, B, { vrid: 50, addresses: ['198.51.100.50'] });
    return s.tick(12);
  };

  it('CRITICAL lines, then WARNING, then the rest, each in VRID order', () => {
    const v = verdict(crowd(), 12, { expectVrids: [60] });
    const states = v.lines.map((l) => /^\S+ \S+ (CRITICAL|WARNING|OK)\b/.exec(l)?.[1]);
    expect(v.lines[0]).toMatch(/^VRID 50 CRITICAL: no master/);
    expect(v.lines[1]).toBe('VRID 60 CRITICAL: not seen in 12.0 s (expected)');
    expect(v.lines[2]).toMatch(/^VRID 45 WARNING: /);
    expect(states.slice(3).every((x) => x === 'OK')).toBe(true);
    expect(v.lines.slice(3).map((l) => Number(/^VRID (\d+)/.exec(l)?.[1]))).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
  });

  it('cut to 4 KB, the problems survive the cut', () => {
    const text = verdictText(verdict(crowd(), 12));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_OUTPUT);
    const lines = text.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^VRID 50 CRITICAL/);
    expect(lines[2]).toMatch(/^VRID 45 WARNING/);
  });
});
