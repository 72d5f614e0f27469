// Evicted state is not kept reachable (issue 14): routers the tracker forgets under a flood can be
// collected, or are the objects of the routers that took their places (bounded.ts reuses them),
// whatever remembered them on the way (the frame memo keeps an entry for every sender that
// advertised twice, up to 8,192 of them, and lets go of a forgotten one). Checked with WeakRefs and
// a full GC.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { FrameMemo } from '../../src/decode/frame-memo.js';
import type { RouterState } from '../../src/analysis/state.js';
import { vrrpFrame } from '../support/vrrp-frames.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const forget = FrameMemo.prototype.forget;
afterEach(() => {
  FrameMemo.prototype.forget = forget;
});

/** Runs `routers` senders through `a`, each advertising twice (so the memo remembers it), 10 VRIDs. */
function flood(a: Analyzer, routers: number): void {
  const t0 = 1_795_000_000_000_000;
  for (let i = 0; i < routers; i++) {
    const frame = vrrpFrame({ src: `10.1.${i >> 8}.${i & 0xff}`, vrid: 1 + (i % 10), priority: 1 + (i % 200), addresses: ['198.51.100.1'] });
    a.frame(1, frame, t0 + 1000 * i, null);
    a.frame(1, frame, t0 + 1000 * i + 500, null);
  }
}

describe('evicted routers', () => {
  it('become unreachable or a new router: the frame memo lets go of them', async () => {
    const refs: WeakRef<RouterState>[] = [];
    let held = 0;
    // Told of every router the tracker forgets: a weak reference to it, and whether an entry still holds it.
    FrameMemo.prototype.forget = function (this: FrameMemo<RouterState>, r: RouterState): void {
      refs.push(new WeakRef(r));
      forget.call(this, r);
      if ((this as unknown as { entries: { router: RouterState | null }[] }).entries.some((e) => e.router === r)) held++;
    };
    const a = new Analyzer();
    flood(a, 3000);
    // 10 VRIDs of at most 8 routers (DEFAULT_LIMITS): all but 80 were forgotten.
    expect(refs.length).toBe(3000 - 80);
    expect(a.result().evictions.routers).toBe(3000 - 80);
    expect(held).toBe(0);
    // A WeakRef's target stays alive until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    // A forgotten router's object is taken over by the next new router of its VRID (bounded.ts):
    // what is still alive is one of the 80 routers the tracker has now, under its new address.
    const alive = new Set(refs.map((r) => r.deref()).filter((r) => r !== undefined));
    expect(alive.size).toBeLessThanOrEqual(80);
    for (const r of alive) {
      expect(r.evicted).toBe(false);
      expect(r.vrid.routers.get(r.address)).toBe(r);
    }
    // The analyzer itself is still in use: what it holds was not collected with it.
    expect(a.result().vrids).toHaveLength(10);
  });

  it('the fast path still replays a router that advertises again after its first advert', () => {
    // The memo skips a router's first advert: its second is decoded and remembered, the third replayed.
    const a = new Analyzer();
    const b = new Analyzer({ fastPath: false });
    const frame = vrrpFrame({ src: '192.0.2.1', vrid: 7, priority: 150, addresses: ['198.51.100.7'] });
    for (let i = 0; i < 5; i++) for (const x of [a, b]) x.frame(1, frame, 1_795_000_000_000_000 + 1_000_000 * i, null);
    expect(a.result()).toEqual(b.result());
    expect(a.result().vrids[0]?.routers[0]?.packets).toBe(5);
  });
});
