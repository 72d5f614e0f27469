// Exit codes, one table for the whole program (check has its own: the Nagios plugin API), and the
// error meant for a person. Below the CLI: live capture, the daemon and the TUI throw it too.
export const Exit = {
  OK: 0,
  /** analyze: warnings found. */
  WARNING: 1,
  /** decode: a truncated, corrupt or unreadable input file; analyze: critical events. */
  INPUT: 2,
  /** Bad options or arguments (sysexits EX_USAGE), distinct from every verdict code. */
  USAGE: 64,
  /** Live capture impossible: no binding, no permission, no such interface. */
  UNAVAILABLE: 69,
} as const;

/** An error meant for a person, with the exit code it maps to. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}
