import type { TagsInput } from './options.js';
import type {
  ApproveOptions,
  CardUpdate,
  CreateModelOptions,
  CreateVersionOptions,
  LineageQuery,
  SearchLoggedModelsOptions,
  SearchModelsOptions,
  SearchVersionsOptions,
  TransitionStageOptions,
  VersionInput,
} from './registry-options.js';
import type {
  Approval,
  LineageGraph,
  LoggedModel,
  ModelStage,
  ModelVersion,
  RegisteredModel,
  SearchLoggedModelsResult,
  SearchModelsResult,
  SearchVersionsResult,
} from './registry-types.js';
import { decodeApproval, decodeLineage, decodeLoggedModel, decodeModelVersion, decodeRegisteredModel } from './registry-wire.js';
import type { Transport } from './transport.js';
import type { Tag } from './types.js';

const RM = '/api/2.0/mlflow/registered-models';
const MV = '/api/2.0/mlflow/model-versions';
const V1 = '/api/v1/models';

function toTags(tags: TagsInput | undefined): Tag[] | undefined {
  if (tags === undefined) return undefined;
  return Array.isArray(tags) ? tags : Object.entries(tags).map(([key, value]) => ({ key, value }));
}

const seg = encodeURIComponent;
const page = <T extends object>(r: T, token: unknown): T & { nextPageToken?: string } => (typeof token === 'string' && token !== '' ? { ...r, nextPageToken: token } : r);

/**
 * The model registry (`client.registry`): MLflow's registered-model and model-version RPCs, Pitwall's cards,
 * approvals, protected aliases, reference resolution and lineage (`/api/v1`), and MLflow 3 logged models.
 * Browser-safe. Errors are `PitwallApiError` (e.g. `RESOURCE_DOES_NOT_EXIST`, `RESOURCE_CONFLICT` for a protected
 * alias on an unapproved version) or `PitwallNetworkError`.
 */
export class RegistryClient {
  constructor(private readonly t: Transport) {}

  // ---- registered models ----

  async createModel(name: string, opts: CreateModelOptions = {}): Promise<RegisteredModel> {
    const res = await this.t.json<{ registered_model: unknown }>('POST', `${RM}/create`, undefined, { name, description: opts.description, tags: toTags(opts.tags) });
    return decodeRegisteredModel(res.registered_model);
  }

  async getModel(name: string): Promise<RegisteredModel> {
    const res = await this.t.json<{ registered_model: unknown }>('GET', `${RM}/get`, { name });
    return decodeRegisteredModel(res.registered_model);
  }

  async searchModels(opts: SearchModelsOptions = {}): Promise<SearchModelsResult> {
    const res = await this.t.json<{ registered_models?: unknown[]; next_page_token?: string }>('GET', `${RM}/search`, {
      filter: opts.filter,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return page({ models: (res.registered_models ?? []).map(decodeRegisteredModel) }, res.next_page_token);
  }

  /** Every registered model matching `opts`, page by page (`maxResults` is the page size). */
  async *iterateModels(opts: Omit<SearchModelsOptions, 'pageToken'> = {}): AsyncGenerator<RegisteredModel> {
    let pageToken: string | undefined;
    do {
      const p = await this.searchModels({ ...opts, pageToken });
      yield* p.models;
      pageToken = p.nextPageToken;
    } while (pageToken);
  }

  async renameModel(name: string, newName: string): Promise<RegisteredModel> {
    const res = await this.t.json<{ registered_model: unknown }>('POST', `${RM}/rename`, undefined, { name, new_name: newName });
    return decodeRegisteredModel(res.registered_model);
  }

  async updateModel(name: string, update: { description: string }): Promise<RegisteredModel> {
    const res = await this.t.json<{ registered_model: unknown }>('PATCH', `${RM}/update`, undefined, { name, description: update.description });
    return decodeRegisteredModel(res.registered_model);
  }

  /** Deletes the model with all its versions. */
  async deleteModel(name: string): Promise<void> {
    await this.t.json('DELETE', `${RM}/delete`, undefined, { name });
  }

  async setModelTag(name: string, key: string, value: string): Promise<void> {
    await this.t.json('POST', `${RM}/set-tag`, undefined, { name, key, value });
  }

  async deleteModelTag(name: string, key: string): Promise<void> {
    await this.t.json('DELETE', `${RM}/delete-tag`, undefined, { name, key });
  }

  /** The highest version per stage (all stages when `stages` is empty). Stages are deprecated; prefer aliases. */
  async getLatestVersions(name: string, stages: string[] = []): Promise<ModelVersion[]> {
    const res = await this.t.json<{ model_versions?: unknown[] }>('POST', `${RM}/get-latest-versions`, undefined, { name, stages });
    return (res.model_versions ?? []).map(decodeModelVersion);
  }

  // ---- aliases ----

  /** Points `alias` at `version`; a protected alias needs an approved version (409 `RESOURCE_CONFLICT` otherwise). */
  async setAlias(name: string, alias: string, version: VersionInput): Promise<void> {
    await this.t.json('POST', `${RM}/alias`, undefined, { name, alias, version: String(version) });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.t.json('DELETE', `${RM}/alias`, undefined, { name, alias });
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const res = await this.t.json<{ model_version: unknown }>('GET', `${RM}/alias`, { name, alias });
    return decodeModelVersion(res.model_version);
  }

  // ---- model versions ----

  /** Registers a version; the server reads the model's files (`manifest`) from the artifact store. */
  async createVersion(opts: CreateVersionOptions): Promise<ModelVersion> {
    const res = await this.t.json<{ model_version: unknown }>('POST', `${MV}/create`, undefined, {
      name: opts.name,
      source: opts.source,
      run_id: opts.runId,
      description: opts.description,
      tags: toTags(opts.tags),
      run_link: opts.runLink,
      model_id: opts.modelId,
    });
    return decodeModelVersion(res.model_version);
  }

  async getVersion(name: string, version: VersionInput): Promise<ModelVersion> {
    const res = await this.t.json<{ model_version: unknown }>('GET', `${MV}/get`, { name, version: String(version) });
    return decodeModelVersion(res.model_version);
  }

  async searchVersions(opts: SearchVersionsOptions = {}): Promise<SearchVersionsResult> {
    const res = await this.t.json<{ model_versions?: unknown[]; next_page_token?: string }>('GET', `${MV}/search`, {
      filter: opts.filter,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return page({ versions: (res.model_versions ?? []).map(decodeModelVersion) }, res.next_page_token);
  }

  /** Every version matching `opts`, page by page. */
  async *iterateVersions(opts: Omit<SearchVersionsOptions, 'pageToken'> = {}): AsyncGenerator<ModelVersion> {
    let pageToken: string | undefined;
    do {
      const p = await this.searchVersions({ ...opts, pageToken });
      yield* p.versions;
      pageToken = p.nextPageToken;
    } while (pageToken);
  }

  async updateVersion(name: string, version: VersionInput, update: { description: string }): Promise<ModelVersion> {
    const res = await this.t.json<{ model_version: unknown }>('PATCH', `${MV}/update`, undefined, { name, version: String(version), description: update.description });
    return decodeModelVersion(res.model_version);
  }

  /** Deletes one version; its number is not reused. */
  async deleteVersion(name: string, version: VersionInput): Promise<void> {
    await this.t.json('DELETE', `${MV}/delete`, undefined, { name, version: String(version) });
  }

  /** Deprecated in MLflow (use aliases); kept for old workflows. */
  async transitionStage(name: string, version: VersionInput, stage: ModelStage, opts: TransitionStageOptions = {}): Promise<ModelVersion> {
    const res = await this.t.json<{ model_version: unknown }>('POST', `${MV}/transition-stage`, undefined, {
      name,
      version: String(version),
      stage,
      archive_existing_versions: opts.archiveExistingVersions ?? false,
    });
    return decodeModelVersion(res.model_version);
  }

  /** Where the version's files are: an `mlflow-artifacts:/…` URI (download it with `client.artifacts`). */
  async getDownloadUri(name: string, version: VersionInput): Promise<string> {
    const res = await this.t.json<{ artifact_uri?: string }>('GET', `${MV}/get-download-uri`, { name, version: String(version) });
    return String(res.artifact_uri ?? '');
  }

  async setVersionTag(name: string, version: VersionInput, key: string, value: string): Promise<void> {
    await this.t.json('POST', `${MV}/set-tag`, undefined, { name, version: String(version), key, value });
  }

  async deleteVersionTag(name: string, version: VersionInput, key: string): Promise<void> {
    await this.t.json('DELETE', `${MV}/delete-tag`, undefined, { name, version: String(version), key });
  }

  // ---- Pitwall: resolve, cards, approvals, policy, lineage ----

  /** `models:/name/3`, `models:/name@champion`, `models:/name/latest`, `name/3`, `name@alias` → that version. */
  async resolve(ref: string): Promise<ModelVersion> {
    const res = await this.t.json<{ model_version: unknown }>('GET', `${V1}/resolve`, { uri: ref });
    return decodeModelVersion(res.model_version);
  }

  /** Updates a version's card; fields left out keep their value, lists replace the stored ones. */
  async updateCard(name: string, version: VersionInput, card: CardUpdate): Promise<ModelVersion> {
    const res = await this.t.json<{ model_version: unknown }>('PATCH', `${V1}/${seg(name)}/versions/${seg(String(version))}/card`, undefined, {
      description: card.description,
      intended_use: card.intendedUse,
      limitations: card.limitations,
      known_failure_modes: card.knownFailureModes,
      evaluation_scores: card.evaluationScores,
    });
    return decodeModelVersion(res.model_version);
  }

  /** Records an approval (or, with `decision: 'rejected'`, a rejection) of a version. */
  async approve(name: string, version: VersionInput, opts: ApproveOptions): Promise<Approval> {
    const res = await this.t.json<{ approval: unknown }>('POST', `${V1}/${seg(name)}/versions/${seg(String(version))}/approvals`, undefined, {
      approver: opts.approver,
      comment: opts.comment,
      decision: opts.decision,
    });
    return decodeApproval(res.approval);
  }

  /** Approvals of one version, or of every version of the model when `version` is left out; newest first. */
  async listApprovals(name: string, version?: VersionInput): Promise<Approval[]> {
    const path = version === undefined ? `${V1}/${seg(name)}/approvals` : `${V1}/${seg(name)}/versions/${seg(String(version))}/approvals`;
    const res = await this.t.json<{ approvals?: unknown[] }>('GET', path);
    return (res.approvals ?? []).map(decodeApproval);
  }

  /** Sets the aliases that may only point at an approved version (replaces the list). */
  async setProtectedAliases(name: string, aliases: string[]): Promise<RegisteredModel> {
    const res = await this.t.json<{ registered_model: unknown }>('PUT', `${V1}/${seg(name)}/policy`, undefined, { protected_aliases: aliases });
    return decodeRegisteredModel(res.registered_model);
  }

  /** The lineage graph (datasets, runs, logged models, versions) around one node. */
  async lineage(q: LineageQuery): Promise<LineageGraph> {
    const res = await this.t.json<unknown>('GET', '/api/v1/lineage', {
      model: 'model' in q ? q.model : undefined,
      run_id: 'runId' in q ? q.runId : undefined,
      model_id: 'modelId' in q ? q.modelId : undefined,
      depth: q.depth,
    });
    return decodeLineage(res);
  }

  // ---- logged models (MLflow 3) ----

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    const res = await this.t.json<{ model: unknown }>('GET', `/api/2.0/mlflow/logged-models/${seg(modelId)}`);
    return decodeLoggedModel(res.model);
  }

  async searchLoggedModels(opts: SearchLoggedModelsOptions = {}): Promise<SearchLoggedModelsResult> {
    const res = await this.t.json<{ models?: unknown[]; next_page_token?: string }>('POST', '/api/2.0/mlflow/logged-models/search', undefined, {
      experiment_ids: opts.experimentIds,
      filter: opts.filter,
      max_results: opts.maxResults,
      order_by: opts.orderBy?.map((o) =>
        typeof o === 'string'
          ? o
          : { field_name: o.fieldName, ascending: o.ascending, dataset_name: o.datasetName, dataset_digest: o.datasetDigest },
      ),
      page_token: opts.pageToken,
    });
    return page({ models: (res.models ?? []).map(decodeLoggedModel) }, res.next_page_token);
  }
}
