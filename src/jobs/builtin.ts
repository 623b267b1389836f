import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EnqueueOptions, JobContext, JobQueue } from './job-queue.js';

/**
 * Handlers every Pitwall worker runs (`pitwall server` with `jobs.inServer`, and `pitwall worker`). Later modules add
 * theirs (drift checks, rollout analysis, retraining runs) to `BUILTIN_JOBS` the same way.
 */

/** A diagnostic job: proves that some worker consumes the queue, and says which. */
export const PROBE_JOB = 'pitwall.probe';

export interface ProbeData {
  /** Keep the worker busy this long before answering (0–600,000 ms): to watch a job run, or to test crash recovery. */
  holdMs?: number;
}

export interface ProbeResult {
  host: string;
  pid: number;
  /** Epoch ms when it answered. */
  at: number;
}

export const MAX_PROBE_HOLD_MS = 600_000;

export async function probeHandler(job: JobContext<ProbeData | null>): Promise<ProbeResult> {
  const hold = job.data?.holdMs ?? 0;
  if (typeof hold !== 'number' || !Number.isFinite(hold) || hold < 0 || hold > MAX_PROBE_HOLD_MS) {
    throw new Error(`holdMs must be a number of milliseconds from 0 to ${MAX_PROBE_HOLD_MS}`);
  }
  if (hold > 0) await sleep(hold, undefined, { signal: job.signal });
  return { host: os.hostname(), pid: process.pid, at: Date.now() };
}

/** Enqueues a probe whose attempt limit leaves room for `holdMs`. */
export function enqueueProbe(queue: JobQueue, holdMs = 0, opts: EnqueueOptions = {}): Promise<string> {
  return queue.enqueue(PROBE_JOB, holdMs > 0 ? { holdMs } : {}, { expireInSeconds: Math.ceil(holdMs / 1000) + 60, retryLimit: 2, ...opts });
}

export interface BuiltinJob {
  name: string;
  handler: (job: JobContext<any>) => Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export const BUILTIN_JOBS: readonly BuiltinJob[] = [{ name: PROBE_JOB, handler: probeHandler }];

/**
 * Registers every built-in handler on `queue`, and `extra` ones (handlers that need the store or the artifact store,
 * such as drift monitor checks, built by the caller); answers the job names now worked.
 */
export async function registerBuiltinHandlers(queue: JobQueue, opts: { concurrency?: number; extra?: readonly BuiltinJob[] } = {}): Promise<string[]> {
  const all = [...BUILTIN_JOBS, ...(opts.extra ?? [])];
  for (const j of all) await queue.work(j.name, j.handler, { concurrency: opts.concurrency ?? 1 });
  return all.map((j) => j.name);
}
