/**
 * The background-job contract (drift checks, rollout analysis, retraining runs). Two implementations behave the same:
 * `SqliteJobQueue` (embedded, in the store's SQLite file) and `PgBossJobQueue` (pg-boss 10 on the store's PostgreSQL
 * database, consumed by `pitwall worker` processes). States and option names are pg-boss's.
 *
 * Delivery is at least once: a job runs until one attempt completes, is cancelled, or `retryLimit` retries have
 * failed. An attempt whose worker dies (killed, machine lost) stops renewing its lease; once the lease runs out the
 * attempt counts as failed and the job is retried, by any worker. A job is held by one worker at a time.
 */

/** pg-boss's job states, in its order: created → (retry) → active → completed | cancelled | failed. */
export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States in which a job still holds its key (`enqueue` with the same name and key answers this job's id). */
export const LIVE_STATES: readonly JobState[] = ['created', 'retry', 'active'];

export interface RetryOptions {
  /** Retries after the first attempt (pg-boss default 2: three attempts in all). 0–1000. */
  retryLimit?: number;
  /** Seconds before a retry (integer, default 0). */
  retryDelaySeconds?: number;
  /**
   * Exponential back-off with jitter, as pg-boss computes it: the n-th retry waits between
   * `retryDelaySeconds × 2^(n-1)` and twice that (a delay of 0 counts as 1 s). Default false.
   */
  retryBackoff?: boolean;
  /**
   * How long one attempt may run, in seconds (pg-boss's `expireInSeconds`; default 900, below 86,400). When it
   * passes, the handler's signal aborts and the attempt counts as failed.
   */
  expireInSeconds?: number;
  /** Higher runs first (integer, default 0). */
  priority?: number;
}

export interface EnqueueOptions extends RetryOptions {
  /**
   * Deduplication key. While a job of the same name and key is `created`, `retry` or `active`, `enqueue` adds
   * nothing and answers that job's id. Once it has finished, the key is free again.
   */
  key?: string;
  /** Not before this time: a Date, or a number of seconds from now. */
  startAfter?: Date | number;
}

/** A cron schedule's options: those of the jobs it enqueues, plus its key and time zone. */
export interface ScheduleOptions extends RetryOptions {
  /**
   * Tells apart several schedules of one job name (one per drift monitor, say); default ''. It is also the key of the
   * jobs the schedule enqueues, so a slot is skipped while the previous slot's job is still queued or running.
   */
  key?: string;
  /** IANA time zone the cron expression is read in (default UTC). */
  tz?: string;
}

/** The status of one job, the same from both implementations. Times are epoch milliseconds. */
export interface JobStatus {
  id: string;
  name: string;
  key: string | null;
  state: JobState;
  data: unknown;
  /** What the handler returned (completed jobs). */
  output: unknown;
  /** Why the last attempt failed (jobs in `retry` or `failed`, and an active retry), or null. */
  error: string | null;
  /** Attempts started so far (a released attempt, see `stop`, does not count). */
  attempts: number;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  priority: number;
  /** `host:pid` of the process running it (active jobs), when known. */
  worker: string | null;
  createdOn: number;
  startAfter: number;
  startedOn: number | null;
  completedOn: number | null;
}

export interface JobSchedule {
  name: string;
  /** '' for a schedule without a key. */
  key: string;
  cron: string;
  tz: string;
  data: unknown;
  options: RetryOptions;
  /** The last cron slot that enqueued a job (or was skipped for its key), epoch ms. */
  lastRunOn: number | null;
  /** The next cron slot, epoch ms. */
  nextRunOn: number;
  createdOn: number;
  updatedOn: number;
}

export interface JobListQuery {
  name?: string;
  state?: JobState;
  /** 1–1000 (default 100). */
  limit?: number;
  offset?: number;
}

/** What a handler gets for one attempt. */
export interface JobContext<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 1 for the first attempt. */
  attempt: number;
  retryLimit: number;
  /**
   * Aborts when the job is cancelled, when the attempt runs past `expireInSeconds`, when the lease is lost, or when
   * the queue stops and the grace period is over. A handler should stop promptly; its result is then ignored.
   */
  signal: AbortSignal;
}

/** Returns the job's output (JSON); throwing fails the attempt. */
export type JobHandler<T = unknown> = (job: JobContext<T>) => Promise<unknown> | unknown;

export interface WorkOptions {
  /** Jobs of this name run at once in this process (1–100, default 1). */
  concurrency?: number;
}

export interface StopOptions {
  /** Wait for running handlers (default true). False: abort them at once and release their jobs. */
  graceful?: boolean;
  /** How long a graceful stop waits before aborting and releasing what still runs (default 30,000 ms). */
  timeoutMs?: number;
}

/** Whether the queue's storage is usable, in words an operator can act on. */
export interface JobQueueHealth {
  ok: boolean;
  backend: 'sqlite' | 'pg-boss';
  /** One sentence: what works, or what is wrong and what to do. */
  message: string;
  /** Jobs per state, when the storage could be read. */
  counts?: Record<JobState, number>;
}

/** Something that happened to a job in this process, for logs (`pitwall worker` prints them). */
export type JobEvent =
  | { type: 'started'; id: string; name: string; attempt: number }
  | { type: 'completed'; id: string; name: string; attempt: number; ms: number }
  | { type: 'failed'; id: string; name: string; attempt: number; error: string; willRetry: boolean }
  | { type: 'aborted'; id: string; name: string; attempt: number; reason: string }
  | { type: 'released'; id: string; name: string; attempt: number }
  | { type: 'error'; message: string };

export interface JobQueue {
  readonly backend: 'sqlite' | 'pg-boss';
  /**
   * Adds a job and answers its id. With `key`, while a job of the same name and key is created, retrying or active,
   * nothing is added and that job's id is answered instead. Throws INVALID_PARAMETER_VALUE for a bad name, key,
   * option or data that is not JSON.
   */
  enqueue(name: string, data?: unknown, opts?: EnqueueOptions): Promise<string>;
  /**
   * Creates or replaces the schedule (name, key): a job of `name` with `data` each time the cron expression (five
   * fields, or six with seconds first) comes round. Each slot enqueues once, whichever processes are running; a slot
   * that passes while no process runs is made up only if less than 60 s late (as pg-boss).
   */
  schedule(name: string, cron: string, data?: unknown, opts?: ScheduleOptions): Promise<JobSchedule>;
  /** Removes the schedule (name, key — default ''); false when there was none. */
  unschedule(name: string, key?: string): Promise<boolean>;
  listSchedules(): Promise<JobSchedule[]>;
  /**
   * Cancels a created, retrying or active job (an active one's handler sees its signal abort) and answers its status.
   * Cancelling a cancelled job is a no-op; a completed or failed one is RESOURCE_CONFLICT; an unknown id
   * RESOURCE_DOES_NOT_EXIST.
   */
  cancel(id: string): Promise<JobStatus>;
  /** The job's status; RESOURCE_DOES_NOT_EXIST when unknown (or purged, 7 days after it finished). */
  get(id: string): Promise<JobStatus>;
  /** Jobs, newest first, filtered by name and state. */
  list(query?: JobListQuery): Promise<JobStatus[]>;
  /** Runs `handler` for jobs of `name` in this process, once the queue is started. One handler per name. */
  work<T = unknown>(name: string, handler: JobHandler<T>, opts?: WorkOptions): Promise<void>;
  /** Names this process has handlers for. */
  workedNames(): string[];
  /** Creates storage if needed, then runs schedules, lease checks and the handlers registered with `work`. */
  start(): Promise<void>;
  /**
   * Stops taking jobs and schedules. Running handlers finish (graceful, up to `timeoutMs`) or have their signal
   * aborted and their jobs released: put back without counting the attempt, for another worker to take.
   */
  stop(opts?: StopOptions): Promise<void>;
  /** Reachable, storage present, counts per state; never throws. */
  health(): Promise<JobQueueHealth>;
}
