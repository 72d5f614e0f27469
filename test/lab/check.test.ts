// `vrrpwatch check -i` against real keepalived: on the observer's port of a healthy pair it says
// OK; once the backup is deaf to multicast (it takes over too: split brain) a single default run
// says CRITICAL, naming VRID 51 and both routers. Needs root, keepalived and the libpcap binding.
import { afterAll, describe, expect, it } from 'vitest';
import { loadPcap } from '../../src/live/binding.js';
import { BIN, type CliResult } from '../support/cli.js';
import { Lab, LAB_SKIP } from './harness.js';

const PCAP_SKIP = await loadPcap().then(() => null, (e: Error) => e.message);
const SKIP = LAB_SKIP ?? PCAP_SKIP;
const VIP = '192.0.2.100';

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`lab: ${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One `vrrpwatch check` run inside the observer's namespace, killed if it outlives its own timeout. */
function check(lab: Lab, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = lab.spawnIn(lab.obsNs, process.execPath, [BIN, 'check', ...args]);
    let stdout = '', stderr = '';
    p.stdout?.on('data', (d: Buffer) => { stdout += d; });
    p.stderr?.on('data', (d: Buffer) => { stderr += d; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`check ${args.join(' ')} ran past 35 s`)); }, 35_000);
    p.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
    p.stdin?.end();
  });
}

describe.skipIf(SKIP !== null)(`vrrpwatch check -i on a keepalived pair${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let lab: Lab | undefined;
  afterAll(() => lab?.destroySync());

  it('OK on a healthy pair; CRITICAL, naming VRID 51 and both routers, once the backup is deaf', async () => {
    lab = Lab.create('ck', 2);
    lab.startKeepalived('a', [{ vrid: 51, priority: 150, state: 'MASTER', vips: [VIP] }]);
    lab.startKeepalived('b', [{ vrid: 51, priority: 100, vips: [VIP] }]);
    await until('192.0.2.11 taking the VIP', () => lab!.hasAddress('a', VIP), 10_000);

    const healthy = await check(lab, ['-i', lab.obsIf]);
    expect({ code: healthy.code, stderr: healthy.stderr }).toEqual({ code: 0, stderr: '' });
    expect(healthy.stdout).toMatch(/^VRRP OK - VRID 51: master 192\.0\.2\.11 \| 'vrids'=1;;;0 'masters'=1;;;0 /);
    expect(healthy.stdout.split('\n')[1]).toBe('VRID 51 OK: master 192.0.2.11 (150), every 1 s');

    // b stops hearing a's adverts and becomes master after its Master_Down_Interval (3.6 s).
    lab.deafen('b');
    await until('192.0.2.12 taking the VIP as well', () => lab!.hasAddress('b', VIP), 10_000);
    const split = await check(lab, ['-i', lab.obsIf]);
    expect({ code: split.code, stderr: split.stderr }).toEqual({ code: 2, stderr: '' });
    const first = split.stdout.split('\n')[0] ?? '';
    expect(first).toMatch(/^VRRP CRITICAL - (split brain|duplicate VIP) on VRID 51: .*192\.0\.2\.11 and 192\.0\.2\.12/);
    expect(split.stdout.split('\n')[1]).toMatch(/^VRID 51 CRITICAL: /);
  }, 60_000);
});
