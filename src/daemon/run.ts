// The daemon's edge: the lock (lock.ts), libpcap capture and injection on the interface and the
// multicast group join (reopened by listener.ts when the link returns, link.ts), iproute2 for
// the VIPs (and the --vmac macvlan), child processes, the real clock, signals and every exit
// path. The decisions are the machine's (machine.ts) and the wiring is Daemon's (daemon.ts);
// this file connects them to the host, and makes sure nothing is left behind whichever way the
// process ends, short of SIGKILL.
import { createSocket, type Socket } from 'node:dgram';
import { CliError, Exit } from '../errors.js';
import { virtualMac } from '../decode/validate.js';
import { loadPcap } from '../live/binding.js';
import { VRRP_GROUP } from './advert.js';
import { killDoomedGroups, runCommand } from './commands.js';
import { AUTH_PASS_ENV, sameConfig, type DaemonConfig } from './config.js';
import { Daemon, type DaemonIo } from './daemon.js';
import type { Transition } from './machine.js';
import { addVip, createVmacLink, deleteLink, readInterface, readLink, removeVip, setIpv4Conf } from './host.js';
import { noPrimaryAddress, primaryAddress, vipsPresent, vmacLinkName, type InterfaceFacts } from './interface.js';
import { linkChange, type LinkSnapshot } from './link.js';
import { Listener, type Ear } from './listener.js';
import { takeLock } from './lock.js';
import { reloadActionOf } from './reload-plan.js';
import { pollTracked, RunningGroups } from './run-groups.js';
import { Scheduler } from './scheduler.js';
import { tapCapture, type CaptureTap } from './shared-capture.js';
import { formatLogLine, type LogLevel } from './log.js';
import { isJournalStream, withPriority } from '../service/journal.js';
import { formatListenAddress } from '../service/address.js';
import type { InstanceFacts } from '../service/daemon-metrics.js';
import type { DaemonService } from '../service/daemon-service.js';
import type { ServiceOptions } from '../service/watch-service.js';

export interface RunOptions {
  json: boolean;
  /** --metrics, --events, --on-event. */
  service?: ServiceOptions;
  /** Configuration warnings, logged once the daemon runs. */
  warnings: readonly string[];
  /** Name every log line with its instance (several instances, or a keepalived.conf). */
  nameLines?: boolean;
  /** Instances of the file that are not run, one sentence each (said, then the others start). */
  refused?: readonly { name: string; reason: string }[];
  /** -f: reread the file on SIGHUP, as keepalived reloads (a sentence when it cannot be run); absent: SIGHUP stops, as SIGTERM. */
  reload?: () => Reread | string;
}

/** The file read again on SIGHUP. */
export interface Reread {
  instances: InstanceToRun[];
  refused: { name: string; reason: string }[];
  warnings: string[];
}

/** One instance to run, and where it is written when it comes from a keepalived.conf. */
export interface InstanceToRun {
  config: DaemonConfig;
  /** "a.conf:12" for messages, or null for the command-line flags. */
  where: string | null;
}

/** How often the interface's link state is read (keepalived hears it from netlink at once). */
const LINK_POLL_MS = 200;

/** sysexits EX_SOFTWARE: the daemon stopped on an internal error (after cleaning up). */
const EXIT_SOFTWARE = 70;

/** A started instance: its daemon, its link poll, and what undoes it. */
interface Running {
  daemon: Daemon;
  /** The configuration it runs now (a reload can change it in place). */
  config: DaemonConfig;
  /** `links`: the interfaces already read in this poll (200 instances on one interface read it once). */
  pollLink(links: Map<string, LinkSnapshot>): void;
  cleanUp(): void;
}

/**
 * Starts every instance it can and returns once they run (keepalived's behaviour: an instance
 * that cannot start is said, the others run). From then on only a signal or a failure ends the
 * process, always through process.exit after the VIPs are gone (the captures keep Node alive).
 * With a single instance that cannot start, it throws, as before.
 */
export async function runDaemon(instances: readonly InstanceToRun[], opts: RunOptions): Promise<void> {
  // Under systemd, stdout is the journal: each line then carries its syslog priority.
  const journal = isJournalStream(process.env, 1);
  const write = (line: string, level: LogLevel = 'info'): void => {
    process.stdout.write(journal ? withPriority(line, level) : line);
  };
  const say = (level: LogLevel, message: string): void => write(formatLogLine({ level, message }, Date.now(), opts.json), level);

  for (const w of opts.warnings) say('warning', w);
  // One clock for every instance: their timers in one heap, woken to a fraction of a millisecond.
  const scheduler = new Scheduler((why) => say('warning', why));
  const running: Running[] = [];
  // vrrp_sync_group members move together (sync-group.ts); a group's notifications share one queue.
  const groups = new RunningGroups({ run: (command, args, timeoutMs) => runCommand(command, args, { timeoutMs, env: childEnvironment(), stderr: 'inherit' }), say });
  const begin = (r: Running): void => {
    groups.attach(r.daemon, r.config);
    pollTracked(r.daemon, r.config, new Map()); // a tracked interface already down: FAULT from the start, as keepalived
    r.daemon.start();
  };
  const failed: string[] = [];
  const instanceFacts = (): InstanceFacts[] =>
    running.map(({ daemon: x, config: c }) => ({
      name: c.name, vrid: c.vrid, family: c.family, interface: c.interface, state: x.state, effectivePriority: x.effectivePriority,
      transitions: x.transitions, advertsSent: x.counters.advertsSent, advertsReceived: x.counters.advertsReceived, drops: x.counters.drops,
    }));
  let service: DaemonService | null = null;
  const so = opts.service;
  if (so !== undefined && (so.metrics !== null || so.events !== null || so.onEvent !== null)) {
    const { DaemonService: Service } = await import('../service/daemon-service.js');
    service = await Service.start(so, { stdout: process.stdout, stderr: process.stderr, env: process.env }, instanceFacts);
  }
  const onTransition = (name: string) => (t: Transition, atMs: number): void => {
    const i = instanceFacts().find((x) => x.name === name);
    if (i !== undefined) service?.transition(i, t, atMs);
  };
  for (const r of opts.refused ?? []) {
    say('error', `${r.reason}; not started`);
    failed.push(r.name);
  }
  for (const spec of instances) {
    try {
      running.push(await startInstance(spec, opts, scheduler, write, say, onTransition(spec.config.name)));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (instances.length === 1 && spec.where === null) {
        await service?.close();
        scheduler.close();
        throw e;
      }
      failed.push(spec.config.name);
      say('error', `vrrp_instance ${spec.config.name}${spec.where === null ? '' : ` (${spec.where})`}: ${message}; not started`);
    }
  }
  if (running.length === 0) {
    await service?.close();
    scheduler.close();
    throw new CliError(`no instance could start (${failed.join(', ')}): see the errors above`, Exit.UNAVAILABLE);
  }
  if (failed.length > 0) {
    say('warning', `started ${running.length} of ${running.length + failed.length} instances (${running.map((r) => r.daemon.name).join(', ')}); not started: ${failed.join(', ')}`);
  }

  const cleanUp = (): void => {
    for (const r of running) r.cleanUp();
  };
  // The 'exit' hook runs synchronous code even after process.exit: every exit path cleans up.
  process.on('exit', cleanUp);
  const finish = (code: number): never => {
    cleanUp();
    process.exit(code);
  };
  let ending = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (ending) {
      say('warning', `${signal} while stopping: exiting now`);
      finish(0);
    }
    ending = true;
    // RFC 3768 6.4.3, for every instance at once: priority 0 from each master, VIPs removed.
    void Promise.all(running.map((r) => r.daemon.stop(`received ${signal}`)))
      .then(() => groups.drain())
      .then(() => service?.close())
      .then(() => finish(0), () => finish(EXIT_SOFTWARE));
  };
  const reread = opts.reload;
  for (const s of ['SIGTERM', 'SIGINT', ...(reread === undefined ? (['SIGHUP'] as const) : [])] as const) process.on(s, onSignal);
  if (reread !== undefined) {
    // Reloads run one after another; a signal that ends the process waits for none of them.
    let reloads = Promise.resolve();
    process.on('SIGHUP', () => {
      reloads = reloads.then(async () => {
        if (!ending) await reload(reread());
      });
    });
  }
  /**
   * keepalived's reload: an instance whose configuration is the same keeps running untouched (no
   * advert, no VIP, no state change); a changed one takes the change in place, keeping its state
   * (reload-plan.ts: a new priority is advertised from the next advert and can preempt; VIPs gone
   * are released and new ones added while master), unless it became another virtual router (new
   * VRID, interface...), which stops and starts; a removed one stops as on SIGTERM; an added one
   * starts. A file that cannot be run is refused and the running configuration stays.
   */
  async function reload(next: Reread | string): Promise<void> {
    if (typeof next === 'string') {
      say('error', `SIGHUP: ${next}; the running configuration stays`);
      return;
    }
    for (const w of next.warnings) say('warning', w);
    for (const r of next.refused) say('error', `${r.reason}; not started`);
    const wanted = new Map(next.instances.map((i) => [i.config.name, i]));
    const before = new Set(running.map((r) => r.config.name));
    const added = [...wanted.keys()].filter((n) => !before.has(n)).length;
    const counts = { unchanged: 0, changed: 0, removed: 0 };
    for (const r of [...running]) {
      const w = wanted.get(r.config.name);
      const action = w === undefined ? null : reloadActionOf(r.config, w.config, sameConfig);
      if (w !== undefined && action !== null && action.action !== 'restart') {
        wanted.delete(r.config.name);
        if (action.action === 'keep') counts.unchanged++;
        else {
          counts.changed++;
          r.daemon.log('info', `SIGHUP: applying ${action.changes.join(', ')} in place (state ${r.daemon.state} kept)`);
          r.config = w.config;
          groups.updated(r.daemon, w.config);
          r.daemon.reconfigure(w.config);
        }
        continue;
      }
      if (w === undefined) counts.removed++;
      else counts.changed++;
      await r.daemon.stop(w === undefined ? 'removed from the configuration (SIGHUP)' : `${action?.action === 'restart' ? action.why : 'its configuration changed'} (SIGHUP); starting again with the new one`);
      groups.detach(r.daemon);
      r.cleanUp();
      running.splice(running.indexOf(r), 1);
    }
    for (const spec of wanted.values()) {
      if (ending) return;
      try {
        const r = await startInstance(spec, opts, scheduler, write, say, onTransition(spec.config.name));
        running.push(r);
        begin(r);
      } catch (e) {
        say('error', `vrrp_instance ${spec.config.name}${spec.where === null ? '' : ` (${spec.where})`}: ${e instanceof Error ? e.message : String(e)}; not started`);
      }
    }
    say('info', `SIGHUP: configuration reread: ${counts.unchanged} unchanged, ${counts.changed} changed, ${counts.removed} removed, ${added} added; running ${running.map((r) => r.config.name).join(', ') || 'no instance'}`);
  }
  process.on('SIGUSR1', () => {
    for (const r of running) r.daemon.logStatus();
    for (const line of groups.statusLines()) say('info', line);
  });
  const crash = (e: unknown): void => {
    say('error', `internal error, stopping: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    finish(EXIT_SOFTWARE);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  const served = service?.address;
  if (served) say('info', `serving /metrics and /status on http://${formatListenAddress(served)}`);
  for (const r of running) begin(r);
  const poll = setInterval(() => {
    const links = new Map<string, LinkSnapshot>();
    for (const r of running) {
      r.pollLink(links);
      pollTracked(r.daemon, r.config, links);
    }
  }, LINK_POLL_MS);
  process.on('exit', () => clearInterval(poll));
}

/** One instance on the host: lock, leftovers, VMAC, capture, the Daemon. Throws (after undoing) when it cannot run. */
async function startInstance(
  spec: InstanceToRun,
  opts: RunOptions,
  scheduler: Scheduler,
  write: (line: string, level?: LogLevel) => void,
  say: (level: LogLevel, message: string) => void,
  onTransition: (t: Transition, atMs: number) => void,
): Promise<Running> {
  const config = spec.config;
  const iface = config.interface;
  const facts = readInterface(iface);
  if (typeof facts === 'string') throw new CliError(facts, Exit.UNAVAILABLE);
  if (!facts.up) throw new CliError(`interface ${iface} is down: \`ip link set ${iface} up\`, then start again`, Exit.UNAVAILABLE);
  const primary = primaryAddress(facts, config.family, config.vips);
  if (primary === null) throw new CliError(noPrimaryAddress(iface, config.family), Exit.UNAVAILABLE);
  const unicastError = unicastSourceError(config, facts);
  if (unicastError !== null) throw new CliError(unicastError, Exit.UNAVAILABLE);
  // The adverts' source: unicast_src_ip, else the primary address.
  const source = config.unicast?.srcAddress ?? primary;
  await loadPcap();

  // What must be undone on every way out, newest first. Each step runs once.
  const undo: (() => void)[] = [];
  const cleanUp = (): void => {
    for (let step = undo.pop(); step !== undefined; step = undo.pop()) {
      try {
        step();
      } catch {
        // keep undoing the rest
      }
    }
  };

  // Before anything touches the host: a second daemon for this VRID would take the running
  // master's VIP for a leftover and delete it.
  const lock = takeLock({ interface: iface, vrid: config.vrid, family: config.family });
  if (!lock.ok) throw new CliError(lock.message, Exit.UNAVAILABLE);
  undo.push(lock.release);
  if (lock.tookOverFrom !== null) say('warning', `took over the lock ${lock.path} from pid ${lock.tookOverFrom}, which is no longer running`);
  let daemon: Daemon | null = null;
  let vipDevice = iface;
  let promiscuous = false;
  let mac = facts.mac;
  // Opens the capture and joins the group; again after a flap, a re-creation or an error.
  const openEar = async (onError: (message: string) => void): Promise<Ear> => {
    const now = readInterface(iface);
    if (typeof now === 'string') throw new Error(now);
    const address = primaryAddress(now, config.family, config.vips);
    if (address !== primary) {
      throw new Error(address === null ? noPrimaryAddress(iface, config.family) : `interface ${iface} now has ${address}, not ${primary}: restart vrrpwatch to advertise from it`);
    }
    if (now.mac !== mac) {
      mac = now.mac;
      daemon?.setMac(mac);
    }
    // The NIC must accept frames sent to the VRRP group: join it, as keepalived does (an IGMP /
    // MLD report, so snooping switches forward it too); if that fails, capture promiscuously.
    // unicast_peer: the adverts come to our own MAC, no group to join.
    const group = config.unicast !== null ? null : await joinGroup(config.family, iface, primary);
    const joinedNow = typeof group !== 'string';
    if (!joinedNow && !promiscuous) say('warning', `${group}; capturing in promiscuous mode instead`);
    promiscuous = !joinedNow;
    const neighbors = config.unicast !== null;
    let cap: CaptureTap;
    try {
      cap = await tapCapture(iface, { family: config.family, vrid: config.vrid, neighbors, deliver: (data) => daemon?.receive(data), onError }, promiscuous);
    } catch (e) {
      if (joinedNow) group?.close();
      throw e;
    }
    return {
      linkType: cap.linkType,
      inject: (frame) => cap.inject(frame),
      close: () => {
        cap.close();
        if (joinedNow) group?.close();
      },
    };
  };

  let link = readLink(iface);
  const listener = new Listener({
    open: openEar,
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    onState: (ok, reason) => {
      // A capture that died with its interface: that is the link's news, said once as such.
      if (!ok && onLink(readLink(iface))) return;
      daemon?.setCapture(ok, reason);
    },
  });

  try {
    // A backup must not hold the VIPs: remove what a killed run left (never the owner's: its VIP
    // may be the interface's own address).
    const stale = config.priority !== 255 ? vipsPresent(facts, heldOn(config, iface)) : [];
    for (const vip of stale) {
      const r = removeVip(vip, iface);
      if (r === 'removed') say('warning', `removed ${vip.address} from ${iface}: a previous run left it there, and a backup must not hold it`);
      else if (r !== 'absent') throw new CliError(r.error, Exit.UNAVAILABLE);
    }

    if (config.vmac) {
      // keepalived's use_vmac: the VIPs live on a macvlan with the virtual MAC, so the host
      // answers for them from that MAC.
      const name = vmacLinkName(config.vrid, iface, facts.ifindex);
      const failed = createVmacLink(iface, name, virtualMac(config.family, config.vrid));
      if (failed !== null) throw new CliError(failed, Exit.UNAVAILABLE);
      undo.push(() => deleteLink(name));
      vipDevice = name;
      if (config.family === 4) {
        // Linux answers ARP for any local address on any interface: each side must answer only
        // for its own addresses (arp_ignore 1, as keepalived sets them), and the interface must
        // not ask "who has X" from a VIP (arp_announce 2), or peers learn the VIP at its MAC.
        const settings: [string, string, string][] = [[name, 'arp_ignore', '1'], [iface, 'arp_ignore', '1'], [iface, 'arp_filter', '1'], [iface, 'arp_announce', '2']];
        for (const [dev, key, value] of settings) {
          const restore = setIpv4Conf(dev, key, value);
          if (typeof restore === 'string') say('warning', `${restore}; peers may learn the VIPs at ${iface}'s own MAC`);
          else if (dev === iface) undo.push(restore);
        }
      }
    }
    await listener.start();
  } catch (e) {
    cleanUp();
    throw e;
  }

  const io: DaemonIo = {
    nowSec: () => scheduler.nowSec(),
    wallMs: () => Date.now(),
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    wakeAt: (dueSec, fn) => scheduler.at(dueSec, fn),
    get wakeGraceSec() {
      return scheduler.graceSec;
    },
    send: (frame) => listener.inject(frame),
    // keepalived: an address's own `dev` wins over the instance's interface (and its VMAC).
    addVip: (vip) => addVip(vip, vip.dev ?? vipDevice, { noPrefixRoute: config.vmac && vip.dev === undefined }),
    removeVip: (vip) => removeVip(vip, vip.dev ?? vipDevice),
    run: (command, args, kind, timeoutMs) => runCommand(command, args, { timeoutMs, env: childEnvironment(), stderr: kind === 'notify' ? 'inherit' : 'ignore' }),
    write,
  };
  const d = new Daemon(config, { mac: facts.mac, primaryAddress: source, linkType: listener.linkType ?? 1 }, io, opts.nameLines === true ? { json: opts.json, instance: config.name, onTransition } : { json: opts.json, onTransition });
  daemon = d;
  // VIPs first (the macvlan and the sysctl come after them on the stack), the capture last.
  undo.unshift(() => listener.close());
  undo.push(() => d.releaseVips());
  // Notify and track children being killed get their SIGKILL now rather than outlive us.
  undo.push(killDoomedGroups);

  /** The interface changed (see link.ts): FAULT while down or gone; reopen the ears when usable. True when it is not usable. */
  function onLink(now: LinkSnapshot): boolean {
    const change = linkChange(link, now);
    switch (change.type) {
      case 'none':
        break;
      case 'down':
        d.setInterface('down');
        break;
      case 'gone':
        listener.suspend();
        d.setInterface('gone');
        break;
      case 'back':
        if (config.vmac && change.why === 're-created') {
          const failed = createVmacLink(iface, vipDevice, virtualMac(config.family, config.vrid));
          if (failed !== null) d.log('error', failed);
        }
        // Usable once the ears are open again: until then it stays in FAULT.
        void listener.reopen().then(() => {
          if (listener.open) d.setInterface('up');
        });
        break;
    }
    link = now;
    return !now.exists || !now.up;
  }

  const v = config.version;
  const joined = config.unicast !== null ? `unicast to ${config.unicast.peers.join(', ')}` : promiscuous ? 'promiscuous mode' : `joined ${VRRP_GROUP[config.family]}`;
  const sourceMac = config.vmac ? `${virtualMac(config.family, config.vrid)}, VIPs on ${vipDevice}` : facts.mac;
  d.log(
    'info',
    `vrrpwatch daemon ${config.name}: VRID ${config.vrid} on ${iface} from ${source} (${sourceMac}), ` +
      `VRRPv${v}${v === 2 && config.auth ? ' with simple-text authentication' : ''}, priority ${config.priority}, advert every ${config.advertIntervalCs / 100} s, ` +
      `VIPs ${config.vips.map((x) => `${x.address}/${x.prefixLength}`).join(' ')}, ` +
      (config.excludedVips.length > 0 ? `excluded ${config.excludedVips.map((x) => `${x.address}/${x.prefixLength}`).join(' ')}, ` : '') +
      `preempt ${config.preempt ? (config.preemptDelayCs > 0 ? `after ${config.preemptDelayCs / 100} s` : 'on') : 'off'}; ${joined}; lock ${lock.path}` +
      (spec.where === null ? '' : `; from ${spec.where}`),
  );
  const pollLink = (links: Map<string, LinkSnapshot>): void => {
    let now = links.get(iface);
    if (now === undefined) links.set(iface, (now = readLink(iface)));
    onLink(now);
  };
  return { daemon: d, config, pollLink, cleanUp };
}

/** The environment of every child (ip, notify, track scripts): never the password. */
function childEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[AUTH_PASS_ENV];
  return env;
}

/**
 * Joins the VRRP group on the interface with a UDP socket that never receives anything (VRRP is
 * not UDP): the membership makes the kernel program the NIC's multicast filter. Returns the
 * socket, to be closed on exit, or why the join failed.
 */
async function joinGroup(family: 4 | 6, iface: string, primary: string): Promise<Socket | string> {
  const socket = createSocket({ type: family === 4 ? 'udp4' : 'udp6', reuseAddr: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => resolve());
    });
    // IPv4 names the interface by its address; IPv6 by its scope (the interface index).
    socket.addMembership(VRRP_GROUP[family], family === 4 ? primary : `::%${iface}`);
    socket.unref();
    return socket;
  } catch (e) {
    socket.close();
    return `could not join ${VRRP_GROUP[family]} on ${iface} (${(e as Error).message})`;
  }
}

/** unicast_src_ip must be an address of the interface (keepalived: "not configured on the interface"); else null. */
function unicastSourceError(config: DaemonConfig, facts: InterfaceFacts): string | null {
  const src = config.unicast?.srcAddress ?? null;
  if (src === null || facts.addresses.some((a) => a.address === src)) return null;
  return `unicast_src_ip ${src} is not an address of ${config.interface}: add it (ip addr add ${src}/PREFIX dev ${config.interface}) or correct unicast_src_ip`;
}

/** What a master of `config` holds on `iface` (VIPs and excluded addresses without a dev of their own): a killed run's leftovers to remove. */
function heldOn(config: DaemonConfig, iface: string): DaemonConfig['vips'] {
  return [...config.vips, ...config.excludedVips].filter((v) => v.dev === undefined || v.dev === iface);
}
