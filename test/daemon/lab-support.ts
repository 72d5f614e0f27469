// What the daemon's lab tests (test/lab/daemon*.test.ts) share: the observer's capture, read
// back and decoded with the project's reader, so every timing comes from the capture's own
// timestamps; vrrpwatch daemon run inside a lab host; small waits that always end.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../../src/capture/file.js';
import { decodeFrame } from '../../src/decode/frame.js';
import type { Host, Lab } from '../lab/harness.js';

const ROOT = join(import.meta.dirname, '../..');
const snapshots = new Map<string, string>();

/**
 * The CLI to run: a private copy of the bundle bin/vrrpwatch.js runs, in the lab's directory (so
 * destroySync removes it), taken once per lab. Other test runs in the same tree rebuild dist/
 * while ours run, and a daemon started at that moment would load a half-written file. The copy
 * finds the libpcap binding through a link to the project's node_modules.
 */
function cli(lab: Lab): string {
  const taken = snapshots.get(lab.dir);
  if (taken !== undefined) return taken;
  for (let attempt = 1; ; attempt++) {
    const dir = join(lab.dir, `cli-${attempt}`);
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'vrrpwatch.cjs');
    copyFileSync(join(ROOT, 'dist/vrrpwatch.cjs'), entry);
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    try {
      // One file: a torn copy fails to parse here, not in a test.
      execFileSync(process.execPath, [entry, 'daemon', '--help'], { stdio: 'ignore' });
      snapshots.set(lab.dir, entry);
      return entry;
    } catch (e) {
      if (attempt >= 5) throw new Error(`could not take a working copy of dist/vrrpwatch.cjs: ${(e as Error).message}`);
      execFileSync('sleep', ['1']);
    }
  }
}

/** One frame the observer heard, reduced to what the tests look at. */
export type Heard =
  | { t: number; kind: 'vrrp'; src: string; dst: string; srcMac: string; vrid: number; priority: number; version: number; family: 4 | 6; ttl: number }
  | { t: number; kind: 'arp'; srcMac: string; operation: number; senderMac: string; senderIp: string; gratuitous: boolean }
  | { t: number; kind: 'na'; srcMac: string; target: string; router: boolean; override: boolean };

/**
 * Now, on the clock the observer's capture timestamps come from (the host's real-time clock,
 * which every namespace shares). Ask "frames from now on" this way, never as "after the last
 * frame on file": the file runs behind the wire by up to tcpdump's buffer timeout, so a frame
 * sent just before may still arrive, stamped after that last one.
 */
export function captureNow(): number {
  return Date.now() / 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `pred` every 50 ms until it holds; throws with `what` after timeoutMs. */
export async function until<T>(what: string, pred: () => T | null | undefined | false, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** tcpdump on the observer port, writing every packet at once (-U); read back on demand. */
export class Observer {
  readonly file: string;
  readonly #proc: ChildProcess;
  #stderr = '';

  private constructor(lab: Lab, name: string) {
    this.file = join(lab.dir, `${name}.pcap`);
    this.#proc = lab.spawnIn(lab.obsNs, 'tcpdump', ['-i', lab.obsIf, '-U', '-n', '-s', '2048', '-w', this.file, 'ip proto 112 or ip6 proto 112 or arp or icmp6']);
    this.#proc.stderr?.on('data', (d: Buffer) => {
      this.#stderr += d.toString();
    });
  }

  static async start(lab: Lab, name: string): Promise<Observer> {
    const o = new Observer(lab, name);
    await until('tcpdump on the observer to listen', () => /listening on/.test(o.#stderr) && existsSync(o.file), 10_000);
    return o;
  }

  /** Everything heard so far. A record tcpdump is still writing ends the read quietly. */
  async heard(): Promise<Heard[]> {
    const out: Heard[] = [];
    await readCaptureFile(this.file, (r) => {
      const t = r.tsSec + r.tsNsec / 1e9;
      const f = decodeFrame(r.linkType, r.data);
      if (f.kind === 'vrrp') {
        const ttl = f.ip.family === 4 ? f.ip.ttl : f.ip.hopLimit;
        out.push({ t, kind: 'vrrp', src: f.ip.src, dst: f.ip.dst, srcMac: f.link.srcMac ?? '', vrid: f.vrrp.vrid, priority: f.vrrp.priority, version: f.vrrp.version, family: f.ip.family, ttl });
      } else if (f.kind === 'arp') {
        out.push({ t, kind: 'arp', srcMac: f.link.srcMac ?? '', operation: f.arp.operation, senderMac: f.arp.senderMac, senderIp: f.arp.senderIp, gratuitous: f.arp.gratuitous });
      } else if (f.kind === 'neighbor-advert') {
        out.push({ t, kind: 'na', srcMac: f.link.srcMac ?? '', target: f.na.target, router: f.na.router, override: f.na.override });
      }
    }).catch(() => undefined);
    return out;
  }

  async adverts(filter: { src?: string; vrid?: number } = {}): Promise<Extract<Heard, { kind: 'vrrp' }>[]> {
    return (await this.heard()).filter(
      (h): h is Extract<Heard, { kind: 'vrrp' }> => h.kind === 'vrrp' && (filter.src === undefined || h.src === filter.src) && (filter.vrid === undefined || h.vrid === filter.vrid),
    );
  }

  /** Polls the capture until `pick` finds something in it. */
  async waitFor<T>(what: string, pick: (h: Heard[]) => T | null | undefined, timeoutMs: number): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = pick(await this.heard());
      if (v !== null && v !== undefined) return v;
      if (Date.now() > end) throw new Error(`the observer did not see ${what} within ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}

/** The first advert from `src` (VRID `vrid`) after time `afterT` with a non-zero priority: its first advert as master. */
export function firstAdvertAfter(h: Heard[], src: string, vrid: number, afterT: number): Extract<Heard, { kind: 'vrrp' }> | undefined {
  return h.find((x): x is Extract<Heard, { kind: 'vrrp' }> => x.kind === 'vrrp' && x.src === src && x.vrid === vrid && x.t > afterT && x.priority > 0);
}

/**
 * A crash takeover on the capture: the last advert of the master `from` and the first advert as
 * master of `to` after it. Waits for the second, so the first is surely on file by then (tcpdump
 * may not have written the master's very last advert when the test killed it).
 */
export async function takeover(obs: Observer, from: string, to: string, vrid: number, timeoutMs: number): Promise<{ last: Advert; first: Advert; gapSec: number }> {
  return obs.waitFor(`${to} advertising as master after ${from}'s last advert`, (h) => {
    const last = lastAdvert(h, from, vrid);
    const first = last && firstAdvertAfter(h, to, vrid, last.t);
    return last && first ? { last, first, gapSec: first.t - last.t } : null;
  }, timeoutMs);
}

export type Advert = Extract<Heard, { kind: 'vrrp' }>;

/** The last advert from `src` (VRID `vrid`) in the capture. */
export function lastAdvert(h: Heard[], src: string, vrid: number): Extract<Heard, { kind: 'vrrp' }> | undefined {
  return h.filter((x): x is Extract<Heard, { kind: 'vrrp' }> => x.kind === 'vrrp' && x.src === src && x.vrid === vrid).at(-1);
}

/** `vrrpwatch daemon ARGS` in a lab host; its log lines collected as they come. */
export class Vrrpwatch {
  readonly proc: ChildProcess;
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #partial = '';

  /** `args` are given after `-i IFACE`, or alone when they start with `-f` (a keepalived.conf). */
  constructor(lab: Lab, h: Host, args: string[], env: NodeJS.ProcessEnv = process.env) {
    const iface = args[0] === '-f' ? [] : ['-i', lab.iface(h)];
    this.proc = lab.spawnIn(lab.ns(h), process.execPath, [cli(lab), 'daemon', ...iface, ...args], { env });
    this.proc.stdout?.on('data', (d: Buffer) => {
      this.#partial += d.toString();
      const parts = this.#partial.split('\n');
      this.#partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get log(): string {
    return this.lines.join('\n');
  }

  /** The first line matching `re`, from line `fromLine` on (already there, or still to come). */
  async waitForLog(re: RegExp, timeoutMs: number, fromLine = 0): Promise<string> {
    return until(`vrrpwatch to log ${re}`, () => this.lines.slice(fromLine).find((l) => re.test(l)), timeoutMs).catch((e: Error) => {
      throw new Error(`${e.message}; log so far:\n${this.log}\nstderr: ${this.stderr}`);
    });
  }

  /** Send a signal; for TERM/INT, resolve with the exit once it has gone (bounded). */
  async stop(signal: NodeJS.Signals, timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.proc.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        reject(new Error(`vrrpwatch did not exit within ${timeoutMs} ms of ${signal}; log:\n${this.log}\nstderr: ${this.stderr}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** How many times keepalived on `h` logged `(INSTANCE) Entering STATE STATE`. */
export function kaEntered(lab: Lab, h: Host, state: 'MASTER' | 'BACKUP' | 'FAULT', instance = 'VI_51'): number {
  return lab.keepalivedLog(h).split('\n').filter((l) => l.includes(`(${instance}) Entering ${state} STATE`)).length;
}
