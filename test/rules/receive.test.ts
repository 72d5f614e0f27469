// One rule book (src/rules/receive.ts): every advert a router drops by RFC 3768/5798 7.1 is
// dropped by our daemon with that reason, and the analyzer counts and reports it and never lets
// it elect. Frames come from the independent builder.
import { describe, expect, it } from 'vitest';
import { advertEvent, VrrpMachine } from '../../src/daemon/machine.js';
import { decodeFrame } from '../../src/decode/frame.js';
import { LinkType } from '../../src/decode/types.js';
import { discardOf, discardsOf, type DiscardReason } from '../../src/rules/receive.js';
import { A, B, Scenario } from '../analysis/scenario.js';
import { config } from '../daemon/harness.js';
import { vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

/** A's advert with a broken IPv4 header checksum. */
function badIpChecksum(spec: FrameSpec): Buffer {
  const b = vrrpFrame(spec);
  b[14 + 10] = (b[14 + 10] as number) ^ 0xff;
  return b;
}

interface Case {
  name: string;
  reason: DiscardReason;
  /** The bytes of a bad advert from `spec`'s sender. */
  bytes: (spec: FrameSpec) => Buffer;
  /** The condition the analyzer reports it as. */
  condition: 'bad-checksum' | 'bad-ttl' | 'malformed';
}

const v3 = { version: 3, interval: 100, authType: undefined, auth: undefined };

const cases: Case[] = [
  { name: 'TTL 64', reason: 'ttl', bytes: (s) => vrrpFrame({ ...s, ttl: 64 }), condition: 'bad-ttl' },
  { name: 'a bad VRRP checksum', reason: 'checksum', bytes: (s) => vrrpFrame({ ...s, checksum: 0x1234 }), condition: 'bad-checksum' },
  { name: 'a bad IPv4 header checksum', reason: 'ip-checksum', bytes: badIpChecksum, condition: 'bad-checksum' },
  { name: 'advertisement interval 0', reason: 'interval-zero', bytes: (s) => vrrpFrame({ ...s, interval: 0 }), condition: 'malformed' },
  { name: 'VRRPv3 with no address', reason: 'count-zero', bytes: (s) => vrrpFrame({ ...s, ...v3, addresses: [] }), condition: 'malformed' },
  { name: 'a VRRPv2 message without its auth data', reason: 'truncated', bytes: (s) => vrrpFrame({ ...s, count: 3 }), condition: 'malformed' },
];

function decoded(bytes: Uint8Array) {
  const f = decodeFrame(LinkType.ETHERNET, bytes);
  if (f.kind !== 'vrrp') throw new Error(`not a VRRP frame: ${f.kind}`);
  return f;
}

describe('the receive rule book: daemon and analyzer judge alike', () => {
  for (const c of cases) {
    it(`${c.name}: the daemon drops it (${c.reason}); the analyzer reports ${c.condition}, counts it, and elects no one on it`, () => {
      const spec: FrameSpec = { src: A.src, srcMac: A.srcMac, priority: A.priority, authType: 1, auth: 'pass', ...(c.reason === 'count-zero' ? v3 : {}) };
      const f = decoded(c.bytes(spec));
      expect(discardOf(f)?.reason).toBe(c.reason);

      const daemon = new VrrpMachine(config(c.reason === 'count-zero' ? { version: 3 } : {}));
      daemon.handle({ type: 'startup', atSec: 0 });
      expect(daemon.handle(advertEvent(f, 1))[0]).toMatchObject({ type: 'drop', reason: c.reason, from: A.src });

      // A's adverts are all bad: B, lower, is the only master routers hear.
      const s = new Scenario();
      for (let t = 0; t < 6; t++) s.frame(t, c.bytes(spec));
      s.adverts(0.5, 6, B, c.reason === 'count-zero' ? v3 : {});
      const r = s.result(6);
      expect(r.vrids[0]!.master).toBe(B.src);
      expect(s.of(c.condition)).toHaveLength(1);
      expect(s.of(c.condition)[0]).toMatchObject({ router: A.src, severity: 'warning' });
      expect(s.of(c.condition)[0]!.message).toMatch(new RegExp(`routers drop (these adverts|such a packet) \\(RFC 3768/5798 7\\.1\\), so ${A.src.replace(/\./g, '\\.')} is not heard as master`));
      expect(r.discarded[c.reason]).toBe(6);
      expect(r.vrids[0]!.routers.find((x) => x.address === A.src)).toMatchObject({ discarded: 6, discardReason: c.reason });
    });
  }

  it('a bad IPv4 header checksum is a bad-checksum of the IPv4 header', () => {
    const s = new Scenario();
    for (let t = 0; t < 3; t++) s.frame(t, badIpChecksum({ src: A.src, srcMac: A.srcMac, priority: A.priority }));
    expect(s.of('bad-checksum')[0]).toMatchObject({ layer: 'ipv4', expected: null });
  });

  it('a VRID whose only master is dropped is not ok: no master', () => {
    const s = new Scenario();
    for (let t = 0; t < 5; t++) s.frame(t, badIpChecksum({ src: A.src, srcMac: A.srcMac, priority: A.priority }));
    const v = s.vrid();
    expect(v.master).toBeNull();
    expect(v.status).toBe('no-master');
    expect(v.conditions).toEqual(['no-master', 'bad-checksum']);
  });

  it('an unknown VRRP version (nDPI fuzz: 7) is counted and reported, and creates no virtual router', () => {
    const s = new Scenario().frame(0, vrrpFrame({ version: 7, src: A.src })).frame(1, vrrpFrame({ version: 7, src: A.src }));
    const r = s.result(1);
    expect(r.vrids).toEqual([]);
    expect(r.discarded.version).toBe(2);
    expect(s.of('malformed')).toEqual([expect.objectContaining({ router: A.src, vrid: null, reason: 'VRRP version 7, neither 2 nor 3' })]);
    expect(s.of('malformed')[0]!.message).toBe('VRRP: malformed VRRP packet from 192.0.2.11: VRRP version 7, neither 2 nor 3; routers drop such a packet (RFC 3768/5798 7.1), so 192.0.2.11 is not heard as master.');
  });

  it('a monitor reports every rule an advert breaks; a router acts on the first', () => {
    const f = decoded(vrrpFrame({ src: A.src, ttl: 1, checksum: 0x1234 }));
    expect(discardsOf(f).map((d) => d.reason)).toEqual(['ttl', 'checksum']);
    expect(discardOf(f)?.reason).toBe('ttl');
    const s = new Scenario().frame(0, vrrpFrame({ src: A.src, srcMac: A.srcMac, ttl: 1, checksum: 0x1234 }));
    expect(s.story()).toEqual(['bad-ttl', 'bad-checksum']);
  });

  it('a frame cut by the capture still counts as sent (the router got it whole); one inconsistent on the wire does not', () => {
    const cut = decoded(vrrpFrame({ src: A.src, snap: 50 }));
    expect(discardOf(cut)).toMatchObject({ reason: 'truncated', cutByCapture: true });
    const s = new Scenario().frame(0, vrrpFrame({ src: A.src, srcMac: A.srcMac, priority: 150, snap: 50 }));
    expect(s.vrid().master).toBe(A.src);
    const lying = decoded(vrrpFrame({ src: A.src, count: 5 }));
    expect(discardOf(lying)).toMatchObject({ reason: 'truncated', cutByCapture: false });
  });
});
