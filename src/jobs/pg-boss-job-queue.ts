import { createRequire } from 'node:module';
import { CompiledQuery, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type PgBossType from 'pg-boss';
import { AppError } from '../core/errors/index.js';
import { BaseJobQueue, type JobQueueOptions, type ScheduleRow } from './base-job-queue.js';
import type { NormalizedEnqueue, NormalizedListQuery, NormalizedRetry } from './job-options.js';
import { JOB_STATES, type JobQueueHealth, type JobState, type JobStatus } from './job-queue.js';
import type { Claim } from './job-runner.js';
import { LEASE_LOST, outcomeOf } from './job-status.js';

type PgBoss = PgBossType;
type BossDb = { executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** pg-boss's schema; Pitwall reads its tables for statuses and writes leases into active jobs' `output`. */
const SCHEMA = 'pgboss';

interface PgJobRow {
  id: string;
  name: string;
  key: string | null;
  priority: number;
  data: unknown;
  state: string;
  retry_limit: number;
  retry_count: number;
  retry_delay: number;
  retry_backoff: boolean;
  expire_in: number;
  start_after: Date;
  started_on: Date | null;
  created_on: Date;
  completed_on: Date | null;
  output: unknown;
}

const COLUMNS = sql.raw(`id::text AS id, name, singleton_key AS key, priority, data, state::text AS state, retry_limit, retry_count, retry_delay,
  retry_backoff, EXTRACT(epoch FROM expire_in)::float8 AS expire_in, start_after, started_on, created_on, completed_on, output`);

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

function statusOfRow(r: PgJobRow): JobStatus {
  const state = r.state as JobState;
  const { output, error, worker } = outcomeOf(state, r.output);
  return {
    id: r.id,
    name: r.name,
    key: r.key,
    state,
    data: r.data,
    output,
    error,
    attempts: r.started_on !== null ? r.retry_count + 1 : r.retry_count,
    retryLimit: r.retry_limit,
    retryDelaySeconds: r.retry_delay,
    retryBackoff: r.retry_backoff,
    expireInSeconds: Number(r.expire_in),
    priority: r.priority,
    worker,
    createdOn: r.created_on.getTime(),
    startAfter: r.start_after.getTime(),
    startedOn: ms(r.started_on),
    completedOn: ms(r.completed_on),
  };
}

/**
 * Runs `fn` again when it lost a race with another process doing the same DDL: pg-boss's schema creation (two
 * processes starting on an empty database; the loser may not see the schema the winner just created and fail with a
 * unique violation instead of "already exists") and its `create_queue` (two processes creating queues at once
 * deadlock on the queue table). By the next try the winner has committed.
 */
async function retryDdlRace<T>(fn: () => Promise<T>): Promise<T> {
  const RACE = new Set(['40P01', '23505', '42P07', '42710']);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= 5 || typeof code !== 'string' || !RACE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 200));
    }
  }
}

/** The pg-boss schema version this build's pg-boss installs (`pg-boss/version.json`). */
function expectedSchemaVersion(): number {
  return (createRequire(import.meta.url)('pg-boss/version.json') as { schema: number }).schema;
}

/**
 * The scaled-out queue: pg-boss 10 on the store's PostgreSQL database (its own `pgboss` schema, created and migrated
 * on start), through the store's connection pool. `pg-boss` is imported only when this queue starts.
 *
 * pg-boss does the queueing: inserts, `FOR UPDATE SKIP LOCKED` claims (a job is taken by exactly one worker),
 * retries with back-off, cancellation, and its maintenance (expiry after `expireInSeconds`, archiving after 12 h,
 * deletion after 7 days). Pitwall adds, in SQL over pg-boss's tables:
 * - leases: a running attempt's lease (`output.lease = {until, worker}`, a column pg-boss leaves alone until the job
 *   finishes) is renewed by its worker; right after each pg-boss maintenance run, attempts whose lease ran out fail
 *   through `boss.fail`, so a killed worker's job is retried after one lease, not after its whole `expireInSeconds`;
 * - completions and failures guarded by the attempt (`retry_count`), so a worker that lost its job cannot overwrite
 *   the attempt that replaced it;
 * - keys held while a job is created, retrying or active (pg-boss 10's queue policies each cover only some of those
 *   states): checked under a transaction-scoped advisory lock, then inserted by `boss.send` in the same transaction;
 * - several cron schedules per job name (pg-boss 10 allows one), in `job_schedules`, each slot claimed and enqueued
 *   in one transaction.
 */
export class PgBossJobQueue extends BaseJobQueue {
  readonly backend = 'pg-boss' as const;
  private boss: PgBoss | undefined;
  private readonly queues = new Set<string>();
  private reaping = false;

  constructor(db: Kysely<any>, opts: JobQueueOptions = {}) { // eslint-disable-line @typescript-eslint/no-explicit-any
    super(db, opts, 500);
  }

  /** pg-boss runs its SQL through the store's pool. Its multi-statement commands (`BEGIN; …; COMMIT`) are rolled back on failure, so no connection goes back to the pool inside a failed transaction. */
  private poolDb(): BossDb {
    return {
      executeSql: async (text, values) => {
        if (!/\bBEGIN\b/.test(text)) return { rows: (await this.db.executeQuery(CompiledQuery.raw(text, values ?? []))).rows as any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
        return this.db.connection().execute(async (c) => {
          try {
            return { rows: (await c.executeQuery(CompiledQuery.raw(text, values ?? []))).rows as any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
          } catch (e) {
            await c.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
            throw e;
          }
        });
      },
    };
  }

  /** pg-boss calls inside one of our transactions. */
  private static txDb(trx: Transaction<any>): BossDb { // eslint-disable-line @typescript-eslint/no-explicit-any
    return { executeSql: async (text, values) => ({ rows: (await trx.executeQuery(CompiledQuery.raw(text, values ?? []))).rows as any[] }) }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  private get b(): PgBoss {
    if (!this.boss) throw new Error('pg-boss is not started');
    return this.boss;
  }

  protected async open(): Promise<void> {
    if (this.clientOnly) {
      // Nothing is created or migrated here: say plainly what is missing instead of pg-boss's terse error.
      const h = await this.health();
      if (!h.ok) throw new AppError('TEMPORARILY_UNAVAILABLE', h.message);
    }
    const PgBossClass = (await import('pg-boss')).default;
    // A pg-boss instance whose start failed cannot start again: each try gets a new one.
    this.boss = await retryDdlRace(async () => {
      const boss = this.newBoss(PgBossClass);
      await boss.start();
      return boss;
    });
  }

  private newBoss(PgBossClass: typeof PgBossType): PgBoss {
    const boss = new PgBossClass({
      db: this.poolDb(),
      schema: SCHEMA,
      migrate: !this.clientOnly,
      supervise: !this.clientOnly,
      // Pitwall runs cron schedules itself (several per job name; pg-boss 10 keeps one).
      schedule: false,
      // Maintenance also finds abandoned leases (below), so it runs a few times per lease; pg-boss makes sure that
      // only one process of the cluster runs it per interval.
      maintenanceIntervalSeconds: Math.max(1, Math.round(this.leaseSeconds / 3)),
    });
    boss.on('error', (e: Error) => this.emit({ type: 'error', message: `pg-boss: ${e.message}` }));
    boss.on('maintenance', () => void this.reap());
    return boss;
  }

  protected async close(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    // A maintenance query cut short by the shutdown is no news.
    boss?.removeAllListeners('error').on('error', () => undefined);
    // Not graceful: Pitwall's own runner has drained the handlers; pg-boss runs none. The pool belongs to the store.
    await boss?.stop({ graceful: false, close: false, wait: true });
  }

  protected override async prepareQueue(name: string): Promise<void> {
    if (this.queues.has(name)) return;
    await retryDdlRace(() => this.b.createQueue(name, { name, policy: 'standard' }));
    this.queues.add(name);
  }

  private sendOptions(n: NormalizedEnqueue): PgBossType.SendOptions {
    return {
      retentionDays: retentionDays(n),
      priority: n.priority,
      retryLimit: n.retryLimit,
      retryDelay: n.retryDelaySeconds,
      retryBackoff: n.retryBackoff,
      expireInSeconds: n.expireInSeconds,
      ...(n.startAfter !== null ? { startAfter: new Date(n.startAfter) } : {}),
      ...(n.key !== null ? { singletonKey: n.key } : {}),
    };
  }

  /** Inserts inside `trx`: with a key, under an advisory lock on (name, key), unless a live job holds the key. */
  private async insertIn(trx: Transaction<any>, name: string, n: NormalizedEnqueue): Promise<{ id: string; inserted: boolean }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (n.key !== null) {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`pitwall.jobs:${name}:${n.key}`}, 0))`.execute(trx);
      const live = await sql<{ id: string }>`
        SELECT id::text AS id FROM ${sql.raw(SCHEMA)}.job WHERE name = ${name} AND singleton_key = ${n.key} AND state < 'completed' LIMIT 1`.execute(trx);
      if (live.rows[0]) return { id: live.rows[0].id, inserted: false };
    }
    // The data goes as JSON text, which PostgreSQL casts to jsonb.
    const id = await this.b.send(name, n.dataJson as unknown as object, { ...this.sendOptions(n), db: PgBossJobQueue.txDb(trx) });
    if (id === null) throw new Error(`pg-boss did not enqueue ${name} (does its queue exist?)`);
    return { id, inserted: true };
  }

  protected async insert(name: string, n: NormalizedEnqueue): Promise<string> {
    await this.prepareQueue(name);
    if (n.key === null) {
      const id = await this.b.send(name, n.dataJson as unknown as object, this.sendOptions(n));
      if (id === null) throw new Error(`pg-boss did not enqueue ${name}`);
      return id;
    }
    return (await this.db.transaction().execute((trx) => this.insertIn(trx, name, n))).id;
  }

  protected async fireSlot(row: ScheduleRow, slot: number, retry: NormalizedRetry): Promise<boolean> {
    await this.prepareQueue(row.name);
    return this.db.transaction().execute(async (trx) => {
      // The row lock makes this the only process that enqueues this slot.
      const won = await trx
        .updateTable('job_schedules')
        .set({ last_slot_at: slot })
        .where('name', '=', row.name)
        .where('key', '=', row.key)
        .where((eb) => eb.or([eb('last_slot_at', 'is', null), eb('last_slot_at', '<', slot)]))
        .executeTakeFirst();
      if (Number(won.numUpdatedRows) === 0) return false;
      return (await this.insertIn(trx, row.name, this.slotJob(row, slot, retry))).inserted;
    });
  }

  async claim(name: string, limit: number): Promise<Claim[]> {
    const jobs = await this.b.fetch<unknown>(name, { batchSize: limit, includeMetadata: true });
    if (jobs.length === 0) return [];
    const claims = jobs.map((j) => ({
      id: j.id,
      name: j.name,
      data: j.data,
      retryCount: j.retryCount,
      retryLimit: j.retryLimit,
      expireInSeconds: Number(j.expireInSeconds),
    }));
    // Lease at once: until then only the job's expireInSeconds would bring it back after a crash.
    const held = await this.renew(claims).catch(() => new Set(claims.map((c) => c.id)));
    return claims.filter((c) => held.has(c.id));
  }

  async renew(claims: Claim[]): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const arr = (xs: unknown[], type: string): RawBuilder<unknown> => sql`${sql.val(xs)}::${sql.raw(type)}[]`;
    const r = await sql<{ id: string }>`
      UPDATE ${sql.raw(SCHEMA)}.job j
      SET output = COALESCE(CASE WHEN jsonb_typeof(j.output) = 'object' THEN j.output END, '{}'::jsonb)
        || jsonb_build_object('lease', jsonb_build_object('until', now() + make_interval(secs => ${this.leaseSeconds}::float8), 'worker', ${this.workerId}::text))
      FROM unnest(${arr(claims.map((c) => c.name), 'text')}, ${arr(claims.map((c) => c.id), 'uuid')}, ${arr(claims.map((c) => c.retryCount), 'int')}) AS u(name, id, rc)
      WHERE j.name = u.name AND j.id = u.id AND j.retry_count = u.rc AND j.state = 'active'
      RETURNING j.id::text AS id`.execute(this.db);
    return new Set(r.rows.map((x) => x.id));
  }

  private held(c: Claim, extra: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
    return sql`name = ${c.name} AND id = ${c.id}::uuid AND state = 'active' AND retry_count = ${c.retryCount} ${extra}`;
  }

  async complete(claim: Claim, outputJson: string): Promise<boolean> {
    const r = await sql`
      UPDATE ${sql.raw(SCHEMA)}.job SET state = 'completed', completed_on = now(), output = ${outputJson}::jsonb
      WHERE ${this.held(claim)}`.execute(this.db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  /** pg-boss's own fail (retry with its back-off, or failed), once the attempt is locked and known to be still ours. */
  private async failHeld(claim: Claim, message: string, extra?: RawBuilder<unknown>): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await sql`SELECT 1 FROM ${sql.raw(SCHEMA)}.job WHERE ${this.held(claim, extra)} FOR UPDATE`.execute(trx);
      if (row.rows.length === 0) return false;
      await this.b.fail(claim.name, claim.id, { error: { message } }, { db: PgBossJobQueue.txDb(trx) });
      return true;
    });
  }

  async fail(claim: Claim, error: string): Promise<{ recorded: boolean; willRetry: boolean }> {
    const recorded = await this.failHeld(claim, error);
    return { recorded, willRetry: recorded && claim.retryCount < claim.retryLimit };
  }

  async release(claim: Claim): Promise<void> {
    await sql`
      UPDATE ${sql.raw(SCHEMA)}.job SET
        state = CASE WHEN retry_count = 0 THEN 'created'::${sql.raw(SCHEMA)}.job_state ELSE 'retry'::${sql.raw(SCHEMA)}.job_state END,
        started_on = NULL, start_after = now(),
        output = CASE WHEN jsonb_typeof(output) = 'object' THEN output - 'lease' END
      WHERE ${this.held(claim)}`.execute(this.db);
  }

  /** After pg-boss's maintenance: attempts whose lease ran out (their worker died) fail and are retried. */
  private async reap(): Promise<void> {
    if (this.reaping || !this.boss) return;
    this.reaping = true;
    const stale = sql`AND (output #>> '{lease,until}')::timestamptz < now()`;
    try {
      const r = await sql<{ name: string; id: string; retry_count: number; retry_limit: number; expire_in: number }>`
        SELECT name, id::text AS id, retry_count, retry_limit, EXTRACT(epoch FROM expire_in)::float8 AS expire_in
        FROM ${sql.raw(SCHEMA)}.job WHERE state = 'active' ${stale} LIMIT 1000`.execute(this.db);
      for (const j of r.rows) {
        const claim: Claim = { id: j.id, name: j.name, data: null, retryCount: j.retry_count, retryLimit: j.retry_limit, expireInSeconds: j.expire_in };
        if (await this.failHeld(claim, LEASE_LOST, stale)) {
          this.emit({ type: 'failed', id: j.id, name: j.name, attempt: j.retry_count + 1, error: LEASE_LOST, willRetry: j.retry_count < j.retry_limit });
        }
      }
    } catch (e) {
      this.emit({ type: 'error', message: `checking job leases failed: ${(e as Error).message}` });
    } finally {
      this.reaping = false;
    }
  }

  protected async cancelJob(id: string): Promise<JobStatus | null> {
    const job = await sql<{ name: string }>`SELECT name FROM ${sql.raw(SCHEMA)}.job WHERE id = ${id}::uuid`.execute(this.db);
    if (job.rows[0]) await this.b.cancel(job.rows[0].name, id);
    return this.find(id);
  }

  protected async find(id: string): Promise<JobStatus | null> {
    const r = await sql<PgJobRow>`
      SELECT ${COLUMNS} FROM ${sql.raw(SCHEMA)}.job WHERE id = ${id}::uuid
      UNION ALL
      SELECT ${COLUMNS} FROM ${sql.raw(SCHEMA)}.archive WHERE id = ${id}::uuid
      LIMIT 1`.execute(this.db);
    return r.rows[0] ? statusOfRow(r.rows[0]) : null;
  }

  /** Jobs and archived jobs (pg-boss archives finished jobs after 12 h and deletes them 7 days later). */
  protected async query(q: NormalizedListQuery): Promise<JobStatus[]> {
    const where = [sql`name NOT LIKE '\\_\\_pgboss%'`];
    if (q.name !== null) where.push(sql`name = ${q.name}`);
    if (q.state !== null) where.push(sql`state = ${q.state}::${sql.raw(SCHEMA)}.job_state`);
    const cond = sql.join(where, sql` AND `);
    const r = await sql<PgJobRow>`
      SELECT * FROM (
        SELECT ${COLUMNS} FROM ${sql.raw(SCHEMA)}.job WHERE ${cond}
        UNION ALL
        SELECT ${COLUMNS} FROM ${sql.raw(SCHEMA)}.archive WHERE ${cond}
      ) j ORDER BY created_on DESC, id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(this.db);
    return r.rows.map(statusOfRow);
  }

  async health(): Promise<JobQueueHealth> {
    const backend = 'pg-boss' as const;
    try {
      await sql`SELECT 1`.execute(this.db);
    } catch (e) {
      return { ok: false, backend, message: `PostgreSQL is not reachable: ${(e as Error).message}` };
    }
    try {
      const t = await sql<{ t: string | null }>`SELECT to_regclass(${`${SCHEMA}.version`})::text AS t`.execute(this.db);
      if (!t.rows[0]?.t) {
        return { ok: false, backend, message: `PostgreSQL is reachable but the job queue's schema '${SCHEMA}' is not installed: start \`pitwall server\` or \`pitwall worker\` once to create it` };
      }
      const v = await sql<{ version: number }>`SELECT version FROM ${sql.raw(SCHEMA)}.version`.execute(this.db);
      const have = Number(v.rows[0]?.version);
      const want = expectedSchemaVersion();
      if (have < want) return { ok: false, backend, message: `The '${SCHEMA}' schema is at version ${have}, older than this Pitwall's pg-boss (${want}): start \`pitwall server\` or \`pitwall worker\` once to migrate it` };
      if (have > want) return { ok: false, backend, message: `The '${SCHEMA}' schema is at version ${have}, newer than this Pitwall's pg-boss (${want}): upgrade this Pitwall` };
      const rows = await sql<{ state: string; n: number }>`
        SELECT state::text AS state, count(*)::int AS n FROM ${sql.raw(SCHEMA)}.job WHERE name NOT LIKE '\\_\\_pgboss%' GROUP BY state`.execute(this.db);
      const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
      for (const r of rows.rows) if (r.state in counts) counts[r.state as JobState] = Number(r.n);
      return { ok: true, backend, message: `pg-boss schema '${SCHEMA}' v${have} on PostgreSQL (${counts.created + counts.retry} queued, ${counts.active} running)`, counts };
    } catch (e) {
      return { ok: false, backend, message: `The job queue's tables in PostgreSQL cannot be read: ${(e as Error).message}` };
    }
  }
}

/**
 * pg-boss archives a job that has not finished `retention` after its start time (default 14 days), even one still
 * waiting for a retry. The retention here covers the job's whole retry plan (every attempt running to its time limit,
 * every back-off at its longest) plus those 14 days, so a long back-off never silently drops a job. At most 10 years.
 */
export function retentionDays(n: Pick<NormalizedEnqueue, 'retryLimit' | 'retryDelaySeconds' | 'retryBackoff' | 'expireInSeconds'>): number {
  const maxSeconds = 3650 * 86400;
  const delay = n.retryBackoff ? Math.max(1, n.retryDelaySeconds) : n.retryDelaySeconds;
  let plan = n.expireInSeconds;
  for (let i = 1; i <= n.retryLimit && plan < maxSeconds; i++) plan += (n.retryBackoff ? 2 * delay * 2 ** (i - 1) : delay) + n.expireInSeconds;
  return Math.min(3650, 14 + Math.ceil(plan / 86400));
}
