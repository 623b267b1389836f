import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Fresh PostgreSQL databases for tests, on the server named by `PITWALL_TEST_PG_URL` (default: the local server,
 * `postgres://postgres@127.0.0.1:5432/test`). Each one is created empty and dropped when the test is done.
 *
 * Tests never skip: when the server cannot be reached, creating a database throws and the test fails, saying so.
 */
export const ADMIN_URL = process.env.PITWALL_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: string;
  uri: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (e) {
    throw new Error(`PostgreSQL at ${ADMIN_URL} is not reachable (${(e as Error).message}). Start it, or point PITWALL_TEST_PG_URL at one.`, { cause: e });
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * `icuLocale` (e.g. `en-US`) creates the database with that ICU collation as its default, where `a` sorts before
 * `B`: the conformance suite runs on one to show that results do not depend on the database's collation.
 */
export async function createTestDatabase(prefix = 'pitwall_t', opts: { icuLocale?: string } = {}): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const locale = opts.icuLocale ? ` LOCALE_PROVIDER icu ICU_LOCALE '${opts.icuLocale.replace(/[^A-Za-z0-9_-]/g, '')}' LOCALE 'C.UTF-8'` : '';
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'${locale}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    uri: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Drops the databases a few at a time (each drop takes an admin connection; the server has ~100 slots). */
export async function dropAll(dbs: TestDatabase[]): Promise<void> {
  const queue = [...dbs];
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) await d.drop().catch((e: unknown) => errors.push(e));
    }),
  );
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} test database(s) could not be dropped`);
}
