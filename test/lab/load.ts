// Load for lab tests: tcpreplay of a generated capture from a lab host, and what a process costs
// (CPU seconds, resident memory now and at its peak) read from /proc.
import { readFileSync } from 'node:fs';
import type { Host, Lab } from './harness.js';

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return ticks / 100; // USER_HZ
}

/** Resident memory now (VmRSS) and at its peak (VmHWM), in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export function rssMiB(pid: number): number {
  return memoryMiB(pid).rss;
}

export interface Replayed {
  packets: number;
  pps: number;
  seconds: number;
}

/** tcpreplay of `pcap` from host `from`'s interface, looped for `seconds`; resolves with what it says it sent. */
export function tcpreplay(lab: Lab, pcap: string, rate: number | 'top', seconds: number, from: Host = 'a'): Promise<Replayed> {
  const speed = rate === 'top' ? ['--topspeed'] : [`--pps=${rate}`, '--pps-multi=10'];
  const p = lab.spawnIn(lab.ns(from), 'tcpreplay', ['-i', lab.iface(from), ...speed, '--loop=0', `--duration=${seconds}`, '--preload-pcap', '--no-flow-stats', pcap]);
  let out = '';
  p.stdout?.on('data', (d: Buffer) => (out += d));
  p.stderr?.on('data', (d: Buffer) => (out += d));
  return new Promise((resolve, reject) => {
    p.on('exit', (code) => {
      const actual = /Actual: (\d+) packets .* sent in ([\d.]+) seconds/.exec(out);
      const rated = /Rated: .*?([\d.]+) pps/.exec(out);
      if (code !== 0 || !actual || !rated) reject(new Error(`tcpreplay exited ${code}:\n${out}`));
      else resolve({ packets: Number(actual[1]), seconds: Number(actual[2]), pps: Number(rated[1]) });
    });
  });
}
