import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { storeConformance } from '../conformance/index.js';
import { SqlStore } from '../sql/sql-store.js';
import { PostgresAdapter } from './postgres-adapter.js';
import { createTestDatabase, dropAll, type TestDatabase } from './testing/pg-test-db.js';

/** Databases of cases whose store was never closed (a failed case); the others are dropped as each case closes. */
const leftovers = new Set<TestDatabase>();
/** Drops run behind the next case instead of delaying it; the suite waits for them at the end. */
const dropping: Promise<void>[] = [];
after(async () => {
  await Promise.all(dropping);
  await dropAll([...leftovers]);
});

async function openFresh(): Promise<SqlStore> {
  // ICU en-US sorts `a` before `B`; the store must still compare text byte by byte, as SQLite does.
  const db = await createTestDatabase('pitwall_t', { icuLocale: 'en-US' });
  leftovers.add(db);
  const store = await SqlStore.open(await PostgresAdapter.load({ uri: db.uri, poolSize: 4 }), { defaultArtifactRoot: 'mlflow-artifacts:/' });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    leftovers.delete(db);
    dropping.push(db.drop());
  };
  return store;
}

storeConformance('postgres (database collation ICU en-US)', openFresh);

describe('postgres store: byte-order text', () => {
  it('declares every text column of its tables COLLATE "C", so a later migration cannot forget one', async () => {
    const store = await openFresh();
    try {
      const { rows } = await sql<{ col: string }>`SELECT table_name || '.' || column_name AS col FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')
          AND table_name NOT LIKE 'kysely_migration%' AND collation_name IS DISTINCT FROM 'C'`.execute(store.db);
      assert.deepEqual(rows.map((r) => r.col), []);
      await store.experiments.create({ name: 'a' });
      await store.experiments.create({ name: 'B' });
      const page = await store.experiments.search({ filter: [], orderBy: [{ type: 'attribute', key: 'name', ascending: true }], viewType: 'ALL', maxResults: 10, offset: 0 });
      assert.deepEqual(page.items.map((e) => e.name), ['B', 'Default', 'a'], 'byte order: upper case before lower case');
    } finally {
      await store.close();
    }
  });
});
