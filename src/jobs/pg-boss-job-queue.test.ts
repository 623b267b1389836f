import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresAdapter } from '../store/postgres/postgres-adapter.js';
import { createTestDatabase, dropAll, type TestDatabase } from '../store/postgres/testing/pg-test-db.js';
import { SqlStore } from '../store/sql/sql-store.js';
import type { BaseJobQueue, JobQueueOptions } from './base-job-queue.js';
import { PgBossJobQueue } from './pg-boss-job-queue.js';
import { jobQueueConformance } from './testing/job-queue-conformance.js';

// A fresh database per case on the real PostgreSQL server; unreachable fails the tests (never a skip).
const openStore = async (uri: string) => SqlStore.open(await PostgresAdapter.load({ uri, poolSize: 5 }), { defaultArtifactRoot: 'mlflow-artifacts:/' });

const dbs: TestDatabase[] = [];
after(() => dropAll(dbs));

// Queues of one case share a store (a pool): each is still its own pg-boss instance and worker, as in another process.
jobQueueConformance('pg-boss', async () => {
  const db = await createTestDatabase('pitwall_jobs');
  dbs.push(db);
  const store = await openStore(db.uri);
  const queues: BaseJobQueue[] = [];
  return {
    async open(opts: JobQueueOptions = {}) {
      const q = new PgBossJobQueue(store.db, opts);
      queues.push(q);
      return q;
    },
    async close() {
      await Promise.all(queues.map((q) => q.stop({ graceful: false })));
      await store.close();
    },
  };
});

describe('pg-boss job queue', () => {
  it('says in plain words when pg-boss’s schema is missing, and creates it on start', async () => {
    const db = await createTestDatabase('pitwall_jobs');
    const store = await openStore(db.uri);
    try {
      const q = new PgBossJobQueue(store.db);
      const before = await q.health();
      assert.equal(before.ok, false);
      assert.match(before.message, /schema 'pgboss' is not installed/);
      await q.start();
      const h = await q.health();
      assert.equal(h.ok, true, h.message);
      assert.match(h.message, /pg-boss schema 'pgboss' v\d+/);
      await q.stop();
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
