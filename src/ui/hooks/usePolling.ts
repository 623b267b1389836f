import { useCallback, useEffect, useState, type DependencyList } from 'react';
import type { AsyncState } from './useAsync.js';

export interface PollingState<T> extends AsyncState<T> {
  /** When the data shown was fetched (epoch ms). */
  readonly updatedAt: number | undefined;
}

/**
 * Like `useAsync`, and then again every `intervalMs` after each answer (never two requests at once) for as long as
 * the component is mounted; no polling when `intervalMs` is undefined. `loading` is true only until the first answer
 * for the current `deps` (or after `reload`), so background refreshes neither flash spinners nor dim tables. An error
 * keeps the last data and polling goes on, so a restarted server is picked up by itself. A hidden tab skips its
 * refreshes until it is shown again.
 */
export function usePolling<T>(load: () => Promise<T>, deps: DependencyList, intervalMs: number | undefined): PollingState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean; updatedAt: number | undefined }>({
    data: undefined,
    error: undefined,
    loading: true,
    updatedAt: undefined,
  });
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      if (!stopped && intervalMs !== undefined) timer = setTimeout(tick, intervalMs);
    };
    const fetchNow = () => {
      load().then(
        (data) => {
          if (stopped) return;
          setState({ data, error: undefined, loading: false, updatedAt: Date.now() });
          schedule();
        },
        (error: unknown) => {
          if (stopped) return;
          setState((s) => ({ ...s, error, loading: false }));
          schedule();
        },
      );
    };
    function tick() {
      if (typeof document !== 'undefined' && document.hidden) schedule();
      else fetchNow();
    }
    setState((s) => ({ ...s, error: undefined, loading: true }));
    fetchNow();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce, intervalMs]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
