import { randomBytes } from 'node:crypto';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { invalidParam, notFound } from '../../core/errors/index.js';
import type { Clock } from '../../core/clock.js';
import type { LoggedModel, LoggedModelMetric, LoggedModelStatus } from '../registry-types.js';
import type { LoggedModelStore, SearchPage } from '../store.js';
import type { Page, Param, Tag } from '../types.js';
import { tagNotFound } from '../errors.js';
import { compare } from './comparator.js';
import type { SqlExperimentStore } from './experiments-sql.js';
import { joinArtifactUri } from './experiments-sql.js';
import { chunked, metricValueToRow } from './rows.js';
import type { Database, LoggedModelsTable } from './schema.js';

export const loggedModelNotFound = (id: string) => notFound(`Logged model with ID '${id}' not found.`, 'model_id');

const COLUMNS: Record<string, keyof LoggedModelsTable> = {
  model_id: 'model_id',
  name: 'name',
  model_type: 'model_type',
  status: 'status',
  source_run_id: 'source_run_id',
  creation_timestamp: 'creation_timestamp',
  creation_time: 'creation_timestamp',
  last_updated_timestamp: 'last_updated_timestamp',
  last_updated_time: 'last_updated_timestamp',
};

/** MLflow 3 logged models: `m-<32 hex>` ids, artifacts under `<experiment location>/models/<id>/artifacts`. */
export class SqlLoggedModelStore implements LoggedModelStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly experiments: SqlExperimentStore,
  ) {}

  async create(input: { experimentId: string; name: string; modelType?: string; sourceRunId?: string; tags?: Tag[]; params?: Param[] }): Promise<LoggedModel> {
    const exp = await this.experiments.get(input.experimentId);
    if (exp.lifecycleStage !== 'active') throw invalidParam(`The experiment ${input.experimentId} must be in the 'active' state. Current state is deleted.`, 'experiment_id');
    const modelId = `m-${randomBytes(16).toString('hex')}`;
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('logged_models')
        .values({
          model_id: modelId,
          experiment_id: Number(input.experimentId),
          name: input.name,
          artifact_location: joinArtifactUri(exp.artifactLocation, 'models', modelId, 'artifacts'),
          creation_timestamp: now,
          last_updated_timestamp: now,
          status: 'LOGGED_MODEL_PENDING',
          status_message: '',
          lifecycle_stage: 'active',
          model_type: input.modelType ?? '',
          source_run_id: input.sourceRunId ?? '',
        })
        .execute();
      for (const [table, kv] of [['logged_model_tags', input.tags ?? []], ['logged_model_params', input.params ?? []]] as const) {
        const uniq = new Map(kv.map((t) => [t.key, t.value]));
        for (const part of chunked([...uniq])) await trx.insertInto(table).values(part.map(([key, value]) => ({ model_id: modelId, key, value }))).execute();
      }
    });
    return this.get(modelId);
  }

  private async row(modelId: string, includeDeleted = false): Promise<LoggedModelsTable> {
    let q = this.db.selectFrom('logged_models').selectAll().where('model_id', '=', modelId);
    if (!includeDeleted) q = q.where('lifecycle_stage', '=', 'active');
    const row = await q.executeTakeFirst();
    if (!row) throw loggedModelNotFound(modelId);
    return row;
  }

  async get(modelId: string, opts: { allowDeleted?: boolean } = {}): Promise<LoggedModel> {
    return (await this.build([await this.row(modelId, opts.allowDeleted === true)]))[0]!;
  }

  async finalize(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    await this.row(modelId);
    await this.db.updateTable('logged_models').set({ status, last_updated_timestamp: this.clock.nowMs() }).where('model_id', '=', modelId).execute();
    return this.get(modelId);
  }

  async delete(modelId: string): Promise<void> {
    await this.row(modelId);
    await this.db.updateTable('logged_models').set({ lifecycle_stage: 'deleted', last_updated_timestamp: this.clock.nowMs() }).where('model_id', '=', modelId).execute();
  }

  async search(q: SearchPage & { experimentIds: string[]; datasets?: { name: string; digest?: string }[] }): Promise<Page<LoggedModel>> {
    const datasets = q.datasets ?? [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const onDatasets = (eb: ExpressionBuilder<any, any>) =>
      eb.or(datasets.map((d) => eb.and([eb('x.dataset_name', '=', d.name), ...(d.digest ? [eb('x.dataset_digest', '=', d.digest)] : [])])));
    const ids = q.experimentIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
    if (ids.length === 0) return { items: [] };
    let query = this.db.selectFrom('logged_models as m').selectAll('m').where('m.lifecycle_stage', '=', 'active').where('m.experiment_id', 'in', ids);
    for (const c of q.filter) {
      if (c.type === 'attribute') {
        const col = COLUMNS[c.key];
        if (!col) throw invalidParam(`Invalid attribute key '${c.key}' for logged model search`, 'filter');
        query = query.where((eb) => compare(eb, eb.ref(`m.${col}`), c.comparator, c.value));
        continue;
      }
      const table = c.type === 'metric' ? 'logged_model_metrics' : c.type === 'param' ? 'logged_model_params' : 'logged_model_tags';
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom(`${table} as x` as 'logged_model_tags as x')
            .select(sql`1`.as('one'))
            .whereRef('x.model_id', '=', 'm.model_id')
            .where('x.key', '=', c.key)
            .where((eb2) => compare(eb2, eb2.ref('x.value'), c.comparator, c.value))
            .$if(c.type === 'metric' && datasets.length > 0, (sq) => sq.where(onDatasets)),
        ),
      );
    }
    if (datasets.length > 0 && !q.filter.some((c) => c.type === 'metric')) {
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('logged_model_metrics as x').select(sql`1`.as('one')).whereRef('x.model_id', '=', 'm.model_id').where(onDatasets)),
      );
    }
    for (const o of q.orderBy) {
      if (o.type === 'metric') {
        const onSets = datasets.length
          ? sql` and (${sql.join(datasets.map((d) => (d.digest ? sql`(x.dataset_name = ${d.name} and x.dataset_digest = ${d.digest})` : sql`x.dataset_name = ${d.name}`)), sql` or `)})`
          : sql``;
        const latest = sql`(select x.value from logged_model_metrics x where x.model_id = m.model_id and x.key = ${o.key}${onSets} order by x.timestamp desc, x.step desc limit 1)`;
        // Models without the metric sort last either way.
        query = query.orderBy(sql`${latest} is null`).orderBy(latest, o.ascending ? 'asc' : 'desc');
        continue;
      }
      const col = COLUMNS[o.key];
      if (o.type !== 'attribute' || !col) throw invalidParam(`Invalid order_by field '${o.key}' for logged models`, 'order_by');
      query = query.orderBy(`m.${col}`, o.ascending ? 'asc' : 'desc');
    }
    if (q.orderBy.length === 0) query = query.orderBy('m.creation_timestamp', 'desc');
    query = query.orderBy('m.model_id', 'asc');
    const rows = await query.limit(q.maxResults + 1).offset(q.offset).execute();
    const items = await this.build(rows.slice(0, q.maxResults));
    return rows.length > q.maxResults ? { items, nextOffset: q.offset + q.maxResults } : { items };
  }

  async setTags(modelId: string, tags: Tag[]): Promise<void> {
    await this.row(modelId);
    await this.upsert('logged_model_tags', modelId, tags);
  }

  async deleteTag(modelId: string, key: string): Promise<void> {
    await this.row(modelId);
    const res = await this.db.deleteFrom('logged_model_tags').where('model_id', '=', modelId).where('key', '=', key).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw tagNotFound(key, `logged model ${modelId}`);
  }

  async logParams(modelId: string, params: Param[]): Promise<void> {
    await this.row(modelId);
    await this.upsert('logged_model_params', modelId, params);
  }

  async logMetrics(metrics: LoggedModelMetric[]): Promise<void> {
    for (const id of new Set(metrics.map((m) => m.modelId))) await this.row(id);
    for (const part of chunked(metrics)) {
      await this.db
        .insertInto('logged_model_metrics')
        .values(
          part.map((m) => ({
            model_id: m.modelId,
            key: m.key,
            ...metricValueToRow(m.value),
            timestamp: m.timestamp,
            step: m.step,
            run_id: m.runId ?? '',
            dataset_name: m.datasetName ?? '',
            dataset_digest: m.datasetDigest ?? '',
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  private async upsert(table: 'logged_model_tags' | 'logged_model_params', modelId: string, kv: { key: string; value: string }[]): Promise<void> {
    const uniq = new Map(kv.map((t) => [t.key, t.value]));
    await this.db.transaction().execute(async (trx) => {
      for (const [key, value] of uniq) {
        await trx
          .insertInto(table)
          .values({ model_id: modelId, key, value })
          .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet({ value }))
          .execute();
      }
      await trx.updateTable('logged_models').set({ last_updated_timestamp: this.clock.nowMs() }).where('model_id', '=', modelId).execute();
    });
  }

  private async build(rows: LoggedModelsTable[]): Promise<LoggedModel[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.model_id);
    const tags = new Map<string, Tag[]>();
    const params = new Map<string, Param[]>();
    const metrics = new Map<string, LoggedModelMetric[]>();
    for (const part of chunked(ids)) {
      for (const t of await this.db.selectFrom('logged_model_tags').selectAll().where('model_id', 'in', part).orderBy('key').execute()) {
        tags.set(t.model_id, [...(tags.get(t.model_id) ?? []), { key: t.key, value: t.value }]);
      }
      for (const p of await this.db.selectFrom('logged_model_params').selectAll().where('model_id', 'in', part).orderBy('key').execute()) {
        params.set(p.model_id, [...(params.get(p.model_id) ?? []), { key: p.key, value: p.value }]);
      }
      const metricRows = await this.db.selectFrom('logged_model_metrics').selectAll().where('model_id', 'in', part).orderBy('key').orderBy('step').orderBy('timestamp').execute();
      for (const m of metricRows) {
        const metric: LoggedModelMetric = { modelId: m.model_id, key: m.key, value: m.is_nan ? Number.NaN : Number(m.value), timestamp: Number(m.timestamp), step: Number(m.step) };
        if (m.run_id) metric.runId = m.run_id;
        if (m.dataset_name) metric.datasetName = m.dataset_name;
        if (m.dataset_digest) metric.datasetDigest = m.dataset_digest;
        metrics.set(m.model_id, [...(metrics.get(m.model_id) ?? []), metric]);
      }
    }
    return rows.map((r) => ({
      modelId: r.model_id,
      experimentId: String(r.experiment_id),
      name: r.name,
      artifactLocation: r.artifact_location,
      creationTimestamp: Number(r.creation_timestamp),
      lastUpdatedTimestamp: Number(r.last_updated_timestamp),
      status: r.status as LoggedModelStatus,
      statusMessage: r.status_message,
      lifecycleStage: r.lifecycle_stage as 'active' | 'deleted',
      modelType: r.model_type,
      sourceRunId: r.source_run_id,
      tags: tags.get(r.model_id) ?? [],
      params: params.get(r.model_id) ?? [],
      metrics: metrics.get(r.model_id) ?? [],
    }));
  }
}
