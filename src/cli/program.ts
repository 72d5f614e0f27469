// The command tree. One file per command; this file only assembles them and maps errors to exits.
import { Command, CommanderError } from 'commander';
import { makeDecodeCommand } from './decode.js';
import { makeAnalyzeCommand } from './analyze.js';
import { makeInterfacesCommand } from './interfaces.js';
import { CliError, Exit } from './exit.js';

export const VERSION = '0.1.0';

export function createProgram(): Command {
  const program = new Command('vrrpwatch')
    .description('See what your VRRP virtual routers really do, from the wire.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(makeDecodeCommand());
  program.addCommand(makeAnalyzeCommand());
  program.addCommand(makeInterfacesCommand());
  for (const c of program.commands) c.exitOverride().showHelpAfterError();
  return program;
}

/** Run the CLI; returns the exit code. Usage errors get their own code (64), never 1. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
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
