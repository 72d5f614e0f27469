// The command line holds V8's old generation to 1.5x what was live (the flood's peak memory),
// unless the user gave node a growing factor of their own.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const setFlagsFromString = vi.fn();
vi.mock('node:v8', () => ({ setFlagsFromString }));

const { HEAP_GROWING_PERCENT, limitHeapGrowth } = await import('../../src/cli/heap-growth.js');

describe('limitHeapGrowth', () => {
  beforeEach(() => setFlagsFromString.mockClear());

  it('sets V8 --heap-growing-percent to 50 by default', () => {
    limitHeapGrowth(['--max-old-space-size=64']);
    expect(HEAP_GROWING_PERCENT).toBe(50);
    expect(setFlagsFromString).toHaveBeenCalledExactlyOnceWith('--heap-growing-percent=50');
  });

  it("leaves the user's own --heap-growing-percent (either spelling) in force", () => {
    limitHeapGrowth(['--heap-growing-percent=0']);
    limitHeapGrowth(['--heap_growing_percent=200']);
    expect(setFlagsFromString).not.toHaveBeenCalled();
  });
});
