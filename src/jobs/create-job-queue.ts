import type { Kysely } from 'kysely';
import type { BaseJobQueue, JobQueueOptions } from './base-job-queue.js';
import { PgBossJobQueue } from './pg-boss-job-queue.js';
import { SqliteJobQueue } from './sqlite-job-queue.js';

/** What the queue needs of a store: its Kysely database and dialect (`SqlStore` has both). */
export interface JobStoreHandle {
  readonly db: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly dialect: 'sqlite' | 'postgres';
}

/**
 * The queue for a store: `sqlite:` stores get the embedded `SqliteJobQueue` in the same file; `postgres://` stores get
 * `PgBossJobQueue` on the same database and pool (pg-boss is imported when it starts). Not started.
 */
export function createJobQueue(store: JobStoreHandle, opts: JobQueueOptions = {}): BaseJobQueue {
  return store.dialect === 'postgres' ? new PgBossJobQueue(store.db, opts) : new SqliteJobQueue(store.db, opts);
}
