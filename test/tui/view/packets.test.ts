// The last advert of each router, for the detail view: kept per segment, family, VRID and
// router, copied (the capture reuses its buffer), bounded.
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../src/capture/types.js';
import { LastPackets, vridKey } from '../../../src/tui/view/packets.js';
import { arpFrame, vrrpFrame } from '../../support/vrrp-frames.js';

function rec(data: Uint8Array, frame = 1, iface: string | null = 'eth0'): CaptureRecord {
  return { frame, tsSec: 1_795_000_000, tsNsec: 0, linkType: 1, interfaceId: 0, interfaceName: iface, originalLength: data.length, data };
}

describe('LastPackets', () => {
  it('keeps the newest advert of each router, as a copy', () => {
    const store = new LastPackets();
    const buf = new Uint8Array(vrrpFrame({ src: '192.0.2.11', priority: 150 }));
    store.offer(rec(buf, 1));
    buf.set(vrrpFrame({ src: '192.0.2.11', priority: 140 }));
    store.offer(rec(buf, 2));
    buf.fill(0); // the capture reuses its buffer
    const kept = store.get(vridKey({ interface: 'eth0', vlans: [] }, 'ipv4', 51), '192.0.2.11');
    expect(kept?.frame).toBe(2);
    expect(kept?.data[14 + 20 + 2]).toBe(140);
  });

  it('tells routers, VLANs, families and VRIDs apart, and ignores what is not VRRP', () => {
    const store = new LastPackets();
    store.offer(rec(vrrpFrame({ src: '192.0.2.11' })));
    store.offer(rec(vrrpFrame({ src: '192.0.2.12' })));
    store.offer(rec(vrrpFrame({ src: '192.0.2.11', vlans: [10] })));
    store.offer(rec(vrrpFrame({ src: '192.0.2.11', vrid: 52 })));
    store.offer(rec(vrrpFrame({ family: 6, src: 'fe80::1', version: 3 })));
    store.offer(rec(arpFrame('192.0.2.100', '02:00:00:00:00:01')));
    expect(store.size).toBe(5);
    expect(store.get(vridKey({ interface: 'eth0', vlans: [10] }, 'ipv4', 51), '192.0.2.11')).toBeDefined();
    expect(store.get(vridKey({ interface: 'eth0', vlans: [] }, 'ipv6', 51), 'fe80::1')).toBeDefined();
  });

  it('stays within its capacity', () => {
    const store = new LastPackets(100);
    for (let i = 0; i < 1000; i++) store.offer(rec(vrrpFrame({ src: `192.0.${i >> 8}.${i & 255}` })));
    expect(store.size).toBe(100);
  });
});
