// How far V8's old generation may grow past what was live after the last full collection.
//
// Under a flood of spoofed adverts nearly every advert makes a router that lives a few thousand
// adverts, long enough to be promoted out of the young generation, and dies there: what stays
// reachable is about 12 MB, but V8's own growing factor (up to 4x under a high allocation rate)
// let the old generation reach about 60 MB between full collections, and the process 160-177 MB.
// A fixed factor of 1.5 keeps it near what is live (peak RSS 122-140 MB on the bench's flood) for
// a few more full collections, each as short as the live state is small: CPU time within noise
// (200,000 flood adverts 1.65-1.95 s against 1.6-1.8 s; 1,000,000 the same).
import { setFlagsFromString } from 'node:v8';

/** The old generation's limit after a full collection: live size times 1 + this / 100. */
export const HEAP_GROWING_PERCENT = 50;

/** Applies the limit, unless the user gave node a --heap-growing-percent of their own. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
