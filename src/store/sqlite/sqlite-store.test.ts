import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { storeConformance } from '../conformance/index.js';
import { SqlStore } from '../sql/sql-store.js';
import { SqliteAdapter } from './sqlite-adapter.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-sqlite-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const freshFile = () => path.join(dir, `store-${process.pid}-${n++}.db`);
const openFile = (file: string) => SqlStore.open(new SqliteAdapter({ file, synchronous: 'NORMAL' }), { defaultArtifactRoot: 'mlflow-artifacts:/' });

storeConformance('sqlite', () => openFile(freshFile()));

describe('sqlite store: migrations', () => {
  it('records applied migrations and does not run them again when an existing database is reopened', async () => {
    const file = freshFile();
    const first = await openFile(file);
    const id = await first.experiments.create({ name: 'survives' });
    assert.deepEqual(await first.migrate(), [], 'nothing pending right after open');
    await first.close();

    const raw = new BetterSqlite3(file, { readonly: true });
    const recorded = raw.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[];
    raw.close();
    assert.deepEqual(recorded.map((r) => r.name), ['0001_tracking', '0002_registry', '0003_jobs', '0004_byte_order_text', '0005_deployments', '0006_predictions', '0007_prediction_rollups', '0008_monitors', '0009_reviews']);

    const second = await openFile(file);
    try {
      assert.deepEqual(await second.migrate(), []);
      assert.equal((await second.experiments.get(id)).name, 'survives', 'data written before reopening is still there');
      assert.equal((await second.experiments.get('0')).name, 'Default');
      const all = await second.experiments.search({ filter: [], orderBy: [], viewType: 'ALL', maxResults: 10, offset: 0 });
      assert.equal(all.items.length, 2, 'experiment 0 is not created twice');
    } finally {
      await second.close();
    }
  });

  it('refuses a database that holds a migration this build does not know', async () => {
    const file = freshFile();
    await (await openFile(file)).close();
    const raw = new BetterSqlite3(file);
    raw.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')").run();
    raw.close();
    await assert.rejects(openFile(file), /9999_from_the_future/);
  });

  it('opens a database file in a directory that does not exist yet', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'p.db');
    const store = await openFile(file);
    try {
      assert.equal((await store.experiments.get('0')).name, 'Default');
    } finally {
      await store.close();
    }
  });
});
