// The last advert of every router, kept as captured so the detail view can show it field by
// field with hex. Pure: frames in, copies kept; bounded like the analyzer's own state.
import type { CaptureRecord } from '../../capture/types.js';
import { decodeFrame } from '../../decode/frame.js';
import { vridKey } from '../../analysis/labels.js';

/** A virtual router's identity as the tracker draws it: segment, family, VRID (one home: analysis/labels.ts). */
export { vridKey };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Enough for the analyzer's default limits (2048 VRIDs of 8 routers). */
const DEFAULT_CAPACITY = 16_384;

export class LastPackets {
  private readonly byRouter = new Map<string, Mutable<CaptureRecord>>();

  constructor(readonly capacity = DEFAULT_CAPACITY) {}

  /** A captured frame; kept (copied) when it is a VRRP advert. `rec.data` is only read now. */
  offer(rec: CaptureRecord): void {
    const f = decodeFrame(rec.linkType, rec.data);
    if (f.kind !== 'vrrp') return;
    const key = `${vridKey({ interface: rec.interfaceName, vlans: f.link.vlans }, f.ip.family === 4 ? 'ipv4' : 'ipv6', f.vrrp.vrid)}|${f.ip.src}`;
    const old = this.byRouter.get(key);
    if (old !== undefined) {
      // The same router again: update in place, so a steady flood allocates nothing here that
      // outlives the call (replaced objects would pile up in the old generation).
      const data = old.data.length === rec.data.length ? old.data : new Uint8Array(rec.data.length);
      data.set(rec.data);
      old.frame = rec.frame;
      old.tsSec = rec.tsSec;
      old.tsNsec = rec.tsNsec;
      old.linkType = rec.linkType;
      old.interfaceId = rec.interfaceId;
      old.originalLength = rec.originalLength;
      old.data = data;
      return;
    }
    if (this.byRouter.size >= this.capacity) {
      // Forget the router stored first: at this size the analyzer is evicting too.
      const first = this.byRouter.keys().next();
      if (first.done !== true) this.byRouter.delete(first.value);
    }
    this.byRouter.set(key, { ...rec, data: new Uint8Array(rec.data) });
  }

  /** The last advert of `router` in the virtual router `key` (see vridKey). */
  get(key: string, router: string): CaptureRecord | undefined {
    return this.byRouter.get(`${key}|${router}`);
  }

  get size(): number {
    return this.byRouter.size;
  }
}
