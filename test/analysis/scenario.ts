// Drives an Analyzer with hand-built frames at given times (seconds from an arbitrary epoch).
import { Analyzer, type AnalyzerOptions } from '../../src/analysis/analyzer.js';
import type { AnalysisEvent, EventType } from '../../src/analysis/types.js';
import { arpFrame, naFrame, vrrpFrame, type FrameSpec } from '../support/vrrp-frames.js';

export const T0_US = 1_700_000_000_000_000;

export function us(seconds: number): number {
  return T0_US + Math.round(seconds * 1e6);
}

export function sec(timeUs: number): number {
  return (timeUs - T0_US) / 1e6;
}

export interface Host {
  src: string;
  srcMac: string;
  priority: number;
}

export const A: Host = { src: '192.0.2.11', srcMac: '02:00:00:00:00:11', priority: 150 };
export const B: Host = { src: '192.0.2.12', srcMac: '02:00:00:00:00:12', priority: 100 };
export const C: Host = { src: '192.0.2.13', srcMac: '02:00:00:00:00:13', priority: 140 };

type Step = { at: number; frame: Uint8Array; iface: string | null; linkType: number } | { at: number; tick: true };

/**
 * Frames and ticks are queued and fed in time order (stably) when anything is asked of the
 * analysis, so hosts' series can be written one after the other.
 */
export class Scenario {
  readonly analyzer: Analyzer;
  private readonly seen: AnalysisEvent[] = [];
  private queue: Step[] = [];

  constructor(opts: AnalyzerOptions = {}) {
    this.analyzer = new Analyzer({ ...opts, onEvent: (e) => this.seen.push(e) });
  }

  get events(): AnalysisEvent[] {
    this.flush();
    return this.seen;
  }

  /** Feeds what is queued, in time order. */
  flush(): this {
    const q = this.queue;
    this.queue = [];
    q.sort((x, y) => x.at - y.at);
    for (const step of q) {
      if ('tick' in step) this.analyzer.tick(us(step.at));
      else this.analyzer.frame(step.linkType, step.frame, us(step.at), step.iface);
    }
    return this;
  }

  frame(atSeconds: number, bytes: Uint8Array, iface: string | null = null, linkType = 1): this {
    this.queue.push({ at: atSeconds, frame: bytes, iface, linkType });
    return this;
  }

  /** One advert from `host` (its address, MAC and priority unless `spec` says otherwise). */
  advert(atSeconds: number, host: Host, spec: FrameSpec = {}, iface: string | null = null): this {
    return this.frame(atSeconds, vrrpFrame({ src: host.src, srcMac: host.srcMac, priority: host.priority, auth: 'pass', authType: 1, ...spec }), iface);
  }

  /** Adverts every `step` seconds from `from` while below `to`. */
  adverts(from: number, to: number, host: Host, spec: FrameSpec = {}, step = 1): this {
    for (let t = from; t < to - 1e-9; t += step) this.advert(Math.round(t * 1e6) / 1e6, host, spec);
    return this;
  }

  garp(atSeconds: number, ip: string, mac: string, op: 1 | 2 = 1): this {
    return this.frame(atSeconds, arpFrame(ip, mac, op));
  }

  na(atSeconds: number, target: string, mac: string): this {
    return this.frame(atSeconds, naFrame(target, mac));
  }

  tick(atSeconds: number): this {
    this.queue.push({ at: atSeconds, tick: true });
    return this;
  }

  of<T extends EventType>(type: T): Extract<AnalysisEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<AnalysisEvent, { type: T }> => e.type === type);
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Event types other than router-seen, in order. */
  story(): string[] {
    return this.types().filter((t) => t !== 'router-seen');
  }

  result(endSeconds?: number) {
    this.flush();
    return this.analyzer.result(endSeconds === undefined ? undefined : us(endSeconds));
  }

  vrid(vrid = 51) {
    const v = this.result().vrids.find((x) => x.vrid === vrid);
    if (v === undefined) throw new Error(`no VRID ${vrid} in the analysis`);
    return v;
  }
}
