// How often a master answers received adverts with one of its own. RFC 3768 6.4.3 answers a
// priority-0 advert at once, RFC 9568 6.4.3 (and keepalived) a lower-priority master's advert;
// one for one, a flood of either (anyone on the LAN can send it) becomes a flood of ours. The
// answers come out of a budget of ANSWERS_PER_INTERVAL per Advertisement_Interval (a token
// bucket); the rest are counted, and the regular adverts go on as scheduled. Pure.

export const ANSWERS_PER_INTERVAL = 3;

export class AnswerBudget {
  readonly #perInterval: number;
  readonly #intervalSec: number;
  #tokens: number;
  #lastSec: number | null = null;
  /** Answers not sent since the start. */
  held = 0;

  constructor(intervalSec: number, perInterval: number = ANSWERS_PER_INTERVAL) {
    this.#intervalSec = intervalSec;
    this.#perInterval = perInterval;
    this.#tokens = perInterval;
  }

  /** Whether an answer may go out at `atSec` (and it is counted as sent); else it is counted as held. */
  take(atSec: number): boolean {
    if (this.#lastSec !== null) {
      const refill = (Math.max(0, atSec - this.#lastSec) * this.#perInterval) / this.#intervalSec;
      this.#tokens = Math.min(this.#perInterval, this.#tokens + refill);
    }
    this.#lastSec = atSec;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    this.held++;
    return false;
  }
}
