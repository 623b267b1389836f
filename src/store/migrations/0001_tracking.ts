import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';

/** Experiments, runs, params, tags, metrics (+ latest values and curve buckets), datasets and inputs. */
export function m0001Tracking(adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const pk = adapter.autoIncrementPk();
      await db.schema
        .createTable('experiments')
        .addColumn('experiment_id', pk.type, (c) => pk.build(c.primaryKey()))
        .addColumn('name', 'varchar(500)', (c) => c.notNull().unique())
        .addColumn('artifact_location', 'text', (c) => c.notNull())
        .addColumn('lifecycle_stage', 'varchar(32)', (c) => c.notNull())
        .addColumn('creation_time', 'bigint', (c) => c.notNull())
        .addColumn('last_update_time', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('experiment_tags')
        .addColumn('experiment_id', 'integer', (c) => c.notNull().references('experiments.experiment_id'))
        .addColumn('key', 'varchar(250)', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
        .execute();
      await db.schema
        .createTable('runs')
        .addColumn('run_uuid', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(250)', (c) => c.notNull())
        .addColumn('experiment_id', 'integer', (c) => c.notNull().references('experiments.experiment_id'))
        .addColumn('user_id', 'varchar(256)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('start_time', 'bigint', (c) => c.notNull())
        .addColumn('end_time', 'bigint')
        .addColumn('deleted_time', 'bigint')
        .addColumn('lifecycle_stage', 'varchar(20)', (c) => c.notNull())
        .addColumn('artifact_uri', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('runs_experiment_start').on('runs').columns(['experiment_id', 'lifecycle_stage', 'start_time']).execute();
      for (const t of ['tags', 'params'] as const) {
        await db.schema
          .createTable(t)
          .addColumn('run_uuid', 'varchar(32)', (c) => c.notNull().references('runs.run_uuid'))
          .addColumn('key', 'varchar(250)', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${t}_pk`, ['run_uuid', 'key'])
          .execute();
      }
      await db.schema.createIndex('params_key_value').on('params').columns(['key', 'value']).execute();
      await db.schema.createIndex('tags_key_value').on('tags').columns(['key', 'value']).execute();
      await db.schema
        .createTable('metrics')
        .addColumn('run_uuid', 'varchar(32)', (c) => c.notNull())
        .addColumn('key', 'varchar(250)', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('step', 'bigint', (c) => c.notNull())
        .addColumn('is_nan', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('metrics_pk', ['run_uuid', 'key', 'step', 'timestamp', 'value', 'is_nan'])
        .execute();
      await db.schema
        .createTable('latest_metrics')
        .addColumn('run_uuid', 'varchar(32)', (c) => c.notNull())
        .addColumn('key', 'varchar(250)', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('step', 'bigint', (c) => c.notNull())
        .addColumn('is_nan', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('latest_metrics_pk', ['run_uuid', 'key'])
        .execute();
      await db.schema.createIndex('latest_metrics_key_value').on('latest_metrics').columns(['key', 'value']).execute();
      await db.schema
        .createTable('metric_buckets')
        .addColumn('run_uuid', 'varchar(32)', (c) => c.notNull())
        .addColumn('key', 'varchar(250)', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('bucket', 'bigint', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addColumn('min_value', 'double precision', (c) => c.notNull())
        .addColumn('min_step', 'bigint', (c) => c.notNull())
        .addColumn('min_ts', 'bigint', (c) => c.notNull())
        .addColumn('max_value', 'double precision', (c) => c.notNull())
        .addColumn('max_step', 'bigint', (c) => c.notNull())
        .addColumn('max_ts', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('metric_buckets_pk', ['run_uuid', 'key', 'level', 'bucket'])
        .execute();
      await db.schema
        .createTable('datasets')
        .addColumn('dataset_uuid', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('experiment_id', 'integer', (c) => c.notNull().references('experiments.experiment_id'))
        .addColumn('name', 'varchar(500)', (c) => c.notNull())
        .addColumn('digest', 'varchar(36)', (c) => c.notNull())
        .addColumn('source_type', 'varchar(36)', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('schema', 'text')
        .addColumn('profile', 'text')
        .addUniqueConstraint('datasets_exp_name_digest', ['experiment_id', 'name', 'digest'])
        .execute();
      await db.schema
        .createTable('inputs')
        .addColumn('input_uuid', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('source_type', 'varchar(36)', (c) => c.notNull())
        .addColumn('source_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('destination_type', 'varchar(36)', (c) => c.notNull())
        .addColumn('destination_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('step', 'bigint', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('inputs_edge', ['source_type', 'source_id', 'destination_type', 'destination_id'])
        .execute();
      await db.schema.createIndex('inputs_destination').on('inputs').columns(['destination_type', 'destination_id']).execute();
      await db.schema
        .createTable('input_tags')
        .addColumn('input_uuid', 'varchar(36)', (c) => c.notNull().references('inputs.input_uuid'))
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('value', 'varchar(500)', (c) => c.notNull())
        .addPrimaryKeyConstraint('input_tags_pk', ['input_uuid', 'name'])
        .execute();
      await sql`select 1`.execute(db);
    },
  };
}
