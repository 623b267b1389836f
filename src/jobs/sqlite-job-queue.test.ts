import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SqlStore } from '../store/sql/sql-store.js';
import { SqliteAdapter } from '../store/sqlite/sqlite-adapter.js';
import type { BaseJobQueue, JobQueueOptions } from './base-job-queue.js';
import { SqliteJobQueue } from './sqlite-job-queue.js';
import { jobQueueConformance } from './testing/job-queue-conformance.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-jobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const openStore = (file: string) => SqlStore.open(new SqliteAdapter({ file, synchronous: 'NORMAL' }), { defaultArtifactRoot: 'mlflow-artifacts:/' });

/** Each queue gets its own connection to the file, as separate processes would. */
jobQueueConformance('sqlite', async () => {
  const file = path.join(dir, `jobs-${n++}.db`);
  const stores: SqlStore[] = [];
  const queues: BaseJobQueue[] = [];
  return {
    async open(opts: JobQueueOptions = {}) {
      const store = await openStore(file);
      stores.push(store);
      const q = new SqliteJobQueue(store.db, opts);
      queues.push(q);
      return q;
    },
    async close() {
      await Promise.all(queues.map((q) => q.stop({ graceful: false })));
      await Promise.all(stores.map((s) => s.close()));
    },
  };
});

describe('sqlite job queue', () => {
  it('keeps jobs and schedules in the store file across a restart; a slot that already ran does not run again', async () => {
    const file = path.join(dir, `restart-${n++}.db`);
    let store = await openStore(file);
    let q = new SqliteJobQueue(store.db, { cronIntervalMs: 100 });
    await q.start();
    const id = await q.enqueue('t.kept', { a: 1 }, { startAfter: 3600 });
    await q.schedule('t.cron', '0 0 1 1 *', { yearly: true });
    await q.schedule('t.cron', '* * * * *', {}, { key: 'minutely' });
    await new Promise((r) => setTimeout(r, 400));
    const fired = (await q.list({ name: 't.cron' })).length;
    assert.equal(fired, 1, 'the current minute’s slot ran once; the yearly one is not due');
    await q.stop();
    await store.close();

    store = await openStore(file);
    q = new SqliteJobQueue(store.db, { cronIntervalMs: 100 });
    await q.start();
    try {
      assert.equal((await q.get(id)).state, 'created');
      assert.deepEqual((await q.listSchedules()).map((s) => s.key), ['', 'minutely']);
      await new Promise((r) => setTimeout(r, 400));
      const after = await q.list({ name: 't.cron' });
      // The minute may have turned meanwhile, which is a new slot; the same slot never runs twice.
      assert.equal(new Set(after.map((j) => j.startAfter)).size, after.length);
      assert.ok(after.length <= 2);
    } finally {
      await q.stop();
      await store.close();
    }
  });

  it('refuses to start on a database without the jobs table', async () => {
    const store = await openStore(path.join(dir, `bare-${n++}.db`));
    try {
      await store.db.schema.dropTable('jobs').execute();
      const q = new SqliteJobQueue(store.db);
      await assert.rejects(q.start(), /no 'jobs' table/);
      const h = await q.health();
      assert.equal(h.ok, false);
      assert.match(h.message, /migration 0003_jobs/);
    } finally {
      await store.close();
    }
  });
});
