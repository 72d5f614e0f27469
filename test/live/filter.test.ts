// The default capture filters, checked with libpcap itself (tcpdump): they compile for their link
// types and let through exactly the frames they are for. Offline, tcpdump runs the filter on the
// bytes as they are, with VLAN tags in the frame; the live test (capture.test.ts) covers the
// kernel path, where the tag arrives in metadata.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COOKED_DEFAULT_FILTER, DEFAULT_FILTER, defaultFilter } from '../../src/live/capture.js';
import { hasTool } from '../support/captures.js';
import { buildPcap } from '../support/pcap-builder.js';
import { MATCHING, NOT_MATCHING, type NamedFrame } from './frames.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-filter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Linux cooked (SLL) header in front of an untagged Ethernet frame's payload. */
function cooked(eth: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0); // to us
  h.writeUInt16BE(1, 2); // ARPHRD_ETHER
  h.writeUInt16BE(6, 4);
  eth.copy(h, 6, 6, 12);
  h.writeUInt16BE(eth.readUInt16BE(12), 14);
  return Buffer.concat([h, eth.subarray(14)]);
}

/** Names of the frames tcpdump lets through `filter` (each frame has its own second). */
function passing(frames: NamedFrame[], linkType: number, filter: string): string[] {
  const file = join(dir, `f${linkType}.pcap`);
  writeFileSync(file, buildPcap({ variant: 'usec-le', linkType, records: frames.map((f, i) => ({ tsSec: 1000 + i, tsFrac: 0, data: f.bytes })) }).bytes);
  const out = execFileSync('tcpdump', ['-r', file, '-nn', '-tt', filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trim().split('\n').filter(Boolean).map((l) => frames[Number(l.split('.')[0]) - 1000]!.name);
}

describe.skipIf(!hasTool('tcpdump'))('default capture filters (tcpdump)', () => {
  it('compile for Ethernet and for Linux cooked captures', () => {
    for (const [linkType, filter] of [[1, DEFAULT_FILTER], [113, COOKED_DEFAULT_FILTER]] as const) {
      const file = join(dir, `empty${linkType}.pcap`);
      writeFileSync(file, buildPcap({ variant: 'usec-le', linkType, records: [] }).bytes);
      const program = execFileSync('tcpdump', ['-d', '-r', file, filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(program).toMatch(/ret\s+#[1-9]/);
    }
  });

  // Only a live handle gets the code for tags in metadata, where the registers collide, and
  // compiling for one opens the device: root.
  it('keeps comparisons away from the VLAN offset registers (libpcap 1.10 register reuse)', (ctx) => {
    ctx.skip(process.getuid?.() !== 0, 'compiling for a live handle opens the device: needs root');
    // Scratch memory stores whose value is not a VLAN offset (0 or 4 bytes): the bug's signature.
    const foreignStores = (filter: string): string[] => {
      const lines = execFileSync('tcpdump', ['-d', '-i', 'lo', filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n');
      return lines.filter((l, i) => /\bst\s+M\[/.test(l) && !/\b(ld\s+#0x[04]|st\s+M\[)/.test(lines[i - 1] ?? ''));
    };
    const base = 'ip proto 112 or ip6 proto 112 or arp or (icmp6 and ip6[40] == 136)';
    expect(foreignStores(`${base} or (vlan and (${base}))`).length).toBeGreaterThan(0); // the trap
    expect(foreignStores(DEFAULT_FILTER)).toEqual([]);
  });

  it('Ethernet: lets every VRRP, ARP and NA frame through, tagged or not, and nothing else', () => {
    expect(passing([...MATCHING, ...NOT_MATCHING], 1, DEFAULT_FILTER)).toEqual(MATCHING.map((f) => f.name));
  });

  it('Linux cooked (-i any): the untagged kinds (tags come in metadata there)', () => {
    const untagged = (fs: NamedFrame[]): NamedFrame[] => fs.filter((f) => !/vlan/.test(f.name)).map((f) => ({ name: f.name, bytes: cooked(f.bytes) }));
    expect(passing([...untagged(MATCHING), ...untagged(NOT_MATCHING)], 113, COOKED_DEFAULT_FILTER)).toEqual(untagged(MATCHING).map((f) => f.name));
  });

  it('is chosen by interface: any is cooked', () => {
    expect(defaultFilter('any')).toBe(COOKED_DEFAULT_FILTER);
    expect(defaultFilter('eth0')).toBe(DEFAULT_FILTER);
  });
});
