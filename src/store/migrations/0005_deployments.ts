import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';

/**
 * Deployments (`src/serving/`): one row per named serving endpoint. `targets` and `config` are JSON text (a
 * `DeploymentTarget[]` and a `DeploymentConfig`); `revision` starts at 1 and goes up by one on every update, so a
 * writer can refuse to overwrite a change it has not seen. On PostgreSQL the text columns are declared
 * `COLLATE "C"` (byte order, as SQLite compares), as migration 0004 requires of every table added after it.
 */
export function m0005Deployments(adapter: DialectAdapter): Migration {
  const text = (type: 'text' | `varchar(${number})`): RawBuilder<unknown> =>
    adapter.name === 'postgres' ? sql`${sql.raw(type)} COLLATE "C"` : sql.raw(type);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('deployments')
        .addColumn('name', text('varchar(255)'), (c) => c.primaryKey())
        .addColumn('description', text('text'), (c) => c.notNull())
        .addColumn('targets', text('text'), (c) => c.notNull())
        .addColumn('config', text('text'), (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}
