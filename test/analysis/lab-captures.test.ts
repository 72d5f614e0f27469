// One test per capture recorded from the keepalived lab (captures/NAME.pcap with its
// NAME.events.json: hosts, their keepalived configs, the timeline of actions). Each asserts who
// was master, which events came, and that failover gaps are within 0.1 s of what the RFC timers
// predict from the configs. A capture that is not there is skipped, saying so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer, type Analysis } from '../../src/analysis/analyzer.js';
import type { AnalysisEvent, EventType, VridSnapshot } from '../../src/analysis/types.js';
import { readCaptureFile } from '../../src/capture/file.js';
import { PROJECT_CAPTURES } from '../support/captures.js';

const TOLERANCE = 0.1;

interface Instance {
  vrid: number;
  priority: number;
  advert_int: number;
  version: number;
  auth: { type: string; password?: string };
  vips: string[];
  skew_time_s: number;
  master_down_interval_s: number;
}

interface Sidecar {
  hosts: { name: string; ipv4: string; mac: string; keepalived: { instances: Instance[] } }[];
  timeline: { time: string; action: string; host?: string }[];
  expected: Record<string, unknown> | null;
}

interface Lab {
  analysis: Analysis;
  sidecar: Sidecar;
  /** Seconds since the epoch of the first timeline action matching `re` (the n-th with `nth`). */
  when(re: RegExp, nth?: number): number;
  /** The host's instance for a VRID (the first one when not given). */
  instance(host: string, vrid?: number): Instance;
  /** Lab host name of a router address, from the MAC it advertises with. */
  host(address: string | null): string | null;
  of<T extends EventType>(type: T): Extract<AnalysisEvent, { type: T }>[];
  types(): string[];
  vrid(vrid: number): VridSnapshot;
}

function seconds(timeUs: number): number {
  return timeUs / 1e6;
}

async function lab(name: string): Promise<Lab> {
  const analyzer = new Analyzer();
  let end = 0;
  await readCaptureFile(join(PROJECT_CAPTURES, `${name}.pcap`), (r) => {
    const t = r.tsSec * 1_000_000 + Math.floor(r.tsNsec / 1000);
    end = Math.max(end, t);
    analyzer.frame(r.linkType, r.data, t, r.interfaceName);
  });
  const analysis = analyzer.result(end);
  const sidecar = JSON.parse(readFileSync(join(PROJECT_CAPTURES, `${name}.events.json`), 'utf8')) as Sidecar;
  const hostByMac = new Map(sidecar.hosts.map((h) => [h.mac, h.name]));
  const macOf = new Map<string, string | null>();
  for (const v of analysis.vrids) for (const r of v.routers) macOf.set(r.address, r.mac);
  return {
    analysis,
    sidecar,
    when(re, nth = 0) {
      const hits = sidecar.timeline.filter((x) => re.test(x.action));
      const hit = hits[nth];
      if (hit === undefined) throw new Error(`${name}: no timeline action ${re} (#${nth})`);
      const [whole, fraction = '0Z'] = hit.time.split('.');
      return Date.parse(`${whole}Z`) / 1000 + Number(`0.${fraction.replace('Z', '')}`);
    },
    instance(host, vrid) {
      const h = sidecar.hosts.find((x) => x.name === host);
      const i = h?.keepalived.instances.find((x) => vrid === undefined || x.vrid === vrid);
      if (i === undefined) throw new Error(`${name}: no instance for ${host} VRID ${vrid}`);
      return i;
    },
    host(address) {
      const mac = address === null ? undefined : macOf.get(address);
      return mac === undefined || mac === null ? null : (hostByMac.get(mac) ?? null);
    },
    of(type) {
      return analysis.events.filter((e): e is Extract<AnalysisEvent, { type: typeof type }> => e.type === type);
    },
    types() {
      return analysis.events.map((e) => e.type);
    },
    vrid(vrid) {
      const v = analysis.vrids.find((x) => x.vrid === vrid);
      if (v === undefined) throw new Error(`${name}: no VRID ${vrid}`);
      return v;
    },
  };
}

function labCase(name: string, body: (l: Lab) => void): void {
  const present = existsSync(join(PROJECT_CAPTURES, `${name}.pcap`)) && existsSync(join(PROJECT_CAPTURES, `${name}.events.json`));
  const title = present ? name : `${name} (skipped: captures/${name}.pcap or its .events.json is missing; record it with npm run lab:record)`;
  it.skipIf(!present)(title, async () => body(await lab(name)));
}

function near(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual.toFixed(6)} s, expected ${expected.toFixed(6)} s ± ${TOLERANCE}`).toBeLessThanOrEqual(TOLERANCE);
}

describe('lab captures', () => {
  labCase('steady-pair', (l) => {
    expect(l.analysis.vrids).toHaveLength(1);
    const v = l.vrid(51);
    expect(l.host(v.master)).toBe('vwt-a');
    expect(v.routers[0]).toMatchObject({ priority: l.instance('vwt-a').priority, advertIntervalCs: 100, authType: 1, authData: l.instance('vwt-a').auth.password });
    expect(v.routers[0]!.measured!.meanSeconds).toBeCloseTo(1, 1);
    expect(v.status).toBe('ok');
    expect(l.analysis.worst).toBe('info');
    expect(l.types()).toEqual(['router-seen']);
  });

  labCase('master-crash', (l) => {
    const changes = l.of('master-change');
    expect(changes.map((e) => [l.host(e.from), l.host(e.to), e.cause])).toEqual([['vwt-a', 'vwt-b', 'silent'], ['vwt-b', 'vwt-a', 'preempted']]);
    near(changes[0]!.gapSeconds, l.instance('vwt-b').master_down_interval_s, 'takeover gap');
    // The restarted vwt-a starts as backup and preempts after its own Master_Down_Interval.
    near(seconds(changes[1]!.timeUs) - l.when(/^start keepalived on vwt-a/, 1), l.instance('vwt-a').master_down_interval_s, 'preempt after restart');
    expect(l.types()).not.toContain('master-down');
    expect(l.types()).not.toContain('split-brain');
    expect(l.types()).not.toContain('vip-arp-conflict');
    expect(l.of('release')).toHaveLength(0);
    expect(l.host(l.vrid(51).master)).toBe('vwt-a');
    expect(l.analysis.worst).toBe('warning');
  });

  labCase('graceful-stop', (l) => {
    expect(l.of('release').map((e) => l.host(e.router))).toEqual(['vwt-a']);
    const [change] = l.of('master-change');
    expect([l.host(change!.from), l.host(change!.to), change!.cause]).toEqual(['vwt-a', 'vwt-b', 'released']);
    near(change!.gapSeconds, l.instance('vwt-b').skew_time_s, 'takeover after priority 0');
    expect(l.types()).not.toContain('master-down');
    expect(l.host(l.vrid(51).master)).toBe('vwt-b');
  });

  labCase('v3-ipv4', (l) => {
    const v = l.vrid(71);
    expect(v).toMatchObject({ version: 3, family: 'ipv4' });
    expect(l.host(v.master)).toBe('vwt-a');
    expect(v.routers[0]).toMatchObject({ advertIntervalCs: 50, checksumForm: 'pseudo-header', authType: null });
    expect(v.routers[0]!.measured!.meanSeconds).toBeCloseTo(0.5, 1);
    expect(l.analysis.worst).toBe('info');
  });

  labCase('v3-ipv6', (l) => {
    const v = l.vrid(61);
    expect(v).toMatchObject({ version: 3, family: 'ipv6' });
    expect(v.routers.map((r) => r.address).every((a) => a.startsWith('fe80::'))).toBe(true);
    expect(v.routers[0]!.vips).toEqual(['fe80::100', '2001:db8::100']);
    const changes = l.of('master-change');
    expect(changes.map((e) => [l.host(e.from), l.host(e.to)])).toEqual([['vwt-a', 'vwt-b'], ['vwt-b', 'vwt-a']]);
    near(changes[0]!.gapSeconds, l.instance('vwt-b').master_down_interval_s, 'takeover gap');
    near(seconds(changes[1]!.timeUs) - l.when(/^start keepalived on vwt-a/, 1), l.instance('vwt-a').master_down_interval_s, 'preempt after restart');
    expect(l.types()).not.toContain('vip-arp-conflict');
  });

  labCase('password-mismatch', (l) => {
    const [auth] = l.of('auth-mismatch');
    expect(auth!.routers.map((r) => [l.host(r.address), r.authData])).toEqual([
      ['vwt-a', l.instance('vwt-a').auth.password],
      ['vwt-b', l.instance('vwt-b').auth.password],
    ]);
    expect(l.of('split-brain').map((e) => e.routers.map((a) => l.host(a)))).toEqual([['vwt-a', 'vwt-b']]);
    // vwt-b discards every advert, so it becomes master one Master_Down_Interval after it starts.
    const bFirst = l.of('router-seen').find((e) => l.host(e.router) === 'vwt-b')!;
    near(seconds(bFirst.timeUs) - l.when(/^start keepalived on vwt-b/), l.instance('vwt-b').master_down_interval_s, 'vwt-b takes over');
    expect(l.analysis.worst).toBe('critical');
  });

  labCase('interval-mismatch', (l) => {
    const [mismatch] = l.of('interval-mismatch');
    expect(mismatch!.routers.map((r) => [l.host(r.address), r.advertInterval])).toEqual([
      ['vwt-a', l.instance('vwt-a').advert_int],
      ['vwt-b', l.instance('vwt-b').advert_int],
    ]);
    const bFirst = l.of('router-seen').find((e) => l.host(e.router) === 'vwt-b')!;
    near(seconds(bFirst.timeUs) - l.when(/^start keepalived on vwt-b/), l.instance('vwt-b').master_down_interval_s, 'vwt-b takes over');
    // Both hold the VIP: vwt-b advertised while vwt-a (higher priority) was alive, a split brain
    // even for one advert, and its gratuitous ARPs conflict with vwt-a's hold on the VIP.
    expect(l.of('split-brain').map((e) => e.routers.map((a) => l.host(a)))).toEqual([['vwt-a', 'vwt-b']]);
    expect(l.types()).toContain('vip-arp-conflict');
    expect(l.host(l.vrid(51).master)).toBe('vwt-a');
    expect(l.analysis.worst).toBe('critical');
  });

  labCase('one-way-loss', (l) => {
    const deafen = l.when(/^deafen/);
    const undeafen = l.when(/^undeafen/);
    const mdi = l.instance('vwt-b').master_down_interval_s;
    const [start] = l.of('split-brain');
    expect(start!.routers.map((a) => l.host(a))).toEqual(['vwt-a', 'vwt-b']);
    // vwt-b takes over one Master_Down_Interval after the last advert it heard (up to one interval
    // before the deafening); the split brain starts at its first advert, vwt-a being alive.
    const startS = seconds(start!.timeUs);
    expect(startS).toBeGreaterThanOrEqual(deafen - 1 + mdi - TOLERANCE);
    expect(startS).toBeLessThanOrEqual(deafen + mdi + TOLERANCE);
    const lastB = l.vrid(51).routers.find((r) => l.host(r.address) === 'vwt-b')!.lastSeenUs;
    expect(seconds(lastB)).toBeLessThanOrEqual(undeafen + 1 + TOLERANCE);
    const end = l.of('split-brain-end')[0];
    if (end !== undefined) near(startS + end.durationSeconds, seconds(lastB), 'split brain lasts to vwt-b\'s last advert');
    expect(l.of('master-change')).toHaveLength(0);
    expect(l.host(l.vrid(51).master)).toBe('vwt-a');
  });

  labCase('vrid-collision', (l) => {
    const [mismatch] = l.of('vip-mismatch');
    const vipsOf = (host: string) => mismatch!.routers.find((r) => l.host(r.address) === host)?.vips;
    expect(vipsOf('vwt-a')).toEqual(l.instance('vwt-a').vips.map((v) => v.split('/')[0]));
    expect(vipsOf('vwt-c')).toEqual(l.instance('vwt-c').vips.map((v) => v.split('/')[0]));
    expect(l.of('split-brain')[0]!.routers.map((a) => l.host(a))).toEqual(expect.arrayContaining(['vwt-a', 'vwt-c']));
    expect(l.host(l.vrid(51).master)).toBe('vwt-a');
  });

  labCase('vip-two-vrids', (l) => {
    const [conflict] = l.of('vip-conflict');
    expect(conflict).toMatchObject({ vip: '192.0.2.100', vrids: [51, 52] });
    expect(l.host(l.vrid(51).master)).toBe('vwt-a');
    expect(l.host(l.vrid(52).master)).toBe('vwt-c');
    const [arp] = l.of('vip-arp-conflict');
    expect(arp!.macs.map((m) => m.mac).sort()).toEqual((l.sidecar.expected?.['garp_bursts_for_vip_from'] as string[]).slice().sort());
  });

  labCase('track-script', (l) => {
    const pcs = l.of('priority-change');
    expect(pcs.map((e) => [l.host(e.router), e.from, e.to])).toEqual([['vwt-a', 150, 90], ['vwt-a', 90, 150]]);
    const changes = l.of('master-change');
    expect(changes.map((e) => [l.host(e.from), l.host(e.to)])).toEqual([['vwt-a', 'vwt-b'], ['vwt-b', 'vwt-a']]);
    // vwt-b ignores the priority-90 adverts (lower than its own): its timer runs from vwt-a's
    // last priority-150 advert, one interval before the first priority-90 one.
    const lastHigh = seconds(pcs[0]!.timeUs) - l.instance('vwt-a').advert_int;
    near(seconds(changes[0]!.timeUs) - lastHigh, l.instance('vwt-b').master_down_interval_s, 'vwt-b takes over');
    const restore = l.when(/^restore flag/);
    const back = seconds(changes[1]!.timeUs) - restore;
    expect(back).toBeGreaterThanOrEqual(l.instance('vwt-a').master_down_interval_s - 1 - TOLERANCE);
    expect(back).toBeLessThanOrEqual(l.instance('vwt-a').master_down_interval_s + 1 + TOLERANCE);
  });

  labCase('nopreempt', (l) => {
    const changes = l.of('master-change');
    expect(changes.map((e) => [l.host(e.from), l.host(e.to)])).toEqual([['vwt-a', 'vwt-b']]);
    near(changes[0]!.gapSeconds, l.instance('vwt-b').master_down_interval_s, 'takeover gap');
    expect(l.host(l.vrid(51).master)).toBe('vwt-b');
    const a = l.vrid(51).routers.find((r) => l.host(r.address) === 'vwt-a')!;
    expect(seconds(a.lastSeenUs)).toBeLessThan(l.when(/^start keepalived on vwt-a/, 1)); // silent after its restart
  });

  labCase('multi-vrid', (l) => {
    const expected = l.sidecar.expected?.['masters'] as { vrid: number; host: string; advert_int: number; auth: string | null }[];
    expect(l.analysis.vrids.map((v) => v.vrid)).toEqual(expected.map((m) => m.vrid));
    for (const m of expected) {
      const v = l.vrid(m.vrid);
      expect(l.host(v.master), `VRID ${m.vrid}`).toBe(m.host);
      expect(v.routers[0]!.advertIntervalCs).toBe(m.advert_int * 100);
      expect(v.routers[0]!.authData).toBe(m.auth);
      if (v.routers[0]!.measured !== null) expect(v.routers[0]!.measured.meanSeconds).toBeCloseTo(m.advert_int, 1);
    }
    expect(l.analysis.worst).toBe('info');
  });

  labCase('vlan', (l) => {
    const [v] = l.analysis.vrids;
    expect(v!.segment.vlan).toBe(l.sidecar.expected?.['vlan']);
    expect(l.of('release').map((e) => l.host(e.router))).toEqual(['vwt-a']);
    const [change] = l.of('master-change');
    near(change!.gapSeconds, l.instance('vwt-b').skew_time_s, 'takeover after priority 0');
    expect(l.host(v!.master)).toBe('vwt-b');
  });
});
