// Hand-made snapshots and events for view tests: the fields the tracker fills, with defaults.
import type { AnalysisEvent, RouterSnapshot, VridSnapshot } from '../../src/analysis/types.js';
import type { Snapshot, SourceInfo } from '../../src/tui/view/model.js';

export const T0_US = 1_795_000_000_000_000;

export function router(address: string, over: Partial<RouterSnapshot> = {}): RouterSnapshot {
  return {
    address,
    mac: `02:00:00:00:00:${address.split('.').pop()?.padStart(2, '0') ?? '00'}`,
    version: 2,
    priority: 100,
    advertIntervalCs: 100,
    authType: 0,
    authData: null,
    vips: ['192.0.2.100'],
    ttl: 255,
    checksumForm: 'message',
    packets: 10,
    firstSeenUs: T0_US,
    lastSeenUs: T0_US + 9_000_000,
    measured: { count: 9, minSeconds: 0.99, meanSeconds: 1, maxSeconds: 1.01 },
    discarded: 0,
    discardReason: null,
    silent: false,
    ageSeconds: 0,
    ...over,
  };
}

export function vrid(n: number, over: Partial<VridSnapshot> = {}): VridSnapshot {
  const routers = over.routers ?? [router('192.0.2.11', { priority: 150 })];
  return {
    segment: { interface: 'eth0', vlan: null, vlans: [] },
    family: 'ipv4',
    vrid: n,
    version: 2,
    master: routers[0]?.address ?? null,
    status: 'ok',
    conditions: [],
    routers,
    ...over,
  };
}

export function snapshot(vrids: VridSnapshot[], over: Partial<Snapshot> = {}): Snapshot {
  return {
    nowUs: T0_US + 10_000_000,
    runningSeconds: 12,
    counters: { packets: 100, vrrp: 98, malformed: 0, dropped: 0, ifDropped: 0 },
    vrids,
    replay: null,
    packet: () => undefined,
    ...over,
  };
}

export const LIVE: SourceInfo = { kind: 'live', name: 'eth0', filter: null, speed: null, savingTo: null };

let seq = 0;
export function event(vridNumber: number, over: Partial<AnalysisEvent> = {}): AnalysisEvent {
  seq++;
  return {
    timeUs: T0_US + seq * 1000,
    vrid: vridNumber,
    family: 'ipv4',
    severity: 'info',
    message: `VRID ${vridNumber}: event ${seq}`,
    segment: { interface: 'eth0', vlan: null, vlans: [] },
    type: 'router-seen',
    router: '192.0.2.11',
    mac: null,
    priority: 150,
    ...over,
  } as AnalysisEvent;
}
