import type { JobState } from './job-queue.js';

/**
 * How both queues keep an attempt's outcome in a job's `output` (JSON): `{result}` when it completed,
 * `{error: {message}}` when it failed; on PostgreSQL an active job's lease sits beside it as `{lease: {until, worker}}`
 * (pg-boss leaves `output` alone until the job finishes).
 */
export interface StoredOutput {
  result?: unknown;
  error?: { message?: unknown };
  lease?: { until?: unknown; worker?: unknown };
  /** pg-boss's own failures: `{value: {message}}`. */
  value?: { message?: unknown };
}

/** The message of an attempt whose worker stopped renewing its lease. */
export const LEASE_LOST = 'the worker stopped renewing its lease (the process was killed or stopped responding)';

const PG_BOSS_TIMEOUT = 'job failed by timeout in active state';

export function outcomeOf(state: JobState, raw: unknown): { output: unknown; error: string | null; worker: string | null } {
  const o = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as StoredOutput) : undefined;
  if (state === 'completed') return { output: o && 'result' in o ? o.result : (raw ?? null), error: null, worker: null };
  let error: string | null = null;
  if (typeof o?.error?.message === 'string') error = o.error.message;
  else if (typeof o?.value?.message === 'string') error = o.value.message === PG_BOSS_TIMEOUT ? 'the attempt ran longer than expireInSeconds' : o.value.message;
  const worker = state === 'active' && typeof o?.lease?.worker === 'string' ? o.lease.worker : null;
  return { output: null, error, worker };
}
