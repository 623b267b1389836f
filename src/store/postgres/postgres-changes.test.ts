import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { ChangeEvent } from '../changes/index.js';
import { SqlStore } from '../sql/sql-store.js';
import { PostgresAdapter } from './postgres-adapter.js';
import { ADMIN_URL, createTestDatabase, dropAll, type TestDatabase } from './testing/pg-test-db.js';

const dbs: TestDatabase[] = [];
after(() => dropAll(dbs));

const openStore = async (uri: string) => SqlStore.open(await PostgresAdapter.load({ uri, poolSize: 2 }), { defaultArtifactRoot: 'mlflow-artifacts:/' });

async function until(cond: () => boolean, ms: number, what: string): Promise<number> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - t0;
}

/** Two stores on one fresh database, as two replicas would be; B's subscriber is listening when `fn` runs. */
async function withReplicas(fn: (a: SqlStore, b: SqlStore, heard: ChangeEvent[], dbName: string) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  dbs.push(db);
  const a = await openStore(db.uri);
  const b = await openStore(db.uri);
  try {
    const heard: ChangeEvent[] = [];
    b.changes.subscribe((e) => heard.push(e));
    await b.changes.ready();
    await fn(a, b, heard, db.name);
  } finally {
    await a.close();
    await b.close();
  }
}

describe('postgres change feed (LISTEN/NOTIFY)', () => {
  it('tells a second store on the same database about an alias move within a second, with the origin', () =>
    withReplicas(async (a, b, heard) => {
      await a.registry.createModel({ name: 'm' });
      await a.registry.createVersion({ name: 'm', source: 's', storageLocation: 's' });
      const t0 = Date.now();
      await a.registry.setAlias('m', 'champion', '1');
      const ms = await until(() => heard.some((e) => e.entity === 'alias'), 1000, 'replica B hearing the alias move');
      const ev = heard.find((e) => e.entity === 'alias')!;
      assert.deepEqual({ entity: ev.entity, action: ev.action, name: (ev as { name: string }).name, alias: (ev as { alias: string }).alias, version: (ev as { version: string }).version }, { entity: 'alias', action: 'set', name: 'm', alias: 'champion', version: '1' });
      assert.ok(ev.at >= t0 - 5 && ms < 1000);
      // B reads the new state from the store when told.
      assert.equal((await b.registry.getVersionByAlias('m', 'champion')).version, '1');
    }));

  it('reconnects a listener whose connection was killed, announces resync, and hears later changes', () =>
    withReplicas(async (a, _b, heard, dbName) => {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      try {
        const r = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'pitwall-listen'", [dbName]);
        assert.ok(r.rowCount! >= 1, 'a listening connection existed');
      } finally {
        await admin.end();
      }
      await until(() => heard.some((e) => e.entity === 'resync'), 5000, 'resync after reconnect');
      await a.registry.createModel({ name: 'after-reconnect' });
      await until(() => heard.some((e) => e.entity === 'registered_model'), 1000, 'hearing a change after reconnect');
    }));
});
