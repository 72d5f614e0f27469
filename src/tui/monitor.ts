// What a watch does with every captured frame, whatever shows it: the analyzer, the last advert
// of each router (detail view) and the recent frames (the `w` key). The hot path of a live
// capture: one call per frame, nothing that waits.
import { microsOf } from '../time/timestamp.js';
import { Analyzer } from '../analysis/analyzer.js';
import type { AnalysisEvent } from '../analysis/types.js';
import type { CaptureRecord } from '../capture/types.js';
import { LastPackets } from './view/packets.js';
import { RecentFrames } from './recent.js';

export interface MonitorOptions {
  onEvent: (e: AnalysisEvent) => void;
  /** Keep each router's last advert (the detail view needs them). */
  keepPackets?: boolean;
  /** Bytes of recent frames kept for `w`; 0 keeps none. */
  recentBytes?: number;
}

/** A record's time as the analyzer counts it: µs since the epoch. */
export function recordTimeUs(rec: Pick<CaptureRecord, 'tsSec' | 'tsNsec'>): number {
  return microsOf(rec.tsSec, rec.tsNsec);
}

export class Monitor {
  readonly analyzer: Analyzer;
  readonly packets: LastPackets | null;
  readonly recent: RecentFrames | null;
  /** The newest packet time seen (µs), -Infinity before the first. */
  lastUs = -Infinity;

  constructor(opts: MonitorOptions) {
    // The view keeps its own bounded event log: the analyzer only counts.
    this.analyzer = new Analyzer({ onEvent: opts.onEvent, maxEvents: 0 });
    this.packets = opts.keepPackets ? new LastPackets() : null;
    this.recent = opts.recentBytes ? new RecentFrames(opts.recentBytes) : null;
  }

  readonly record = (rec: CaptureRecord): void => {
    const t = recordTimeUs(rec);
    if (t > this.lastUs) this.lastUs = t;
    this.analyzer.frame(rec.linkType, rec.data, t, rec.interfaceName);
    this.packets?.offer(rec);
    this.recent?.push(rec);
  };

  /** Time passes with no packet: silences become master-down, split brains end. */
  tick(timeUs: number): void {
    this.analyzer.tick(timeUs);
  }
}
