import { useCallback, useEffect, useState } from 'react';
import { client, monitors } from '../client.js';

/** While a check is on its way, its job is looked at this often (and the page's runs re-read as often). */
export const PENDING_POLL_MS = 1000;

export interface CheckNow {
  /** True from the click until a check newer than the newest shown appears (or its job fails). */
  readonly pending: boolean;
  readonly error: unknown;
  readonly start: () => void;
}

/**
 * "Check now": queues a check (`POST …/run`) and stays pending until the runs list shows a check other than
 * `newestId`, the newest when the button was pressed. The page re-reads its runs every second meanwhile; the job is
 * watched too, so a check whose job fails or is cancelled says so instead of spinning for ever.
 */
export function useCheckNow(name: string, newestId: string | undefined): CheckNow {
  const [pending, setPending] = useState<{ jobId: string; after: string | undefined } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);

  const start = useCallback(() => {
    setError(undefined);
    setPending({ jobId: '', after: newestId });
    monitors.runNow(name).then(
      (jobId) => setPending((p) => (p ? { ...p, jobId } : p)),
      (e: unknown) => {
        setError(e);
        setPending(undefined);
      },
    );
  }, [name, newestId]);

  // A new check is there: done.
  useEffect(() => {
    if (pending && newestId !== pending.after) setPending(undefined);
  }, [pending, newestId]);

  const jobId = pending?.jobId;
  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      client.jobs.get(jobId).then(
        (job) => {
          if (stopped) return;
          if (job.state === 'failed' || job.state === 'cancelled') {
            setError(new Error(`The check's job ${job.state}${job.error ? `: ${job.error}` : ''}`));
            setPending(undefined);
          } else timer = setTimeout(tick, PENDING_POLL_MS);
        },
        () => {
          if (!stopped) timer = setTimeout(tick, PENDING_POLL_MS);
        },
      );
    };
    timer = setTimeout(tick, PENDING_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId]);

  return { pending: pending !== undefined, error, start };
}
