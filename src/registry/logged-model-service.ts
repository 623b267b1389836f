import { invalidParam } from '../core/errors/index.js';
import type { LoggedModel, LoggedModelStatus, Store } from '../store/index.js';
import type { FilterClause, OrderByClause } from '../tracking/search/filter-types.js';
import { asArray, checkSearchSize } from '../tracking/experiment-service.js';
import { LOGGED_MODEL_SEARCH, parseEntityFilter, parseEntityOrderBy } from '../tracking/search/entity-filter.js';
import { decodePageToken, encodePageToken } from '../tracking/search/index.js';
import { idString, optionalString, requireString, validateKey, validateMaxResults } from '../tracking/validation.js';
import { LIMITS } from '../tracking/limits.js';
import { REGISTRY_LIMITS } from './registry-validation.js';

type Req = Record<string, unknown>;

const STATUSES: readonly LoggedModelStatus[] = ['LOGGED_MODEL_STATUS_UNSPECIFIED', 'LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'];

/** Accepts the enum name (`LOGGED_MODEL_READY`), its short form (`READY`, `FAILED`) or its number (0-3). */
export function parseLoggedModelStatus(v: unknown, field = 'status'): LoggedModelStatus {
  if (typeof v === 'number' && STATUSES[v]) return STATUSES[v]!;
  const s = String(v ?? '').toUpperCase();
  const short: Record<string, LoggedModelStatus> = { UNSPECIFIED: STATUSES[0]!, PENDING: STATUSES[1]!, READY: STATUSES[2]!, FAILED: STATUSES[3]!, UPLOAD_FAILED: STATUSES[3]! };
  const hit = STATUSES.find((x) => x === s) ?? short[s] ?? (/^\d$/.test(s) ? STATUSES[Number(s)] : undefined);
  if (!hit) throw invalidParam(`Unknown model status: ${String(v).slice(0, 50)}. Expected one of ${STATUSES.join(', ')}`, field);
  return hit;
}

/** Logged-model names: MLflow refuses `/ : . % " '`. */
function validateLoggedModelName(v: unknown): string {
  const name = optionalString(v, 'name');
  if (!name) return `model-${Math.random().toString(36).slice(2, 8)}`;
  if (name.length > 500 || /[/:.%"']/.test(name)) throw invalidParam(`Invalid model name '${name.slice(0, 100)}': names cannot contain / : . % " ' and are at most 500 characters`, 'name');
  return name;
}

function kvList(v: unknown, field: string, valueMax: number): { key: string; value: string }[] {
  return asArray(v, field).map((t, i) => {
    if (!t || typeof t !== 'object') throw invalidParam(`Invalid entry at ${field}[${i}]: expected {key, value}`, `${field}[${i}]`);
    const o = t as Req;
    const key = validateKey(field === 'params' ? 'param' : 'tag', o.key, `${field}[${i}].key`);
    const value = o.value === undefined || o.value === null ? '' : String(o.value);
    if (value.length > valueMax) throw invalidParam(`Value of ${field}[${i}] exceeds ${valueMax} characters`, `${field}[${i}].value`);
    return { key, value };
  });
}

/** MLflow 3's logged models (`/api/2.0/mlflow/logged-models`). */
export class LoggedModelService {
  constructor(private readonly store: Store) {}

  async create(req: Req): Promise<LoggedModel> {
    const experimentId = idString(req.experiment_id, 'experiment_id');
    const sourceRunId = optionalString(req.source_run_id, 'source_run_id');
    const modelType = optionalString(req.model_type, 'model_type');
    if (sourceRunId) await this.store.runs.getInfo(sourceRunId);
    const model = await this.store.loggedModels.create({
      experimentId,
      name: validateLoggedModelName(req.name),
      tags: kvList(req.tags, 'tags', LIMITS.maxTagValueLength),
      params: kvList(req.params, 'params', LIMITS.maxParamValueLength),
      ...(sourceRunId ? { sourceRunId } : {}),
      ...(modelType ? { modelType } : {}),
    });
    if (sourceRunId) await this.store.registry.addLineage([{ from: { type: 'run', id: sourceRunId }, to: { type: 'logged_model', id: model.modelId }, relation: 'logged' }]);
    return model;
  }

  async get(modelId: string, req: Req = {}): Promise<LoggedModel> {
    const allow = req.allow_deleted;
    return this.store.loggedModels.get(requireString(modelId, 'model_id'), { allowDeleted: allow === true || allow === 'true' });
  }

  finalize(modelId: string, req: Req): Promise<LoggedModel> {
    return this.store.loggedModels.finalize(modelId, parseLoggedModelStatus(req.status));
  }

  delete(modelId: string): Promise<void> {
    return this.store.loggedModels.delete(modelId);
  }

  async search(req: Req): Promise<{ models: LoggedModel[]; nextPageToken?: string }> {
    const experimentIds = asArray(req.experiment_ids, 'experiment_ids').map((x, i) => idString(x, `experiment_ids[${i}]`));
    if (experimentIds.length === 0) throw invalidParam('experiment_ids must name at least one experiment', 'experiment_ids');
    const maxResults = validateMaxResults(req.max_results, 'max_results', REGISTRY_LIMITS.searchLoggedModelsDefault, REGISTRY_LIMITS.searchLoggedModelsMax);
    const filter: FilterClause[] = parseEntityFilter(optionalString(req.filter, 'filter'), LOGGED_MODEL_SEARCH).map((c) =>
      c.type === 'attribute' && c.key === 'status' && typeof c.value === 'string' ? { ...c, value: parseLoggedModelStatus(c.value, 'filter') } : c,
    );
    const orderBy: OrderByClause[] = asArray(req.order_by, 'order_by').map((o, i) => {
      if (typeof o === 'string') return parseEntityOrderBy(o, LOGGED_MODEL_SEARCH);
      if (!o || typeof o !== 'object') throw invalidParam(`Invalid order_by[${i}]: expected {field_name, ascending}`, `order_by[${i}]`);
      const f = o as Req;
      const ascending = f.ascending === undefined || f.ascending === null ? true : f.ascending === true || f.ascending === 'true';
      const fieldName = requireString(f.field_name, `order_by[${i}].field_name`);
      return parseEntityOrderBy(`${fieldName.includes('.') ? fieldName.replace(/^([^.]+)\.(.*)$/, '$1.`$2`') : fieldName} ${ascending ? 'ASC' : 'DESC'}`, LOGGED_MODEL_SEARCH);
    });
    checkSearchSize(filter, orderBy);
    const offset = decodePageToken(optionalString(req.page_token, 'page_token'));
    const datasets = asArray(req.datasets, 'datasets').map((d, i) => {
      const o = (d ?? {}) as Req;
      const name = optionalString(o.dataset_name, `datasets[${i}].dataset_name`);
      if (!name) throw invalidParam('`dataset_name` in the `datasets` clause must be specified.', `datasets[${i}].dataset_name`);
      const digest = optionalString(o.dataset_digest, `datasets[${i}].dataset_digest`);
      return digest ? { name, digest } : { name };
    });
    const page = await this.store.loggedModels.search({ experimentIds, filter, orderBy, maxResults, offset, datasets });
    return page.nextOffset === undefined ? { models: page.items } : { models: page.items, nextPageToken: encodePageToken(page.nextOffset) };
  }

  setTags(modelId: string, req: Req): Promise<void> {
    return this.store.loggedModels.setTags(modelId, kvList(req.tags, 'tags', LIMITS.maxTagValueLength));
  }

  deleteTag(modelId: string, key: string): Promise<void> {
    return this.store.loggedModels.deleteTag(modelId, key);
  }

  logParams(modelId: string, req: Req): Promise<void> {
    return this.store.loggedModels.logParams(modelId, kvList(req.params, 'params', LIMITS.maxParamValueLength));
  }
}
