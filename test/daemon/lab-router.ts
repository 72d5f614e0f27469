// The router under test in lab tests that check vrrpwatch's behaviour against keepalived's: the
// same test body runs once with `vrrpwatch daemon` on host a and once with keepalived there, so
// a test only asserts what keepalived really does too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Lab, type Host, type KaInstance, type KaScript } from '../lab/harness.js';
import { kaEntered, until, Vrrpwatch } from './lab-support.js';

export type RouterKind = 'vrrpwatch' | 'keepalived';

export interface RouterSpec {
  vrid: number;
  priority: number;
  vip: string;
  /** Extra `vrrpwatch daemon` flags (ignored for keepalived). */
  args?: string[];
}

export interface RouterUnderTest {
  readonly kind: RouterKind;
  /** How many times it entered `state` so far. */
  entered(state: 'MASTER' | 'BACKUP' | 'FAULT'): number;
  /** Waits until it entered `state` more than `before` times. */
  waitEntered(state: 'MASTER' | 'BACKUP' | 'FAULT', before: number, timeoutMs: number): Promise<void>;
  /** Its log so far, for failure messages. */
  log(): string;
  /** The vrrpwatch process, when it is vrrpwatch. */
  readonly vrrpwatch: Vrrpwatch | null;
  stop(): Promise<void>;
}

const VW_STATE = { MASTER: /-> MASTER:/, BACKUP: /-> BACKUP:/, FAULT: /-> FAULT:/ } as const;

/** Starts the router of `kind` on host `h` and waits until it has entered BACKUP (or MASTER). */
export async function startRouter(kind: RouterKind, lab: Lab, h: Host, spec: RouterSpec): Promise<RouterUnderTest> {
  if (kind === 'vrrpwatch') {
    const vw = new Vrrpwatch(lab, h, ['--vrid', String(spec.vrid), '--priority', String(spec.priority), '--vip', `${spec.vip}/24`, ...(spec.args ?? [])]);
    const entered = (state: keyof typeof VW_STATE): number => vw.lines.filter((l) => VW_STATE[state].test(l)).length;
    await vw.waitForLog(/INITIALIZE -> (BACKUP|MASTER)/, 10_000);
    return {
      kind,
      vrrpwatch: vw,
      entered,
      waitEntered: async (state, before, timeoutMs) => {
        await until(`vrrpwatch to enter ${state}`, () => entered(state) > before, timeoutMs).catch((e: Error) => {
          throw new Error(`${e.message}; log:\n${vw.log}\nstderr: ${vw.stderr}`);
        });
      },
      log: () => vw.log,
      stop: async () => {
        if (vw.proc.exitCode === null && vw.proc.signalCode === null) await vw.stop('SIGTERM');
      },
    };
  }
  lab.startKeepalived(h, [{ vrid: spec.vrid, priority: spec.priority, vips: [spec.vip] }]);
  const name = `VI_${spec.vrid}`;
  const entered = (state: 'MASTER' | 'BACKUP' | 'FAULT'): number => kaEntered(lab, h, state, name);
  await until('keepalived to start', () => entered('BACKUP') + entered('MASTER') > 0, 10_000);
  return {
    kind,
    vrrpwatch: null,
    entered,
    waitEntered: async (state, before, timeoutMs) => {
      await until(`keepalived to enter ${state}`, () => entered(state) > before, timeoutMs).catch((e: Error) => {
        throw new Error(`${e.message}; log:\n${lab.keepalivedLog(h)}`);
      });
    },
    log: () => lab.keepalivedLog(h),
    stop: () => lab.stopKeepalived(h, 'TERM'),
  };
}

/** A router running a whole keepalived.conf: `vrrpwatch daemon -f` or keepalived, on the same file. */
export interface ConfRouter {
  readonly kind: RouterKind;
  /** How many times instance `name` entered `state` so far. */
  entered(name: string, state: 'MASTER' | 'BACKUP' | 'FAULT'): number;
  waitEntered(name: string, state: 'MASTER' | 'BACKUP' | 'FAULT', before: number, timeoutMs: number): Promise<void>;
  log(): string;
  readonly vrrpwatch: Vrrpwatch | null;
  /** TERM: as an operator stops it; resolves once it has gone. */
  stop(): Promise<void>;
  /** Rewrites its keepalived.conf with `instances` and sends SIGHUP (keepalived's reload). */
  reload(instances: KaInstance[], scripts?: KaScript[]): void;
}

/** Writes `h`'s keepalived.conf for `instances` and runs it with `kind`; resolves once every instance has left INITIALIZE. */
export async function startConfRouter(kind: RouterKind, lab: Lab, h: Host, instances: KaInstance[], scripts: KaScript[] = []): Promise<ConfRouter> {
  const names = instances.map((i) => i.name ?? `VI_${i.vrid}`);
  if (kind === 'vrrpwatch') {
    const conf = join(lab.dir, `${h}-vrrpwatch.conf`);
    writeFileSync(conf, lab.keepalivedConf(h, instances, scripts));
    const vw = new Vrrpwatch(lab, h, ['-f', conf]);
    const entered = (name: string, state: keyof typeof VW_STATE): number => vw.lines.filter((l) => l.includes(` ${name}: `) && VW_STATE[state].test(l)).length;
    for (const n of names) await vw.waitForLog(new RegExp(` ${n}: .*INITIALIZE -> (BACKUP|MASTER)`), 20_000); // node, the bundle and the file read on a loaded machine
    return {
      kind,
      vrrpwatch: vw,
      entered,
      waitEntered: async (name, state, before, timeoutMs) => {
        await until(`vrrpwatch ${name} to enter ${state}`, () => entered(name, state) > before, timeoutMs).catch((e: Error) => {
          throw new Error(`${e.message}; log:\n${vw.log}\nstderr: ${vw.stderr}`);
        });
      },
      log: () => vw.log,
      stop: async () => {
        if (vw.proc.exitCode === null && vw.proc.signalCode === null) await vw.stop('SIGTERM');
      },
      reload: (next, nextScripts = []) => {
        writeFileSync(conf, lab.keepalivedConf(h, next, nextScripts));
        vw.proc.kill('SIGHUP');
      },
    };
  }
  lab.startKeepalived(h, instances, scripts);
  const entered = (name: string, state: 'MASTER' | 'BACKUP' | 'FAULT'): number => kaEntered(lab, h, state, name);
  await until('keepalived to start every instance', () => names.every((n) => entered(n, 'BACKUP') + entered(n, 'MASTER') > 0), 10_000);
  return {
    kind,
    vrrpwatch: null,
    entered,
    waitEntered: async (name, state, before, timeoutMs) => {
      await until(`keepalived ${name} to enter ${state}`, () => entered(name, state) > before, timeoutMs).catch((e: Error) => {
        throw new Error(`${e.message}; log:\n${lab.keepalivedLog(h)}`);
      });
    },
    log: () => lab.keepalivedLog(h),
    stop: () => lab.stopKeepalived(h, 'TERM'),
    reload: (next, nextScripts = []) => lab.reloadKeepalived(h, next, nextScripts),
  };
}

/** The two routers a comparison test runs on host a, each with its own lab id. */
export function bothKinds(vrrpwatchLab: string, keepalivedLab: string): [RouterKind, string][] {
  return [['vrrpwatch', vrrpwatchLab], ['keepalived', keepalivedLab]];
}

/**
 * For a describe block whose tests each build a lab and run a ConfRouter in it: `lab` and
 * `router` remember them, and after each test the router is killed and the lab destroyed.
 */
export function labPerTest(): { lab(id: string, hosts?: number): Lab; router(r: ConfRouter): ConfRouter } {
  let lab: Lab | undefined;
  let router: ConfRouter | undefined;
  afterEach(() => {
    router?.vrrpwatch?.proc.kill('SIGKILL');
    lab?.destroySync();
    lab = undefined;
    router = undefined;
  });
  return { lab: (id, hosts = 2) => (lab = Lab.create(id, hosts)), router: (r) => (router = r) };
}
