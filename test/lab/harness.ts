// A throwaway LAN for lab tests: network namespaces on a bridge, Debian's keepalived as the peer,
// documentation addresses only (192.0.2.0/24, 2001:db8::/64). The same topology as
// scripts/lab/lib.sh (which records the sample captures), in TypeScript so tests can drive it
// step by step. Every name starts with "vwt" plus the lab's short id, so labs of concurrent test
// files never meet; destroy() (and a process exit hook) removes everything.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { hasTool as have } from '../support/tools.js';
import { join } from 'node:path';

export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;


export const HAVE_KEEPALIVED = have('keepalived');
/** Why lab tests skip here, or null when they can run. */
export const LAB_SKIP: string | null = !IS_ROOT
  ? 'lab tests need root to create network namespaces (run as root, as CI does)'
  : !HAVE_KEEPALIVED
    ? 'lab tests need keepalived: apt-get install keepalived'
    : !have('ip') ? 'lab tests need iproute2' : null;

const LETTERS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;

/**
 * One letter put before every lab id (VWT_LAB_TAG=x), so that two checkouts on one machine can run
 * the same lab test files at once without their namespaces meeting. Empty by default.
 */
const LAB_TAG = /^[a-z0-9]?$/.test(process.env.VWT_LAB_TAG ?? '') ? (process.env.VWT_LAB_TAG ?? '') : '';
export type Host = (typeof LETTERS)[number];

export interface KaInstance {
  name?: string;
  vrid: number;
  priority: number;
  /** Seconds (v3 allows fractions). */
  advertInt?: number;
  version?: 2 | 3;
  family?: 4 | 6;
  state?: 'MASTER' | 'BACKUP';
  authPass?: string;
  nopreempt?: boolean;
  vips: string[];
  /** vrrp_script names this instance tracks, with their weights. */
  track?: { script: string; weight: number }[];
  /** unicast_src_ip and unicast_peer: adverts by unicast to these peers. */
  unicastSrcIp?: string;
  unicastPeers?: string[];
  /** virtual_ipaddress_excluded entries, as written. */
  excludedVips?: string[];
  /** Written after `dev IFACE` on each virtual_ipaddress entry (e.g. label, scope), given the interface's name. */
  vipAttrs?: (iface: string) => string;
  /** Interfaces this instance tracks (track_interface), with their weights. */
  trackInterface?: { iface: string; weight: number }[];
  /** The vrrp_sync_group it is in (its block is written once, after the instances; `notify` from the first member naming it). */
  syncGroup?: { name: string; notify?: string };
}

export interface KaScript {
  name: string;
  script: string;
  interval?: number;
  fall?: number;
  rise?: number;
}

function sh(cmd: string, args: string[], opts: { allowFail?: boolean } = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (opts.allowFail) return '';
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr ?? err.message}`);
  }
}

const live = new Set<Lab>();
process.on('exit', () => {
  for (const lab of live) lab.destroySync();
});

export class Lab {
  readonly dir: string;
  readonly brNs: string;
  readonly obsNs: string;
  readonly obsIf: string;
  readonly hosts: Host[];
  private readonly kaProcs = new Map<Host, ChildProcess>();
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly id: string, hosts: number) {
    if (!/^[a-z0-9]{1,4}$/.test(id)) throw new Error(`lab id ${id}: 1-3 lowercase letters or digits, plus VWT_LAB_TAG`);
    this.dir = mkdtempSync(join(tmpdir(), `vwt${id}-lab-`));
    this.brNs = `vwt${id}-br`;
    this.obsNs = `vwt${id}-obs`;
    this.obsIf = `vwt${id}o0`;
    this.hosts = LETTERS.slice(0, hosts);
  }

  /** Build the LAN: a silent bridge, an observer port that hears everything, N hosts. */
  static create(id: string, hosts = 2): Lab {
    const lab = new Lab(LAB_TAG + id, hosts);
    lab.removeStale();
    live.add(lab);
    try {
      lab.build();
    } catch (e) {
      lab.destroySync();
      throw e;
    }
    return lab;
  }

  ns(h: Host): string { return `vwt${this.id}-${h}`; }
  iface(h: Host): string { return `vwt${this.id}${h}0`; }
  port(h: Host): string { return `vwt${this.id}${h}1`; }
  ip4(h: Host): string { return `192.0.2.${11 + LETTERS.indexOf(h)}`; }
  ip6(h: Host): string { return `2001:db8::${11 + LETTERS.indexOf(h)}`; }
  mac(h: Host): string { return `02:76:77:74:00:${(11 + LETTERS.indexOf(h)).toString(16).padStart(2, '0')}`; }
  ll6(h: Host): string {
    const out = sh('ip', ['-n', this.ns(h), '-6', 'addr', 'show', 'dev', this.iface(h), 'scope', 'link']);
    const m = /inet6 (fe80::[0-9a-f:]+)\//.exec(out);
    if (!m) throw new Error(`no link-local address on ${this.ns(h)}`);
    return m[1]!;
  }

  private build(): void {
    const ipn = (ns: string, ...a: string[]) => sh('ip', ['-n', ns, ...a]);
    const sysctl = (ns: string, ...kv: string[]) => sh('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...kv]);
    sh('ip', ['netns', 'add', this.brNs]);
    sysctl(this.brNs, 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
    ipn(this.brNs, 'link', 'set', 'lo', 'up');
    ipn(this.brNs, 'link', 'add', `vwt${this.id}br`, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0', 'ageing_time', '0', 'mcast_snooping', '0');
    ipn(this.brNs, 'link', 'set', `vwt${this.id}br`, 'up');
    // The observer: hears everything, says nothing.
    sh('ip', ['netns', 'add', this.obsNs]);
    sysctl(this.obsNs, 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
    ipn(this.obsNs, 'link', 'set', 'lo', 'up');
    ipn(this.brNs, 'link', 'add', `vwt${this.id}o1`, 'type', 'veth', 'peer', 'name', this.obsIf, 'netns', this.obsNs);
    ipn(this.obsNs, 'link', 'set', this.obsIf, 'address', '02:76:77:74:00:fe', 'arp', 'off', 'up');
    ipn(this.brNs, 'link', 'set', `vwt${this.id}o1`, 'master', `vwt${this.id}br`, 'up');
    for (const h of this.hosts) {
      const ns = this.ns(h);
      sh('ip', ['netns', 'add', ns]);
      sysctl(ns, 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.default.dad_transmits=0',
        'net.ipv6.conf.default.router_solicitations=0', 'net.ipv6.conf.all.router_solicitations=0');
      ipn(ns, 'link', 'set', 'lo', 'up');
      ipn(this.brNs, 'link', 'add', this.port(h), 'type', 'veth', 'peer', 'name', this.iface(h), 'netns', ns);
      ipn(ns, 'link', 'set', this.iface(h), 'address', this.mac(h));
      ipn(this.brNs, 'link', 'set', this.port(h), 'master', `vwt${this.id}br`, 'up');
      ipn(ns, 'addr', 'add', `${this.ip4(h)}/24`, 'dev', this.iface(h));
      ipn(ns, 'addr', 'add', `${this.ip6(h)}/64`, 'dev', this.iface(h), 'nodad');
      ipn(ns, 'link', 'set', this.iface(h), 'up');
    }
    const until = Date.now() + 5000;
    for (const h of this.hosts) {
      for (;;) {
        try { this.ll6(h); break; } catch (e) { if (Date.now() > until) throw e; execFileSync('sleep', ['0.05']); }
      }
    }
  }

  /** Write a keepalived.conf for `h` and start keepalived in its namespace. */
  startKeepalived(h: Host, instances: KaInstance[], scripts: KaScript[] = []): void {
    const conf = join(this.dir, `${h}.conf`);
    writeFileSync(conf, this.keepalivedConf(h, instances, scripts));
    this.startKeepalivedFile(h, conf);
  }

  /** The keepalived.conf of `h` for these instances (keepalived and `vrrpwatch daemon -f` both run it). */
  keepalivedConf(h: Host, instances: KaInstance[], scripts: KaScript[] = []): string {
    const lines = ['global_defs {', `  router_id vwt${this.id}-${h}`, '  enable_script_security', '  script_user root', '}'];
    for (const s of scripts) {
      lines.push(`vrrp_script ${s.name} {`, `  script "${s.script}"`, `  interval ${s.interval ?? 1}`, `  fall ${s.fall ?? 1}`, `  rise ${s.rise ?? 1}`, '}');
    }
    for (const i of instances) {
      const family = i.family ?? 4;
      lines.push(`vrrp_instance ${i.name ?? `VI_${i.vrid}`} {`,
        `  state ${i.state ?? 'BACKUP'}`, `  interface ${this.iface(h)}`, `  virtual_router_id ${i.vrid}`, `  priority ${i.priority}`,
        `  advert_int ${i.advertInt ?? 1}`, `  version ${family === 6 ? 3 : (i.version ?? 2)}`);
      if (i.nopreempt) lines.push('  nopreempt');
      if (i.authPass !== undefined) lines.push('  authentication {', '    auth_type PASS', `    auth_pass ${i.authPass}`, '  }');
      lines.push('  virtual_ipaddress {', ...i.vips.map((v) => `    ${v}${v.includes(':') ? '/64' : '/24'} dev ${this.iface(h)}${i.vipAttrs ? ` ${i.vipAttrs(this.iface(h))}` : ''}`), '  }');
      if (i.excludedVips?.length) lines.push('  virtual_ipaddress_excluded {', ...i.excludedVips.map((v) => `    ${v}`), '  }');
      if (i.unicastSrcIp !== undefined) lines.push(`  unicast_src_ip ${i.unicastSrcIp}`);
      if (i.unicastPeers?.length) lines.push('  unicast_peer {', ...i.unicastPeers.map((p) => `    ${p}`), '  }');
      if (i.track?.length) lines.push('  track_script {', ...i.track.map((t) => `    ${t.script} weight ${t.weight}`), '  }');
      if (i.trackInterface?.length) lines.push('  track_interface {', ...i.trackInterface.map((t) => `    ${t.iface} weight ${t.weight}`), '  }');
      lines.push('}');
    }
    for (const name of new Set(instances.flatMap((i) => (i.syncGroup ? [i.syncGroup.name] : [])))) {
      const members = instances.filter((i) => i.syncGroup?.name === name);
      const notify = members.find((i) => i.syncGroup?.notify !== undefined)?.syncGroup?.notify;
      lines.push(`vrrp_sync_group ${name} {`, '  group {', ...members.map((i) => `    ${i.name ?? `VI_${i.vrid}`}`), '  }', ...(notify ? [`  notify ${notify}`] : []), '}');
    }
    return lines.join('\n') + '\n';
  }

  /** Rewrite `h`'s keepalived.conf (as startKeepalived wrote it) and send SIGHUP: keepalived's reload. */
  reloadKeepalived(h: Host, instances: KaInstance[], scripts: KaScript[] = []): void {
    writeFileSync(join(this.dir, `${h}.conf`), this.keepalivedConf(h, instances, scripts));
    process.kill(Number(readFileSync(join(this.dir, `${h}.pid`), 'utf8').trim()), 'SIGHUP');
  }

  /** Start keepalived in `h`'s namespace on the file `conf`. */
  startKeepalivedFile(h: Host, conf: string): void {
    const log = join(this.dir, `${h}.log`);
    writeFileSync(log, '');
    const p = spawn('ip', ['netns', 'exec', this.ns(h), 'keepalived', '-n', '-l', '-D', '-G', '-P', '-R', '-f', conf, '-p', join(this.dir, `${h}.pid`), '-r', join(this.dir, `${h}-vrrp.pid`)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const append = (d: Buffer) => {
      try { writeFileSync(log, d, { flag: 'a' }); } catch { /* the lab was destroyed while keepalived spoke */ }
    };
    p.stdout!.on('data', append);
    p.stderr!.on('data', append);
    this.kaProcs.set(h, p);
    const until = Date.now() + 10_000;
    while (!existsSync(join(this.dir, `${h}-vrrp.pid`))) {
      if (Date.now() > until) throw new Error(`keepalived did not start on ${this.ns(h)}:\n${readFileSync(log, 'utf8')}`);
      execFileSync('sleep', ['0.05']);
    }
  }

  /**
   * TERM: keepalived sends priority 0 and leaves; KILL: it vanishes at once (a crash). Waits
   * without blocking the event loop (tests keep reading their watchers meanwhile) until both
   * processes are gone, escalating to SIGKILL after 10 s.
   */
  async stopKeepalived(h: Host, signal: 'TERM' | 'KILL'): Promise<void> {
    const files = [`${h}-vrrp.pid`, `${h}.pid`].map((f) => join(this.dir, f)).filter(existsSync);
    const [child, parent] = files.map((f) => Number(readFileSync(f, 'utf8').trim()));
    const pids = [child, parent].filter((p): p is number => p !== undefined && p > 0);
    const send = (pid: number, sig: NodeJS.Signals) => { try { process.kill(pid, sig); } catch { /* gone */ } };
    if (signal === 'KILL') for (const pid of pids) send(pid, 'SIGKILL');
    else if (parent) send(parent, 'SIGTERM');
    // startKeepalived waits for fresh pid files.
    for (const f of files) rmSync(f, { force: true });
    const until = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    for (const pid of pids.filter(alive)) send(pid, 'SIGKILL');
    this.kaProcs.delete(h);
  }

  keepalivedLog(h: Host): string {
    const f = join(this.dir, `${h}.log`);
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  }

  /** Whether `address` is configured on the host's lab interface. */
  hasAddress(h: Host, address: string): boolean {
    return sh('ip', ['-n', this.ns(h), 'addr', 'show', 'dev', this.iface(h)]).includes(` ${address}/`);
  }

  /** Make a host deaf to multicast (it stops hearing adverts) or hear again. */
  deafen(h: Host, deaf = true): void {
    sh('ip', ['netns', 'exec', this.brNs, 'bridge', 'link', 'set', 'dev', this.port(h), 'mcast_flood', deaf ? 'off' : 'on']);
  }

  /** Start a process inside a namespace; it is killed by destroy(). */
  spawnIn(ns: string, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
    const p = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    this.children.add(p);
    p.on('exit', () => this.children.delete(p));
    return p;
  }

  private namespaces(): string[] {
    return [this.brNs, this.obsNs, ...LETTERS.map((h) => this.ns(h))];
  }

  private removeStale(): void {
    const existing = sh('ip', ['netns', 'list'], { allowFail: true });
    for (const ns of this.namespaces()) if (existing.split('\n').some((l) => l.split(' ')[0] === ns)) this.deleteNs(ns);
  }

  private deleteNs(ns: string): void {
    // Kill whatever still runs in it (keepalived, watchers), then delete it: its interfaces go too.
    const pids = sh('ip', ['netns', 'pids', ns], { allowFail: true }).split('\n').filter(Boolean);
    for (const pid of pids) try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
    sh('ip', ['netns', 'del', ns], { allowFail: true });
  }

  destroySync(): void {
    for (const p of [...this.children, ...this.kaProcs.values()]) try { p.kill('SIGKILL'); } catch { /* gone */ }
    for (const ns of this.namespaces()) this.deleteNs(ns);
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    // A killed child of ours stays a zombie until Node reaps it, which a blocking poll prevents.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Skew_Time and Master_Down_Interval (seconds) of RFC 3768 for a backup at `priority`. */
export function rfcTimers(priority: number, advertInt = 1): { skew: number; mdi: number } {
  const skew = ((256 - priority) * advertInt) / 256;
  return { skew, mdi: 3 * advertInt + skew };
}
