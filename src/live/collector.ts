// A full garbage collection on demand, for a process that knows when it is idle (the daemon's
// scheduler, between its adverts). V8 collects when it judges best: its memory reducer, once the
// allocation rate is low, starts an incremental collection on a timer and finishes it with a
// pause of 2 to 5 ms, at any moment, so through a burst of adverts due (measured on 200
// instances: adverts 3.9 and 8.7 ms late at such a pause). A collection V8 is told to run now,
// in a gap between deadlines, pauses longer (6 to 9 ms there: it is not incremental) but where it
// delays nothing, and each one puts the memory reducer's timer back by its 8 s.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A full collection now; null when V8 would not give one. */
export function openCollector(): (() => void) | null {
  try {
    // The only way to V8's gc() without node's --expose-gc: the flag, then a new context, which
    // is given the function.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    return typeof gc === 'function' ? () => void (gc as () => void)() : null;
  } catch {
    return null;
  }
}
