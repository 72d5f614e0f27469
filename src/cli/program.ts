// The command tree. One file per command; this file only assembles them and maps errors to exits.
import { Command, CommanderError } from 'commander';
import { CliError, Exit } from './exit.js';
import { VERSION } from '../version.js';

export { VERSION };

/**
 * Every command, in the order help lists them. A command's module (and all it imports) loads
 * only when that command runs, so `analyze` does not pay for live capture or the TUI.
 */
const COMMANDS: ReadonlyMap<string, () => Promise<Command>> = new Map([
  ['watch', async () => (await import('./watch.js')).makeWatchCommand()],
  ['decode', async () => (await import('./decode.js')).makeDecodeCommand()],
  ['analyze', async () => (await import('./analyze.js')).makeAnalyzeCommand()],
  ['interfaces', async () => (await import('./interfaces.js')).makeInterfacesCommand()],
  ['check', async () => (await import('./check.js')).makeCheckCommand()],
  ['daemon', async () => (await import('./daemon.js')).makeDaemonCommand()],
  ['lint', async () => (await import('./lint.js')).makeLintCommand()],
  ['simulate', async () => (await import('./simulate.js')).makeSimulateCommand()],
]);

const DEFAULT_COMMAND = 'watch';

/**
 * The program with the command `argv` names, or with every command when it names none (help,
 * --version, a mistyped command): what commander prints is the same either way.
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('vrrpwatch')
    .description('See what your VRRP virtual routers really do, from the wire.')
    .showHelpAfterError()
    .exitOverride();
  // Commander reads the root's -V anywhere on the line. `check` is a monitoring plugin whose -V
  // must exit 3 (UNKNOWN) per the plugin guidelines, so on its command line it answers -V itself.
  if (argv[0] !== 'check') program.version(VERSION, '-V, --version');
  const named = argv[0] === undefined ? undefined : COMMANDS.get(argv[0]);
  const loaders = named !== undefined ? [named] : [...COMMANDS.values()];
  // `vrrpwatch -i eth0` is `vrrpwatch watch -i eth0`.
  for (const command of await Promise.all(loaders.map((load) => load()))) program.addCommand(command, { isDefault: command.name() === DEFAULT_COMMAND });
  for (const c of program.commands) c.exitOverride().showHelpAfterError();
  return program;
}

/** Run the CLI; returns the exit code. Usage errors get their own code (64), never 1. */
export async function main(argv: string[]): Promise<number> {
  const program = await createProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : Exit.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return Exit.OK;
      return Exit.USAGE;
    }
    if (e instanceof CliError) {
      process.stderr.write(`vrrpwatch: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
