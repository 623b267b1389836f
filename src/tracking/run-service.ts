import { invalidParam } from '../core/errors/index.js';
import type { Clock } from '../core/clock.js';
import type { DatasetInput, DownsampledHistory, Metric, MetricWithRun, ModelOutput, Param, Run, RunInfo, RunStatus, Store, Tag } from '../store/index.js';
import { RUN_STATUSES } from '../store/index.js';
import { asArray, checkSearchSize, parseViewType } from './experiment-service.js';
import { LIMITS } from './limits.js';
import { decodePageToken, encodePageToken, parseRunFilter, parseRunOrderBy } from './search/index.js';
import { idString, optionalString, requireString, toInt64, toMetricValue, truncateValue, validateKey, validateMaxResults } from './validation.js';

type Req = Record<string, unknown>;

const runIdOf = (req: Req): string => requireString(req.run_id ?? req.run_uuid, 'run_id');

function parseStatus(v: unknown): RunStatus | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v).toUpperCase();
  if (!(RUN_STATUSES as readonly string[]).includes(s)) {
    throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter 'status': expected one of ${RUN_STATUSES.join(', ')}`, 'status');
  }
  return s as RunStatus;
}

/** `field.name`, or just `name` for the top-level fields of log-metric, log-parameter and set-tag. */
const at = (field: string, name: string): string => (field ? `${field}.${name}` : name);

function parseMetric(o: unknown, field: string): Metric {
  if (!o || typeof o !== 'object') throw invalidParam(`Invalid metric at ${field}: expected an object`, field);
  const m = o as Req;
  const key = validateKey('metric', m.key, at(field, 'key'));
  return {
    key,
    value: toMetricValue(m.value, at(field, 'value')),
    timestamp: toInt64(m.timestamp, at(field, 'timestamp'), { required: true, min: 0 })!,
    step: toInt64(m.step, at(field, 'step')) ?? 0,
  };
}

function parseParam(o: unknown, field: string): Param {
  if (!o || typeof o !== 'object') throw invalidParam(`Invalid param at ${field}: expected an object`, field);
  const p = o as Req;
  const key = validateKey('param', p.key, at(field, 'key'));
  const raw = p.value;
  const value = raw === undefined || raw === null ? '' : typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
  if (value === undefined) throw invalidParam(`Invalid value for param '${key}': expected a string`, at(field, 'value'));
  return { key, value: truncateValue(value, LIMITS.maxParamValueLength) };
}

function parseRunTag(o: unknown, field: string): Tag {
  if (!o || typeof o !== 'object') throw invalidParam(`Invalid tag at ${field}: expected an object`, field);
  const t = o as Req;
  const key = validateKey('tag', t.key, at(field, 'key'));
  const value = optionalString(t.value, at(field, 'value')) ?? '';
  // The mlflow.runName tag is also the run's name, which has a shorter limit than tag values.
  if (key === 'mlflow.runName' && value.length > LIMITS.maxRunNameLength) {
    throw invalidParam(`Run name (tag mlflow.runName) exceeds ${LIMITS.maxRunNameLength} characters`, at(field, 'value'));
  }
  return { key, value: truncateValue(value, LIMITS.maxTagValueLength) };
}

function parseModelId(o: unknown, field: string): string {
  const id = requireString((o as Req | null | undefined)?.model_id, field);
  if (id.length > LIMITS.maxModelIdLength) throw invalidParam(`'${field}' exceeds the maximum length of ${LIMITS.maxModelIdLength} characters`, field);
  return id;
}

function parseDatasetInput(o: unknown, i: number): DatasetInput {
  const field = `datasets[${i}]`;
  if (!o || typeof o !== 'object') throw invalidParam(`Invalid dataset input at ${field}`, field);
  const di = o as Req;
  const d = di.dataset as Req | undefined;
  if (!d || typeof d !== 'object') throw invalidParam(`Missing value for required parameter '${field}.dataset'`, `${field}.dataset`);
  const str = (k: string, max: number, required: boolean): string | undefined => {
    const v = required ? requireString(d[k], `${field}.dataset.${k}`) : optionalString(d[k], `${field}.dataset.${k}`);
    if (v !== undefined && v.length > max) throw invalidParam(`Dataset ${k} exceeds the maximum length of ${max}`, `${field}.dataset.${k}`);
    return v;
  };
  const dataset: DatasetInput['dataset'] = {
    name: str('name', LIMITS.maxDatasetNameLength, true)!,
    digest: str('digest', LIMITS.maxDatasetDigestLength, true)!,
    sourceType: str('source_type', LIMITS.maxDatasetSourceTypeLength, true)!,
    source: str('source', LIMITS.maxDatasetSourceLength, true)!,
  };
  const schema = str('schema', LIMITS.maxDatasetSchemaLength, false);
  const profile = str('profile', LIMITS.maxDatasetProfileLength, false);
  if (schema !== undefined) dataset.schema = schema;
  if (profile !== undefined) dataset.profile = profile;
  const tags = asArray(di.tags, `${field}.tags`).map((t, j) => {
    const tt = t as Req;
    const key = requireString(tt?.key, `${field}.tags[${j}].key`);
    const value = requireString(tt?.value, `${field}.tags[${j}].value`);
    if (key.length > LIMITS.maxInputTagKeyLength || value.length > LIMITS.maxInputTagValueLength) {
      throw invalidParam(`Input tag exceeds the maximum length (${LIMITS.maxInputTagKeyLength}/${LIMITS.maxInputTagValueLength})`, `${field}.tags[${j}]`);
    }
    return { key, value };
  });
  return { tags, dataset };
}

/** Runs, metrics, params, tags, inputs and outputs, as MLflow's tracking service exposes them. */
export class RunService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  create(req: Req): Promise<Run> {
    const experimentId = idString(req.experiment_id, 'experiment_id', true) || '0';
    const tags = asArray(req.tags, 'tags').map((t, i) => parseRunTag(t, `tags[${i}]`));
    const runName = optionalString(req.run_name, 'run_name') ?? '';
    if (runName.length > LIMITS.maxRunNameLength) throw invalidParam(`run_name exceeds ${LIMITS.maxRunNameLength} characters`, 'run_name');
    const userId = optionalString(req.user_id, 'user_id') ?? tags.find((t) => t.key === 'mlflow.user')?.value ?? '';
    if (userId.length > LIMITS.maxUserIdLength) throw invalidParam(`user_id exceeds ${LIMITS.maxUserIdLength} characters`, 'user_id');
    const startTime = toInt64(req.start_time, 'start_time', { min: 0 }) ?? this.clock.nowMs();
    return this.store.runs.create({ experimentId, userId, startTime, runName, tags });
  }

  get(req: Req): Promise<Run> {
    return this.store.runs.get(runIdOf(req));
  }

  /** The run's info only (status, artifact URI), without params, metrics and tags. */
  getInfo(req: Req): Promise<RunInfo> {
    return this.store.runs.getInfo(runIdOf(req));
  }

  update(req: Req): Promise<RunInfo> {
    const status = parseStatus(req.status);
    const endTime = toInt64(req.end_time, 'end_time', { min: 0 });
    const runName = optionalString(req.run_name, 'run_name');
    if (runName !== undefined && runName.length > LIMITS.maxRunNameLength) throw invalidParam(`run_name exceeds ${LIMITS.maxRunNameLength} characters`, 'run_name');
    return this.store.runs.update(runIdOf(req), {
      ...(status ? { status } : {}),
      ...(endTime !== undefined ? { endTime } : {}),
      ...(runName ? { runName } : {}),
    });
  }

  delete(req: Req): Promise<void> {
    return this.store.runs.delete(runIdOf(req));
  }

  restore(req: Req): Promise<void> {
    return this.store.runs.restore(runIdOf(req));
  }

  async logMetric(req: Req): Promise<void> {
    const runId = runIdOf(req);
    const m = parseMetric({ key: req.key, value: req.value, timestamp: req.timestamp, step: req.step }, '');
    await this.store.runs.logBatch(runId, { metrics: [{ ...m }], params: [], tags: [] });
    await this.logModelMetrics(runId, [req], [m]);
  }

  /**
   * MLflow 3: a metric that names a `model_id` (with an optional dataset) is also recorded on that logged model,
   * where `logged-models/get` and search by `metrics.*` find it.
   */
  private async logModelMetrics(runId: string, raw: unknown[], parsed: Metric[]): Promise<void> {
    const rows = [];
    for (let i = 0; i < raw.length; i++) {
      const o = raw[i] as Req;
      const modelId = optionalString(o.model_id, i === 0 && raw.length === 1 ? 'model_id' : `metrics[${i}].model_id`);
      if (!modelId) continue;
      const datasetName = optionalString(o.dataset_name, 'dataset_name');
      const datasetDigest = optionalString(o.dataset_digest, 'dataset_digest');
      rows.push({ ...parsed[i]!, modelId, runId, ...(datasetName ? { datasetName } : {}), ...(datasetDigest ? { datasetDigest } : {}) });
    }
    if (rows.length > 0) await this.store.loggedModels.logMetrics(rows);
  }

  logParam(req: Req): Promise<void> {
    const runId = runIdOf(req);
    return this.store.runs.logBatch(runId, { metrics: [], params: [parseParam({ key: req.key, value: req.value }, '')], tags: [] });
  }

  setTag(req: Req): Promise<void> {
    const runId = runIdOf(req);
    return this.store.runs.logBatch(runId, { metrics: [], params: [], tags: [parseRunTag({ key: req.key, value: req.value }, '')] });
  }

  deleteTag(req: Req): Promise<void> {
    return this.store.runs.deleteTag(runIdOf(req), requireString(req.key, 'key'));
  }

  async logBatch(req: Req): Promise<void> {
    const runId = runIdOf(req);
    const rawMetrics = asArray(req.metrics, 'metrics');
    const rawParams = asArray(req.params, 'params');
    const rawTags = asArray(req.tags, 'tags');
    if (rawMetrics.length > LIMITS.maxMetricsPerBatch) {
      throw invalidParam(`A batch logging request can contain at most ${LIMITS.maxMetricsPerBatch} metrics. Got ${rawMetrics.length} metrics. Please split up metrics across multiple requests and try again.`, 'metrics');
    }
    if (rawParams.length > LIMITS.maxParamsTagsPerBatch) {
      throw invalidParam(`A batch logging request can contain at most ${LIMITS.maxParamsTagsPerBatch} params. Got ${rawParams.length} params. Please split up params across multiple requests and try again.`, 'params');
    }
    if (rawTags.length > LIMITS.maxParamsTagsPerBatch) {
      throw invalidParam(`A batch logging request can contain at most ${LIMITS.maxParamsTagsPerBatch} tags. Got ${rawTags.length} tags. Please split up tags across multiple requests and try again.`, 'tags');
    }
    const total = rawMetrics.length + rawParams.length + rawTags.length;
    if (total > LIMITS.maxEntitiesPerBatch) {
      throw invalidParam(`A batch logging request can contain at most ${LIMITS.maxEntitiesPerBatch} total metrics, params, and tags. Got ${total}.`, 'metrics');
    }
    const params = rawParams.map((p, i) => parseParam(p, `params[${i}]`));
    const keys = params.map((p) => p.key);
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (dupes.length > 0) {
      throw invalidParam(`Duplicate parameter keys have been submitted: [${dupes.map((k) => `'${k}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`, 'params');
    }
    const metrics = rawMetrics.map((m, i) => parseMetric(m, `metrics[${i}]`));
    await this.store.runs.logBatch(runId, {
      metrics,
      params,
      tags: rawTags.map((t, i) => parseRunTag(t, `tags[${i}]`)),
    });
    await this.logModelMetrics(runId, rawMetrics, metrics);
  }

  logInputs(req: Req): Promise<void> {
    const runId = runIdOf(req);
    const datasets = asArray(req.datasets, 'datasets');
    if (datasets.length > LIMITS.maxDatasetsPerBatch) throw invalidParam(`At most ${LIMITS.maxDatasetsPerBatch} datasets per request`, 'datasets');
    const models = asArray(req.models, 'models').map((m, i) => ({ modelId: parseModelId(m, `models[${i}].model_id`) }));
    return this.store.runs.logInputs(runId, datasets.map(parseDatasetInput), models);
  }

  logOutputs(req: Req): Promise<void> {
    const runId = runIdOf(req);
    const models: ModelOutput[] = asArray(req.models, 'models').map((m, i) => ({
      modelId: parseModelId(m, `models[${i}].model_id`),
      step: toInt64((m as Req)?.step, `models[${i}].step`) ?? 0,
    }));
    return this.store.runs.logOutputs(runId, models);
  }

  /** MLflow 2's log-model: appends the model's JSON to the run's `mlflow.log-model.history` tag. */
  async logModel(req: Req): Promise<void> {
    const runId = runIdOf(req);
    const json = requireString(req.model_json, 'model_json');
    let model: unknown;
    try {
      model = JSON.parse(json);
    } catch {
      throw invalidParam('model_json is not valid JSON', 'model_json');
    }
    const run = await this.store.runs.get(runId);
    const prev = run.data.tags.find((t) => t.key === 'mlflow.log-model.history')?.value;
    let history: unknown[] = [];
    try {
      const parsed: unknown = prev ? JSON.parse(prev) : [];
      if (Array.isArray(parsed)) history = parsed;
    } catch {
      history = [];
    }
    history.push(model);
    await this.store.runs.logBatch(runId, { metrics: [], params: [], tags: [{ key: 'mlflow.log-model.history', value: JSON.stringify(history) }] });
  }

  async search(req: Req): Promise<{ runs: Run[]; nextPageToken?: string }> {
    const experimentIds = asArray(req.experiment_ids, 'experiment_ids').map((e) => String(e));
    if (experimentIds.length > LIMITS.searchMaxExperimentIds) {
      throw invalidParam(`A search can name at most ${LIMITS.searchMaxExperimentIds} experiment_ids. Got ${experimentIds.length}.`, 'experiment_ids');
    }
    const maxResults = validateMaxResults(req.max_results, 'max_results', LIMITS.searchRunsDefault, LIMITS.searchRunsMax);
    const filter = parseRunFilter(optionalString(req.filter, 'filter'));
    const listValues = filter.reduce((n, c) => n + (Array.isArray(c.value) ? c.value.length : 0), 0);
    if (listValues > LIMITS.searchMaxListValues) {
      throw invalidParam(`A filter can list at most ${LIMITS.searchMaxListValues} values in its IN clauses. Got ${listValues}.`, 'filter');
    }
    const orderBy = asArray(req.order_by, 'order_by').map((o) => parseRunOrderBy(requireString(o, 'order_by')));
    checkSearchSize(filter, orderBy);
    const offset = decodePageToken(optionalString(req.page_token, 'page_token'));
    const page = await this.store.runs.search({ experimentIds, filter, orderBy, viewType: parseViewType(req.run_view_type, 'run_view_type'), maxResults, offset });
    return page.nextOffset === undefined ? { runs: page.items } : { runs: page.items, nextPageToken: encodePageToken(page.nextOffset) };
  }

  async metricHistory(req: Req): Promise<{ metrics: Metric[]; nextPageToken?: string }> {
    const runId = runIdOf(req);
    const key = requireString(req.metric_key, 'metric_key');
    // As MLflow's server: without max_results the whole history comes back in one answer; with it, pages.
    const maxResults = toInt64(req.max_results, 'max_results', { min: 1 }) ?? Number.MAX_SAFE_INTEGER - 1;
    const offset = decodePageToken(optionalString(req.page_token, 'page_token'));
    const page = await this.store.metrics.history(runId, key, { maxResults, offset });
    return page.nextOffset === undefined ? { metrics: page.items } : { metrics: page.items, nextPageToken: encodePageToken(page.nextOffset) };
  }

  historyBulkInterval(req: Req): Promise<MetricWithRun[]> {
    const runIds = asArray(req.run_ids, 'run_ids').map((r) => requireString(r, 'run_ids'));
    if (runIds.length === 0) throw invalidParam('GetMetricHistoryBulkInterval request must specify at least one run_id.', 'run_ids');
    if (runIds.length > LIMITS.bulkIntervalMaxRuns) {
      throw invalidParam(`GetMetricHistoryBulkInterval request cannot specify more than ${LIMITS.bulkIntervalMaxRuns} run_ids. Received ${runIds.length} run_ids.`, 'run_ids');
    }
    const key = requireString(req.metric_key, 'metric_key');
    const startStep = toInt64(req.start_step, 'start_step');
    const endStep = toInt64(req.end_step, 'end_step');
    if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
      throw invalidParam(`end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`, 'end_step');
    }
    if ((startStep === undefined) !== (endStep === undefined)) throw invalidParam('If either start step or end step are specified, both must be specified.', 'start_step');
    const maxResults = validateMaxResults(req.max_results, 'max_results', LIMITS.bulkIntervalDefault, LIMITS.bulkIntervalMaxResults);
    return this.store.metrics.historyBulkInterval(runIds, key, {
      maxResults,
      ...(startStep !== undefined ? { startStep } : {}),
      ...(endStep !== undefined ? { endStep } : {}),
    });
  }

  /** Curves of one metric for several runs (≤ 100), each as `curve` gives it. */
  async curves(req: Req): Promise<DownsampledHistory[]> {
    const runIds = asArray(req.run_ids ?? req.run_id, 'run_ids').map((r) => requireString(r, 'run_ids'));
    if (runIds.length === 0) throw invalidParam("Missing value for required parameter 'run_ids'.", 'run_ids');
    if (runIds.length > LIMITS.bulkIntervalMaxRuns) throw invalidParam(`At most ${LIMITS.bulkIntervalMaxRuns} run_ids per request, got ${runIds.length}`, 'run_ids');
    const out: DownsampledHistory[] = [];
    for (const runId of runIds) out.push(await this.curve({ ...req, run_id: runId }));
    return out;
  }

  /** Pitwall's chart endpoint: at most `points` values of one metric, shape kept (min/max per bucket). */
  curve(req: Req): Promise<DownsampledHistory> {
    const runId = runIdOf(req);
    const key = requireString(req.key, 'key');
    const points = validateMaxResults(req.points, 'points', LIMITS.curvePointsDefault, LIMITS.curvePointsMax);
    // A min/max pair per bucket needs room for two points; the store would otherwise answer with more than asked.
    if (points < 2) throw invalidParam(`Invalid value ${points} for parameter 'points' supplied. It must be at least 2`, 'points');
    const startStep = toInt64(req.start_step, 'start_step');
    const endStep = toInt64(req.end_step, 'end_step');
    if (startStep !== undefined && endStep !== undefined && startStep > endStep) throw invalidParam('start_step must be <= end_step', 'start_step');
    return this.store.metrics.downsampled(runId, key, {
      points,
      ...(startStep !== undefined ? { startStep } : {}),
      ...(endStep !== undefined ? { endStep } : {}),
    });
  }
}
