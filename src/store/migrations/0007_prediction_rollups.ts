import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';
import { ROLLUP_COLUMNS } from '../rollup-types.js';

/**
 * Minute (and hourly) roll-ups of served traffic per deployment, model and version: what the stats API charts, read without
 * scanning the prediction log. Every replica adds its counts to the same row (`ON CONFLICT … SET c = c + excluded.c`),
 * so the columns are sums: requests, errors, a latency histogram (`lat_0`… over `ROLLUP_LATENCY_BOUNDS_MS`), tokens,
 * cost, feedback, and the confusion counts and error sums of labelled predictions.
 */
export function m0007PredictionRollups(adapter: DialectAdapter): Migration {
  const text = (type: `varchar(${number})`): RawBuilder<unknown> => (adapter.name === 'postgres' ? sql`${sql.raw(type)} COLLATE "C"` : sql.raw(type));
  return {
    async up(db: Kysely<unknown>) {
      // The same sums per minute and per hour: the hourly rows answer long windows (a week is 168 rows per version
      // instead of 10,080) with the same numbers.
      for (const table of ['prediction_rollups', 'prediction_rollups_hourly']) {
        let t = db.schema
          .createTable(table)
          .addColumn('deployment', text('varchar(128)'), (c) => c.notNull())
          .addColumn('model', text('varchar(255)'), (c) => c.notNull())
          .addColumn('version', text('varchar(32)'), (c) => c.notNull())
          // Epoch minutes (of the hour's first minute in the hourly table).
          .addColumn('minute', 'bigint', (c) => c.notNull());
        for (const col of ROLLUP_COLUMNS) t = t.addColumn(col, 'double precision', (c) => c.notNull().defaultTo(0));
        await t.addPrimaryKeyConstraint(`${table}_pk`, ['deployment', 'minute', 'model', 'version']).execute();
      }
    },
  };
}
