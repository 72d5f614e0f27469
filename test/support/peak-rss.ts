// Runs the built CLI in a child process and follows its peak resident memory (VmHWM in
// /proc/PID/status) while it runs: the figure the "bounded memory" is measured in.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

import { BIN } from './cli.js';

export interface PeakRun {
  code: number | null;
  stderr: string;
  /** Highest VmHWM read while the child ran, in MiB (0 if it ended before the first read). */
  peakMiB: number;
  /** Bytes of standard input the child took before it ended. */
  stdinTaken: number;
  stdoutBytes: number;
}

function procNumber(pid: number, file: string, key: string): number | null {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // ended
  }
}

export interface PeakOptions {
  /** Chunks written to the child's stdin, as fast as it takes them (stops when it ends). */
  stdin?: Iterable<Uint8Array>;
  /**
   * Leave stdout unread until the child stops reading its input (its rchar in /proc/PID/io has
   * not moved for `quietPolls` polls): a stalled reader. Then read it to the end.
   */
  stallStdout?: boolean;
  /** stdout to /dev/null (a file: Node writes it synchronously). */
  devNull?: boolean;
  quietPolls?: number;
}

export async function runWithPeak(args: string[], opts: PeakOptions = {}): Promise<PeakRun & { stalledPeakMiB: number }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: [opts.stdin ? 'pipe' : 'ignore', opts.devNull ? 'ignore' : 'pipe', 'pipe'] });
  const pid = child.pid as number;
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d; });
  let stdoutBytes = 0;
  const drain = (): void => { child.stdout?.on('data', (d: Buffer) => { stdoutBytes += d.length; }); };
  if (child.stdout && !opts.stallStdout) drain();
  else child.stdout?.pause();
  let peakKb = 0;
  let stalledPeakKb = 0;
  let lastRchar = -1;
  let quiet = 0;
  let stalled = opts.stallStdout === true;
  const poll = (): void => {
    const hwm = procNumber(pid, 'status', 'VmHWM');
    if (hwm !== null) peakKb = Math.max(peakKb, hwm);
    if (!stalled) return;
    const rchar = procNumber(pid, 'io', 'rchar');
    quiet = rchar === lastRchar ? quiet + 1 : 0;
    lastRchar = rchar ?? lastRchar;
    if (quiet >= (opts.quietPolls ?? 25)) {
      // The child no longer reads: it waits for us. What it holds now is what a stall costs.
      stalled = false;
      stalledPeakKb = peakKb;
      drain();
      child.stdout!.resume();
    }
  };
  const timer = setInterval(poll, 20);
  let stdinTaken = 0;
  const closed = once(child, 'close');
  if (opts.stdin && child.stdin) {
    const input = child.stdin;
    input.on('error', () => undefined); // the child may end before taking everything
    for (const chunk of opts.stdin) {
      if (input.destroyed || child.exitCode !== null) break;
      const ok = input.write(chunk);
      stdinTaken += chunk.length;
      if (!ok) {
        // once() rejects on 'error' (EPIPE when the child has ended): that is a close too.
        const r = await Promise.race([once(input, 'drain').then(() => 'drain', () => 'close'), once(input, 'close').then(() => 'close', () => 'close'), closed.then(() => 'close')]);
        if (r === 'close') break;
      }
    }
    input.end();
  }
  const [code] = (await closed) as [number | null];
  clearInterval(timer);
  return { code, stderr, peakMiB: peakKb / 1024, stalledPeakMiB: stalledPeakKb / 1024, stdinTaken: stdinTaken - (child.stdin?.writableLength ?? 0), stdoutBytes };
}

/** A deterministic pseudo-random byte source (xorshift32), so generated floods are reproducible. */
export function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

