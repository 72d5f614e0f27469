// Which MAC a unicast advert goes to (peer-mac.ts), the requests that find it (probe-frame.ts),
// and the `ip addr add` argv for a keepalived address entry (host.ts).
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/decode/frame.js';
import { vipAddArgv } from '../../src/daemon/host.js';
import { PEER_MAC, PeerMacs } from '../../src/daemon/peer-mac.js';
import { probeFrame, solicitedNode } from '../../src/daemon/probe-frame.js';

const P = '192.0.2.21';
const M1 = '02:00:00:00:00:21';
const M2 = '02:00:00:00:00:22';

describe('PeerMacs', () => {
  it('unknown: a broadcast request with every advert, the failure said once at the third; an answer gives the MAC', () => {
    const c = new PeerMacs([P]);
    const steps = [0, 1, 2, 3].map((t) => c.route(P, t));
    expect(steps.map((s) => [s.mac, s.probe, s.failed])).toEqual([
      [null, { peer: P, unicastTo: null }, false],
      [null, { peer: P, unicastTo: null }, false],
      [null, { peer: P, unicastTo: null }, true],
      [null, { peer: P, unicastTo: null }, false],
    ]);
    expect(c.heard(P, M1.toUpperCase(), 4)).toEqual({ was: null });
    expect(c.route(P, 5)).toEqual({ mac: M1, probe: null, failed: false });
  });

  it('an answer older than reachableSec: unicast probes to the known MAC, still used; unanswered, it is forgotten and asked for by broadcast', () => {
    const c = new PeerMacs([P]);
    c.heard(P, M1, 0);
    const t = PEER_MAC.reachableSec;
    expect(c.route(P, t - 0.1)).toEqual({ mac: M1, probe: null, failed: false });
    for (let i = 0; i < PEER_MAC.probes; i++) expect(c.route(P, t + i)).toEqual({ mac: M1, probe: { peer: P, unicastTo: M1 }, failed: false });
    expect(c.route(P, t + PEER_MAC.probes)).toEqual({ mac: null, probe: { peer: P, unicastTo: null }, failed: false });
  });

  it('a probe answered keeps the MAC; a new MAC replaces it at once; the same MAC again is no news; a stranger is ignored', () => {
    const c = new PeerMacs([P]);
    c.heard(P, M1, 0);
    c.route(P, 40);
    expect(c.heard(P, M1, 40.1)).toBeNull();
    expect(c.route(P, 41)).toEqual({ mac: M1, probe: null, failed: false });
    expect(c.heard(P, M2, 42)).toEqual({ was: M1 });
    expect(c.mac(P)).toBe(M2);
    expect(c.heard('192.0.2.99', M1, 43)).toBeNull();
    expect(c.route('192.0.2.99', 43)).toEqual({ mac: null, probe: null, failed: false });
  });
});

describe('probeFrame', () => {
  it('IPv4: an ARP request from our address and MAC, broadcast, or unicast to the known MAC for a refresh', () => {
    const f = decodeFrame(1, probeFrame(4, { peer: P, unicastTo: null }, { address: '192.0.2.10', mac: '02:00:00:00:00:0a' }));
    expect(f.kind === 'arp' && [f.link.dstMac, f.arp.operation, f.arp.senderIp, f.arp.senderMac, f.arp.targetIp]).toEqual(['ff:ff:ff:ff:ff:ff', 1, '192.0.2.10', '02:00:00:00:00:0a', P]);
    const r = decodeFrame(1, probeFrame(4, { peer: P, unicastTo: M1 }, { address: '192.0.2.10', mac: '02:00:00:00:00:0a' }));
    expect(r.kind === 'arp' && r.link.dstMac).toBe(M1);
  });

  it("IPv6: RFC 4291 2.7.1's solicited-node group and its MAC; a neighbour solicitation with hop limit 255 and our link-layer address", () => {
    expect(solicitedNode('2001:db8::12:3456')).toEqual({ address: 'ff02::1:ff12:3456', mac: '33:33:ff:12:34:56' });
    const b = probeFrame(6, { peer: '2001:db8::21', unicastTo: null }, { address: 'fe80::a', mac: '02:00:00:00:00:0a' });
    expect(Buffer.from(b.subarray(0, 6)).toString('hex')).toBe('3333ff000021');
    expect(b[14 + 7]).toBe(255); // hop limit
    expect(b[14 + 40]).toBe(135);
    expect(Buffer.from(b.subarray(14 + 24, 14 + 40)).toString('hex')).toBe('ff0200000000000000000001ff000021');
    expect(Buffer.from(b.subarray(14 + 40 + 26, 14 + 40 + 32)).toString('hex')).toBe('02000000000a');
  });
});

describe('vipAddArgv (keepalived adds each address with its own attributes)', () => {
  it('dev, label, scope and brd as written; nodad for IPv6; noprefixroute only when asked', () => {
    expect(vipAddArgv({ address: '192.0.2.100', prefixLength: 24, label: 'eth1:vip', scope: 'link', brd: '+' }, 'eth1')).toEqual(
      ['-4', 'addr', 'add', '192.0.2.100/24', 'dev', 'eth1', 'brd', '+', 'scope', 'link', 'label', 'eth1:vip'],
    );
    expect(vipAddArgv({ address: '192.0.2.100', prefixLength: 32 }, 'eth0')).toEqual(['-4', 'addr', 'add', '192.0.2.100/32', 'dev', 'eth0']);
    expect(vipAddArgv({ address: '2001:db8::7', prefixLength: 64 }, 'vrrp.51', { noPrefixRoute: true })).toEqual(['-6', 'addr', 'add', '2001:db8::7/64', 'dev', 'vrrp.51', 'nodad', 'noprefixroute']);
  });
});
