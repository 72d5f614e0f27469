// `vrrpwatch daemon`: run a VRRP router for one virtual router id, interoperating with
// keepalived. This file turns flags into a DaemonConfig (daemon/config.ts says what is valid)
// and hands it to the daemon's edge (daemon/run.ts), loaded only when the command runs.
import { readFileSync, statSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { fsReader } from '../keepalived-fs.js';
import { daemonPlanOf, type DaemonPlan } from '../keepalived/daemon-config.js';
import { lint } from '../keepalived/lint.js';
import { readNode } from '../keepalived/node.js';
import { AUTH_PASS_ENV, validateConfig, type DaemonFlags, type TrackScriptFlags } from '../daemon/config.js';
import type { InstanceToRun, Reread } from '../daemon/run.js';
import { CliError, Exit } from '../errors.js';
import { DEFAULT_HOOK_QUEUE, serviceOptions, type ListenAddress } from './service-options.js';

interface DaemonOptions {
  interface?: string;
  vrid?: string;
  priority?: string;
  vip?: string[];
  advertInt?: string;
  vrrpVersion?: string;
  authPassFile?: string;
  preempt: boolean;
  preemptDelay?: string;
  notify?: string;
  vmac?: boolean;
  name?: string;
  json?: boolean;
  useFile?: string;
  configId?: string;
  metrics?: ListenAddress;
  events?: string;
  onEvent?: string;
  onEventTimeout: number;
}

type TrackKey = Exclude<keyof TrackScriptFlags, 'command'>;

export function makeDaemonCommand(): Command {
  // Each --track-script opens a group; the --weight/--interval/--rise/--fall/--timeout after it
  // belong to it. Commander calls these parsers in command-line order, which is what makes it work.
  const scripts: TrackScriptFlags[] = [];
  const belongsToScript = (key: TrackKey) => (value: string): string => {
    const last = scripts.at(-1);
    if (last === undefined) throw new InvalidArgumentError(`--${key} must follow the --track-script it applies to`);
    if (last[key] !== undefined) throw new InvalidArgumentError(`--${key} is given twice for --track-script ${JSON.stringify(last.command)}`);
    last[key] = value;
    return value;
  };
  const command = new Command('daemon');
  // commander echoes an unknown option as typed: a mistyped `--auth-pass=SECRET` would print the
  // password. Its name is enough to point at the right flag.
  const unknownOption = (command as unknown as { unknownOption(flag: string): void }).unknownOption.bind(command);
  (command as unknown as { unknownOption(flag: string): void }).unknownOption = (flag: string) => {
    const eq = flag.indexOf('=');
    unknownOption(eq < 0 ? flag : flag.slice(0, eq));
  };
  command
    .description('run a VRRP router (one VRID) that elects, holds the VIPs and fails over with keepalived peers (needs root)')
    .option('-f, --use-file <file>', 'run every vrrp_instance of this keepalived.conf (as keepalived -f); the one-VRID flags are then not given')
    .option('--config-id <id>', 'with -f: read the file as keepalived -i ID does (its @ID lines)')
    .option('-i, --interface <iface>', 'interface to run VRRP on (required)')
    .option('--vrid <n>', 'virtual router id, 1-255 (required)')
    .option('--priority <p>', '1-254, or 255 for the address owner', '100')
    .option('--vip <addr[/len]>', 'virtual IP address, repeatable (required; IPv4 or IPv6, not both)', (v: string, all: string[] | undefined) => [...(all ?? []), v])
    .option('--advert-int <s>', 'advertisement interval in seconds (v2: whole seconds; v3: 0.01-40.95)', '1')
    .option('--vrrp-version <2|3>', 'VRRP version (default: 2 for IPv4, as keepalived; IPv6 is always 3)')
    .option('--auth-pass-file <file>', `VRRPv2 simple-text password, read from a file (or the ${AUTH_PASS_ENV} environment variable); never on the command line`)
    .option('--no-preempt', 'do not take over from a lower-priority master')
    .option('--preempt-delay <s>', 'wait this long after startup before preempting a lower-priority master')
    .option('--track-script <cmd>', 'shell command run every --interval; exit 0 = OK (repeatable)', (v: string) => {
      scripts.push({ command: v });
      return v;
    })
    .option('--weight <w>', 'for the last --track-script: -254..254; >0 added while OK, <0 subtracted while failing, 0 = FAULT while failing (default 0)', belongsToScript('weight'))
    .option('--interval <s>', 'for the last --track-script: seconds between runs (default 1)', belongsToScript('interval'))
    .option('--rise <n>', 'for the last --track-script: successes in a row before it counts as OK (default 1)', belongsToScript('rise'))
    .option('--fall <n>', 'for the last --track-script: failures in a row before it counts as failing (default 1)', belongsToScript('fall'))
    .option('--timeout <s>', 'for the last --track-script: seconds before it is killed and counted as failed (default: the interval)', belongsToScript('timeout'))
    .option('--notify <cmd>', 'run on every transition as CMD INSTANCE NAME STATE PRIORITY, as keepalived\'s notify')
    .option('--name <name>', 'instance name passed to --notify (default VI_<vrid>)')
    .option('--vmac', 'send adverts and gratuitous ARPs from the virtual MAC 00:00:5e:00:01:VRID instead of the interface\'s')
    .option('--json', 'log JSON lines instead of text');
  return serviceOptions(command)
    .action(async (opts: DaemonOptions, cmd: Command) => {
      const service = { metrics: opts.metrics ?? null, events: opts.events ?? null, onEvent: opts.onEvent ?? null, hookTimeoutSeconds: opts.onEventTimeout, hookQueue: DEFAULT_HOOK_QUEUE };
      if (opts.useFile !== undefined) {
        const flags = ONE_VRID_FLAGS.filter((f) => cmd.getOptionValueSource(f) === 'cli');
        if (flags.length > 0 || scripts.length > 0) {
          throw new CliError(`-f ${opts.useFile} runs the instances of the file: leave out ${[...flags.map(flagName), ...(scripts.length > 0 ? ['--track-script'] : [])].join(', ')} (or run one VRID from flags without -f)`, Exit.USAGE);
        }
        const plan = readDaemonConf(opts.useFile, opts.configId ?? null);
        const { runDaemon } = await import('../daemon/run.js');
        const file = opts.useFile;
        const toRun = (p: DaemonPlan): InstanceToRun[] => p.instances.map((i) => ({ config: i.config, where: `${i.at.file}:${i.at.line}` }));
        const reload = (): Reread | string => {
          try {
            const again = readDaemonConf(file, opts.configId ?? null);
            return { instances: toRun(again), refused: again.refused, warnings: again.warnings };
          } catch (e) {
            // One log line: the errors that go one a line on stderr, joined.
            return (e as Error).message.split('\nvrrpwatch: ').join('; ');
          }
        };
        await runDaemon(toRun(plan), { json: opts.json ?? false, warnings: plan.warnings, nameLines: true, refused: plan.refused, service, reload });
        return;
      }
      if (opts.configId !== undefined) throw new CliError('--config-id is for -f FILE: the keepalived.conf it selects lines of', Exit.USAGE);
      const auth = readAuthPass(opts.authPassFile);
      const flags: DaemonFlags = {
        interface: opts.interface,
        vrid: opts.vrid,
        priority: opts.priority,
        vip: opts.vip ?? [],
        advertInt: opts.advertInt,
        vrrpVersion: opts.vrrpVersion,
        authPass: auth?.text,
        authPassSource: auth?.source,
        preempt: opts.preempt,
        preemptDelay: opts.preemptDelay,
        trackScripts: scripts,
        notify: opts.notify,
        vmac: opts.vmac ?? false,
        name: opts.name,
      };
      const result = validateConfig(flags);
      // One error per line, each with the program's name, as main() prints a single one.
      if (!result.ok) throw new CliError(result.errors.join('\nvrrpwatch: '), Exit.USAGE);
      const { runDaemon } = await import('../daemon/run.js');
      await runDaemon([{ config: result.config, where: null }], { json: opts.json ?? false, warnings: [...(auth?.warnings ?? []), ...result.warnings], service });
    });
}

/**
 * The password from --auth-pass-file, else from the environment; the warnings that go with it.
 * The variable is taken out of this process's environment, so no child (ip, notify, track
 * scripts) ever inherits it.
 */
function readAuthPass(file: string | undefined): { text: string; source: 'file' | 'env'; warnings: string[] } | undefined {
  const fromEnv = process.env[AUTH_PASS_ENV];
  delete process.env[AUTH_PASS_ENV];
  if (file === undefined) return fromEnv === undefined ? undefined : { text: fromEnv, source: 'env', warnings: [] };
  const warnings: string[] = [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    if ((statSync(file).mode & 0o077) !== 0) warnings.push(`--auth-pass-file ${file} can be read by other users: chmod 600 ${file}`);
  } catch (e) {
    throw new CliError(`cannot read --auth-pass-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, Exit.USAGE);
  }
  if (fromEnv !== undefined) warnings.push(`${AUTH_PASS_ENV} is ignored: --auth-pass-file ${file} is given`);
  return { text, source: 'file', warnings };
}

/** The one-VRID flags (commander's attribute names), which -f replaces. */
const ONE_VRID_FLAGS = ['interface', 'vrid', 'priority', 'vip', 'advertInt', 'vrrpVersion', 'authPassFile', 'preempt', 'preemptDelay', 'notify', 'name', 'vmac'] as const;

function flagName(attr: string): string {
  return attr === 'preempt' ? '--no-preempt' : `--${attr.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * keepalived.conf as the daemon runs it: refused with file:line when keepalived would not run it
 * (a parse or lint error); otherwise the plan, with a warning for each file holding an auth_pass
 * that other users can read.
 */
export function readDaemonConf(file: string, configId: string | null): DaemonPlan {
  const node = readNode({ file, configId }, fsReader);
  const errors = lint([node]).findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new CliError(`${file} is not run: ${errors.map((f) => `${f.file}${f.line > 0 ? `:${f.line}` : ''}: ${f.message}`).join('\nvrrpwatch: ')}`, Exit.USAGE);
  }
  const plan = daemonPlanOf(node);
  if (plan.instances.length === 0 && plan.refused.length === 0) throw new CliError(`${file} has no vrrp_instance to run`, Exit.USAGE);
  for (const f of plan.passwordFiles) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) plan.warnings.push(`${f} holds an auth_pass and can be read by other users: chmod 600 ${f}`);
    } catch {
      // read a moment ago; a file gone since is the parser's news
    }
  }
  return plan;
}
