import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { BaseJobQueue, type JobQueueOptions, type ScheduleRow } from './base-job-queue.js';
import type { NormalizedEnqueue, NormalizedListQuery, NormalizedRetry } from './job-options.js';
import { JOB_STATES, type JobQueueHealth, type JobState, type JobStatus } from './job-queue.js';
import type { Claim } from './job-runner.js';
import { LEASE_LOST, outcomeOf } from './job-status.js';

interface JobRow {
  id: string;
  name: string;
  key: string | null;
  priority: number;
  data: string;
  state: string;
  retry_limit: number;
  retry_count: number;
  retry_delay: number;
  retry_backoff: number;
  expire_in: number;
  start_after: number;
  created_on: number;
  started_on: number | null;
  completed_on: number | null;
  lease_until: number | null;
  worker: string | null;
  output: string | null;
  schedule_slot: string | null;
}

/** Finished jobs are deleted this long after they finished (pg-boss: archived after 12 h, dropped after 7 days). */
const KEEP_FINISHED_MS = 7 * 24 * 3600 * 1000;
const PURGE_EVERY_MS = 3600 * 1000;

/**
 * pg-boss's retry delay in SQL: `retry_delay` seconds, or with back-off between `retry_delay × 2^retry_count` and twice
 * that (SQLite has `<<` but no `pow`).
 */
const RETRY_DELAY_MS = sql<number>`CASE WHEN retry_backoff = 0 THEN retry_delay * 1000
  ELSE CAST(round((retry_delay * (1 << min(16, retry_count + 1)) / 2.0) * (1.0 + (abs(random()) % 1000000) / 1000000.0) * 1000) AS INTEGER) END`;

export function statusOfRow(r: JobRow): JobStatus {
  const state = r.state as JobState;
  const { output, error } = outcomeOf(state, r.output === null ? null : JSON.parse(r.output));
  return {
    id: r.id,
    name: r.name,
    key: r.key,
    state,
    data: JSON.parse(r.data) as unknown,
    output,
    error,
    attempts: r.started_on !== null ? r.retry_count + 1 : r.retry_count,
    retryLimit: r.retry_limit,
    retryDelaySeconds: r.retry_delay,
    retryBackoff: r.retry_backoff !== 0,
    expireInSeconds: r.expire_in,
    priority: r.priority,
    worker: state === 'active' ? r.worker : null,
    createdOn: r.created_on,
    startAfter: r.start_after,
    startedOn: r.started_on,
    completedOn: r.completed_on,
  };
}

/**
 * The embedded queue: jobs in the store's SQLite database (table `jobs`, migration 0003), worked in-process.
 *
 * Every write is one statement, so it is atomic on its own and never holds a transaction open across an `await`:
 * a claim is a single `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING`, which takes SQLite's write lock, so two
 * processes on the same file never take the same job. Renewals, completions and failures name the attempt
 * (`id`, `retry_count`) and only apply while it is still active, so an attempt that lost its lease cannot overwrite
 * what another worker did since.
 */
export class SqliteJobQueue extends BaseJobQueue {
  readonly backend = 'sqlite' as const;
  private lastPurge = 0;

  constructor(db: Kysely<any>, opts: JobQueueOptions = {}) { // eslint-disable-line @typescript-eslint/no-explicit-any
    super(db, opts, 250);
  }

  protected async open(): Promise<void> {
    const t = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'jobs'`.execute(this.db);
    if (t.rows.length === 0) throw new Error("The store's database has no 'jobs' table: it was opened without running migration 0003_jobs");
  }

  protected async close(): Promise<void> {
    // The connection belongs to the store.
  }

  private now(): number {
    return this.clock.nowMs();
  }

  /** Inserts unless the key (or the cron slot) is taken; a taken key answers the live job's id. */
  private async insertRow(name: string, n: NormalizedEnqueue, slot: string | null): Promise<{ id: string; inserted: boolean } | null> {
    const now = this.now();
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      const row: JobRow = {
        id,
        name,
        key: n.key,
        priority: n.priority,
        data: n.dataJson,
        state: 'created',
        retry_limit: n.retryLimit,
        retry_count: 0,
        retry_delay: n.retryDelaySeconds,
        retry_backoff: n.retryBackoff ? 1 : 0,
        expire_in: n.expireInSeconds,
        start_after: n.startAfter ?? now,
        created_on: now,
        started_on: null,
        completed_on: null,
        lease_until: null,
        worker: null,
        output: null,
        schedule_slot: slot,
      };
      const r = await this.db.insertInto('jobs').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
      if (r) return { id, inserted: true };
      if (slot !== null || n.key === null) return null;
      const live = await this.db
        .selectFrom('jobs')
        .select('id')
        .where('name', '=', name)
        .where('key', '=', n.key)
        .where('state', 'in', ['created', 'retry', 'active'])
        .executeTakeFirst();
      if (live) return { id: live.id as string, inserted: false };
      // The holder of the key finished in between: try again.
    }
    throw new Error(`Could not enqueue ${name}: its key kept changing hands`);
  }

  protected async insert(name: string, n: NormalizedEnqueue): Promise<string> {
    const r = await this.insertRow(name, n, null);
    if (!r) throw new Error(`Could not enqueue ${name}`);
    return r.id;
  }

  protected async fireSlot(row: ScheduleRow, slot: number, retry: NormalizedRetry): Promise<boolean> {
    // The unique `schedule_slot` makes the insert idempotent, so a crash between it and the update below is harmless.
    const r = await this.insertRow(row.name, this.slotJob(row, slot, retry), `${row.name}|${row.key}|${slot}`);
    await this.db
      .updateTable('job_schedules')
      .set({ last_slot_at: slot })
      .where('name', '=', row.name)
      .where('key', '=', row.key)
      .where((eb) => eb.or([eb('last_slot_at', 'is', null), eb('last_slot_at', '<', slot)]))
      .execute();
    return r?.inserted === true;
  }

  async claim(name: string, limit: number): Promise<Claim[]> {
    const now = this.now();
    // A read first: an idle poll then never takes the write lock other processes may be waiting for.
    const any = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', name)
      .where('state', 'in', ['created', 'retry'])
      .where('start_after', '<=', now)
      .limit(1)
      .executeTakeFirst();
    if (!any) return [];
    const rows = await sql<Pick<JobRow, 'id' | 'name' | 'data' | 'retry_count' | 'retry_limit' | 'expire_in'>>`
      UPDATE jobs SET
        state = 'active',
        retry_count = CASE WHEN started_on IS NOT NULL THEN retry_count + 1 ELSE retry_count END,
        started_on = ${now},
        lease_until = ${now + this.leaseSeconds * 1000},
        worker = ${this.workerId}
      WHERE id IN (
        SELECT id FROM jobs
        WHERE name = ${name} AND state IN ('created', 'retry') AND start_after <= ${now}
        ORDER BY priority DESC, created_on, id
        LIMIT ${limit}
      )
      RETURNING id, name, data, retry_count, retry_limit, expire_in`.execute(this.db);
    return rows.rows.map((r) => ({
      id: r.id,
      name: r.name,
      data: JSON.parse(r.data) as unknown,
      retryCount: r.retry_count,
      retryLimit: r.retry_limit,
      expireInSeconds: r.expire_in,
    }));
  }

  async renew(claims: Claim[]): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const attempts = sql.join(claims.map((c) => sql`(${c.id}, ${c.retryCount})`));
    const r = await sql<{ id: string }>`
      UPDATE jobs SET lease_until = ${this.now() + this.leaseSeconds * 1000}
      WHERE state = 'active' AND (id, retry_count) IN (VALUES ${attempts})
      RETURNING id`.execute(this.db);
    return new Set(r.rows.map((x) => x.id));
  }

  async complete(claim: Claim, outputJson: string): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ state: 'completed', completed_on: this.now(), output: outputJson, lease_until: null })
      .where('id', '=', claim.id)
      .where('state', '=', 'active')
      .where('retry_count', '=', claim.retryCount)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async fail(claim: Claim, error: string): Promise<{ recorded: boolean; willRetry: boolean }> {
    const now = this.now();
    const r = await sql<{ state: string }>`
      UPDATE jobs SET
        state = CASE WHEN retry_count < retry_limit THEN 'retry' ELSE 'failed' END,
        completed_on = CASE WHEN retry_count < retry_limit THEN NULL ELSE ${now} END,
        start_after = CASE WHEN retry_count < retry_limit THEN ${now} + ${RETRY_DELAY_MS} ELSE start_after END,
        output = ${JSON.stringify({ error: { message: error } })},
        lease_until = NULL
      WHERE id = ${claim.id} AND state = 'active' AND retry_count = ${claim.retryCount}
      RETURNING state`.execute(this.db);
    const row = r.rows[0];
    return { recorded: row !== undefined, willRetry: row?.state === 'retry' };
  }

  async release(claim: Claim): Promise<void> {
    await sql`
      UPDATE jobs SET
        state = CASE WHEN retry_count = 0 THEN 'created' ELSE 'retry' END,
        started_on = NULL, start_after = ${this.now()}, lease_until = NULL, worker = NULL
      WHERE id = ${claim.id} AND state = 'active' AND retry_count = ${claim.retryCount}`.execute(this.db);
  }

  /** Attempts whose lease ran out (worker killed) or that ran past `expireInSeconds` count as failed. */
  protected override async periodic(): Promise<void> {
    const now = this.now();
    const stale = await sql`SELECT id FROM jobs WHERE state = 'active' AND (lease_until < ${now} OR started_on + expire_in * 1000 < ${now}) LIMIT 1`.execute(this.db);
    if (stale.rows.length > 0) {
      const expired = JSON.stringify({ error: { message: 'the attempt ran longer than expireInSeconds' } });
      const lost = JSON.stringify({ error: { message: LEASE_LOST } });
      await sql`
        UPDATE jobs SET
          state = CASE WHEN retry_count < retry_limit THEN 'retry' ELSE 'failed' END,
          completed_on = CASE WHEN retry_count < retry_limit THEN NULL ELSE ${now} END,
          start_after = CASE WHEN retry_count < retry_limit THEN ${now} + ${RETRY_DELAY_MS} ELSE start_after END,
          output = CASE WHEN started_on + expire_in * 1000 < ${now} THEN ${expired} ELSE ${lost} END,
          lease_until = NULL
        WHERE state = 'active' AND (lease_until < ${now} OR started_on + expire_in * 1000 < ${now})`.execute(this.db);
    }
    if (now - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now;
      await this.db.deleteFrom('jobs').where('completed_on', '<', now - KEEP_FINISHED_MS).execute();
    }
  }

  protected async cancelJob(id: string): Promise<JobStatus | null> {
    await this.db
      .updateTable('jobs')
      .set({ state: 'cancelled', completed_on: this.now(), lease_until: null })
      .where('id', '=', id)
      .where('state', 'in', ['created', 'retry', 'active'])
      .execute();
    return this.find(id);
  }

  protected async find(id: string): Promise<JobStatus | null> {
    const r = (await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()) as JobRow | undefined;
    return r ? statusOfRow(r) : null;
  }

  protected async query(q: NormalizedListQuery): Promise<JobStatus[]> {
    let b = this.db.selectFrom('jobs').selectAll();
    if (q.name !== null) b = b.where('name', '=', q.name);
    if (q.state !== null) b = b.where('state', '=', q.state);
    // Several jobs can share a millisecond: the rowid keeps them in the order they were enqueued.
    const rows = (await b.orderBy('created_on', 'desc').orderBy(sql`rowid`, 'desc').limit(q.limit).offset(q.offset).execute()) as JobRow[];
    return rows.map(statusOfRow);
  }

  async health(): Promise<JobQueueHealth> {
    try {
      const rows = await sql<{ state: string; n: number }>`SELECT state, count(*) AS n FROM jobs GROUP BY state`.execute(this.db);
      const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
      for (const r of rows.rows) if (r.state in counts) counts[r.state as JobState] = Number(r.n);
      return { ok: true, backend: 'sqlite', message: `Jobs run in-process from the store's SQLite database (${counts.created + counts.retry} queued, ${counts.active} running)`, counts };
    } catch (e) {
      const msg = (e as Error).message;
      const missing = /no such table/i.test(msg);
      return {
        ok: false,
        backend: 'sqlite',
        message: missing ? "The SQLite database has no 'jobs' table: start `pitwall server` once so that it applies migration 0003_jobs" : `The job queue's SQLite database cannot be read: ${msg}`,
      };
    }
  }
}
