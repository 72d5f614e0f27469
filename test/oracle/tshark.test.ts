// `decode --json` agrees with tshark on every VRRP packet of every capture we have: version,
// VRID, priority, interval, addresses, auth string and checksum verdict.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { allCaptures, decodeCapture, HAVE_PUBLIC, hasTool } from '../support/captures.js';

const run = promisify(execFile);
const FIELDS = ['frame.number', 'vrrp.version', 'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.adver_int', 'vrrp.short_adver_int', 'vrrp.ip_addr', 'vrrp.ipv6_addr', 'vrrp.auth_string', 'vrrp.checksum.status', '_ws.malformed'];
const HAVE_TSHARK = hasTool('tshark');
const captures = allCaptures();

interface Row { frame: number; version: number; vrid: number; prio: number; interval: string; addrs: string[]; auth: string; status: string; malformed: boolean }

async function tshark(path: string): Promise<Row[]> {
  const args = ['-r', path, '-Y', 'vrrp', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of FIELDS) args.push('-e', f);
  const { stdout } = await run('tshark', args, { maxBuffer: 64 << 20, env: { ...process.env, TZ: 'UTC' } });
  return stdout.split('\n').filter((l) => l !== '').map((l) => {
    const c = l.split('\t');
    return {
      frame: Number(c[0]), version: Number(c[1]), vrid: Number(c[2]), prio: Number(c[3]),
      interval: c[1] === '3' ? (c[5] ?? '') : (c[4] ?? ''),
      addrs: [c[6], c[7]].filter((x): x is string => !!x).flatMap((x) => x.split(',')),
      auth: c[8] ?? '', status: c[9] ?? '', malformed: (c[10] ?? '') !== '',
    };
  });
}

describe.skipIf(!HAVE_TSHARK)('decode --json agrees with tshark', () => {
  it.skipIf(!HAVE_PUBLIC)('the public captures are there (../shared/captures/public)', () => {
    expect(captures.filter((c) => c.name.startsWith('public/')).length).toBeGreaterThan(10);
  });

  it.each(captures.map((c) => [c.name, c.path]))('%s', async (_name, path) => {
    const [rows, ours] = await Promise.all([tshark(path), decodeCapture(path)]);
    let compared = 0;
    for (const row of rows) {
      const mine = ours.get(row.frame);
      expect(mine, `frame ${row.frame} missing`).toBeDefined();
      const j = mine!.json;
      if (j === null) {
        // Not VRRP to us at all (fragments, damaged IP): tshark then shows a malformed stub.
        expect(mine!.decoded.kind, `frame ${row.frame}`).not.toBe('vrrp');
        expect(row.malformed, `frame ${row.frame}: tshark malformed`).toBe(true);
        continue;
      }
      const at = `frame ${row.frame}`;
      expect(j.version, at).toBe(row.version);
      expect(j.vrid, at).toBe(row.vrid);
      expect(j.priority, at).toBe(row.prio);
      // A message cut inside its header: tshark may read on past the IP length into the frame;
      // what we give (the bytes within the message) must agree, what we leave null it may show.
      const interval = row.version === 3 ? j.advertIntervalCs : j.advertInterval;
      if (row.interval !== '' && !(j.truncated && interval === null)) expect(interval, at).toBe(Number(row.interval));
      if (!j.truncated && !row.malformed) expect(j.vips, at).toEqual(row.addrs);
      else expect(row.addrs.slice(0, j.vips.length), at).toEqual(j.vips.slice(0, row.addrs.length));
      if (row.auth !== '') expect(j.authData, at).toBe(row.auth);
      // tshark's default: v3 over IPv4 with the pseudo-header only; "message-only" is Bad there.
      const tsharkGood = j.checksumOk === true && j.checksumForm !== 'message-only';
      if (row.status === '1') expect(tsharkGood, `${at} checksum good in tshark`).toBe(true);
      if (row.status === '0') expect(tsharkGood, `${at} checksum bad in tshark`).toBe(false);
      if (row.status === '2' || row.status === '') expect(j.checksumOk, `${at} unverified in tshark`).not.toBe(true);
      compared++;
    }
    // And nothing tshark calls non-VRRP is VRRP to us.
    const tsharkFrames = new Set(rows.map((r) => r.frame));
    for (const [n, f] of ours) if (f.json !== null) expect(tsharkFrames.has(n), `frame ${n} is VRRP to us but not to tshark`).toBe(true);
    expect(compared + rows.filter((r) => !ours.get(r.frame)?.json).length).toBe(rows.length);
  }, 60_000);
});
