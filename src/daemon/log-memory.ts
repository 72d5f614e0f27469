// Which per-sender lines (a dropped advert's reason, an oddity) the daemon has logged, so a
// stream of bad adverts is one line per sender and reason, not one per packet. Bounded by
// construction, and a flood cannot silence what matters:
// - a line is said again once REPEAT_AFTER_SEC has passed (a problem that lasts is not forgotten);
// - routers that matter (masters it followed, or configured peers) have a reserved share of
//   their own, so spoofed senders filling the general share never hide them;
// - when a share is full of recent entries, a new sender is not named but counted, and one
//   summary line per SUMMARY_EVERY_SEC says how many lines were held back, by reason.
// Pure: the time comes with each call.

export const LOG_MEMORY = {
  /** (reason, sender) pairs remembered for any sender. */
  general: 1024,
  /** (reason, sender) pairs remembered for the senders that matter. */
  reserved: 256,
  /** Senders that matter, remembered (the least recently heard goes first). */
  known: 64,
  repeatAfterSec: 600,
  summaryEverySec: 60,
} as const;

export type LogMemoryLimits = { [K in keyof typeof LOG_MEMORY]: number };

export class LogMemory {
  readonly #limits: LogMemoryLimits;
  /** key -> when it was last said; Map order is oldest first. */
  readonly #general = new Map<string, number>();
  readonly #reserved = new Map<string, number>();
  readonly #known = new Map<string, true>();
  /** What was held back since #windowSec, by reason. */
  readonly #held = new Map<string, number>();
  #windowSec = 0;

  constructor(limits: LogMemoryLimits = LOG_MEMORY) {
    this.#limits = limits;
  }

  /** `address` matters: a master it followed (or a configured peer). */
  known(address: string): void {
    this.#known.delete(address);
    this.#known.set(address, true);
    if (this.#known.size > this.#limits.known) this.#known.delete(this.#known.keys().next().value as string);
  }

  /** Whether to log (reason, from) now; when not, it may be counted for the summary. */
  shouldSay(reason: string, from: string, atSec: number): boolean {
    const key = `${reason}|${from}`;
    const pool = this.#known.has(from) ? this.#reserved : this.#general;
    const other = pool === this.#general ? this.#reserved : this.#general;
    const said = pool.get(key) ?? other.get(key);
    if (said !== undefined) {
      if (atSec - said < this.#limits.repeatAfterSec) return false; // said recently: a repeat, not news
      pool.delete(key);
      other.delete(key);
    }
    const cap = pool === this.#general ? this.#limits.general : this.#limits.reserved;
    if (pool.size >= cap) {
      const [oldestKey, oldestAt] = pool.entries().next().value as [string, number];
      if (atSec - oldestAt < this.#limits.repeatAfterSec) {
        if (this.#held.size === 0) this.#windowSec = atSec;
        this.#held.set(reason, (this.#held.get(reason) ?? 0) + 1);
        return false;
      }
      pool.delete(oldestKey);
    }
    pool.set(key, atSec);
    return true;
  }

  /** Once a summary period has passed with lines held back: the sentence, and a new period. Else null. */
  summary(atSec: number): string | null {
    if (this.#held.size === 0 || atSec - this.#windowSec < this.#limits.summaryEverySec) return null;
    const total = [...this.#held.values()].reduce((a, b) => a + b, 0);
    const by = [...this.#held].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ');
    const minutes = Math.round((atSec - this.#windowSec) / 60);
    this.#held.clear();
    return `${total} more line(s) about other senders not logged in the last ${minutes <= 1 ? 'minute' : `${minutes} minutes`} (${by}): more than ${this.#limits.general} senders in ${this.#limits.repeatAfterSec / 60} minutes, a flood?`;
  }
}
