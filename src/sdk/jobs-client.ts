import type { Transport } from './transport.js';

/** Background-job types of the SDK (camelCase; times in epoch ms). Browser-safe. */

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface Job {
  id: string;
  name: string;
  key: string | null;
  state: JobState;
  data: unknown;
  /** What the handler returned (completed jobs). */
  output: unknown;
  /** Why the last attempt failed. */
  error: string | null;
  attempts: number;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  priority: number;
  /** `host:pid` of the worker running it (active jobs). */
  worker: string | null;
  createdOn: number;
  startAfter: number;
  startedOn: number | null;
  completedOn: number | null;
}

export interface JobSchedule {
  name: string;
  key: string;
  cron: string;
  tz: string;
  data: unknown;
  options: { retryLimit: number; retryDelaySeconds: number; retryBackoff: boolean; expireInSeconds: number; priority: number };
  lastRunOn: number | null;
  nextRunOn: number;
  createdOn: number;
  updatedOn: number;
}

export interface ListJobsOptions {
  name?: string | undefined;
  state?: JobState | undefined;
  /** 1–1000 (server default 100). */
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface ListJobsResult {
  jobs: Job[];
  /** Offset of the next page, when there may be one. */
  nextOffset?: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function decodeJob(raw: unknown): Job {
  const j = obj(raw);
  return {
    id: String(j.id ?? ''),
    name: String(j.name ?? ''),
    key: strOrNull(j.key),
    state: String(j.state ?? 'created') as JobState,
    data: j.data ?? null,
    output: j.output ?? null,
    error: strOrNull(j.error),
    attempts: num(j.attempts),
    retryLimit: num(j.retry_limit),
    retryDelaySeconds: num(j.retry_delay_seconds),
    retryBackoff: j.retry_backoff === true,
    expireInSeconds: num(j.expire_in_seconds),
    priority: num(j.priority),
    worker: strOrNull(j.worker),
    createdOn: num(j.created_on),
    startAfter: num(j.start_after),
    startedOn: numOrNull(j.started_on),
    completedOn: numOrNull(j.completed_on),
  };
}

function decodeSchedule(raw: unknown): JobSchedule {
  const s = obj(raw);
  const o = obj(s.options);
  return {
    name: String(s.name ?? ''),
    key: String(s.key ?? ''),
    cron: String(s.cron ?? ''),
    tz: String(s.tz ?? 'UTC'),
    data: s.data ?? null,
    options: {
      retryLimit: num(o.retry_limit),
      retryDelaySeconds: num(o.retry_delay_seconds),
      retryBackoff: o.retry_backoff === true,
      expireInSeconds: num(o.expire_in_seconds),
      priority: num(o.priority),
    },
    lastRunOn: numOrNull(s.last_run_on),
    nextRunOn: num(s.next_run_on),
    createdOn: num(s.created_on),
    updatedOn: num(s.updated_on),
  };
}

const V1 = '/api/v1/jobs';

/**
 * Background jobs (`client.jobs`): statuses, cron schedules, cancellation. Errors are `PitwallApiError`
 * (`RESOURCE_DOES_NOT_EXIST` for an unknown id, `RESOURCE_CONFLICT` when cancelling a finished job) or
 * `PitwallNetworkError`.
 */
export class JobsClient {
  constructor(private readonly t: Transport) {}

  async list(opts: ListJobsOptions = {}): Promise<ListJobsResult> {
    const res = await this.t.json<{ jobs?: unknown[]; next_offset?: number }>('GET', V1, { name: opts.name, state: opts.state, limit: opts.limit, offset: opts.offset });
    const out: ListJobsResult = { jobs: (res.jobs ?? []).map(decodeJob) };
    if (typeof res.next_offset === 'number') out.nextOffset = res.next_offset;
    return out;
  }

  async get(id: string): Promise<Job> {
    return decodeJob((await this.t.json<{ job: unknown }>('GET', `${V1}/${encodeURIComponent(id)}`)).job);
  }

  async cancel(id: string): Promise<Job> {
    return decodeJob((await this.t.json<{ job: unknown }>('POST', `${V1}/${encodeURIComponent(id)}/cancel`, undefined, {})).job);
  }

  async schedules(): Promise<JobSchedule[]> {
    return ((await this.t.json<{ schedules?: unknown[] }>('GET', `${V1}/schedules`)).schedules ?? []).map(decodeSchedule);
  }
}
