/** What a command may touch of the outside world; `main` passes the real process, tests pass recorders. */
export interface CliIo {
  /** Writes one line (a newline is added) to stdout. */
  out(text: string): void;
  /** Writes one line (a newline is added) to stderr. */
  err(text: string): void;
  /** Environment variables, read only through config's `readEnv`; the process's own when absent. */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Current time in epoch milliseconds (durations of running runs). */
  now?: () => number;
  /**
   * Where transfer progress goes (stderr). `tty`: redraw one line in place (`\r`); otherwise a plain line now and
   * then. Absent: no progress at all (tests, library use).
   */
  progress?: { tty: boolean; write(raw: string): void; columns?: number | undefined };
}
