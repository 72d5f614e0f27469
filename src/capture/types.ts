// The contract between capture sources (files, live) and everything that consumes frames.

/** One captured frame. `data` is a view that is only valid during the callback: copy to keep it. */
export interface CaptureRecord {
  /** 1-based index of the frame in the file (or in the live session). */
  frame: number;
  /** Seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second, 0..999_999_999. */
  tsNsec: number;
  /** LINKTYPE_* of the interface the frame was captured on. */
  linkType: number;
  /** pcapng interface id (0 for classic pcap and live). */
  interfaceId: number;
  /** pcapng if_name, or the live interface name; null when the file does not say. */
  interfaceName: string | null;
  /** Length on the wire (may exceed data.length when the snap length cut it). */
  originalLength: number;
  data: Uint8Array;
}

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CaptureSummary {
  format: CaptureFormat;
  frames: number;
  /** Bytes consumed from the file. */
  bytes: number;
}

/** A file that is truncated or corrupt. Thrown only after every frame before the damage was delivered. */
export class CaptureFileError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${file}: ${reason} at byte offset ${offset}`);
    this.name = 'CaptureFileError';
  }
}
