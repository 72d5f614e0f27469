// Live capture for real, as root: a capture in one network namespace, frames sent from the other
// end of a veth pair, with the project's inject (and tcpreplay for the flood). Every test is
// bounded in time; the namespaces go away in afterAll, even when a test failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/decode/frame.js';
import type { DecodedFrame } from '../../src/decode/types.js';
import { buildPcap } from '../support/pcap-builder.js';
import { hasTool } from '../support/captures.js';
import { vrrpFrame } from '../support/vrrp-frames.js';
import { END_MARKER, MATCHING, NOT_MATCHING, type Expected } from './frames.js';
import { createNetnsPair, injectFrames, ip, JsonChild, liveSkipReason, startCapture, type NetnsPair } from './netns.js';

const SKIP = liveSkipReason();
let net: NetnsPair | null = null;
const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-live-'));

beforeAll(() => {
  if (SKIP === null) net = createNetnsPair('lt');
});

afterAll(() => {
  net?.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

function pair(): NetnsPair {
  if (!net) throw new Error('no namespaces');
  return net;
}

function summary(f: DecodedFrame): { kind: string; vlans: number[]; key: string } | { kind: string } {
  switch (f.kind) {
    case 'vrrp':
      return { kind: f.kind, vlans: f.link.vlans, key: `v${f.vrrp.version} ipv${f.ip.family} vrid ${f.vrrp.vrid}` };
    case 'arp':
      return { kind: f.kind, vlans: f.link.vlans, key: f.arp.senderIp };
    case 'neighbor-advert':
      return { kind: f.kind, vlans: f.link.vlans, key: f.na.target };
    default:
      return { kind: f.kind };
  }
}

function expected(e: Expected): { kind: string; vlans: number[]; key: string } {
  return { kind: e.kind, vlans: e.vlans, key: e.key };
}

type Rec = { frame: number; tsSec: number; tsNsec: number; linkType: number; interfaceId: number; interfaceName: string; originalLength: number; hex: string; atMs: number };

function records(c: JsonChild): Rec[] {
  return c.lines.filter((l) => l.event === 'record') as unknown as Rec[];
}

async function stop(c: JsonChild): Promise<Record<string, unknown>> {
  c.send('stop');
  const done = await c.event('done', 10_000);
  await c.exited;
  return done;
}

/** Sends `frames` then END_MARKER from b; resolves once the capture has delivered the marker. */
async function sendAndSettle(c: JsonChild, frames: Buffer[], markerAt: (r: Rec) => boolean): Promise<number[]> {
  const sent = await injectFrames(pair().b, pair().ifB, [...frames, END_MARKER.bytes]);
  await c.waitFor((l) => l.event === 'record' && markerAt(l as unknown as Rec), 5_000);
  return sent;
}

describe('live capture (root, network namespaces)', () => {
  it('captures every VRRP v2/v3, IPv4/IPv6, tagged or not, ARP and NA frame, and nothing else', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    const { a, ifA } = pair();
    const c = await startCapture(a, { iface: ifA });
    try {
      expect(c.lines[0]).toMatchObject({ event: 'ready', linkType: 1, iface: ifA });
      // Interleaved, so that a frame the filter wrongly took would sit between the right ones.
      const frames = MATCHING.flatMap((m, i) => (NOT_MATCHING[i] ? [m.bytes, NOT_MATCHING[i].bytes] : [m.bytes]));
      const endHex = END_MARKER.bytes.toString('hex');
      const sent = await sendAndSettle(c, frames, (r) => r.hex === endHex);
      const recs = records(c).filter((r) => r.hex !== endHex);
      const nowMs = Date.now();

      expect(recs.map((r) => r.hex)).toEqual(MATCHING.map((m) => m.bytes.toString('hex')));
      expect(recs.map((r) => summary(decodeFrame(r.linkType, Buffer.from(r.hex, 'hex'))))).toEqual(MATCHING.map(expected));
      expect(recs.map((r) => r.frame)).toEqual(MATCHING.map((_, i) => i + 1));
      for (const r of recs) {
        expect(r).toMatchObject({ linkType: 1, interfaceId: 0, interfaceName: ifA, originalLength: r.hex.length / 2 });
        const tsMs = r.tsSec * 1000 + r.tsNsec / 1e6;
        expect(Math.abs(tsMs - nowMs)).toBeLessThan(1000);
        expect(r.tsNsec % 1000).toBe(0); // microsecond stamps
        expect(tsMs).toBeGreaterThanOrEqual(sent[0]! - 5);
      }

      c.send('stats');
      const stats = await c.event('stats');
      // Linux counts the frames that passed the filter: ours, the marker, and nothing else.
      expect(stats).toMatchObject({ received: MATCHING.length + 1, dropped: 0, records: MATCHING.length + 1 });
    } finally {
      c.kill();
    }
  });

  it('delivers a single packet at once (immediate mode), not after a 1 s buffer', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    const { a, b, ifA, ifB } = pair();
    const c = await startCapture(a, { iface: ifA });
    try {
      const frames = [0, 1, 2, 3, 4].map((i) => vrrpFrame({ vrid: 40 + i, src: `192.0.2.${40 + i}` }));
      const sent = await injectFrames(b, ifB, frames, 200);
      await c.waitFor(() => records(c).length === frames.length, 5_000);
      const recs = records(c);
      const sendToCallback = recs.map((r, i) => r.atMs - sent[i]!);
      const kernelToCallback = recs.map((r) => r.atMs - (r.tsSec * 1000 + r.tsNsec / 1e6));
      ctx.annotate(`send → onRecord ms: ${sendToCallback.map((x) => x.toFixed(3)).join(' ')}; kernel stamp → onRecord ms: ${kernelToCallback.map((x) => x.toFixed(3)).join(' ')}`);
      for (const d of [...sendToCallback, ...kernelToCallback]) expect(d).toBeLessThan(100);
    } finally {
      c.kill();
    }
  });

  it('…and the test can tell: with immediate off, libpcap holds packets up to its 1 s timeout', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    const { a, b, ifA, ifB } = pair();
    const c = await startCapture(a, { iface: ifA, immediate: false });
    try {
      const frames = [0, 1, 2, 3, 4].map((i) => vrrpFrame({ vrid: 50 + i, src: `192.0.2.${50 + i}` }));
      const sent = await injectFrames(b, ifB, frames, 200);
      await c.waitFor(() => records(c).length === frames.length, 5_000);
      const delays = records(c).map((r, i) => r.atMs - sent[i]!);
      ctx.annotate(`immediate off, send → onRecord ms: ${delays.map((x) => x.toFixed(1)).join(' ')}`);
      // Each is uniform over the 1 s block timeout: all five under 100 ms has odds of 1 in 100,000.
      expect(Math.max(...delays)).toBeGreaterThan(100);
    } finally {
      c.kill();
    }
  });

  it('-i any: Linux cooked capture (SLL) with the cooked default filter, single tags included', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    const { a } = pair();
    const c = await startCapture(a, { iface: 'any' });
    try {
      expect(c.lines[0]).toMatchObject({ event: 'ready', linkType: 113, iface: 'any' });
      // SLL: 16-byte header whose last two bytes are the first ethertype; libpcap puts the tags
      // back after it, so from byte 14 on the record is the Ethernet frame from byte 12 on.
      const tail = (r: Rec): string => r.hex.slice(28);
      const endTail = END_MARKER.bytes.subarray(12).toString('hex');
      await sendAndSettle(c, [...MATCHING, ...NOT_MATCHING].map((f) => f.bytes), (r) => tail(r) === endTail);
      const recs = records(c).filter((r) => tail(r) !== endTail);
      // The kernel moves the outer tag into metadata; an inner tag stays in the bytes, where a
      // cooked filter cannot look past it (libpcap has no `vlan` for SLL): no double tags on any.
      const seen = MATCHING.filter((m) => m.vlans.length < 2);
      expect(recs.map(tail)).toEqual(seen.map((m) => m.bytes.subarray(12).toString('hex')));
      expect(recs.map((r) => summary(decodeFrame(r.linkType, Buffer.from(r.hex, 'hex'))))).toEqual(seen.map(expected));
      for (const r of recs) expect(r).toMatchObject({ linkType: 113, interfaceName: 'any' });
      // SLL carries the sender's MAC, not the interface: it is the frame's source address.
      expect(recs[0]!.hex.slice(12, 24)).toBe(MATCHING[0]!.bytes.subarray(6, 12).toString('hex'));
    } finally {
      c.kill();
    }
  });

  it('-w writes a pcap file that tcpdump reads, with the same packets', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    ctx.skip(!hasTool('tcpdump'), 'tcpdump is not installed');
    const { a, ifA } = pair();
    const file = join(tmp, 'live.pcap');
    const c = await startCapture(a, { iface: ifA, save: file });
    try {
      const endHex = END_MARKER.bytes.toString('hex');
      await sendAndSettle(c, MATCHING.map((m) => m.bytes), (r) => r.hex === endHex);
      const done = await stop(c);
      const recs = records(c);
      expect(done.saved).toBe(recs.length);
      const out = execFileSync('tcpdump', ['-r', file, '-nn', '-tt', '-xx'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      // One packet: a summary line, then hex lines "\t0x0000:  0100 5e00 …".
      const packets: { ts: string; hex: string }[] = [];
      for (const line of out.split('\n')) {
        if (/^\d+\.\d{6} /.test(line)) packets.push({ ts: line.split(' ')[0]!, hex: '' });
        else if (/^\s+0x[0-9a-f]{4}:/.test(line)) packets[packets.length - 1]!.hex += line.replace(/^\s+0x[0-9a-f]{4}:\s+/, '').replace(/\s+/g, '');
      }
      expect(packets.map((p) => p.hex)).toEqual(recs.map((r) => r.hex));
      expect(packets.map((p) => p.ts)).toEqual(recs.map((r) => `${r.tsSec}.${String(r.tsNsec / 1000).padStart(6, '0')}`));
      const info = spawnSync('tcpdump', ['-r', file, '-c', '1'], { encoding: 'utf8' });
      expect(info.stderr).toMatch(/link-type EN10MB \(Ethernet\)/);
    } finally {
      c.kill();
    }
  });

  it('keeps the event loop turning under a flood (node_pcap #255) and counts drops', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    ctx.skip(!hasTool('tcpreplay'), 'tcpreplay is not installed');
    const { a, b, ifA, ifB } = pair();
    const file = join(tmp, 'flood.pcap');
    const frames = Array.from({ length: 1000 }, (_, i) => vrrpFrame({ vrid: 1 + (i % 255), priority: 1 + (i % 254), src: '192.0.2.9' }));
    writeFileSync(file, buildPcap({ variant: 'usec-le', linkType: 1, records: frames.map((data, i) => ({ tsSec: 1, tsFrac: i, data })) }).bytes);
    // Every frame decoded, as a watcher would at the least; a 10 ms timer measures the loop.
    const c = await startCapture(a, { iface: ifA, quiet: true, decode: true, timerMs: 10 }, 60_000);
    try {
      const loops = 600;
      const replay = execFileSync('ip', ['netns', 'exec', b, 'tcpreplay', '-i', ifB, '--topspeed', '--loop', String(loops), file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      const done = await stop(c);
      const rate = /Rated: [\d.]+ Bps, [\d.]+ Mbps, ([\d.]+) pps/.exec(replay)?.[1];
      const seconds = /sent in ([\d.]+) seconds/.exec(replay)?.[1];
      ctx.annotate(`tcpreplay sent ${loops * frames.length} in ${seconds} s (${rate} pps); captured and decoded ${String(done.decoded)}, kernel drops ${String(done.dropped)}; a 10 ms timer ticked ${String(done.ticks)} times, at worst ${Number(done.maxLagMs).toFixed(1)} ms late`);
      expect(Number(done.received)).toBe(Number(done.records) + Number(done.dropped));
      expect(Number(done.decoded)).toBe(Number(done.records));
      expect(Number(done.records)).toBeGreaterThan(0);
      // Starved, the timer would not tick during the flood, and tick once late at its end.
      expect(Number(done.ticks)).toBeGreaterThan(Number(seconds) * 50);
      expect(Number(done.maxLagMs)).toBeLessThan(250);
    } finally {
      c.kill();
    }
  });
});

describe('inject (root, network namespaces)', () => {
  it('sends on the capturing session: the other end gets it, the sender does not see its own frame', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    const { a, b, ifA, ifB } = pair();
    const sender = await startCapture(a, { iface: ifA });
    const receiver = await startCapture(b, { iface: ifB });
    try {
      const frame = vrrpFrame({ version: 3, vrid: 77, src: '192.0.2.1' }).toString('hex');
      sender.send(`inject ${frame}`);
      await sender.event('injected');
      await receiver.waitFor((l) => l.event === 'record' && l.hex === frame);
      // Another frame from b, after ours: once a has it, a would have had its own frame too.
      const marker = END_MARKER.bytes.toString('hex');
      await injectFrames(b, ifB, [END_MARKER.bytes]);
      await sender.waitFor((l) => l.event === 'record' && l.hex === marker);
      expect(records(sender).map((r) => r.hex)).toEqual([marker]);

      sender.send(`inject ${'00'.repeat(9000)}`);
      expect(await sender.event('inject-error')).toEqual({
        event: 'inject-error',
        message: `sending a 9000-byte frame on ${ifA} failed: is the interface up, and the frame no longer than its MTU?`,
        exitCode: 69,
      });
    } finally {
      sender.kill();
      receiver.kill();
    }
  });
});

describe('live capture errors (root, network namespaces)', () => {
  async function openError(ns: string, opts: Record<string, unknown>, prefix: string[] = []): Promise<{ message: string; exitCode: number; code: number }> {
    const c = prefix.length === 0 ? await startCapture(ns, opts) : new JsonChild(ns, [...prefix, process.execPath, join(import.meta.dirname, 'fixtures/capture.mjs'), JSON.stringify(opts)]);
    const line = await c.waitFor((l) => l.event === 'open-error' || l.event === 'ready', 10_000);
    const code = await c.exited;
    return { message: String(line.message), exitCode: Number(line.exitCode), code };
  }

  it('no such interface', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    expect(await openError(pair().a, { iface: 'vwt-nosuch0' })).toEqual({
      message: 'no interface named vwt-nosuch0: `vrrpwatch interfaces` lists them',
      exitCode: 69,
      code: 69,
    });
  });

  it('a bad filter: names the filter and says what libpcap said', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    expect(await openError(pair().a, { iface: pair().ifA, filter: 'ip proto 112 and and' })).toEqual({
      message: "bad capture filter 'ip proto 112 and and': can't parse filter expression: syntax error (see man pcap-filter)",
      exitCode: 64,
      code: 64,
    });
    expect((await openError(pair().a, { iface: pair().ifA, filter: 'ip proto nosuchproto' })).message).toBe(
      "bad capture filter 'ip proto nosuchproto': unknown ip proto 'nosuchproto' (see man pcap-filter)",
    );
  });

  it('no permission: as user nobody', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    ctx.skip(!hasTool('setpriv'), 'setpriv (util-linux) is not installed');
    const asNobody = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all'];
    try {
      execFileSync('ip', ['netns', 'exec', pair().a, ...asNobody, process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(join(import.meta.dirname, '../../dist/live/capture.js'))})`], { stdio: 'ignore' });
    } catch {
      ctx.skip('user nobody cannot read the project (dist/) here');
    }
    expect(await openError(pair().a, { iface: pair().ifA }, asNobody)).toEqual({
      message: `live capture on ${pair().ifA} needs root or CAP_NET_RAW: run as root or \`setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which node))\``,
      exitCode: 69,
      code: 69,
    });
  });

  it('an interface that is down, and one that goes away while capturing', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    const { a } = pair();
    ip('-n', a, 'link', 'add', 'vwt-ltc0', 'type', 'veth', 'peer', 'name', 'vwt-ltd0');
    expect(await openError(a, { iface: 'vwt-ltc0' })).toEqual({
      message: 'interface vwt-ltc0 is down: `ip link set vwt-ltc0 up`, then try again',
      exitCode: 69,
      code: 69,
    });
    ip('-n', a, 'link', 'set', 'vwt-ltc0', 'up');
    ip('-n', a, 'link', 'set', 'vwt-ltd0', 'up');
    const c = await startCapture(a, { iface: 'vwt-ltc0' });
    try {
      expect(c.lines[0]).toMatchObject({ event: 'ready' });
      ip('-n', a, 'link', 'del', 'vwt-ltc0');
      expect(await c.event('capture-error')).toEqual({
        event: 'capture-error',
        message: 'live capture on vwt-ltc0 stopped: the interface went down or was removed',
        exitCode: 69,
      });
    } finally {
      c.kill();
    }
  });

  it('never opens an interface twice at once (node_pcap #270, #108)', async (ctx) => {
    ctx.skip(SKIP !== null, SKIP ?? '');
    const c = await startCapture(pair().a, { iface: pair().ifA, reopen: true });
    try {
      expect(await c.event('reopen-error')).toMatchObject({ message: expect.stringMatching(/has an open live capture in this process already/) });
    } finally {
      c.kill();
    }
  });
});
