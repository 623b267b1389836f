import { invalidParam } from '../core/errors/index.js';
import type { Experiment, Page, Store, Tag, ViewType } from '../store/index.js';
import { experimentNameNotFound } from '../store/errors.js';
import { LIMITS } from './limits.js';
import { type FilterClause, decodePageToken, encodePageToken, parseExperimentFilter, parseExperimentOrderBy } from './search/index.js';
import { idString, optionalString, requireString, validateExperimentName, validateKey, validateMaxResults } from './validation.js';

type Req = Record<string, unknown>;

export function parseViewType(v: unknown, field: string): ViewType {
  if (v === undefined || v === null || v === '') return 'ACTIVE_ONLY';
  const map: Record<string, ViewType> = { ACTIVE_ONLY: 'ACTIVE_ONLY', DELETED_ONLY: 'DELETED_ONLY', ALL: 'ALL', '1': 'ACTIVE_ONLY', '2': 'DELETED_ONLY', '3': 'ALL' };
  const t = map[String(v).toUpperCase()];
  if (!t) throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}': expected ACTIVE_ONLY, DELETED_ONLY or ALL`, field);
  return t;
}

/** Bounds on the size of a parsed search, so that no search turns into SQL the database refuses (a 500). */
export function checkSearchSize(filter: FilterClause[], orderBy: unknown[]): void {
  if (filter.length > LIMITS.searchMaxFilterClauses) {
    throw invalidParam(`A filter can have at most ${LIMITS.searchMaxFilterClauses} clauses. Got ${filter.length}.`, 'filter');
  }
  if (orderBy.length > LIMITS.searchMaxOrderBy) {
    throw invalidParam(`order_by can have at most ${LIMITS.searchMaxOrderBy} entries. Got ${orderBy.length}.`, 'order_by');
  }
}

export function asArray(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [v];
  throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}': expected a list`, field);
}

function parseTags(v: unknown, field: string, keyMax: number, valueMax: number): Tag[] {
  return asArray(v, field).map((t, i) => {
    if (!t || typeof t !== 'object') throw invalidParam(`Invalid tag at ${field}[${i}]: expected an object with key and value`, `${field}[${i}]`);
    const o = t as Req;
    const key = validateKey('tag', o.key, `${field}[${i}].key`);
    if (key.length > keyMax) throw invalidParam(`Tag key '${key.slice(0, 40)}…' exceeds the maximum length of ${keyMax}`, `${field}[${i}].key`);
    return { key, value: experimentTagValue(o.value, `${field}[${i}].value`, valueMax) };
  });
}

/** Experiment tag values are not truncated: MLflow answers 400 past the limit. */
function experimentTagValue(v: unknown, field: string, max: number): string {
  const value = optionalString(v, field) ?? '';
  if (value.length > max) throw invalidParam(`Tag value exceeds the maximum length of ${max} characters (got ${value.length})`, field);
  return value;
}

/** Experiments as MLflow's tracking service exposes them: validation here, persistence in the store. */
export class ExperimentService {
  constructor(private readonly store: Store) {}

  async create(req: Req): Promise<string> {
    const name = validateExperimentName(req.name);
    const artifactLocation = optionalString(req.artifact_location, 'artifact_location');
    if (artifactLocation && artifactLocation.length > 2048) throw invalidParam('artifact_location exceeds 2048 characters', 'artifact_location');
    const tags = parseTags(req.tags, 'tags', LIMITS.maxExperimentTagKeyLength, LIMITS.maxExperimentTagValueLength);
    return this.store.experiments.create({ name, tags, ...(artifactLocation ? { artifactLocation } : {}) });
  }

  get(req: Req): Promise<Experiment> {
    return this.store.experiments.get(idString(req.experiment_id, 'experiment_id'));
  }

  async getByName(req: Req): Promise<Experiment> {
    const name = requireString(req.experiment_name, 'experiment_name');
    const e = await this.store.experiments.getByName(name);
    if (!e) throw experimentNameNotFound(name);
    return e;
  }

  async search(req: Req): Promise<{ experiments: Experiment[]; nextPageToken?: string }> {
    const maxResults = validateMaxResults(req.max_results, 'max_results', LIMITS.searchExperimentsDefault, LIMITS.searchExperimentsMax);
    const filter = parseExperimentFilter(optionalString(req.filter, 'filter'));
    const orderBy = asArray(req.order_by, 'order_by').map((o) => parseExperimentOrderBy(requireString(o, 'order_by')));
    checkSearchSize(filter, orderBy);
    const offset = decodePageToken(optionalString(req.page_token, 'page_token'));
    const page: Page<Experiment> = await this.store.experiments.search({ filter, orderBy, viewType: parseViewType(req.view_type, 'view_type'), maxResults, offset });
    return page.nextOffset === undefined ? { experiments: page.items } : { experiments: page.items, nextPageToken: encodePageToken(page.nextOffset) };
  }

  async update(req: Req): Promise<void> {
    const id = idString(req.experiment_id, 'experiment_id');
    const newName = optionalString(req.new_name, 'new_name');
    if (newName === undefined) {
      await this.store.experiments.get(id);
      return;
    }
    await this.store.experiments.rename(id, validateExperimentName(newName, 'new_name'));
  }

  delete(req: Req): Promise<void> {
    return this.store.experiments.delete(idString(req.experiment_id, 'experiment_id'));
  }

  restore(req: Req): Promise<void> {
    return this.store.experiments.restore(idString(req.experiment_id, 'experiment_id'));
  }

  async setTag(req: Req): Promise<void> {
    const id = idString(req.experiment_id, 'experiment_id');
    const key = validateKey('tag', req.key, 'key');
    if (key.length > LIMITS.maxExperimentTagKeyLength) throw invalidParam(`Tag key exceeds ${LIMITS.maxExperimentTagKeyLength} characters`, 'key');
    await this.store.experiments.setTag(id, { key, value: experimentTagValue(req.value, 'value', LIMITS.maxExperimentTagValueLength) });
  }

  deleteTag(req: Req): Promise<void> {
    return this.store.experiments.deleteTag(idString(req.experiment_id, 'experiment_id'), requireString(req.key, 'key'));
  }
}

