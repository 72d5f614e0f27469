// Where a flood of new routers is summed up: spoofed adverts with random sources and VRIDs make a
// new router each, and one router-seen line apiece would bury the real events (and cost a
// message each). The first ROUTERS_REPORTED of a window are reported one by one; the rest are
// counted and told in one `router-flood` event when the window ends.

import type { SegmentId } from './types.js';

/** New routers reported one by one per window. */
export const ROUTERS_REPORTED = 50;
/** The window: long enough for a whole cluster to start (keepalived's adverts are 1 s apart). */
export const FLOOD_WINDOW_US = 20_000_000;

export interface FloodSummary {
  /** When the window began (its first new router). */
  startUs: number;
  endUs: number;
  /** New routers in the window, the reported ones included. */
  routers: number;
  /** Those not reported one by one. */
  unreported: number;
  /** The segment of the first unreported router. */
  segment: SegmentId;
}

export class NewRouterWindow {
  private startUs = -Infinity;
  private routers = 0;
  private unreported = 0;
  private segment: SegmentId | null = null;

  /** A new router at `t`: true when it is to be reported one by one. */
  admit(t: number, segment: SegmentId): boolean {
    // The caller close()s an ended window before admitting into the next.
    if (t >= this.startUs + FLOOD_WINDOW_US) {
      this.startUs = t;
      this.routers = 0;
    }
    this.routers++;
    if (this.routers <= ROUTERS_REPORTED) return true;
    if (this.unreported === 0) this.segment = segment;
    this.unreported++;
    return false;
  }

  /** The summary of a window with unreported routers that has ended by `t` (or now, `force`), once. */
  close(t: number, force = false): FloodSummary | null {
    if (this.unreported === 0 || (!force && t < this.startUs + FLOOD_WINDOW_US)) return null;
    const s: FloodSummary = {
      startUs: this.startUs,
      endUs: Math.min(t, this.startUs + FLOOD_WINDOW_US),
      routers: this.routers,
      unreported: this.unreported,
      segment: this.segment as SegmentId,
    };
    this.unreported = 0;
    this.routers = 0;
    this.startUs = -Infinity;
    this.segment = null;
    return s;
  }
}
