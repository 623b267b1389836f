import type { RunStatus } from './types.js';

/** What `endOnSignal` needs of a run. */
export interface EndableRun {
  end(status: RunStatus): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** How long a signal waits for open runs to be flushed and ended before the process dies anyway. */
export const SIGNAL_GRACE_MS = 5000;

const open = new Set<EndableRun>();
let listening = false;

function listen(on: boolean): void {
  if (on === listening) return;
  listening = on;
  for (const s of SIGNALS) {
    if (on) process.on(s, onSignal);
    else process.off(s, onSignal);
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // Stop listening at once, so a second Ctrl-C kills the process without waiting.
  listen(false);
  const runs = [...open];
  open.clear();
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SIGNAL_GRACE_MS);
  });
  void Promise.race([Promise.allSettled(runs.map((r) => r.end('KILLED'))), grace]).then(() => {
    clearTimeout(timer);
    // Re-raise with the default action (terminate), unless the application handles this signal itself.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/**
 * Ends `run` as `KILLED` (after sending its buffered metrics) when the process gets SIGINT or SIGTERM, then lets the
 * signal terminate the process as it would have. Pitwall listens for the signals only while such a run is open; call
 * the returned function when the run has ended.
 */
export function endOnSignal(run: EndableRun): () => void {
  open.add(run);
  listen(true);
  return () => {
    open.delete(run);
    if (open.size === 0) listen(false);
  };
}
