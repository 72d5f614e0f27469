// The terminal: which terminfo entry blessed can use, and putting the terminal back however the
// program ends (q, Ctrl-C, SIGINT/SIGTERM from outside, an uncaught error).
import blessed from 'blessed';

/**
 * blessed 0.1.81 cannot compile some terminfo entries (screen-256color's plab_norm, newer
 * xterm-256color's Setulc): it prints the generated code to stderr, over the screen. Compile the
 * entry first, quietly, and fall back to xterm-256color (then xterm) when it fails.
 */
export function usableTerminal(term: string | undefined): string | undefined {
  const candidates = [term, 'xterm-256color', 'xterm'];
  for (const t of candidates) {
    if (t === undefined || t === '') continue;
    if (compilesCleanly(t)) return t;
  }
  return term;
}

function compilesCleanly(terminal: string): boolean {
  const original = console.error;
  let complaints = 0;
  console.error = () => {
    complaints++;
  };
  try {
    // blessed.tput exists at run time; @types/blessed leaves it out.
    (blessed as unknown as { tput(opts: { terminal: string; extended: boolean }): unknown }).tput({ terminal, extended: true });
  } catch {
    return false;
  } finally {
    console.error = original;
  }
  return complaints === 0;
}

/**
 * Runs `restore` once, on whichever comes first: an exit, a signal, an uncaught error. Signals
 * and errors then call `after` (which decides the exit code). Returns a function that removes
 * the hooks (the program ended normally).
 */
export function onAnyExit(restore: () => void, after: (why: { signal?: NodeJS.Signals; error?: unknown }) => void): () => void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    restore();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    once();
    after({ signal });
  };
  const onError = (error: unknown): void => {
    once();
    after({ error });
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const errors = ['uncaughtException', 'unhandledRejection'] as const;
  process.on('exit', once);
  for (const s of signals) process.on(s, onSignal);
  for (const e of errors) process.on(e, onError);
  return () => {
    process.off('exit', once);
    for (const s of signals) process.off(s, onSignal);
    for (const e of errors) process.off(e, onError);
  };
}
