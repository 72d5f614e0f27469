// `check -i`: listen for a window, with the analyzer's timers driven by a clock so that a master
// that falls silent is seen, and a window that grows to three adverts of the slowest interval.
// The capture and the clock are handed in (the CLI passes libpcap and the real clock; tests pass
// fakes), so nothing here opens a device or reads the time.
import { Analyzer, type Analysis } from '../analysis/analyzer.js';
import type { CaptureRecord } from '../capture/types.js';
import type { LiveCapture, LiveStats } from '../live/capture.js';
import { listenSeconds } from './window.js';
import type { Clock } from '../time/clock.js';
import { microsToSeconds, secondsToMicros, toMicros } from '../time/timestamp.js';


export type ListenCapture = Pick<LiveCapture, 'stats' | 'close' | 'on'>;

export interface ListenOptions {
  /** --duration; null: adapt to the intervals seen. */
  durationSeconds: number | null;
  /** The latest end the timeout allows, as a time of `clock` (µs since the epoch). */
  deadlineUs: number;
  /** How often the analyzer's timers are advanced and the window end is checked (default 100 ms). */
  tickMs?: number;
}

export interface Listened {
  analysis: Analysis;
  /** The window as planned (the last tick ends it at most tickMs later). */
  windowSeconds: number;
  /** The slowest advertisement interval seen, which set the window; null when none was seen. */
  slowestIntervalCs: number | null;
  stats: LiveStats;
}

export const usOf = toMicros;

function slowest(a: Analysis): number | null {
  let cs: number | null = null;
  for (const v of a.vrids) for (const r of v.routers) if (cs === null || r.advertIntervalCs > cs) cs = r.advertIntervalCs;
  return cs;
}

/** Resolves with the analysis at the window's end; rejects when the capture cannot open or stops. */
export async function listen(
  open: (onRecord: (r: CaptureRecord) => void) => Promise<ListenCapture>,
  clock: Clock,
  opts: ListenOptions,
): Promise<Listened> {
  // The window may only need to grow when a router appears or changes its interval.
  let grown = false;
  const analyzer = new Analyzer({
    onEvent: (e) => {
      if (e.type === 'router-seen' || e.type === 'interval-mismatch') grown = true;
    },
  });
  const capture = await open((rec) => analyzer.frame(rec.linkType, rec.data, usOf(rec), rec.interfaceName));
  const startUs = usOf(clock.now());
  const maxSeconds = microsToSeconds(opts.deadlineUs - startUs);
  let slowestCs: number | null = null;
  let ticks = 0;
  return new Promise<Listened>((resolve, reject) => {
    let stop = (): void => undefined;
    const end = (): void => {
      stop();
      capture.close();
    };
    capture.on('error', (err) => {
      end();
      reject(err);
    });
    stop = clock.every(opts.tickMs ?? 100, () => {
      const t = usOf(clock.now());
      analyzer.tick(t);
      // A known router's new interval raises no event unless it differs from its peers: look each second too.
      if (grown || ++ticks % 10 === 0) {
        grown = false;
        slowestCs = slowest(analyzer.result());
      }
      const windowSeconds = opts.durationSeconds ?? listenSeconds(slowestCs, maxSeconds);
      if (t - startUs < secondsToMicros(windowSeconds)) return;
      const stats = capture.stats();
      end();
      resolve({ analysis: analyzer.result(t), windowSeconds, slowestIntervalCs: slowestCs, stats });
    });
  });
}
