// When to redraw: at most once per interval however fast packets come, never when nothing
// changed, and at least once per refresh period so that ages count up with no packet arriving.
// Pure: the caller passes the time and owns the timer.

export class RedrawThrottle {
  private dirty = false;
  private lastMs = -Infinity;

  constructor(
    readonly minIntervalMs = 100,
    readonly refreshMs = 1000,
  ) {}

  /** Something on screen changed. */
  invalidate(): void {
    this.dirty = true;
  }

  /** Milliseconds to wait before drawing: 0 means draw now, null means nothing to draw yet. */
  wait(nowMs: number): number | null {
    const sinceMs = nowMs - this.lastMs;
    if (!this.dirty) return sinceMs >= this.refreshMs ? 0 : null;
    return Math.max(0, this.minIntervalMs - sinceMs);
  }

  drawn(nowMs: number): void {
    this.dirty = false;
    this.lastMs = nowMs;
  }
}
