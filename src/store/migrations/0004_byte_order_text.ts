import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';

/**
 * PostgreSQL only: every text column of Pitwall's tables compares in byte order (`COLLATE "C"`), as SQLite does,
 * whatever collation the database was created with. Without it, on an `en_US` or ICU database `ORDER BY name` puts
 * `a` before `B` and a filter such as `name > 'a'` selects other rows than on SQLite. Indexes on those columns are
 * rebuilt by the ALTER. Tables added by later migrations must declare their text columns `COLLATE "C"` themselves
 * (`postgres-store.test.ts` checks that none is left out). SQLite: nothing to do.
 */
export function m0004ByteOrderText(adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (adapter.name !== 'postgres') return;
      const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; len: number | null }>`
        SELECT table_name, column_name, data_type, character_maximum_length AS len
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')
          AND table_name NOT LIKE 'kysely_migration%' AND collation_name IS DISTINCT FROM 'C'
        ORDER BY table_name, ordinal_position`.execute(db);
      for (const c of rows) {
        const type = c.data_type === 'text' ? 'text' : `varchar(${c.len})`;
        await sql`ALTER TABLE ${sql.id(c.table_name)} ALTER COLUMN ${sql.id(c.column_name)} TYPE ${sql.raw(type)} COLLATE "C"`.execute(db);
      }
    },
  };
}
