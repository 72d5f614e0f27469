// A million random and mutated frames through the decoder, the validator and every formatter:
// nothing may throw or hang. Seeds come from real captures (ours and, when present, the public
// ones) and from the builder; mutations flip bits, overwrite bytes, cut and extend.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/file.js';
import { decodeFrame } from '../../src/decode/frame.js';
import { validateVrrp } from '../../src/decode/validate.js';
import { isCutVrrp, LinkType, type DecodedFrame } from '../../src/decode/types.js';
import { hexDump, lineTail, PacketFormatter } from '../../src/format/packet.js';
import type { CaptureRecord } from '../../src/capture/types.js';
import { arpFrame, naFrame, vrrpFrame } from '../support/vrrp-frames.js';

const LINK_TYPES = [LinkType.ETHERNET, LinkType.FRELAY, LinkType.RAW, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP, LinkType.IPV4, LinkType.IPV6];
const fmt = new PacketFormatter();

function exercise(linkType: number, data: Uint8Array): DecodedFrame {
  const f = decodeFrame(linkType, data);
  // A VRRP header cut short goes through every formatter too, as decode shows it.
  if (f.kind === 'vrrp' || isCutVrrp(f)) {
    const rec: CaptureRecord = { frame: 1, tsSec: 1, tsNsec: 0, linkType, interfaceId: 0, interfaceName: null, originalLength: data.length, data };
    const findings = validateVrrp(f);
    fmt.lineHead(rec.tsSec, rec.tsNsec, rec.interfaceName) + lineTail(f, findings);
    fmt.verbose(rec, f, findings);
    JSON.stringify(fmt.json(rec, f, findings));
    hexDump(data);
  }
  return f;
}

/** xorshift32: deterministic, so a failure can be replayed from its iteration number. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const seeds: { linkType: number; data: Uint8Array }[] = [];

async function addCaptures(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) await addCaptures(p);
    else if (/\.(pcap|pcapng)$/.test(entry.name)) {
      await readCaptureFile(p, (r) => {
        if (seeds.length < 3000) seeds.push({ linkType: r.linkType, data: r.data.slice() });
      }).catch(() => undefined); // damaged files still gave their records
    }
  }
}

beforeAll(async () => {
  await addCaptures(join(import.meta.dirname, '../../captures'));
  await addCaptures(join(import.meta.dirname, '../../../shared/captures/public'));
  for (const s of [
    vrrpFrame(), vrrpFrame({ version: 3, interval: 100 }), vrrpFrame({ family: 6, version: 3, interval: 100, addresses: ['fe80::1', '2001:db8::1'] }),
    vrrpFrame({ vlans: [10, 20], authType: 1, auth: 'secret' }), arpFrame('192.0.2.1', '52:54:00:00:00:01'), naFrame('2001:db8::1', '52:54:00:00:00:02'),
  ]) seeds.push({ linkType: LinkType.ETHERNET, data: s });
});

describe('fuzzing the decoder', () => {
  it('1,000,000 random and mutated frames: nothing throws, every result is a known kind', () => {
    const next = rng(0x5eed);
    const kinds = new Map<string, number>();
    const N = 1_000_000;
    for (let i = 0; i < N; i++) {
      let linkType: number;
      let data: Uint8Array;
      if (i % 10 === 0) {
        linkType = LINK_TYPES[Math.floor(next() * LINK_TYPES.length)]!;
        data = new Uint8Array(Math.floor(next() * 120));
        for (let j = 0; j < data.length; j++) data[j] = Math.floor(next() * 256);
      } else {
        const s = seeds[Math.floor(next() * seeds.length)]!;
        linkType = next() < 0.05 ? LINK_TYPES[Math.floor(next() * LINK_TYPES.length)]! : s.linkType;
        data = s.data.slice();
        const mutations = 1 + Math.floor(next() * 4);
        for (let m = 0; m < mutations; m++) {
          const r = next();
          const at = Math.floor(next() * Math.max(1, data.length));
          if (r < 0.4) data[at] = (data[at] ?? 0) ^ (1 << Math.floor(next() * 8));
          else if (r < 0.7) data[at] = Math.floor(next() * 256);
          else if (r < 0.85) data = data.subarray(0, at);
          else {
            const ext = new Uint8Array(data.length + Math.floor(next() * 64));
            ext.set(data);
            for (let j = data.length; j < ext.length; j++) ext[j] = Math.floor(next() * 256);
            data = ext;
          }
        }
      }
      let f: DecodedFrame;
      try {
        f = exercise(linkType, data);
      } catch (e) {
        throw new Error(`iteration ${i} (link type ${linkType}, ${Buffer.from(data).toString('hex')}) threw: ${(e as Error).stack}`);
      }
      kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    }
    expect([...kinds.values()].reduce((a, b) => a + b, 0)).toBe(N);
    // The mutations must reach deep layers, or this test proves little.
    expect(kinds.get('vrrp') ?? 0).toBeGreaterThan(N / 10);
    expect(kinds.get('malformed') ?? 0).toBeGreaterThan(N / 100);
  }, 240_000);

  it('fast-check: arbitrary bytes under every link type decode without throwing', () => {
    fc.assert(fc.property(fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 200 }), (lt, data) => {
      const f = exercise(lt, data);
      expect(typeof f.kind).toBe('string');
    }), { numRuns: 20_000 });
  });
});
