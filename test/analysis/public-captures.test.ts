// The analysis of the public captures (../shared/captures/public, never copied here) against what
// their INDEX and tshark (`<capture>.fields.tsv`) show: the virtual routers, their routers with
// packet counts and last priority, the bad checksums, and the story of tcpdump's vrrp.pcap.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer, type Analysis } from '../../src/analysis/analyzer.js';
import { readCaptureFile } from '../../src/capture/file.js';
import { captureFiles, HAVE_PUBLIC, PUBLIC_CAPTURES } from '../support/captures.js';

const why = 'skipped: ../shared/captures/public is absent';

async function analyze(path: string): Promise<Analysis> {
  const a = new Analyzer();
  let end: number | undefined;
  await readCaptureFile(path, (r) => {
    const t = r.tsSec * 1_000_000 + Math.floor(r.tsNsec / 1000);
    end = end === undefined || t > end ? t : end;
    a.frame(r.linkType, r.data, t, r.interfaceName);
  }).catch(() => undefined);
  return a.result(end);
}

type Row = Record<string, string>;

function tshark(path: string): Row[] {
  const [head, ...lines] = readFileSync(`${path}.fields.tsv`, 'utf8').split('\n').filter((l) => l !== '');
  const cols = head!.split('\t');
  return lines.map((l) => {
    const cells = l.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** A router as tshark sees it: segment (innermost VLAN), family, VRID, source. */
function key(vlan: number | null, family: string, vrid: number, src: string): string {
  return `${vlan ?? '-'}|${family}|${vrid}|${src}`;
}

describe.skipIf(!HAVE_PUBLIC)(`public captures${HAVE_PUBLIC ? '' : ` (${why})`}`, () => {
  const files = captureFiles(PUBLIC_CAPTURES).filter((f) => existsSync(`${f}.fields.tsv`));

  it.each(files.map((f) => [relative(PUBLIC_CAPTURES, f), f]))('%s: routers, packets, priorities and bad checksums agree with tshark', async (_name, file) => {
    const a = await analyze(file);
    // An unknown packet type or VRID 0 is no advert of any virtual router (src/rules/receive.ts): reported, not tracked.
    const rows = tshark(file).filter((r) => (r['vrrp.version'] === '2' || r['vrrp.version'] === '3') && r['vrrp.type'] === '1' && r['vrrp.virt_rtr_id'] !== '' && r['vrrp.virt_rtr_id'] !== '0' && r['_ws.malformed'] === '');
    const expected = new Map<string, { packets: number; priority: number; badChecksum: boolean }>();
    for (const r of rows) {
      const v6 = r['ip.src'] === '';
      const vlan = r['vlan.id'] === '' ? null : Number(r['vlan.id']!.split(',').pop());
      const k = key(vlan, v6 ? 'ipv6' : 'ipv4', Number(r['vrrp.virt_rtr_id']), v6 ? r['ipv6.src']! : r['ip.src']!);
      const e = expected.get(k) ?? { packets: 0, priority: 0, badChecksum: false };
      e.packets++;
      e.priority = Number(r['vrrp.prio']);
      if (r['vrrp.checksum.status'] === '0') e.badChecksum = true;
      expected.set(k, e);
    }
    const bad = new Set(a.events.filter((e) => e.type === 'bad-checksum').map((e) => ('router' in e ? e.router : '')));
    const ours = new Map<string, { packets: number; priority: number; badChecksum: boolean }>();
    for (const v of a.vrids) {
      for (const r of v.routers) ours.set(key(v.segment.vlan, v.family, v.vrid, r.address), { packets: r.packets, priority: r.priority, badChecksum: bad.has(r.address) });
    }
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(expected));
  });

  it('tcpdump/vrrp.pcap (7 MikroTik routers): VRIDs 42-46, each handed up from priority 191 to 197', async () => {
    const a = await analyze(join(PUBLIC_CAPTURES, 'tcpdump/vrrp.pcap'));
    expect(a.vrids.map((v) => [v.vrid, v.family, v.version])).toEqual([
      [42, 'ipv4', 2], [43, 'ipv4', 2], [44, 'ipv4', 3], [45, 'ipv6', 3], [46, 'ipv6', 3],
    ]);
    const v4 = ['10.0.0.91', '10.0.0.92', '10.0.0.93', '10.0.0.94', '10.0.0.95', '10.0.0.96', '10.0.0.97'];
    const v6 = ['fe80::d6ca:6dff:fe66:cf60', 'fe80::d6ca:6dff:fe72:b1da', 'fe80::d6ca:6dff:fe66:cf65', 'fe80::d6ca:6dff:fe65:d45c', 'fe80::d6ca:6dff:fe65:d46b', 'fe80::d6ca:6dff:fe72:b1e4', 'fe80::20c:42ff:fe5e:c2dc'];
    for (const v of a.vrids) {
      const chain = v.family === 'ipv4' ? v4 : v6;
      expect(v.master, `VRID ${v.vrid}`).toBe(chain[6]);
      expect(v.routers[0]!.priority).toBe(197);
      expect(v.routers.map((r) => r.priority)).toEqual([197, 196, 195, 194, 193, 192, 191]);
      const changes = a.events.filter((e) => e.type === 'master-change' && e.vrid === v.vrid && e.family === v.family);
      expect(changes.map((e) => ('from' in e ? [e.from, e.to] : []))).toEqual(chain.slice(0, 6).map((from, i) => [from, chain[i + 1]]));
      expect(v.routers[0]!.advertIntervalCs).toBe(1000);
    }
    const [v42, v43] = a.vrids;
    expect(v42!.routers[0]).toMatchObject({ authType: 1, authData: 'abcdefgh', vips: ['10.4.42.1', '10.4.42.2', '10.4.42.3'] });
    expect(v43!.routers[0]).toMatchObject({ authType: 0, authData: null, vips: ['10.4.43.150'] });
    expect(a.vrids[3]!.routers[0]!.vips).toEqual(['fe80::200:5eff:fe00:22d', '2001::abcd:a']);
    expect(a.events.filter((e) => e.severity === 'critical')).toEqual([]);
  });

  it('labs/packet-captures/vrrp-gratuitous-arp.pcapng: the priority-200 router preempts; ARP from the virtual MAC is no conflict', async () => {
    const a = await analyze(join(PUBLIC_CAPTURES, 'labs/packet-captures/vrrp-gratuitous-arp.pcapng'));
    expect(a.vrids).toHaveLength(1);
    expect(a.vrids[0]).toMatchObject({ vrid: 1, master: '192.168.1.1' });
    expect(a.events.map((e) => e.type)).toEqual(['router-seen', 'router-seen', 'master-change']);
    expect(a.events[2]).toMatchObject({ from: '192.168.1.2', to: '192.168.1.1', cause: 'preempted' });
  });

  it('tcppump: the bad checksums, the owner conflict and the QinQ segment', async () => {
    const a = await analyze(join(PUBLIC_CAPTURES, 'tcppump/src/test/all-vrrp.pcap'));
    expect(a.vrids.map((v) => v.segment.vlans)).toEqual([[], [42, 43]]);
    const types = a.events.map((e) => e.type);
    expect(types).toContain('owner-conflict');
    // The bad checksums are on packets of type 15: no adverts, so reported under their source, creating no virtual router.
    const reasons = a.events.flatMap((e) => (e.type === 'malformed' ? [e.reason] : []));
    expect(reasons).toContain('packet type 0, not 1 (advertisement)');
    expect(a.discarded.type).toBe(4);
  });
});
