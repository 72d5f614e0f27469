// The command tree. One file per command; this file only assembles them and maps errors to exits.
import { Command, CommanderError } from 'commander';
import { CliError, Exit } from '../errors.js';
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
  ['report', async () => (await import('./report.js')).makeReportCommand()],
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
  if (named === undefined) {
    // No command word: watch runs by default, but a mistake here is a mistake on the program's
    // line, so it gets the program's help, not watch's.
    const watch = program.commands.find((c) => c.name() === DEFAULT_COMMAND);
    watch?.showHelpAfterError(false).configureOutput({ outputError: (text, write) => write(`${text}\n${program.helpInformation()}`) });
  }
  return program;
}

/** The command a mistyped word most likely meant (at most 2 edits away), or null. */
export function closestCommand(word: string, names: Iterable<string> = COMMANDS.keys()): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(word.toLowerCase(), name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

/** A first word that is neither a command nor an option: what to say (watch takes no words). */
function unknownCommand(word: string): string {
  const guess = closestCommand(word);
  return `unknown command '${word}'${guess === null ? '' : ` (did you mean ${guess}?)`}`;
}

/** Run the CLI; returns the exit code. Usage errors get their own code (64), never 1. */
export async function main(argv: string[]): Promise<number> {
  const program = await createProgram(argv);
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && first !== 'help' && !COMMANDS.has(first)) {
    process.stderr.write(`error: ${unknownCommand(first)}\n\n${program.helpInformation()}`);
    return Exit.USAGE;
  }
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
