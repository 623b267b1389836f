import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';

/**
 * The prediction log (`src/monitoring/`): one row per logged inference request, with user feedback and ground-truth
 * labels attached by prediction id. Inputs and outputs are JSON text, cut at the configured limit (`truncated` = 1).
 * Text columns are `COLLATE "C"` on PostgreSQL, as migration 0004 requires.
 */
export function m0006Predictions(adapter: DialectAdapter): Migration {
  const text = (type: 'text' | `varchar(${number})`): RawBuilder<unknown> =>
    adapter.name === 'postgres' ? sql`${sql.raw(type)} COLLATE "C"` : sql.raw(type);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('predictions')
        .addColumn('id', text('varchar(36)'), (c) => c.primaryKey())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('deployment', text('varchar(128)'), (c) => c.notNull())
        .addColumn('model', text('varchar(255)'), (c) => c.notNull())
        .addColumn('version', text('varchar(32)'), (c) => c.notNull())
        .addColumn('endpoint', text('varchar(128)'), (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('prompt_tokens', 'integer', (c) => c.notNull())
        .addColumn('completion_tokens', 'integer', (c) => c.notNull())
        .addColumn('cost_usd', 'double precision', (c) => c.notNull())
        .addColumn('entity_key', text('varchar(256)'))
        .addColumn('inputs', text('text'))
        .addColumn('outputs', text('text'))
        .addColumn('truncated', 'integer', (c) => c.notNull())
        .execute();
      // Queries are by deployment over a time range, newest first; retention deletes by time; labels join by entity.
      await db.schema.createIndex('predictions_deployment_time').on('predictions').columns(['deployment', 'time', 'id']).execute();
      await db.schema.createIndex('predictions_time').on('predictions').columns(['time', 'id']).execute();
      await db.schema.createIndex('predictions_entity').on('predictions').columns(['entity_key', 'time']).execute();
      await db.schema
        .createTable('prediction_feedback')
        .addColumn('id', text('varchar(36)'), (c) => c.primaryKey())
        .addColumn('prediction_id', text('varchar(36)'), (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        // 1 thumbs up, -1 thumbs down, null: none given.
        .addColumn('thumbs', 'integer')
        .addColumn('score', 'double precision')
        .addColumn('comment', text('text'))
        .execute();
      await db.schema.createIndex('prediction_feedback_prediction').on('prediction_feedback').columns(['prediction_id', 'time']).execute();
      await db.schema
        .createTable('prediction_labels')
        .addColumn('prediction_id', text('varchar(36)'), (c) => c.primaryKey())
        // The ground truth as JSON (a class, a number, a string).
        .addColumn('label', text('text'), (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
