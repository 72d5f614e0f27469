// A pair of network namespaces joined by a veth pair, for live tests as root, and the child
// processes that run inside them (a process's network namespace is fixed, so the capturing and
// the sending code run in children started with `ip netns exec`). Packets never leave the pair.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Why live tests cannot run here, or null when they can. */
export function liveSkipReason(): string | null {
  if (process.platform !== 'linux') return 'live capture tests need Linux network namespaces';
  if (process.getuid?.() !== 0) return 'live capture tests need root (network namespaces, raw sockets)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'live capture tests need iproute2 (`ip`)';
  }
  try {
    execFileSync(process.execPath, ['-e', "require('pcap')"], { cwd: join(import.meta.dirname, '../..'), stdio: 'ignore' });
  } catch {
    return 'live capture tests need the pcap binding built (apt-get install libpcap-dev; npm rebuild pcap)';
  }
  return null;
}

export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryIp(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // already gone
  }
}

export interface NetnsPair {
  a: string;
  b: string;
  /** The veth end in a (where captures run) and in b (where frames are sent from). */
  ifA: string;
  ifB: string;
  /** Deletes both namespaces (and with them the veth pair); safe to call twice. */
  destroy(): void;
}

/** Names must start with `vwt`; addresses are documentation ranges only. */
export function createNetnsPair(tag: string): NetnsPair {
  const a = `vwt-${tag}-a`;
  const b = `vwt-${tag}-b`;
  const ifA = `vwt-${tag}a0`;
  const ifB = `vwt-${tag}b0`;
  const destroy = (): void => {
    tryIp('netns', 'del', a);
    tryIp('netns', 'del', b);
  };
  destroy(); // leftovers of a run that was killed
  try {
    ip('netns', 'add', a);
    ip('netns', 'add', b);
    ip('link', 'add', ifA, 'netns', a, 'type', 'veth', 'peer', 'name', ifB, 'netns', b);
    for (const [ns, dev, v4, v6] of [[a, ifA, '192.0.2.1/24', '2001:db8::1/64'], [b, ifB, '192.0.2.2/24', '2001:db8::2/64']] as const) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'addr', 'add', v4, 'dev', dev);
      ip('-n', ns, '-6', 'addr', 'add', v6, 'dev', dev, 'nodad');
      ip('-n', ns, 'link', 'set', dev, 'up');
    }
  } catch (e) {
    destroy();
    throw e;
  }
  return { a, b, ifA, ifB, destroy };
}

/** A child process in a namespace that speaks JSON lines on stdout. */
export class JsonChild {
  readonly lines: Record<string, unknown>[] = [];
  stderr = '';
  readonly exited: Promise<number>;
  private readonly proc: ChildProcessWithoutNullStreams;
  private waiters: { pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  private killTimer: NodeJS.Timeout;

  constructor(ns: string, command: string[], timeoutMs = 20_000) {
    this.proc = spawn('ip', ['netns', 'exec', ns, ...command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    this.proc.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const text = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          line = { event: 'text', text };
        }
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => (w.pred(line) ? (w.resolve(line), false) : true));
      }
    });
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.proc.stdin.on('error', () => undefined);
    this.killTimer = setTimeout(() => this.kill(), timeoutMs);
    this.exited = new Promise((resolve) => {
      this.proc.on('close', (code) => {
        clearTimeout(this.killTimer);
        resolve(code ?? -1);
      });
    });
  }

  /** The first line (already seen or still to come) that matches, or a rejection after timeoutMs. */
  waitFor(pred: (l: Record<string, unknown>) => boolean, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    const seen = this.lines.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms; stdout ${JSON.stringify(this.lines.slice(-5))}, stderr ${this.stderr}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
    });
  }

  event(name: string, timeoutMs?: number): Promise<Record<string, unknown>> {
    return this.waitFor((l) => l.event === name, timeoutMs);
  }

  send(line: string): void {
    this.proc.stdin.write(`${line}\n`);
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

/** The capture fixture in namespace `ns`; resolves once it is capturing (or failed to open). */
export async function startCapture(ns: string, opts: Record<string, unknown>, timeoutMs = 20_000): Promise<JsonChild> {
  const child = new JsonChild(ns, [process.execPath, join(FIXTURES, 'capture.mjs'), JSON.stringify(opts)], timeoutMs);
  await child.waitFor((l) => l.event === 'ready' || l.event === 'open-error', 10_000);
  return child;
}

/** Sends frames from namespace `ns` with the project's inject; resolves with the send times. */
export async function injectFrames(ns: string, iface: string, frames: Uint8Array[], gapMs = 0): Promise<number[]> {
  const child = new JsonChild(ns, [process.execPath, join(FIXTURES, 'inject.mjs'), JSON.stringify({ iface, gapMs, frames: frames.map((f) => Buffer.from(f).toString('hex')) })]);
  const code = await child.exited;
  if (code !== 0) throw new Error(`inject.mjs exited ${code}: ${child.stderr}`);
  return child.lines.filter((l) => l.event === 'sent').map((l) => l.atMs as number);
}
