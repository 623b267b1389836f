import { sql } from 'kysely';
import { migrationProvider } from '../migrations/index.js';
import type { DialectAdapter } from './dialect-adapter.js';

export interface StoreStatus {
  /** e.g. `PostgreSQL 15.20` or `SQLite 3.50.2`. */
  server: string;
  applied: string[];
  /** Known to this build, not yet applied: `pitwall migrate` (or the next start) applies them. */
  pending: string[];
  /** Applied by a newer Pitwall: this build refuses to open the database. */
  unknown: string[];
}

/** Reads a database's state without changing it (no migration runs, no table is created). */
export async function inspectStore(adapter: DialectAdapter): Promise<StoreStatus> {
  const db = adapter.open();
  try {
    const versionSql = adapter.name === 'postgres' ? sql<{ v: string }>`select version() as v` : sql<{ v: string }>`select 'SQLite ' || sqlite_version() as v`;
    const v = (await versionSql.execute(db)).rows[0]?.v ?? '';
    const server = adapter.name === 'postgres' ? (/PostgreSQL [\d.]+/.exec(v)?.[0] ?? v) : v;
    const exists =
      adapter.name === 'postgres'
        ? (await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db)).rows[0]?.t
        : (await sql<{ t: string }>`select name as t from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db)).rows[0]?.t;
    const applied = exists ? (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name) : [];
    const known = Object.keys(await migrationProvider(adapter).getMigrations());
    return {
      server,
      applied,
      pending: known.filter((k) => !applied.includes(k)),
      unknown: applied.filter((a) => !known.includes(a)),
    };
  } finally {
    await db.destroy();
  }
}
