import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';

/**
 * Background jobs (`src/jobs/`). `job_schedules` (cron schedules, with the last slot each one ran) exists on both
 * dialects: Pitwall runs schedules itself on both, because pg-boss 10 keeps one schedule per queue and Pitwall needs
 * several (one per drift monitor or pipeline). The `jobs` table is created on SQLite only: on PostgreSQL, pg-boss
 * owns the jobs, in its own `pgboss` schema, which it creates and migrates itself when a queue starts.
 */
export function m0003Jobs(adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('job_schedules')
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('key', 'varchar(255)', (c) => c.notNull())
        .addColumn('cron', 'varchar(255)', (c) => c.notNull())
        .addColumn('tz', 'varchar(64)', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        // The latest slot that enqueued (epoch ms): a slot runs once, across restarts and processes.
        .addColumn('last_slot_at', 'bigint')
        .addColumn('created_on', 'bigint', (c) => c.notNull())
        .addColumn('updated_on', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_schedules_pk', ['name', 'key'])
        .execute();
      if (adapter.name !== 'sqlite') return;
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('key', 'varchar(255)')
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('state', 'varchar(16)', (c) => c.notNull())
        .addColumn('retry_limit', 'integer', (c) => c.notNull())
        // pg-boss's meaning: attempts started before the current one (incremented when a started job is taken again).
        .addColumn('retry_count', 'integer', (c) => c.notNull())
        .addColumn('retry_delay', 'integer', (c) => c.notNull())
        .addColumn('retry_backoff', 'integer', (c) => c.notNull())
        .addColumn('expire_in', 'integer', (c) => c.notNull())
        .addColumn('start_after', 'bigint', (c) => c.notNull())
        .addColumn('created_on', 'bigint', (c) => c.notNull())
        .addColumn('started_on', 'bigint')
        .addColumn('completed_on', 'bigint')
        // Active jobs: the attempt is abandoned (its worker died) when this passes without renewal.
        .addColumn('lease_until', 'bigint')
        .addColumn('worker', 'varchar(255)')
        .addColumn('output', 'text')
        // `name|key|slot` of the cron slot that enqueued the job: unique, so each slot enqueues once.
        .addColumn('schedule_slot', 'varchar(512)')
        .execute();
      // What a worker claims: queued jobs of one name by priority, then age.
      await sql`CREATE INDEX jobs_fetch ON jobs (name, priority DESC, created_on, id) WHERE state IN ('created', 'retry')`.execute(db);
      await sql`CREATE INDEX jobs_active ON jobs (lease_until) WHERE state = 'active'`.execute(db);
      // A key is held while its job is queued, retrying or running.
      await sql`CREATE UNIQUE INDEX jobs_live_key ON jobs (name, key) WHERE key IS NOT NULL AND state IN ('created', 'retry', 'active')`.execute(db);
      await sql`CREATE UNIQUE INDEX jobs_schedule_slot ON jobs (schedule_slot) WHERE schedule_slot IS NOT NULL`.execute(db);
      // Listing is newest first, ties in insertion order (each index ends with the rowid).
      await db.schema.createIndex('jobs_created').on('jobs').column('created_on').execute();
      await db.schema.createIndex('jobs_name_created').on('jobs').columns(['name', 'created_on']).execute();
      await db.schema.createIndex('jobs_state_created').on('jobs').columns(['state', 'created_on']).execute();
      await sql`CREATE INDEX jobs_completed ON jobs (completed_on) WHERE completed_on IS NOT NULL`.execute(db);
    },
  };
}
