// `vrrpwatch [watch]` as a program whose output is not a terminal: event lines, the same events
// as `analyze`, JSON lines with analyze's field names, and one-sentence usage errors.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const CAPTURES = join(import.meta.dirname, '../../captures');
const captures = readdirSync(CAPTURES).filter((f) => f.endsWith('.pcap'));
const path = (f: string) => relative(process.cwd(), join(CAPTURES, f));

/** The timeline lines of `analyze`'s report. */
function analyzeEvents(report: string): string {
  // analyze marks what is still open at the end of the capture; watch cannot know it yet.
  return report.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l)).map((l) => `${l.replace(/ \(open at end, \d+ s\)$/, '')}\n`).join('');
}

describe('vrrpwatch -r FILE, not on a terminal', () => {
  it.each(captures)('prints the same events as analyze: %s', async (f) => {
    const [watch, analyze] = await Promise.all([runCli(['-r', path(f), '--speed', '0']), runCli(['analyze', path(f)])]);
    expect(watch.stderr).toBe('');
    expect(watch.code).toBe(0);
    expect(watch.stdout).toBe(analyzeEvents(analyze.stdout));
  });

  it('prints JSON lines with the fields of analyze --json, through the watch command by name', async () => {
    const [watch, analyze] = await Promise.all([runCli(['watch', '-r', path('master-crash.pcap'), '--speed', '0', '--json']), runCli(['analyze', '--json', path('master-crash.pcap')])]);
    const lines = watch.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual((JSON.parse(analyze.stdout) as { events: unknown[] }).events);
  });

  it('--no-tui gives lines too, and at the recorded pace by default', async () => {
    const started = Date.now();
    const r = await runCli(['-r', path('steady-pair.pcap'), '--no-tui', '--speed', '20']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('advertises priority 150');
    // steady-pair spans about 5 s: at 20x it takes a quarter of a second or more.
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('reads a capture from standard input', async () => {
    const r = await runCli(['-r', '-', '--speed', '0'], { stdin: readFileSync(join(CAPTURES, 'master-crash.pcap')) });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(4);
  });
});

describe('vrrpwatch usage errors', () => {
  it.each([
    [[], /say what to watch: -i IFACE .* or -r FILE/],
    [['-i', 'eth0', '-r', 'x.pcap'], /-i and -r exclude each other/],
    [['-r', 'x.pcap', '-f', 'vrrp'], /-f filters a live capture; to filter a file: tcpdump -r FILE -w - 'EXPR' \| vrrpwatch -r -/],
    [['-r', 'x.pcap', '-w', 'out.pcap'], /-w saves a live capture/],
    [['-i', 'eth0', '--speed', '2'], /--speed sets the pace of a replay/],
    [['-r', 'x.pcap', '--speed', '-1'], /--speed.*a number >= 0/],
    [['-r', 'x.pcap', '--speed', 'fast'], /--speed.*a number >= 0/],
  ])('%j', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('says which file cannot be read (exit 2), before any screen', async () => {
    const r = await runCli(['-r', 'no-such-file.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vrrpwatch: cannot read no-such-file.pcap: no such file\n');
  });

  it('a damaged capture: the events before the damage, then the offset (exit 2)', async () => {
    const bytes = readFileSync(join(CAPTURES, 'master-crash.pcap'));
    const cut = join(mkdtempSync(join(tmpdir(), 'vrrpwatch-watch-')), 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const r = await runCli(['-r', cut, '--speed', '0']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('master changed from 192.0.2.11 to 192.0.2.12');
    expect(r.stderr).toMatch(/^vrrpwatch: .*cut\.pcap: .* at byte offset \d+\n$/);
  });
});
