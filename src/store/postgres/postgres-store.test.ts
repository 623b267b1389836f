import { after } from 'node:test';
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

storeConformance('postgres', async () => {
  const db = await createTestDatabase();
  leftovers.add(db);
  const store = await SqlStore.open(await PostgresAdapter.load({ uri: db.uri, poolSize: 4 }), { defaultArtifactRoot: 'mlflow-artifacts:/' });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    leftovers.delete(db);
    dropping.push(db.drop());
  };
  return store;
});
