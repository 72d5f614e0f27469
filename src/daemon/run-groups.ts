// The edge of vrrp_sync_group and track_interface for `vrrpwatch daemon -f`: one SyncBus per
// group (with the group's own notify queue, which its members' notifications share, so a group's
// transitions notify one at a time and in order), and the link looks for tracked interfaces,
// read from /sys/class/net at every link poll (keepalived hears the same from netlink).
import type { LogLevel } from './log.js';
import type { DaemonConfig } from './config.js';
import { describeResult, type Daemon } from './daemon.js';
import { readLink } from './host.js';
import type { LinkSnapshot } from './link.js';
import { NOTIFY_TIMEOUT_MS, NotifyQueue } from './notify-queue.js';
import type { RunningCommand, CommandResult } from './commands.js';
import { SyncBus } from './sync-bus.js';

export interface GroupDeps {
  run(command: string, args: readonly string[], timeoutMs: number): RunningCommand;
  say(level: LogLevel, message: string): void;
}

export class RunningGroups {
  readonly #deps: GroupDeps;
  readonly #buses = new Map<string, SyncBus>();
  readonly #of = new Map<Daemon, SyncBus>();

  constructor(deps: GroupDeps) {
    this.#deps = deps;
  }

  /** Before `d` starts: into its group, if it has one. */
  attach(d: Daemon, c: DaemonConfig): void {
    const ref = c.syncGroup;
    if (ref === undefined) return;
    let bus = this.#buses.get(ref.name);
    if (bus === undefined) {
      const queue = new NotifyQueue({
        run: (command, args, timeoutMs) => this.#deps.run(command, args, timeoutMs),
        setTimer: (ms, fn) => {
          const t = setTimeout(fn, ms);
          return () => clearTimeout(t);
        },
        failed: (command, args, r: CommandResult) => this.#deps.say('warning', `sync group ${ref.name}: notify ${JSON.stringify(command)} ${args.join(' ')}: ${describeResult(r, r.timedOut ? NOTIFY_TIMEOUT_MS / 1000 : null)}`),
      });
      bus = new SyncBus(ref, queue, (level, message) => this.#deps.say(level, message));
      this.#buses.set(ref.name, bus);
    }
    bus.update(ref);
    d.joinGroup(bus.add(d));
    this.#of.set(d, bus);
  }

  /** A reload kept `d` with (maybe) new group notify scripts. */
  updated(d: Daemon, c: DaemonConfig): void {
    if (c.syncGroup !== undefined) this.#of.get(d)?.update(c.syncGroup);
  }

  /** `d` stopped for good (removed or restarted by a reload). */
  detach(d: Daemon): void {
    const bus = this.#of.get(d);
    if (bus === undefined) return;
    this.#of.delete(d);
    bus.remove(d);
    if (bus.size === 0) this.#buses.delete(bus.name);
  }

  /** SIGUSR1: a line per group. */
  statusLines(): string[] {
    return [...this.#buses.values()].map((b) => b.statusLine());
  }

  /** Waits for the groups' queued notifications (STOP included) on the way out. */
  async drain(): Promise<void> {
    await Promise.all([...this.#buses.values()].map((b) => b.notifications.drain()));
  }
}

/**
 * One look at each interface `c` tracks, for `d` (track_interface). `links` holds this poll's
 * reads, shared by every instance: one read per interface per poll, however many track it.
 */
export function pollTracked(d: Daemon, c: DaemonConfig, links: Map<string, LinkSnapshot>): void {
  for (const t of c.trackInterfaces ?? []) {
    let l = links.get(t.name);
    if (l === undefined) links.set(t.name, (l = readLink(t.name)));
    d.setTrackedInterface(t.name, !l.exists ? 'absent' : l.up ? 'up' : 'down');
  }
}
