// The daemon's ears (and mouth) on its interface: the capture and the multicast group
// membership, as one thing that can be reopened. It is reopened when the interface is usable
// again after a flap or a re-creation (run.ts asks), and after a capture error, with a backoff
// (1 s, doubling to 30 s) so a broken interface does not spin. While it is shut the daemon is in
// FAULT: onState tells it. The opening itself (libpcap, the group join) is given by the edge.

export interface Ear {
  /** LINKTYPE of the captured frames. */
  readonly linkType: number;
  /** Put one whole frame on the wire; throws when it cannot. */
  inject(frame: Uint8Array): void;
  close(): void;
}

export interface ListenerDeps {
  /**
   * Open the capture and join the group. `onError` is called if the capture later stops by
   * itself (the interface went away). Rejects with a sentence when it cannot open.
   */
  open(onError: (message: string) => void): Promise<Ear>;
  setTimer(ms: number, fn: () => void): () => void;
  /** The ears work (true) or not (false, with why): the daemon leaves or enters FAULT. */
  onState(ok: boolean, reason: string): void;
}

export const REOPEN_FIRST_MS = 1000;
export const REOPEN_MAX_MS = 30_000;

export class Listener {
  readonly #deps: ListenerDeps;
  #ear: Ear | null = null;
  /** Bumped on every open, close and suspend: an older open that resolves late is closed unused. */
  #generation = 0;
  #retry: (() => void) | null = null;
  #backoffMs = REOPEN_FIRST_MS;
  #failing = false;
  #closed = false;

  constructor(deps: ListenerDeps) {
    this.#deps = deps;
  }

  get open(): boolean {
    return this.#ear !== null;
  }

  get linkType(): number | null {
    return this.#ear?.linkType ?? null;
  }

  /** The first opening: a failure rejects (the daemon refuses to start), nothing is retried. */
  async start(): Promise<void> {
    const gen = ++this.#generation;
    const ear = await this.#deps.open((m) => this.#stopped(gen, m));
    this.#ear = ear;
  }

  /** Close what is open and open anew; resolves once open, or once the first attempt failed (retries follow). */
  async reopen(): Promise<void> {
    if (this.#closed) return;
    this.#shut();
    this.#backoffMs = REOPEN_FIRST_MS;
    await this.#attempt();
  }

  /** The interface is gone: close, and wait for reopen() (no retries meanwhile). */
  suspend(): void {
    this.#shut();
  }

  inject(frame: Uint8Array): void {
    if (this.#ear === null) throw new Error('the capture is closed (the interface is down or gone); nothing is sent until it returns');
    this.#ear.inject(frame);
  }

  close(): void {
    this.#closed = true;
    this.#shut();
  }

  #shut(): void {
    this.#generation++;
    this.#retry?.();
    this.#retry = null;
    const ear = this.#ear;
    this.#ear = null;
    try {
      ear?.close();
    } catch {
      // closing a capture whose interface is gone
    }
  }

  async #attempt(): Promise<void> {
    const gen = ++this.#generation;
    let ear: Ear;
    try {
      ear = await this.#deps.open((m) => this.#stopped(gen, m));
    } catch (e) {
      if (gen !== this.#generation || this.#closed) return;
      this.#scheduleRetry(`cannot reopen the capture: ${(e as Error).message}`);
      return;
    }
    if (gen !== this.#generation || this.#closed) {
      ear.close();
      return;
    }
    this.#ear = ear;
    this.#backoffMs = REOPEN_FIRST_MS;
    if (this.#failing) {
      this.#failing = false;
      this.#deps.onState(true, 'the capture works again');
    }
  }

  /** The capture stopped by itself: FAULT, and try again after the backoff. */
  #stopped(gen: number, message: string): void {
    if (gen !== this.#generation || this.#closed) return;
    this.#shut();
    this.#scheduleRetry(message);
  }

  #scheduleRetry(reason: string): void {
    const ms = this.#backoffMs;
    this.#backoffMs = Math.min(REOPEN_MAX_MS, this.#backoffMs * 2);
    this.#failing = true;
    const gen = this.#generation;
    this.#deps.onState(false, `${reason}; trying again in ${ms / 1000} s`);
    if (gen !== this.#generation || this.#closed) return; // onState suspended or closed it
    this.#retry = this.#deps.setTimer(ms, () => {
      this.#retry = null;
      if (gen === this.#generation && !this.#closed) void this.#attempt();
    });
  }
}
