import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';

/**
 * Drift monitors and their checks. `spec` is the monitor's JSON (`MonitorSpec` less its name); `state` the alert
 * state (`unknown`, `ok`, `drifted`) that de-duplicates alerts. A check's `report` is the drift report's JSON text.
 */
export function m0008Monitors(adapter: DialectAdapter): Migration {
  const text = (type: 'text' | `varchar(${number})`): RawBuilder<unknown> => (adapter.name === 'postgres' ? sql`${sql.raw(type)} COLLATE "C"` : sql.raw(type));
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('monitors')
        .addColumn('name', text('varchar(255)'), (c) => c.primaryKey())
        .addColumn('deployment', text('varchar(255)'), (c) => c.notNull())
        .addColumn('spec', text('text'), (c) => c.notNull())
        .addColumn('state', text('varchar(16)'), (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('monitor_runs')
        .addColumn('id', text('varchar(36)'), (c) => c.primaryKey())
        .addColumn('monitor', text('varchar(255)'), (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('window_from', 'bigint', (c) => c.notNull())
        .addColumn('window_to', 'bigint', (c) => c.notNull())
        .addColumn('status', text('varchar(32)'), (c) => c.notNull())
        .addColumn('reference_rows', 'bigint', (c) => c.notNull())
        .addColumn('current_rows', 'bigint', (c) => c.notNull())
        .addColumn('tested', 'integer', (c) => c.notNull())
        .addColumn('drifted', 'integer', (c) => c.notNull())
        .addColumn('share', 'double precision')
        .addColumn('report', text('text'))
        .addColumn('error', text('text'))
        .addColumn('alert', text('varchar(16)'))
        .addColumn('alert_error', text('text'))
        .execute();
      await db.schema.createIndex('monitor_runs_monitor_time').on('monitor_runs').columns(['monitor', 'time']).execute();
    },
  };
}
