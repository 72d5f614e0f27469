import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile, visitCaptureFile } from '../../src/capture/file.js';
import { CaptureFileError, type CaptureRecord } from '../../src/capture/types.js';
import { buildPcap, buildPcapng, expectedPcapngRecords, payload, type NgSection } from '../support/pcap-builder.js';

const VRRP_PCAP = '/work/shared/captures/public/tcpdump/vrrp.pcap';
const VRRP_FIELDS = `${VRRP_PCAP}.fields.tsv`;
const haveShared = existsSync(VRRP_PCAP);
const installed = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error === undefined;
const has = { tcpdump: installed('tcpdump'), editcap: installed('editcap'), tshark: installed('tshark'), cat: installed('cat') };
/** A test title that says why it is skipped, when it is. */
const title = (runs: boolean, name: string, reason: string): string => (runs ? name : `${name} (skipped: ${reason})`);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-capture-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(path: string, opts?: Parameters<typeof readCaptureFile>[2]) {
  const records: CaptureRecord[] = [];
  const summary = await readCaptureFile(path, (r) => records.push({ ...r, data: r.data.slice() }), opts);
  return { records, summary };
}

/** Rejection of a promise, or a failure if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

let reader: Promise<string> | undefined;
function transpiledReader(): Promise<string> {
  reader ??= transpileReader();
  return reader;
}

/**
 * The capture reader as plain JavaScript plus a main that reads '-' and prints the summary, so a
 * child process can exercise the real process.stdin (Node 20 cannot run TypeScript itself).
 */
async function transpileReader(): Promise<string> {
  const ts = (await import('typescript')).default;
  const out = join(dir, 'reader-js');
  mkdirSync(out, { recursive: true });
  for (const name of ['types', 'parser', 'file']) {
    const source = readFileSync(new URL(`../../src/capture/${name}.ts`, import.meta.url), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(out, `${name}.js`), js.outputText);
  }
  // The parser escapes pcapng interface names with src/format/escape.ts, which it finds at ../format/.
  const format = join(dir, 'format');
  mkdirSync(format, { recursive: true });
  // ... and converts times with src/time/timestamp.ts, at ../time/.
  const time = join(dir, 'time');
  mkdirSync(time, { recursive: true });
  for (const [folder, name] of [[format, 'format/escape'], [time, 'time/timestamp']] as const) {
    const source = readFileSync(new URL(`../../src/${name}.ts`, import.meta.url), 'utf8');
    writeFileSync(join(folder, `${name.split('/')[1]}.js`), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText);
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  const main = join(out, 'main.js');
  writeFileSync(
    main,
    "import { readCaptureFile } from './file.js';\n" +
      'readCaptureFile("-", () => {}).then((s) => console.log(JSON.stringify(s)), (e) => { console.error(e.message); process.exitCode = 1; });\n',
  );
  return main;
}

describe.skipIf(!haveShared)(title(haveShared, 'vrrp.pcap from tcpdump', `${VRRP_PCAP} is absent: /work/shared is not mounted`), () => {
  it('reads 165 frames whose lengths match those tshark saw', async () => {
    const { records, summary } = await readAll(VRRP_PCAP);
    expect(summary).toEqual({ format: 'pcap', frames: 165, bytes: readFileSync(VRRP_PCAP).length });
    expect(records[0]).toMatchObject({ frame: 1, tsSec: 1394056506, tsNsec: 745865000, linkType: 1, originalLength: 62 });
    // tshark's frame.len and frame.cap_len, an independent reader.
    const rows = readFileSync(VRRP_FIELDS, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
    expect(records.map((r) => [String(r.frame), String(r.originalLength), String(r.data.length)])).toEqual(rows.map((c) => c.slice(0, 3)));
  });

  it.skipIf(!has.tcpdump)(title(has.tcpdump, 'agrees with tcpdump -tt on every timestamp', 'tcpdump is not installed'), async () => {
    const { records } = await readAll(VRRP_PCAP);
    const stamps = execFileSync('tcpdump', ['-tt', '-n', '-r', VRRP_PCAP], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0]);
    expect(records.map((r) => `${r.tsSec}.${String(r.tsNsec / 1000).padStart(6, '0')}`)).toEqual(stamps);
  });

  it.skipIf(!has.editcap)(title(has.editcap, 'reads the editcap pcapng and nanosecond pcap conversions alike', 'editcap is not installed'), async () => {
    const original = await readAll(VRRP_PCAP);
    for (const [format, expected] of [['pcapng', 'pcapng'], ['nsecpcap', 'pcap']] as const) {
      const out = join(dir, `vrrp.${format}`);
      execFileSync('editcap', ['-F', format, VRRP_PCAP, out]);
      const converted = await readAll(out);
      expect(converted.summary.format).toBe(expected);
      expect(converted.summary.frames).toBe(165);
      const key = (r: CaptureRecord) => [r.frame, r.tsSec, Math.floor(r.tsNsec / 1000), r.linkType, r.originalLength, r.data];
      expect(converted.records.map(key)).toEqual(original.records.map(key));
    }
  });

  it('gives the same records with tiny reads, so records really cross chunk boundaries', async () => {
    const whole = await readAll(VRRP_PCAP);
    expect(await readAll(VRRP_PCAP, { highWaterMark: 7 })).toEqual(whole);
  });

  it("reads '-' from the real standard input of a child process, redirected from the file", async () => {
    const main = await transpiledReader();
    const stdin = openSync(VRRP_PCAP, 'r');
    try {
      const run = spawnSync(process.execPath, [main], { stdio: [stdin, 'pipe', 'pipe'], encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({ format: 'pcap', frames: 165, bytes: readFileSync(VRRP_PCAP).length });
    } finally {
      closeSync(stdin);
    }
  });

  it.skipIf(!has.cat)(title(has.cat, "reads '-' from a pipe as <stdin>", 'cat is not installed'), async () => {
    const child = spawn('cat', [VRRP_PCAP], { stdio: ['ignore', 'pipe', 'inherit'] });
    const { records, summary } = await readAll('-', { stdin: child.stdout });
    expect(summary.frames).toBe(165);
    expect(records[164]?.frame).toBe(165);
  });
});

describe.skipIf(!has.tshark)(title(has.tshark, 'agreement with Wireshark', 'tshark is not installed'), () => {
  it('tshark and our parser read the builder files the same way', async () => {
    const files: [string, Uint8Array][] = [
      ...(['usec-le', 'usec-be', 'nsec-le', 'nsec-be'] as const).map((variant): [string, Uint8Array] => [
        `${variant}.pcap`,
        buildPcap({
          variant,
          linkType: 1,
          records: [
            { tsSec: 1394056506, tsFrac: variant.startsWith('nsec') ? 745865123 : 745865, data: payload(62) },
            { tsSec: 1394056507, tsFrac: 1, originalLength: 1514, data: payload(64) },
          ],
        }).bytes,
      ]),
      [
        'mixed.pcapng',
        buildPcapng([
          {
            endian: 'le',
            blocks: [
              { type: 'idb', linkType: 1, name: 'eth0' },
              { type: 'idb', linkType: 113, snaplen: 96, name: 'any', tsresol: 9 },
              { type: 'raw', blockType: 4, body: new Uint8Array(4) },
              { type: 'epb', interfaceId: 0, ts: 1394056506745865n, data: payload(62) },
              { type: 'epb', interfaceId: 1, ts: 1_700_000_000_123_456_789n, originalLength: 200, data: payload(96) },
              { type: 'spb', data: payload(45) },
              { type: 'pb', interfaceId: 1, ts: 1_700_000_001_000_000_001n, data: payload(7) },
            ],
          },
          {
            endian: 'be',
            blocks: [
              { type: 'idb', linkType: 101, name: 'wlan0', tsresol: 0x94, tsoffset: 10n },
              { type: 'epb', interfaceId: 0, ts: (1_700_000_000n << 20n) + 524_288n, data: payload(40) },
            ],
          },
        ]).bytes,
      ],
    ];
    for (const [name, bytes] of files) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const tshark = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const { records } = await readAll(path);
      const ours = records.map((r) => {
        // tshark leaves the time of a Simple Packet Block empty.
        const time = r.tsSec === 0 && r.tsNsec === 0 ? '' : `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`;
        return [r.frame, time, r.originalLength, r.data.length].join('\t');
      });
      expect(ours, name).toEqual(tshark.trim().split('\n'));
    }
  });
});

describe('readCaptureFile', () => {
  const sections: NgSection[] = [
    {
      endian: 'be',
      blocks: [
        { type: 'idb', linkType: 1, name: 'eth0', tsresol: 9 },
        ...Array.from({ length: 20 }, (_, i) => ({ type: 'epb' as const, interfaceId: 0, ts: 1_700_000_000_000_000_000n + BigInt(i), data: payload(60 + i, i) })),
      ],
    },
  ];

  it('streams a pcapng file', async () => {
    const path = join(dir, 'small.pcapng');
    writeFileSync(path, buildPcapng(sections).bytes);
    const { records, summary } = await readAll(path, { highWaterMark: 64 });
    expect(records).toEqual(expectedPcapngRecords(sections));
    expect(summary.frames).toBe(20);
  });

  it('visits the packets it reads as records, from a regular file and from a named pipe', async () => {
    const path = join(dir, 'visit.pcapng');
    writeFileSync(path, buildPcapng(sections).bytes);
    const visitAll = async (p: string, opts?: Parameters<typeof visitCaptureFile>[2]) => {
      const records: CaptureRecord[] = [];
      const summary = await visitCaptureFile(p, (buf, offset, length, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength) => {
        records.push({ frame: records.length + 1, tsSec, tsNsec, linkType, interfaceId, interfaceName, originalLength, data: buf.slice(offset, offset + length) });
      }, opts);
      return { records, summary };
    };
    const expected = await readAll(path);
    expect(await visitAll(path)).toEqual(expected);
    expect(await visitAll(path, { highWaterMark: 64 })).toEqual(expected);
    // A pipe cannot be read ahead synchronously: it is streamed.
    const fifo = join(dir, 'visit.fifo');
    execFileSync('mkfifo', [fifo]);
    const written = once(spawn('sh', ['-c', `cat "${path}" > "${fifo}"`]), 'close');
    expect(await visitAll(fifo, { highWaterMark: 100 })).toEqual(expected);
    await written;
  });

  it('delivers the frames before the damage, then rejects with a CaptureFileError naming the file', async () => {
    const built = buildPcapng(sections);
    const cut = built.units[10]!;
    const path = join(dir, 'cut.pcapng');
    writeFileSync(path, built.bytes.subarray(0, cut.offset + 30));
    const records: CaptureRecord[] = [];
    const err = await rejection(readCaptureFile(path, (r) => records.push(r), { highWaterMark: 100 }));
    expect(records.map((r) => r.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(err).toBeInstanceOf(CaptureFileError);
    expect(err.message).toBe(`${path}: truncated: the file ends inside a ${cut.length}-byte Enhanced Packet Block (30 bytes present) at byte offset ${cut.offset}`);
  });

  it('names <stdin> in errors about standard input, read by a real process', async () => {
    const run = spawnSync(process.execPath, [await transpiledReader()], { input: 'not a capture', encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('<stdin>: unknown file format: magic number 0x6e6f7420 is neither pcap nor pcapng at byte offset 0');
  });

  it('names <stdin> in errors about a standard input stream passed in', async () => {
    const child = spawn('printf', ['nonsense'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const err = await rejection(readCaptureFile('-', () => {}, { stdin: child.stdout }));
    expect(err).toBeInstanceOf(CaptureFileError);
    expect(err.message).toMatch(/^<stdin>: unknown file format/);
  });

  it('explains a missing file and a directory, without calling them corrupt', async () => {
    const missing = join(dir, 'nope.pcap');
    const gone = await rejection(readCaptureFile(missing, () => {}));
    expect(gone).not.toBeInstanceOf(CaptureFileError);
    expect(gone.message).toBe(`cannot read ${missing}: no such file`);
    const isDir = await rejection(readCaptureFile(dir, () => {}));
    expect(isDir.message).toBe(`cannot read ${dir}: it is a directory, not a capture file`);
  });

  it('passes an error thrown by the callback through unchanged', async () => {
    const path = join(dir, 'cb.pcapng');
    writeFileSync(path, buildPcapng(sections).bytes);
    const boom = new Error('consumer gave up');
    const err = await rejection(readCaptureFile(path, (r) => {
      if (r.frame === 3) throw boom;
    }));
    expect(err).toBe(boom);
  });

  it('keeps memory flat while streaming a 100 MB file', async () => {
    const path = join(dir, 'big.pcap');
    // 1 MiB of 1000-byte records, written 100 times: the file never exists in memory whole. At 50 MB
    // the bound could not fail: reading the whole file at once grows RSS by only ~50 MB.
    const copies = 100;
    const perBlock = 1000;
    const block = buildPcap({
      variant: 'usec-le',
      linkType: 1,
      records: Array.from({ length: perBlock }, (_, i) => ({ tsSec: 1_700_000_000, tsFrac: i, data: payload(1000, i) })),
    }).bytes;
    const fd = openSync(path, 'w');
    writeSync(fd, block.subarray(0, 24));
    const body = block.subarray(24);
    for (let i = 0; i < copies; i++) writeSync(fd, body);
    closeSync(fd);

    const before = process.memoryUsage().rss;
    let peak = before;
    let frames = 0;
    let bytes = 0;
    const summary = await readCaptureFile(path, (r) => {
      frames++;
      bytes += r.data.length;
      if ((frames & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    });
    expect(summary.frames).toBe(copies * perBlock);
    expect(bytes).toBe(copies * perBlock * 1000);
    expect(summary.bytes).toBeGreaterThan(100_000_000);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });
});
