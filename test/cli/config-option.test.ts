// --config as users give it: `[ADDR=]FILE[@CONFIG_ID]`, and what analyze --json and watch --json
// print with it (`node` on every router, `config`, the events live in a replay).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigArg } from '../../src/cli/config-option.js';
import { runCli } from '../support/cli.js';

const CAPTURES = join(import.meta.dirname, '../../captures');

describe('parseConfigArg', () => {
  it('reads ADDR=, the file and @CONFIG_ID; a prefix that is no address belongs to the file', () => {
    expect(parseConfigArg('192.0.2.11=lb-a.conf')).toEqual({ address: '192.0.2.11', node: 'lb-a.conf' });
    expect(parseConfigArg('2001:DB8::1=lb.conf@lb1')).toEqual({ address: '2001:db8::1', node: 'lb.conf@lb1' });
    expect(parseConfigArg('a=b.conf')).toEqual({ address: null, node: 'a=b.conf' });
    expect(parseConfigArg('lb-a.conf')).toEqual({ address: null, node: 'lb-a.conf' });
    expect(parseConfigArg('192.0.2.11=')).toHaveProperty('error');
  });
});

describe('the faces with --config', () => {
  const dir = join(CAPTURES, 'configs/master-crash');
  const args = ['--config', join(dir, 'vwt-a.conf'), '--config', join(dir, 'vwt-b.conf')];

  it('analyze --json: every router has `node`, and `config` holds the lint document', async () => {
    const r = await runCli(['analyze', '--json', join(CAPTURES, 'master-crash.pcap'), ...args]);
    const doc = JSON.parse(r.stdout) as { vrids: { routers: { address: string; node: string | null }[] }[]; config: { nodes: { name: string; address: string | null }[]; findings: unknown[] } };
    expect(doc.vrids[0]?.routers.map((x) => [x.address, x.node]).sort()).toEqual([['192.0.2.11', 'vwt-a'], ['192.0.2.12', 'vwt-b']]);
    expect(doc.config.nodes.map((n) => [n.name, n.address])).toEqual([['vwt-a', null], ['vwt-b', null]]);
    expect(doc.config.findings).toEqual([]);
  });

  it('analyze without --config prints no `node` and no `config`', async () => {
    const r = await runCli(['analyze', '--json', join(CAPTURES, 'master-crash.pcap')]);
    const doc = JSON.parse(r.stdout) as Record<string, unknown> & { vrids: { routers: Record<string, unknown>[] }[] };
    expect(doc).not.toHaveProperty('config');
    expect(doc.vrids[0]?.routers[0]).not.toHaveProperty('node');
  });

  it('watch --json replaying a capture against a changed password prints the config-mismatch', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-watch-config-'));
    for (const f of ['vwt-a.conf', 'vwt-b.conf']) copyFileSync(join(dir, f), join(tmp, f));
    const b = join(tmp, 'vwt-b.conf');
    writeFileSync(b, readFileSync(b, 'utf8').replace('auth_pass vrrplab1', 'auth_pass other123'));
    const r = await runCli(['watch', '-r', join(CAPTURES, 'master-crash.pcap'), '--speed', '0', '--json', '--config', join(tmp, 'vwt-a.conf'), '--config', b]);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const found = events.filter((e) => e.type === 'config-mismatch');
    expect(found).toEqual([expect.objectContaining({ router: '192.0.2.12', node: 'vwt-b', field: 'authData', wire: 'vrrplab1', config: 'other123', file: b, line: 16 })]);
    // The files disagree with each other: lint's auth-mismatch, once, on stderr, before the events.
    expect(r.stderr.match(/\[auth-mismatch\]/g)).toHaveLength(1);
  });
});
