// Text from the wire is escaped in every face: a password or a pcapng interface name holding a
// terminal escape sequence is printed as \x1b..., never as the raw byte. The hostile capture is
// built here: two routers of VRID 51 with different passwords, on an interface named with ESC.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRows } from '../../src/tui/view/rows.js';
import type { VridSnapshot } from '../../src/analysis/types.js';
import { runCli } from '../support/cli.js';
import { buildPcapng, type NgBlock } from '../support/pcap-builder.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

const ESC = '\x1b';
const IFACE = `eth${ESC}[31m0`;
const PW_A = `${ESC}]0;pw`; // 5 bytes: sets the terminal title when printed raw
const PW_B = `${ESC}[2J`; // clears the screen when printed raw

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-escape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hostileCapture(): string {
  const blocks: NgBlock[] = [{ type: 'idb', linkType: 1, name: IFACE }];
  const t0 = 1_795_000_000n * 1_000_000n;
  for (let i = 0n; i < 10n; i++) {
    blocks.push({ type: 'epb', interfaceId: 0, ts: t0 + i * 1_000_000n, data: vrrpFrame({ src: '192.0.2.11', priority: 150, authType: 1, auth: PW_A }) });
    blocks.push({ type: 'epb', interfaceId: 0, ts: t0 + i * 1_000_000n + 500_000n, data: vrrpFrame({ src: '192.0.2.12', priority: 100, authType: 1, auth: PW_B }) });
  }
  const path = join(dir, 'hostile.pcapng');
  writeFileSync(path, buildPcapng([{ endian: 'le', blocks }]).bytes);
  return path;
}

const file = hostileCapture();

function expectEscaped(text: string, what: string): void {
  expect(text.includes(ESC), `${what} printed a raw ESC`).toBe(false);
  expect(text, what).toContain('\\x1b');
}

describe('control characters from the wire are escaped in every face', () => {
  it('decode: the line and -v', async () => {
    const r = await runCli(['decode', file]);
    expectEscaped(r.stdout, 'decode');
    expect(r.stdout).toContain(`eth\\x1b[31m0 192.0.2.11 > 224.0.0.18:`);
    expect(r.stdout).toContain(`auth "\\x1b]0;pw"`);
    const v = await runCli(['decode', '-v', file]);
    expectEscaped(v.stdout, 'decode -v');
    expect(v.stdout).toContain('interface eth\\x1b[31m0');
    expect(v.stdout).toContain('Authentication Data "\\x1b[2J"');
  });

  it('decode --json and watch --json: valid JSON with no control character, the 8-bit CSI (0x9b) included', async () => {
    const path = join(dir, 'csi.pcapng');
    writeFileSync(path, buildPcapng([{ endian: 'le', blocks: [{ type: 'idb', linkType: 1 }, { type: 'epb', interfaceId: 0, ts: 1_795_000_000_000_000n, data: vrrpFrame({ authType: 1, auth: '\x9b2J\x7fok' }) }] }]).bytes);
    const r = await runCli(['decode', '--json', path]);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('"authData":"\\u009b2J\\u007fok"');
    expect(JSON.parse(r.stdout).authData).toBe('\x9b2J\x7fok');
    const w = await runCli(['watch', '-r', file, '--speed', '0', '--json']);
    expect(w.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    for (const line of w.stdout.trim().split('\n')) JSON.parse(line);
  });

  it('analyze text', async () => {
    const r = await runCli(['analyze', file]);
    expectEscaped(r.stdout, 'analyze');
    expect(r.stdout).toContain('password "\\x1b]0;pw"');
  });

  it('check -v', async () => {
    const r = await runCli(['check', '-r', file, '-v']);
    expect(r.stdout.includes(ESC)).toBe(false);
    expect(r.stdout).toMatch(/\\x1b/);
  });

  it('watch --no-tui, text and JSON', async () => {
    const r = await runCli(['watch', '-r', file, '--speed', '0', '--no-tui']);
    expectEscaped(r.stdout, 'watch --no-tui');
    const j = await runCli(['watch', '-r', file, '--speed', '0', '--json']);
    expect(j.stdout.includes(ESC)).toBe(false);
  });

  it('the TUI table (interface names arrive escaped from the capture reader, see parser.test.ts)', () => {
    const v = {
      segment: { interface: 'eth0', vlans: [] }, family: 'ipv4', vrid: 51, version: 2, master: '192.0.2.11', status: 'auth-mismatch', conditions: [],
      routers: [{ address: '192.0.2.11', priority: 150, advertIntervalCs: 100, lastSeenUs: 0, measured: null, vips: [], authType: 1, authData: PW_A }],
    } as unknown as VridSnapshot;
    const [row] = buildRows([v], 0);
    expect(row!.auth).toBe('password "\\x1b]0;pw"');
  });
});
