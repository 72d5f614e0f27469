// `-i IFACE`: frames from libpcap, time from the real clock, drops from the kernel, and `-w` saving
// every frame as captured.
import type { CaptureRecord } from '../capture/types.js';
import { CliError, Exit } from '../errors.js';
import { openLiveCapture } from '../live/capture.js';
import { CaptureSaver } from '../live/save.js';
import { clockUs, type Clock, type Source } from './source.js';

export interface LiveOptions {
  iface: string;
  /** BPF expression; the default filter when absent. */
  filter?: string;
  /** -w: save every frame to this pcap file. */
  savePath?: string;
  clock: Clock;
  onRecord: (rec: CaptureRecord) => void;
}

export async function openLive(opts: LiveOptions): Promise<Source & { saver: CaptureSaver | null }> {
  let saver: CaptureSaver | null = null;
  const onRecord = opts.onRecord;
  const capture = await openLiveCapture({ iface: opts.iface, filter: opts.filter }, (rec) => {
    saver?.save(rec);
    onRecord(rec);
  });
  // In the same continuation as the open: no frame can arrive in between.
  if (opts.savePath !== undefined) saver = new CaptureSaver(opts.savePath, capture.linkType);
  try {
    await saver?.ready;
  } catch (e) {
    capture.close();
    throw new CliError((e as Error).message, Exit.UNAVAILABLE);
  }
  let stop!: (e: Error) => void;
  const finished = new Promise<void>((_resolve, reject) => {
    stop = reject;
  });
  finished.catch(() => undefined);
  capture.on('error', (e) => stop(e));
  return {
    saver,
    nowUs: () => clockUs(opts.clock),
    drops: () => {
      const s = capture.stats();
      return { dropped: s.dropped, ifDropped: s.ifDropped };
    },
    replay: () => null,
    pause: () => undefined,
    resume: () => undefined,
    finished,
    close: async () => {
      capture.close();
      await saver?.close();
    },
  };
}
