// watch --config live, against real keepalived (issue 12): the observer holds the wire against
// the nodes' keepalived.conf files as they were given; when one node's file is changed (priority
// 150 -> 170) and its keepalived reloaded (SIGHUP), the config-mismatch appears live, naming the
// given file's line.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { JsonWatcher } from '../tui/watcher.js';
import { Lab, LAB_SKIP } from './harness.js';

describe.skipIf(LAB_SKIP !== null)(`vrrpwatch watch --config, live, against keepalived${LAB_SKIP ? ` (skipped: ${LAB_SKIP})` : ''}`, () => {
  let lab: Lab | undefined;
  const given = mkdtempSync(join(tmpdir(), 'vrrpwatch-config-watch-'));
  afterAll(() => {
    lab?.destroySync();
    rmSync(given, { recursive: true, force: true });
  });

  it('a priority changed and reloaded on one node is a config-mismatch, live, at the given file:line', async () => {
    lab = Lab.create('wc', 2);
    lab.startKeepalived('a', [{ vrid: 51, priority: 150, state: 'MASTER', vips: ['192.0.2.100'], authPass: 'vrrplab1' }]);
    lab.startKeepalived('b', [{ vrid: 51, priority: 100, vips: ['192.0.2.100'], authPass: 'vrrplab1' }]);
    // The configs as deployed: what the observer is told the nodes run.
    for (const h of ['a', 'b']) copyFileSync(join(lab.dir, `${h}.conf`), join(given, `${h}.conf`));
    const aConf = join(given, 'a.conf');
    const line = readFileSync(aConf, 'utf8').split('\n').indexOf('  priority 150') + 1;
    const watcher = new JsonWatcher(lab.spawnIn(lab.obsNs, process.execPath, [BIN, '-i', lab.obsIf, '--json', '--config', aConf, '--config', join(given, 'b.conf')]));

    const { e: mapped } = await watcher.waitFor((e) => e.type === 'router-mapped' && e.router === lab!.ip4('a'), 15_000, 'router-mapped for the master');
    expect(mapped).toMatchObject({ node: 'vwtwc-a', by: 'vrid-priority-interval', file: aConf });
    expect(watcher.events.filter((x) => x.e.type === 'config-mismatch')).toEqual([]);

    // Someone edits the running node's file and reloads it; the given copy still says 150.
    const running = join(lab.dir, 'a.conf');
    writeFileSync(running, readFileSync(running, 'utf8').replace('priority 150', 'priority 170'));
    const parent = Number(readFileSync(join(lab.dir, 'a.pid'), 'utf8').trim());
    const reloadedAt = Date.now();
    process.kill(parent, 'SIGHUP');

    const { at, e } = await watcher.waitFor((x) => x.type === 'config-mismatch', 15_000, 'config-mismatch after the reload');
    expect(e).toMatchObject({ vrid: 51, router: lab.ip4('a'), node: 'vwtwc-a', field: 'priority', wire: 170, config: 150, file: aConf, line, severity: 'warning' });
    expect(e.message).toContain(`advertises priority 170 but ${aConf}:${line} says 150`);
    // Live: within a few adverts of the reload.
    expect(at - reloadedAt).toBeLessThanOrEqual(5_000);
    expect(watcher.events.filter((x) => x.e.type === 'config-mismatch')).toHaveLength(1);
    await watcher.stop();
  }, 60_000);
});
