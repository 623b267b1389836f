import { after } from 'node:test';
import { storeConformance } from '../conformance/index.js';
import { SqlStore } from '../sql/sql-store.js';
import { PostgresAdapter } from './postgres-adapter.js';
import { createTestDatabase, type TestDatabase } from './testing/pg-test-db.js';

const dbs: TestDatabase[] = [];
after(() => Promise.all(dbs.map((d) => d.drop())));

storeConformance('postgres', async () => {
  const db = await createTestDatabase();
  dbs.push(db);
  return SqlStore.open(await PostgresAdapter.load({ uri: db.uri, poolSize: 4 }), { defaultArtifactRoot: 'mlflow-artifacts:/' });
});
