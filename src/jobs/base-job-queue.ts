import os from 'node:os';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import { invalidJobOption, jobAlreadyFinished, jobNotFound, queueNotStarted } from './errors.js';
import { dueSlot, nextSlot, validateCron } from './cron.js';
import {
  encodeData,
  isJobId,
  normalizeEnqueue,
  normalizeListQuery,
  normalizeScheduleOptions,
  type NormalizedEnqueue,
  type NormalizedListQuery,
  type NormalizedRetry,
  validateJobName,
} from './job-options.js';
import type {
  EnqueueOptions,
  JobEvent,
  JobHandler,
  JobListQuery,
  JobQueue,
  JobQueueHealth,
  JobSchedule,
  JobStatus,
  ScheduleOptions,
  StopOptions,
  WorkOptions,
} from './job-queue.js';
import { type AttemptStore, type Claim, errorMessage, JobRunner, WorkerLoop } from './job-runner.js';

export interface JobQueueOptions {
  /**
   * How long a running job stays taken without its worker renewing the lease (default 30 s). A killed worker's job
   * is retried this long after its last renewal (plus up to a third of it on PostgreSQL, where leases are checked
   * with pg-boss's maintenance). Workers renew every third of it, at least every 2 s.
   */
  leaseSeconds?: number;
  /** How often an idle worker looks for jobs (default 250 ms on SQLite, 500 ms on PostgreSQL). */
  pollIntervalMs?: number;
  /** How often schedules are checked (default 1,000 ms). */
  cronIntervalMs?: number;
  clock?: Clock;
  /** Job events of this process, for logs. */
  onEvent?: (e: JobEvent) => void;
  /** Names the worker in job statuses (default `host:pid`). */
  workerId?: string;
  /**
   * Only enqueue, read and cancel (tools such as `pitwall doctor`): no handlers, schedules or maintenance run in this
   * process, and the storage must already exist (nothing is created or migrated).
   */
  clientOnly?: boolean;
}

/** Row of `job_schedules` (both dialects). */
export interface ScheduleRow {
  name: string;
  key: string;
  cron: string;
  tz: string;
  data: string;
  options: string;
  last_slot_at: number | string | null;
  created_on: number | string;
  updated_on: number | string;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

type State = 'new' | 'running' | 'stopping' | 'stopped';

/**
 * What both queues share: validation, the worker loops and attempt runner, lease renewal, cron schedules (stored in
 * `job_schedules` on both dialects) and the lifecycle. Subclasses supply the storage of jobs.
 */
export abstract class BaseJobQueue implements JobQueue, AttemptStore {
  abstract readonly backend: 'sqlite' | 'pg-boss';
  protected readonly clock: Clock;
  protected readonly leaseSeconds: number;
  protected readonly workerId: string;
  protected readonly runner: JobRunner;
  private readonly loops = new Map<string, WorkerLoop>();
  private readonly cronMs: number;
  private readonly onEvent: ((e: JobEvent) => void) | undefined;
  protected readonly clientOnly: boolean;
  private state: State = 'new';
  private starting: Promise<void> | undefined;
  private cronTimer: NodeJS.Timeout | undefined;
  private ticking = false;

  protected constructor(
    protected readonly db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    opts: JobQueueOptions,
    defaultPollMs: number,
  ) {
    this.clock = opts.clock ?? systemClock;
    const lease = opts.leaseSeconds ?? 30;
    if (!Number.isFinite(lease) || lease < 1 || lease > 3600) throw invalidJobOption('jobs.leaseSeconds must be 1-3600', 'jobs.leaseSeconds');
    this.leaseSeconds = lease;
    this.workerId = opts.workerId ?? `${os.hostname()}:${process.pid}`;
    this.cronMs = opts.cronIntervalMs ?? 1000;
    this.onEvent = opts.onEvent;
    this.clientOnly = opts.clientOnly ?? false;
    const heartbeatMs = Math.max(200, Math.min(2000, (lease * 1000) / 3));
    this.runner = new JobRunner(this, opts.pollIntervalMs ?? defaultPollMs, heartbeatMs, (e) => this.emit(e));
  }

  protected emit(e: JobEvent): void {
    try {
      this.onEvent?.(e);
    } catch {
      // A logger's failure is not the job's.
    }
  }

  // ---- storage, per implementation ----

  /** Creates or checks the storage and starts background maintenance. */
  protected abstract open(): Promise<void>;
  /** Stops background maintenance (the database connection belongs to the store). */
  protected abstract close(): Promise<void>;
  /** Inserts a job (answering the live job's id when its key is taken). */
  protected abstract insert(name: string, n: NormalizedEnqueue): Promise<string>;
  /** Enqueues the job of one cron slot, at most once per slot whatever the number of processes; false when another process already did. */
  protected abstract fireSlot(row: ScheduleRow, slot: number, retry: NormalizedRetry): Promise<boolean>;
  /** Cancels when still created, retrying or active; answers the status after. */
  protected abstract cancelJob(id: string): Promise<JobStatus | null>;
  protected abstract find(id: string): Promise<JobStatus | null>;
  protected abstract query(q: NormalizedListQuery): Promise<JobStatus[]>;
  abstract health(): Promise<JobQueueHealth>;
  abstract claim(name: string, limit: number): Promise<Claim[]>;
  abstract renew(claims: Claim[]): Promise<Set<string>>;
  abstract complete(claim: Claim, outputJson: string): Promise<boolean>;
  abstract fail(claim: Claim, error: string): Promise<{ recorded: boolean; willRetry: boolean }>;
  abstract release(claim: Claim): Promise<void>;

  async isCancelled(id: string): Promise<boolean> {
    return (await this.find(id))?.state === 'cancelled';
  }

  // ---- the contract ----

  private usable(): void {
    if (this.state !== 'running' && this.state !== 'stopping') throw queueNotStarted();
  }

  async enqueue(name: string, data?: unknown, opts: EnqueueOptions = {}): Promise<string> {
    const n = normalizeEnqueue(name, data, opts, this.clock.nowMs());
    this.usable();
    const id = await this.insert(name, n);
    this.loops.get(name)?.wake();
    return id;
  }

  async schedule(name: string, cron: string, data?: unknown, opts: ScheduleOptions = {}): Promise<JobSchedule> {
    validateJobName(name);
    const { key, tz, retry } = normalizeScheduleOptions(opts);
    const expr = validateCron(cron, tz);
    const dataJson = encodeData(data);
    this.usable();
    const now = this.clock.nowMs();
    const row = { name, key, cron: expr, tz, data: dataJson, options: JSON.stringify(retry), created_on: now, updated_on: now };
    await this.db
      .insertInto('job_schedules')
      .values({ ...row, last_slot_at: null })
      .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet({ cron: expr, tz, data: dataJson, options: row.options, updated_on: now }))
      .execute();
    const stored = (await this.db.selectFrom('job_schedules').selectAll().where('name', '=', name).where('key', '=', key).executeTakeFirst()) as ScheduleRow | undefined;
    return this.scheduleOf(stored ?? { ...row, last_slot_at: null });
  }

  async unschedule(name: string, key = ''): Promise<boolean> {
    validateJobName(name);
    this.usable();
    const r = await this.db.deleteFrom('job_schedules').where('name', '=', name).where('key', '=', key).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listSchedules(): Promise<JobSchedule[]> {
    this.usable();
    const rows = (await this.db.selectFrom('job_schedules').selectAll().orderBy('name').orderBy('key').execute()) as ScheduleRow[];
    return rows.map((r) => this.scheduleOf(r));
  }

  private scheduleOf(r: ScheduleRow): JobSchedule {
    return {
      name: r.name,
      key: r.key,
      cron: r.cron,
      tz: r.tz,
      data: JSON.parse(r.data) as unknown,
      options: JSON.parse(r.options) as NormalizedRetry,
      lastRunOn: num(r.last_slot_at),
      nextRunOn: nextSlot(r.cron, r.tz, this.clock.nowMs()),
      createdOn: Number(r.created_on),
      updatedOn: Number(r.updated_on),
    };
  }

  async cancel(id: string): Promise<JobStatus> {
    if (!isJobId(id)) throw jobNotFound(String(id));
    this.usable();
    const status = await this.cancelJob(id);
    if (!status) throw jobNotFound(id);
    if (status.state === 'completed' || status.state === 'failed') throw jobAlreadyFinished(id, status.state);
    this.runner.cancelled(id);
    return status;
  }

  async get(id: string): Promise<JobStatus> {
    if (!isJobId(id)) throw jobNotFound(String(id));
    this.usable();
    const status = await this.find(id);
    if (!status) throw jobNotFound(id);
    return status;
  }

  async list(q: JobListQuery = {}): Promise<JobStatus[]> {
    const nq = normalizeListQuery(q);
    this.usable();
    return this.query(nq);
  }

  async work<T = unknown>(name: string, handler: JobHandler<T>, opts: WorkOptions = {}): Promise<void> {
    validateJobName(name);
    if (typeof handler !== 'function') throw invalidJobOption('handler must be a function', 'handler');
    const concurrency = opts.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) throw invalidJobOption('concurrency must be an integer from 1 to 100', 'concurrency');
    if (this.clientOnly) throw invalidJobOption('This job queue was opened to send and read jobs only; it runs no handlers', 'handler');
    if (this.loops.has(name)) throw invalidJobOption(`A handler for '${name}' is already registered in this process`, 'name');
    if (this.state === 'stopping' || this.state === 'stopped') throw queueNotStarted();
    const loop = new WorkerLoop(name, handler as JobHandler, concurrency, this.runner);
    this.loops.set(name, loop);
    if (this.state === 'running') await this.startLoop(loop);
  }

  workedNames(): string[] {
    return [...this.loops.keys()];
  }

  /** Hook for storages that must prepare a queue before it is consumed (pg-boss's createQueue). */
  protected async prepareQueue(_name: string): Promise<void> {}

  private async startLoop(loop: WorkerLoop): Promise<void> {
    await this.prepareQueue(loop.name);
    loop.start();
  }

  async start(): Promise<void> {
    if (this.state === 'running') return;
    if (this.state !== 'new') throw queueNotStarted();
    this.starting ??= (async () => {
      try {
        await this.open();
      } catch (e) {
        this.starting = undefined;
        throw e;
      }
      this.state = 'running';
      if (this.clientOnly) return;
      this.runner.startHeartbeat();
      for (const loop of this.loops.values()) await this.startLoop(loop);
      this.cronTimer = setInterval(() => void this.tick(), this.cronMs);
      this.cronTimer.unref();
      void this.tick();
    })();
    await this.starting;
  }

  async stop(opts: StopOptions = {}): Promise<void> {
    // A stop that arrives while start() is still opening waits for it, then stops what it started.
    if (this.starting && this.state === 'new') await this.starting.catch(() => undefined);
    if (this.state === 'new') {
      this.state = 'stopped';
      return;
    }
    if (this.state !== 'running') return;
    this.state = 'stopping';
    clearInterval(this.cronTimer);
    await Promise.all([...this.loops.values()].map((l) => l.stop()));
    await this.runner.drain(opts.graceful ?? true, opts.timeoutMs ?? 30_000);
    this.runner.stopHeartbeat();
    while (this.ticking) await new Promise((r) => setTimeout(r, 10));
    await this.close();
    this.state = 'stopped';
  }

  /** Runs due cron slots; also where subclasses hang periodic lease checks. */
  protected async tick(): Promise<void> {
    if (this.ticking || this.state !== 'running') return;
    this.ticking = true;
    try {
      await this.periodic();
      const rows = (await this.db.selectFrom('job_schedules').selectAll().execute()) as ScheduleRow[];
      const now = this.clock.nowMs();
      for (const row of rows) {
        if (this.state !== 'running') break;
        try {
          const slot = dueSlot(row.cron, row.tz, now, num(row.last_slot_at));
          if (slot === null) continue;
          const retry = JSON.parse(row.options) as NormalizedRetry;
          if (await this.fireSlot(row, slot, retry)) this.loops.get(row.name)?.wake();
        } catch (e) {
          this.emit({ type: 'error', message: `schedule ${row.name}${row.key ? `/${row.key}` : ''} failed: ${errorMessage(e)}` });
        }
      }
    } catch (e) {
      this.emit({ type: 'error', message: `checking schedules failed: ${errorMessage(e)}` });
    } finally {
      this.ticking = false;
    }
  }

  /** Periodic storage work on the cron timer (SQLite checks leases here). */
  protected async periodic(): Promise<void> {}

  /** Test hook: as if this process were killed now (no lease renewal, nothing released). */
  abandonForTesting(): void {
    this.state = 'stopped';
    clearInterval(this.cronTimer);
    for (const l of this.loops.values()) void l.stop();
    this.runner.abandon();
    void this.close().catch(() => undefined);
  }

  /** The job a schedule slot enqueues: its key is the schedule's (none for ''), starting at the slot. */
  protected slotJob(row: ScheduleRow, slot: number, retry: NormalizedRetry): NormalizedEnqueue {
    return { ...retry, key: row.key === '' ? null : row.key, startAfter: slot, dataJson: row.data };
  }
}
