import { transact } from './transaction.js';
import type { Kysely, Transaction } from 'kysely';
import { invalidParam } from '../../core/errors/index.js';
import type { Clock } from '../../core/clock.js';
import { newRunId, newUuid } from '../../core/ids.js';
import type { RunSearchQuery, RunStore } from '../store.js';
import type { DatasetInput, Metric, ModelInput, ModelOutput, Page, Param, Run, RunInfo, RunStatus, Tag } from '../types.js';
import { experimentNotActive, paramChanged, runNotActive, runNotFound, tagNotFound } from '../errors.js';
import { joinArtifactUri, parseExperimentId } from './experiments-sql.js';
import type { SqlExperimentStore } from './experiments-sql.js';
import type { MetricWriter } from './metric-writer.js';
import { chunked, metricFromRow, metricValueToRow, runInfoFromRow } from './rows.js';
import { searchRunIds } from './run-search-sql.js';
import type { Database } from './schema.js';
import { randomRunName } from './run-names.js';

const RUN_NAME_TAG = 'mlflow.runName';

export class SqlRunStore implements RunStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly experiments: SqlExperimentStore,
    private readonly writer: MetricWriter,
  ) {}

  async create(input: { experimentId: string; userId: string; startTime: number; runName: string; tags: Tag[] }): Promise<Run> {
    const exp = await this.experiments.get(input.experimentId);
    if (exp.lifecycleStage !== 'active') throw experimentNotActive(input.experimentId);
    const runId = newRunId();
    const tagName = input.tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (input.runName && tagName && input.runName !== tagName) {
      throw invalidParam(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${input.runName}', mlflow.runName='${tagName}').`,
        'run_name',
      );
    }
    const name = input.runName || tagName || randomRunName();
    const tags = new Map(input.tags.map((t) => [t.key, t.value]));
    tags.set(RUN_NAME_TAG, name);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('runs')
        .values({
          run_uuid: runId,
          name,
          experiment_id: parseExperimentId(input.experimentId),
          user_id: input.userId,
          status: 'RUNNING',
          start_time: input.startTime,
          end_time: null,
          deleted_time: null,
          lifecycle_stage: 'active',
          artifact_uri: joinArtifactUri(exp.artifactLocation, runId, 'artifacts'),
        })
        .execute();
      for (const chunk of chunked([...tags])) await trx.insertInto('tags').values(chunk.map(([key, value]) => ({ run_uuid: runId, key, value }))).execute();
    });
    return this.get(runId);
  }

  async getInfo(runId: string): Promise<RunInfo> {
    const row = await this.db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
    if (!row) throw runNotFound(runId);
    return runInfoFromRow(row);
  }

  async get(runId: string): Promise<Run> {
    const info = await this.getInfo(runId);
    return (await this.loadRuns([info]))[0]!;
  }

  async update(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    const info = await this.activeInfo(runId);
    await transact(this.db, async (trx) => {
      const set: { status?: string; end_time?: number; name?: string } = {};
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.endTime !== undefined) set.end_time = patch.endTime;
      if (patch.runName) set.name = patch.runName;
      if (Object.keys(set).length > 0) await trx.updateTable('runs').set(set).where('run_uuid', '=', runId).execute();
      if (patch.runName) await upsertTags(trx, runId, [{ key: RUN_NAME_TAG, value: patch.runName }]);
    });
    return { ...info, ...(patch.status ? { status: patch.status } : {}), ...(patch.endTime !== undefined ? { endTime: patch.endTime } : {}), ...(patch.runName ? { runName: patch.runName } : {}) };
  }

  async delete(runId: string): Promise<void> {
    await this.getInfo(runId);
    // Deleting a deleted run keeps its first deletion time (experiment restore compares against it).
    await this.db
      .updateTable('runs')
      .set({ lifecycle_stage: 'deleted', deleted_time: this.clock.nowMs() })
      .where('run_uuid', '=', runId)
      .where('lifecycle_stage', '=', 'active')
      .execute();
  }

  async restore(runId: string): Promise<void> {
    await this.getInfo(runId);
    await this.db.updateTable('runs').set({ lifecycle_stage: 'active', deleted_time: null }).where('run_uuid', '=', runId).execute();
  }

  async logBatch(runId: string, batch: { metrics: Metric[]; params: Param[]; tags: Tag[] }): Promise<void> {
    await this.activeInfo(runId);
    await transact(this.db, async (trx) => {
      if (batch.params.length > 0) await logParams(trx, runId, batch.params);
      if (batch.tags.length > 0) {
        await upsertTags(trx, runId, batch.tags);
        const name = [...batch.tags].reverse().find((t) => t.key === RUN_NAME_TAG)?.value;
        if (name) await trx.updateTable('runs').set({ name }).where('run_uuid', '=', runId).execute();
      }
      if (batch.metrics.length > 0) await logMetrics(trx, this.writer, runId, batch.metrics);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.activeInfo(runId);
    const res = await this.db.deleteFrom('tags').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw tagNotFound(key, `run ${runId}`);
  }

  async logInputs(runId: string, datasets: DatasetInput[], models: ModelInput[]): Promise<void> {
    const info = await this.activeInfo(runId);
    const experimentId = Number(info.experimentId);
    await this.db.transaction().execute(async (trx) => {
      for (const d of datasets) {
        const ds = d.dataset;
        await trx
          .insertInto('datasets')
          .values({
            dataset_uuid: newUuid(),
            experiment_id: experimentId,
            name: ds.name,
            digest: ds.digest,
            source_type: ds.sourceType,
            source: ds.source,
            schema: ds.schema ?? null,
            profile: ds.profile ?? null,
          })
          .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
          .execute();
        const { dataset_uuid } = await trx
          .selectFrom('datasets')
          .select('dataset_uuid')
          .where('experiment_id', '=', experimentId)
          .where('name', '=', ds.name)
          .where('digest', '=', ds.digest)
          .executeTakeFirstOrThrow();
        const inputId = await upsertEdge(trx, 'DATASET', dataset_uuid, 'RUN', runId, 0);
        for (const tags of inputId ? chunked(d.tags) : []) {
          await trx.insertInto('input_tags').values(tags.map((t) => ({ input_uuid: inputId!, name: t.key, value: t.value }))).onConflict((oc) => oc.doNothing()).execute();
        }
      }
      for (const m of models) await upsertEdge(trx, 'RUN_INPUT', m.modelId, 'MODEL_INPUT', runId, 0);
    });
  }

  async logOutputs(runId: string, models: ModelOutput[]): Promise<void> {
    await this.activeInfo(runId);
    await this.db.transaction().execute(async (trx) => {
      for (const m of models) await upsertEdge(trx, 'RUN_OUTPUT', runId, 'MODEL_OUTPUT', m.modelId, m.step);
    });
  }

  async search(q: RunSearchQuery): Promise<Page<Run>> {
    const { rows, more } = await searchRunIds(this.db, q);
    const items = await this.loadRuns(rows.map(runInfoFromRow));
    return more ? { items, nextOffset: q.offset + q.maxResults } : { items };
  }

  private async activeInfo(runId: string): Promise<RunInfo> {
    const info = await this.getInfo(runId);
    if (info.lifecycleStage !== 'active') throw runNotActive(runId);
    return info;
  }

  /** Attaches params, tags, latest metrics, inputs and outputs to run infos, in a constant number of queries. */
  private async loadRuns(infos: RunInfo[]): Promise<Run[]> {
    if (infos.length === 0) return [];
    const ids = infos.map((i) => i.runId);
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += 500) chunks.push(ids.slice(i, i + 500));
    const runs = new Map<string, Run>(
      infos.map((info) => [info.runId, { info, data: { metrics: [], params: [], tags: [] }, inputs: { datasetInputs: [], modelInputs: [] }, outputs: { modelOutputs: [] } }]),
    );
    for (const chunk of chunks) {
      const [params, tags, metrics, inputs, outputs] = await Promise.all([
        this.db.selectFrom('params').selectAll().where('run_uuid', 'in', chunk).orderBy('key').execute(),
        this.db.selectFrom('tags').selectAll().where('run_uuid', 'in', chunk).orderBy('key').execute(),
        this.db.selectFrom('latest_metrics').selectAll().where('run_uuid', 'in', chunk).orderBy('key').execute(),
        this.db
          .selectFrom('inputs as i')
          .leftJoin('datasets as d', (j) => j.onRef('d.dataset_uuid', '=', 'i.source_id').on('i.source_type', '=', 'DATASET'))
          .select(['i.input_uuid', 'i.source_type', 'i.source_id', 'i.destination_id', 'd.name', 'd.digest', 'd.source_type as ds_source_type', 'd.source', 'd.schema', 'd.profile'])
          .where('i.destination_id', 'in', chunk)
          .where('i.destination_type', 'in', ['RUN', 'MODEL_INPUT'])
          .execute(),
        this.db.selectFrom('inputs').select(['source_id', 'destination_id', 'step']).where('source_type', '=', 'RUN_OUTPUT').where('source_id', 'in', chunk).execute(),
      ]);
      for (const p of params) runs.get(p.run_uuid)!.data.params.push({ key: p.key, value: p.value });
      for (const t of tags) runs.get(t.run_uuid)!.data.tags.push({ key: t.key, value: t.value });
      for (const m of metrics) runs.get(m.run_uuid)!.data.metrics.push(metricFromRow(m));
      const inputIds = inputs.filter((i) => i.source_type === 'DATASET').map((i) => i.input_uuid);
      const inputTags = [];
      for (const ids of chunked(inputIds)) inputTags.push(...(await this.db.selectFrom('input_tags').selectAll().where('input_uuid', 'in', ids).execute()));
      for (const i of inputs) {
        const run = runs.get(i.destination_id)!;
        if (i.source_type === 'RUN_INPUT') {
          run.inputs.modelInputs.push({ modelId: i.source_id });
          continue;
        }
        const dataset: DatasetInput['dataset'] = { name: i.name ?? '', digest: i.digest ?? '', sourceType: i.ds_source_type ?? '', source: i.source ?? '' };
        if (i.schema !== null && i.schema !== undefined) dataset.schema = i.schema;
        if (i.profile !== null && i.profile !== undefined) dataset.profile = i.profile;
        run.inputs.datasetInputs.push({
          tags: inputTags.filter((t) => t.input_uuid === i.input_uuid).map((t) => ({ key: t.name, value: t.value })),
          dataset,
        });
      }
      for (const o of outputs) runs.get(o.source_id)!.outputs.modelOutputs.push({ modelId: o.destination_id, step: Number(o.step) });
    }
    return infos.map((i) => runs.get(i.runId)!);
  }
}

async function logParams(trx: Transaction<Database>, runId: string, params: Param[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const p of params) {
    const prev = seen.get(p.key);
    if (prev !== undefined && prev !== p.value) {
      throw invalidParam(`Duplicate parameter keys have been submitted: [${p.key}]. Please ensure the request contains only one param value per param key.`, 'params');
    }
    seen.set(p.key, p.value);
  }
  // Sorted, so that concurrent writers to one run lock rows in the same order (no deadlock on PostgreSQL).
  const keys = [...seen.keys()].sort();
  const existing: { key: string; value: string }[] = [];
  for (const chunk of chunked(keys)) existing.push(...(await trx.selectFrom('params').select(['key', 'value']).where('run_uuid', '=', runId).where('key', 'in', chunk).execute()));
  for (const e of existing) {
    const v = seen.get(e.key)!;
    if (v !== e.value) throw paramChanged(runId, e.key, e.value, v);
  }
  const have = new Set(existing.map((e) => e.key));
  const fresh = keys.filter((k) => !have.has(k));
  for (const chunk of chunked(fresh)) {
    const inserted = await trx
      .insertInto('params')
      .values(chunk.map((key) => ({ run_uuid: runId, key, value: seen.get(key)! })))
      .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing())
      .returning('key')
      .execute();
    if (inserted.length === chunk.length) continue;
    // Another writer stored some of these keys between our read and our insert (possible where writes are not
    // serialised, as on PostgreSQL): what it stored must equal what we were asked to store.
    const done = new Set(inserted.map((r) => r.key));
    const raced = chunk.filter((k) => !done.has(k));
    const stored = await trx.selectFrom('params').select(['key', 'value']).where('run_uuid', '=', runId).where('key', 'in', raced).execute();
    for (const e of stored) {
      const v = seen.get(e.key)!;
      if (v !== e.value) throw paramChanged(runId, e.key, e.value, v);
    }
  }
}

async function upsertTags(trx: Transaction<Database>, runId: string, tags: Tag[]): Promise<void> {
  const m = new Map(tags.map((t) => [t.key, t.value]));
  for (const chunk of chunked([...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))) {
    await trx
      .insertInto('tags')
      .values(chunk.map(([key, value]) => ({ run_uuid: runId, key, value })))
      .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute();
  }
}

/** Inserts new metric rows (identical rows are ignored), then maintains latest values and curve buckets. */
async function logMetrics(trx: Transaction<Database>, writer: MetricWriter, runId: string, metrics: Metric[]): Promise<void> {
  await writer.write(trx, runId, metrics.map((m) => ({ key: m.key, timestamp: m.timestamp, step: m.step, ...metricValueToRow(m.value) })));
}

async function upsertEdge(trx: Transaction<Database>, sourceType: string, sourceId: string, destType: string, destId: string, step: number): Promise<string | null> {
  const id = newUuid();
  const res = await trx
    .insertInto('inputs')
    .values({ input_uuid: id, source_type: sourceType, source_id: sourceId, destination_type: destType, destination_id: destId, step })
    .onConflict((oc) => oc.columns(['source_type', 'source_id', 'destination_type', 'destination_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0 ? id : null;
}
