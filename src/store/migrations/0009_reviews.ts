import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';

/** Quality reviews of logged LLM outputs: an LLM judge's grades and the human review queue (`Review`). */
export function m0009Reviews(adapter: DialectAdapter): Migration {
  const text = (type: 'text' | `varchar(${number})`): RawBuilder<unknown> => (adapter.name === 'postgres' ? sql`${sql.raw(type)} COLLATE "C"` : sql.raw(type));
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reviews')
        .addColumn('id', text('varchar(36)'), (c) => c.primaryKey())
        .addColumn('prediction_id', text('varchar(36)'), (c) => c.notNull())
        .addColumn('deployment', text('varchar(255)'), (c) => c.notNull())
        .addColumn('monitor', text('varchar(255)'), (c) => c.notNull())
        .addColumn('source', text('varchar(8)'), (c) => c.notNull())
        .addColumn('state', text('varchar(8)'), (c) => c.notNull())
        .addColumn('score', 'double precision')
        .addColumn('comment', text('text'))
        .addColumn('reviewer', text('varchar(255)'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('graded_at', 'bigint')
        .execute();
      await db.schema.createIndex('reviews_queue').on('reviews').columns(['deployment', 'source', 'state', 'created_at']).execute();
      await db.schema.createIndex('reviews_prediction').on('reviews').columns(['prediction_id', 'source']).unique().execute();
    },
  };
}
