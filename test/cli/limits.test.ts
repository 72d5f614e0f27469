// Capture files built to hurt, and readers that stall: `decode` refuses what libpcap refuses
// before buffering it, waits for its reader, and keeps its memory bounded (peak RSS of the child
// process, from /proc). The files are generated here, seeded; speed is `npm run bench`'s business.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { buildPcapng } from '../support/pcap-builder.js';
import { runWithPeak, seeded } from '../support/peak-rss.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;

function pcapHeader(snaplen: number): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6); h.writeUInt32LE(snaplen >>> 0, 16); h.writeUInt32LE(1, 20);
  return h;
}

/**
 * `n` Ethernet frames of IPv4 protocol 112 whose VRRP part is random bytes (seeded): cut headers,
 * absurd counts, unknown versions, all of it, and every one printed by -v -x.
 */
function junkCapture(n: number, seed: number): string {
  const rnd = seeded(seed);
  const parts: Buffer[] = [pcapHeader(262_144)];
  for (let i = 0; i < n; i++) {
    const len = 34 + (rnd() % 90);
    const f = Buffer.alloc(len);
    for (let j = 0; j < len; j++) f[j] = rnd() & 0xff;
    f.writeUInt16BE(0x0800, 12);
    f[14] = 0x45; f.writeUInt16BE(len - 14, 16); f[20] = 0; f[21] = 0; f[22] = 255; f[23] = 112;
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_795_000_000 + (i >> 10), 0); r.writeUInt32LE((i % 1000) * 1000, 4); r.writeUInt32LE(len, 8); r.writeUInt32LE(len, 12);
    parts.push(r, f);
  }
  const path = join(dir, `junk-${n}-${seed}.pcap`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

describe('capture-file limits', () => {
  it('a pcap whose header says snap length 4 GiB and whose record claims 2 GiB is refused at once, at byte 24, exit 2', async () => {
    const head = Buffer.concat([pcapHeader(0xffffffff), (() => { const r = Buffer.alloc(16); r.writeUInt32LE(0x7fffffff, 8); r.writeUInt32LE(0x7fffffff, 12); return r; })()]);
    const filler = Buffer.alloc(MiB, 0x5a);
    function* input(): Generator<Uint8Array> {
      yield head;
      for (let i = 0; i < 128; i++) yield filler;
    }
    const r = await runWithPeak(['decode', '-'], { stdin: input() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("<stdin>: record length 2147483647 exceeds the maximum 262144 (the header's snap length 4294967295 is capped there, as libpcap does) at byte offset 24");
    // Refused on the record header, not after buffering what follows it.
    expect(r.stdinTaken).toBeLessThan(32 * MiB);
    expect(r.peakMiB).toBeLessThan(150);
  });
});

describe('pcapng timestamps no date can hold', () => {
  it.each([
    ['if_tsresol 0', { tsresol: 0 }],
    ['if_tsresol 1', { tsresol: 1 }],
    ['if_tsresol 0x80', { tsresol: 0x80 }],
    ['if_tsoffset +2^63', { tsoffset: 2n ** 63n - 1n }],
    ['if_tsoffset -2^63', { tsoffset: -(2n ** 63n) }],
  ])('%s: decode and analyze name the block and its offset, exit 2, and print no NaN', async (name, idb) => {
    // Microsecond stamps, as every writer makes them, read in the units the block claims.
    const ts = 1_795_000_000_000_000n;
    const built = buildPcapng([{ endian: 'le', blocks: [{ type: 'idb', linkType: 1, name: 'eth0', ...idb }, { type: 'epb', interfaceId: 0, ts, data: vrrpFrame() }] }]);
    const path = join(dir, `${name.replace(/\W+/g, '-')}.pcapng`);
    writeFileSync(path, built.bytes);
    for (const args of [['decode', path], ['decode', '--json', path], ['analyze', path], ['analyze', '--json', path]]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).not.toMatch(/NaN|Infinity|e\+\d/);
      expect(r.stderr, args.join(' ')).toMatch(!('tsoffset' in idb)
        ? new RegExp(`Enhanced Packet Block: timestamp \\d+ s is outside 1970-9999: .*Interface Description Block at byte offset ${built.units[1]!.offset}.* at byte offset ${built.units[2]!.offset}`)
        : new RegExp(`Interface Description Block: if_tsoffset -?\\d+ s .* at byte offset ${built.units[1]!.offset}`));
    }
  });
});

describe('output backpressure and memory', () => {
  const junk = junkCapture(300_000, 7);

  it('decode -v -x with a stalled reader waits for it: memory stays flat, then everything arrives', async () => {
    const r = await runWithPeak(['decode', '-v', '-x', junk], { stallStdout: true });
    expect(r.code).toBe(0);
    // Hundreds of MB of text were due; while nobody read them, decode held a bounded part.
    expect(r.stdoutBytes).toBeGreaterThan(200 * MiB);
    expect(r.stalledPeakMiB).toBeGreaterThan(0);
    expect(r.stalledPeakMiB).toBeLessThan(150);
    // Flowing, the garbage of 1 MiB of input's text at a time comes and goes: flat, with slack.
    expect(r.peakMiB).toBeLessThan(256);
    expect(r.stderr).toMatch(/^vrrpwatch: 300000 frames, \d+ VRRP packets, \d+ malformed/);
  }, 120_000);

  it('decode -v -x of junk frames to /dev/null keeps memory flat', async () => {
    const r = await runWithPeak(['decode', '-v', '-x', junk], { devNull: true });
    expect(r.code).toBe(0);
    expect(r.peakMiB).toBeLessThan(200);
  }, 120_000);

  it('decode --json -x with a stalled reader: the same (malformed frames go to stderr, also paced)', async () => {
    const r = await runWithPeak(['decode', '--json', '-x', junk], { stallStdout: true });
    expect(r.code).toBe(0);
    expect(r.stalledPeakMiB).toBeLessThan(150);
  }, 120_000);
});
