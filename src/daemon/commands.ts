// Child processes for the daemon: track scripts (with a timeout) and --notify. Each runs through
// /bin/sh in a process group of its own, so a timeout ends the script and whatever it started.
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit status 0 within the timeout: keepalived's "success". */
  ok: boolean;
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Could not start at all (no /bin/sh, too many processes). */
  error: string | null;
}

export interface RunningCommand {
  readonly done: Promise<CommandResult>;
  /** SIGTERM to the group, SIGKILL a moment later if it is still there. */
  kill(): void;
}

export interface CommandOptions {
  /** null: no limit. keepalived sends SIGTERM at the timeout and counts it as a failure. */
  timeoutMs: number | null;
  env: NodeJS.ProcessEnv;
  /** Where the command's stderr goes: the daemon's (notify) or nowhere (track scripts). */
  stderr: 'inherit' | 'ignore';
  /** Written to the command's standard input, which is then closed (default: no input). */
  input?: string;
}

const KILL_GRACE_MS = 1000;

/** Process groups told to end whose SIGKILL is still to come: the exit hook sends it at once. */
const doomed = new Set<number>();

/** For exit hooks: SIGKILL every group being killed now, so none outlives the daemon. Synchronous. */
export function killDoomedGroups(): void {
  for (const pgid of doomed) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  doomed.clear();
}

/** Runs `command` through the shell, with `args` appended as separate, unquoted-safe arguments. */
export function runCommand(command: string, args: readonly string[], opts: CommandOptions): RunningCommand {
  const script = args.length > 0 ? `${command} "$@"` : command;
  let timedOut = false;
  let child: ReturnType<typeof spawn>;
  // The group, not the shell alone: a script's own children (a `sleep` it waits on) go too. The
  // SIGKILL goes even when the shell has already left, to whatever of its group remains.
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let killing = false;
  const kill = (): void => {
    if (killing || child.pid === undefined) return;
    killing = true;
    const pgid = child.pid;
    doomed.add(pgid);
    signalGroup('SIGTERM');
    setTimeout(() => {
      signalGroup('SIGKILL');
      doomed.delete(pgid);
    }, KILL_GRACE_MS).unref();
  };
  const done = new Promise<CommandResult>((resolve) => {
    child = spawn('/bin/sh', ['-c', script, 'sh', ...args], { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'ignore', opts.stderr], env: opts.env, detached: true });
    // A command that does not read its input (or exits first) must not fail the run: EPIPE is ignored.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input);
    const timer = opts.timeoutMs === null ? null : setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      resolve({ ok: false, code: null, signal: null, timedOut: false, error: e.message });
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ ok: code === 0 && !timedOut, code, signal, timedOut, error: null });
    });
  });
  return { done, kill };
}
