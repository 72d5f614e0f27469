import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/file.js';
import type { CaptureRecord } from '../../src/capture/types.js';
import { pcapHeader, pcapRecord, PcapFileWriter } from '../../src/capture/writer.js';
import { buildPcap, payload } from '../support/pcap-builder.js';
import { parseBytes } from './parse-helper.js';

const hasTcpdump = spawnSync('tcpdump', ['--version'], { stdio: 'ignore' }).error === undefined;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-writer-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('pcap encoders', () => {
  it.each([
    [false, 'usec-le'],
    [true, 'nsec-le'],
  ] as const)('header (nanosecond %s) matches the independent builder', (nanosecond, variant) => {
    const golden = buildPcap({ variant, linkType: 113, snaplen: 262144, records: [] }).bytes;
    expect(pcapHeader(113, 262144, nanosecond)).toEqual(golden);
  });

  it('defaults to snaplen 262144, microseconds', () => {
    expect(pcapHeader(1)).toEqual(buildPcap({ variant: 'usec-le', linkType: 1, snaplen: 262144, records: [] }).bytes);
  });

  it('record matches the builder, truncating nanoseconds to microseconds unless asked not to', () => {
    const data = payload(61);
    const rec = { tsSec: 1394056506, tsNsec: 745865999, originalLength: 1514, data };
    const usec = buildPcap({ variant: 'usec-le', linkType: 1, records: [{ tsSec: 1394056506, tsFrac: 745865, originalLength: 1514, data }] });
    expect(pcapRecord(rec)).toEqual(usec.bytes.subarray(24));
    const nsec = buildPcap({ variant: 'nsec-le', linkType: 1, records: [{ tsSec: 1394056506, tsFrac: 745865999, originalLength: 1514, data }] });
    expect(pcapRecord(rec, true)).toEqual(nsec.bytes.subarray(24));
  });
});

describe('PcapFileWriter', () => {
  const records = Array.from({ length: 300 }, (_, i) => ({
    tsSec: 1_700_000_000 + i,
    tsNsec: i * 1_000_123,
    originalLength: 100 + i,
    data: payload(40 + (i % 60), i),
  }));

  async function writeFile(name: string): Promise<string> {
    const path = join(dir, name);
    const writer = await PcapFileWriter.open(path, 1);
    for (const r of records) await writer.write(r);
    await writer.close();
    return path;
  }

  it('round-trips through the parser with microsecond timestamps', async () => {
    const path = await writeFile('round.pcap');
    const read: CaptureRecord[] = [];
    const summary = await readCaptureFile(path, (r) => read.push({ ...r, data: r.data.slice() }));
    expect(summary.format).toBe('pcap');
    expect(read.map((r) => [r.frame, r.tsSec, r.tsNsec, r.linkType, r.originalLength, r.data])).toEqual(
      records.map((r, i) => [i + 1, r.tsSec, Math.floor(r.tsNsec / 1000) * 1000, 1, r.originalLength, r.data]),
    );
    expect(parseBytes(readFileSync(path)).records).toHaveLength(300);
  });

  it.skipIf(!hasTcpdump)(hasTcpdump ? 'writes files tcpdump accepts' : 'writes files tcpdump accepts (skipped: tcpdump is not installed)', async () => {
    const path = await writeFile('tcpdump.pcap');
    const run = spawnSync('tcpdump', ['-tt', '-n', '-r', path, '-c', '1'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('link-type EN10MB');
    expect(run.stdout).toMatch(/^1700000000\.000000 /);
  });

  it('rejects opening a file in a missing directory, saying so', async () => {
    const path = join(dir, 'no', 'such', 'x.pcap');
    await expect(PcapFileWriter.open(path, 1)).rejects.toThrow(`cannot write ${path}: no such directory`);
  });
});
