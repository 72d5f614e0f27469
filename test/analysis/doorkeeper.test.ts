// The doorkeeper (src/analysis/doorkeeper.ts): a router seen again is known as one that comes
// back, for at least a generation of newcomers, and a flood's random routers rarely look like one.
import { describe, expect, it } from 'vitest';
import { Doorkeeper } from '../../src/analysis/doorkeeper.js';

const vrid = (key: string) => ({ key, keyHash1: 0, keyHash2: 0 });
const addr = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('the doorkeeper', () => {
  it('knows a router it was shown, on the same VRID only, after 65,536 newcomers', () => {
    const d = new Doorkeeper();
    const v51 = vrid('eth0||ipv4|51');
    const v52 = vrid('eth0||ipv4|52');
    expect(d.seen(v51, '192.0.2.11')).toBe(false);
    expect(d.seen(v51, '192.0.2.11')).toBe(true);
    expect(d.seen(v52, '192.0.2.11')).toBe(false);
    for (let i = 0; i < 65_536; i++) d.seen(v51, addr(i));
    expect(d.seen(v51, '192.0.2.11')).toBe(true);
  });

  it('a flood of random routers: under 1 % taken for routers that came back, and a router of two generations ago forgotten', () => {
    const d = new Doorkeeper();
    const v = vrid('eth0||ipv4|7');
    d.seen(v, '192.0.2.99');
    let falsePositives = 0;
    for (let i = 0; i < 400_000; i++) if (d.seen(v, addr(i))) falsePositives++;
    expect(falsePositives / 400_000).toBeLessThan(0.01);
    // 400,000 newcomers are six generations: the first router is long gone.
    expect(d.seen(v, '192.0.2.99')).toBe(false);
  });

  it("keeps a segment's routers in the small filter, and every one of them when a flood brings the large one", () => {
    const d = new Doorkeeper();
    const v = vrid('eth0||ipv4|51');
    const routers = Array.from({ length: 1000 }, (_, i) => addr(i));
    for (const a of routers) expect(d.seen(v, a)).toBe(false);
    for (const a of routers) expect(d.seen(v, a)).toBe(true);
    expect(d.enlarged).toBe(false);
    // The flood: newcomers past the small filter's 1,024.
    let falsePositives = 0;
    for (let i = 0; i < 5_000; i++) if (d.seen(v, addr(100_000 + i))) falsePositives++;
    expect(d.enlarged).toBe(true);
    expect(falsePositives).toBeLessThan(50);
    for (const a of routers) expect(d.seen(v, a), a).toBe(true);
    for (let i = 0; i < 5_000; i++) expect(d.seen(v, addr(100_000 + i))).toBe(true);
  });
});
