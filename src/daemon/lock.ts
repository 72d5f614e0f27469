// One daemon per interface, VRID and address family: a second one would take the running
// master's VIP for a leftover and delete it. The lock is a pid file created exclusively; a file
// whose process is gone (or is no vrrpwatch) is stale and taken over. Where: /run/vrrpwatch/,
// else (not root, or /run not writable) $XDG_RUNTIME_DIR/vrrpwatch/, else the temporary
// directory's vrrpwatch-UID/. The name carries the network namespace when it is not the host's,
// so daemons in two namespaces with an eth0 each do not meet.
import { closeSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LockKey {
  interface: string;
  vrid: number;
  family: 4 | 6;
}

export type LockResult =
  | { ok: true; path: string; release: () => void; tookOverFrom: number | null }
  | { ok: false; message: string };

/** The directories tried, in order (the first that can be created and written wins). */
export function lockDirectories(env: NodeJS.ProcessEnv = process.env): string[] {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dirs = ['/run/vrrpwatch'];
  if (env.XDG_RUNTIME_DIR) dirs.push(join(env.XDG_RUNTIME_DIR, 'vrrpwatch'));
  dirs.push(join(tmpdir(), `vrrpwatch-${uid}`));
  return dirs;
}

/** `eth0-vrid51-ipv4.pid`, with `-net4026532285` before `.pid` outside the host's network namespace. */
export function lockFileName(key: LockKey, netns: string | null): string {
  return `${key.interface}-vrid${key.vrid}-ipv${key.family}${netns === null ? '' : `-net${netns}`}.pid`;
}

/** The network namespace's inode when it is not the one of pid 1, else null. */
function networkNamespace(): string | null {
  try {
    const mine = readlinkSync('/proc/self/ns/net');
    let init: string | null = null;
    try {
      init = readlinkSync('/proc/1/ns/net');
    } catch {
      // not root: /proc/1/ns is not ours to read; name the namespace anyway
    }
    if (mine === init) return null;
    return /\[(\d+)\]/.exec(mine)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Whether `pid` is a live vrrpwatch process (not a zombie, not another program that got the pid). */
function isVrrpwatch(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('vrrpwatch');
  } catch {
    return false;
  }
}

/** Take the lock for `key`, or say who holds it. */
export function takeLock(key: LockKey, opts: { dirs?: string[]; pid?: number; alive?: (pid: number) => boolean } = {}): LockResult {
  const pid = opts.pid ?? process.pid;
  const alive = opts.alive ?? isVrrpwatch;
  const name = lockFileName(key, networkNamespace());
  const what = `VRID ${key.vrid} (IPv${key.family}) on ${key.interface}`;
  let lastError = '';
  for (const dir of opts.dirs ?? lockDirectories()) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (e) {
      lastError = `${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      continue;
    }
    const path = join(dir, name);
    let tookOverFrom: number | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      let fd: number;
      try {
        fd = openSync(path, 'wx', 0o644);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') {
          lastError = `${path}: ${code ?? (e as Error).message}`;
          break; // not writable here: the next directory
        }
        const holder = Number(readText(path).trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== pid && alive(holder)) {
          return {
            ok: false,
            message: `${what} is already run by vrrpwatch daemon pid ${holder} (lock ${path}); stop it first (kill ${holder}), or choose another --vrid`,
          };
        }
        // Stale: its process is gone. Take it over.
        tookOverFrom = Number.isInteger(holder) && holder > 0 ? holder : null;
        rmSync(path, { force: true });
        continue;
      }
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      const release = (): void => {
        if (Number(readText(path).trim()) === pid) rmSync(path, { force: true });
      };
      return { ok: true, path, release, tookOverFrom };
    }
  }
  return { ok: false, message: `cannot create a lock file for ${what} (${lastError}); is /run writable?` };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
