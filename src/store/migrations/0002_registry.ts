import type { Kysely, Migration } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';

/** Model registry (models, versions, tags, aliases, approvals, lineage) and MLflow 3 logged models. */
export function m0002Registry(_adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('registered_models')
        .addColumn('name', 'varchar(256)', (c) => c.primaryKey())
        .addColumn('creation_time', 'bigint', (c) => c.notNull())
        .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        // The last version number handed out; versions are never renumbered or reused after a delete.
        .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(0))
        // JSON array of aliases that may only point at an approved version.
        .addColumn('protected_aliases', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .createTable('registered_model_tags')
        .addColumn('name', 'varchar(256)', (c) => c.notNull())
        .addColumn('key', 'varchar(250)', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('registered_model_tags_pk', ['name', 'key'])
        .execute();
      await db.schema
        .createTable('model_versions')
        .addColumn('name', 'varchar(256)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('creation_time', 'bigint', (c) => c.notNull())
        .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('user_id', 'varchar(256)', (c) => c.notNull())
        .addColumn('current_stage', 'varchar(20)', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('run_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('run_link', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(32)', (c) => c.notNull())
        .addColumn('status_message', 'text', (c) => c.notNull())
        .addColumn('storage_location', 'text', (c) => c.notNull())
        .addColumn('model_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('manifest', 'text')
        .addColumn('card', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version'])
        .execute();
      await db.schema.createIndex('model_versions_run').on('model_versions').column('run_id').execute();
      await db.schema.createIndex('model_versions_updated').on('model_versions').columns(['last_updated_time', 'name', 'version']).execute();
      await db.schema
        .createTable('model_version_tags')
        .addColumn('name', 'varchar(256)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('key', 'varchar(250)', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_version_tags_pk', ['name', 'version', 'key'])
        .execute();
      await db.schema
        .createTable('registered_model_aliases')
        .addColumn('name', 'varchar(256)', (c) => c.notNull())
        .addColumn('alias', 'varchar(256)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('registered_model_aliases_pk', ['name', 'alias'])
        .execute();
      await db.schema
        .createTable('model_approvals')
        .addColumn('approval_id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(256)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('approver', 'varchar(256)', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('decision', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('model_approvals_version').on('model_approvals').columns(['name', 'version', 'created_at']).execute();
      await db.schema
        .createTable('lineage_edges')
        .addColumn('from_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('from_id', 'varchar(600)', (c) => c.notNull())
        .addColumn('to_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('to_id', 'varchar(600)', (c) => c.notNull())
        .addColumn('relation', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('lineage_edges_pk', ['from_type', 'from_id', 'to_type', 'to_id', 'relation'])
        .execute();
      await db.schema.createIndex('lineage_edges_to').on('lineage_edges').columns(['to_type', 'to_id']).execute();
      await db.schema
        .createTable('logged_models')
        .addColumn('model_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('experiment_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'varchar(500)', (c) => c.notNull())
        .addColumn('artifact_location', 'text', (c) => c.notNull())
        .addColumn('creation_timestamp', 'bigint', (c) => c.notNull())
        .addColumn('last_updated_timestamp', 'bigint', (c) => c.notNull())
        .addColumn('status', 'varchar(40)', (c) => c.notNull())
        .addColumn('status_message', 'text', (c) => c.notNull())
        .addColumn('lifecycle_stage', 'varchar(20)', (c) => c.notNull())
        .addColumn('model_type', 'varchar(500)', (c) => c.notNull())
        .addColumn('source_run_id', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('logged_models_experiment').on('logged_models').columns(['experiment_id', 'creation_timestamp']).execute();
      await db.schema.createIndex('logged_models_run').on('logged_models').column('source_run_id').execute();
      for (const t of ['logged_model_tags', 'logged_model_params'] as const) {
        await db.schema
          .createTable(t)
          .addColumn('model_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('key', 'varchar(250)', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${t}_pk`, ['model_id', 'key'])
          .execute();
      }
      await db.schema
        .createTable('logged_model_metrics')
        .addColumn('model_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('key', 'varchar(250)', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('is_nan', 'integer', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('step', 'bigint', (c) => c.notNull())
        .addColumn('run_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('dataset_name', 'varchar(500)', (c) => c.notNull())
        .addColumn('dataset_digest', 'varchar(36)', (c) => c.notNull())
        .addPrimaryKeyConstraint('logged_model_metrics_pk', ['model_id', 'key', 'step', 'timestamp', 'run_id', 'dataset_name', 'dataset_digest'])
        .execute();
    },
  };
}
