// `vrrpwatch report` as a user runs it: where the page goes, standard input, usage errors, and
// damaged or missing captures.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultOutput } from '../../src/cli/report.js';
import { PROJECT_CAPTURES } from '../support/captures.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-report-cli-'));
const crash = join(PROJECT_CAPTURES, 'master-crash.pcap');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vrrpwatch report', () => {
  it('writes the page beside the capture, named after it, by default', async () => {
    const copy = join(dir, 'crash.pcap');
    copyFileSync(crash, copy);
    const r = await runCli(['report', copy]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*crash\.html \(\d+ KiB\)/);
    const html = readFileSync(join(dir, 'crash.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/data-kind="master"/g)).toHaveLength(3);
  });

  it.each(['master-crash.pcap', 'one-way-loss.pcap', 'vrid-collision.pcap'])('%s: states the verdict `check -r` gives', async (name) => {
    const capture = join(PROJECT_CAPTURES, name);
    const check = await runCli(['check', '-r', capture]);
    const page = await runCli(['report', capture, '-o', '-']);
    const escaped = /<div class="verdict st-\w+">([^<]*)<\/div>/.exec(page.stdout)?.[1] ?? '';
    const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
    const verdict = escaped.replace(/&(amp|lt|gt|quot|#39);/g, (x) => entities[x] as string);
    expect(verdict).toBe(check.stdout.split('\n')[0]!.split(' | ')[0]);
  });

  it('--config: a priority changed in one node\'s file shows as a config-mismatch on the page and in its verdict', async () => {
    const configs = join(PROJECT_CAPTURES, 'configs', 'master-crash');
    const a = join(dir, 'vwt-a.conf');
    writeFileSync(a, readFileSync(join(configs, 'vwt-a.conf'), 'utf8').replace('priority 150', 'priority 200'));
    const clean = await runCli(['report', crash, '-o', '-', '--config', join(configs, 'vwt-a.conf'), '--config', join(configs, 'vwt-b.conf')]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).not.toContain('config mismatch');
    const altered = await runCli(['report', crash, '-o', '-', '--config', a, '--config', join(configs, 'vwt-b.conf')]);
    expect(altered.code).toBe(0);
    expect(altered.stdout).toMatch(/class="verdict st-WARNING">VRRP WARNING - config mismatch on VRID 51/);
    expect(altered.stdout).toMatch(/priority 150 on the wire, 200 in [^<]*vwt-a\.conf:11/);
  });

  it('names the default output from the capture', () => {
    expect(defaultOutput('captures/x.pcap')).toBe('captures/x.html');
    expect(defaultOutput('/tmp/y.pcapng')).toBe('/tmp/y.html');
    expect(defaultOutput('dump')).toBe('dump.html');
  });

  it('reads standard input with -o, and writes to standard output with -o -', async () => {
    const bytes = readFileSync(crash);
    const out = join(dir, 'stdin.html');
    expect((await runCli(['report', '-', '-o', out], { stdin: bytes })).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('VRRP report <span class="file">standard input</span>');
    const r = await runCli(['report', '-', '-o', '-'], { stdin: bytes });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('data-kind="no-master"');
    expect(r.stdout.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('refuses standard input without -o (exit 64), saying what to give', async () => {
    const r = await runCli(['report', '-'], { stdin: readFileSync(crash) });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('give -o OUT.html (or -o - for standard output)');
  });

  it('reports a damaged capture up to the damage, names the byte, and exits 2', async () => {
    const bytes = readFileSync(crash);
    const cut = join(dir, 'cut.pcap');
    // A record header that claims more than the file holds.
    const damaged = Buffer.concat([bytes, Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f])]);
    writeFileSync(cut, damaged);
    const out = join(dir, 'cut.html');
    const r = await runCli(['report', cut, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cut\.pcap: .* at byte offset \d+/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('The capture is damaged');
    expect(html.match(/data-kind="master"/g)).toHaveLength(3);
  });

  it('exits 2 naming a capture it cannot read, and writes nothing', async () => {
    const missing = join(dir, 'nope.pcap');
    const r = await runCli(['report', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.pcap');
    expect(existsSync(join(dir, 'nope.html'))).toBe(false);
  });
});
