import { AppError, invalidParam } from '../core/errors/index.js';
import type { Approval, ModelVersion, RegisteredModel, Store } from '../store/index.js';
import { checkSearchSize, asArray } from '../tracking/experiment-service.js';
import { decodePageToken, encodePageToken } from '../tracking/search/index.js';
import { MODEL_VERSION_SEARCH, REGISTERED_MODEL_SEARCH, parseEntityFilter, parseEntityOrderBy } from '../tracking/search/entity-filter.js';
import { optionalString, requireString, validateMaxResults } from '../tracking/validation.js';
import { type ModelRef, parseModelRef } from './model-uri.js';
import {
  REGISTRY_LIMITS,
  optionalDescription,
  parseRegistryTags,
  validateAlias,
  validateModelName,
  validateRegistryTag,
  validateStage,
  validateVersion,
} from './registry-validation.js';
import { resolveModelSource } from './source-resolver.js';

type Req = Record<string, unknown>;

/** The refusal when a protected alias would point at a version whose latest review is not an approval. */
export function unapproved(name: string, alias: string, version: string, latest: Approval | undefined): AppError {
  return new AppError(
    'RESOURCE_CONFLICT',
    `Alias '${alias}' of model '${name}' is protected: version ${version} must be approved first (${latest ? `its latest review, by ${latest.approver}, was a rejection` : 'it has no approval'}). Approve it with \`pitwall models approve ${name}/${version}\` or POST /api/v1/models/${encodeURIComponent(name)}/versions/${version}/approvals.`,
    { field: 'version' },
  );
}

/** Reads a stored model and describes it (flavor, signature, files); null when there is nothing to read. */
export type ModelInspector = (storePath: string) => Promise<Record<string, unknown> | null>;

/**
 * MLflow's model registry service (`model_registry.proto`) plus Pitwall's rules: sources confined to the artifact
 * store, a manifest read from the model at registration, and protected aliases that need an approved version.
 */
export class RegistryService {
  constructor(
    private readonly store: Store,
    private readonly artifactRootUri: string,
    private readonly inspect: ModelInspector,
  ) {}

  createModel(req: Req): Promise<RegisteredModel> {
    const description = optionalDescription(req.description);
    return this.store.registry.createModel({ name: validateModelName(req.name), tags: parseRegistryTags(req.tags), ...(description !== undefined ? { description } : {}) });
  }

  getModel(req: Req): Promise<RegisteredModel> {
    return this.store.registry.getModel(validateModelName(req.name));
  }

  renameModel(req: Req): Promise<RegisteredModel> {
    return this.store.registry.renameModel(validateModelName(req.name), validateModelName(req.new_name, 'new_name'));
  }

  updateModel(req: Req): Promise<RegisteredModel> {
    const description = optionalDescription(req.description);
    return this.store.registry.updateModel(validateModelName(req.name), description !== undefined ? { description } : {});
  }

  deleteModel(req: Req): Promise<void> {
    return this.store.registry.deleteModel(validateModelName(req.name));
  }

  async searchModels(req: Req): Promise<{ models: RegisteredModel[]; nextPageToken?: string }> {
    const maxResults = validateMaxResults(req.max_results, 'max_results', REGISTRY_LIMITS.searchModelsDefault, REGISTRY_LIMITS.searchModelsMax);
    const filter = parseEntityFilter(optionalString(req.filter, 'filter'), REGISTERED_MODEL_SEARCH);
    const orderBy = asArray(req.order_by, 'order_by').map((o) => parseEntityOrderBy(requireString(o, 'order_by'), REGISTERED_MODEL_SEARCH));
    checkSearchSize(filter, orderBy);
    const page = await this.store.registry.searchModels({ filter, orderBy, maxResults, offset: decodePageToken(optionalString(req.page_token, 'page_token')) });
    return page.nextOffset === undefined ? { models: page.items } : { models: page.items, nextPageToken: encodePageToken(page.nextOffset) };
  }

  getLatestVersions(req: Req): Promise<ModelVersion[]> {
    const stages = asArray(req.stages, 'stages').map((s, i) => validateStage(s, `stages[${i}]`));
    return this.store.registry.latestVersions(validateModelName(req.name), stages);
  }

  setModelTag(req: Req): Promise<void> {
    return this.store.registry.setModelTag(validateModelName(req.name), validateRegistryTag(req.key, req.value, ''));
  }

  deleteModelTag(req: Req): Promise<void> {
    return this.store.registry.deleteModelTag(validateModelName(req.name), requireString(req.key, 'key'));
  }

  /** Points an alias at a version; a protected alias needs the version's latest review to be an approval. */
  async setAlias(req: Req): Promise<void> {
    const name = validateModelName(req.name);
    const alias = validateAlias(req.alias);
    const version = validateVersion(req.version);
    await this.store.registry.setAlias(name, alias, version, ({ protected: isProtected, latestReview }) => {
      if (isProtected && latestReview?.decision !== 'approved') throw unapproved(name, alias, version, latestReview);
    });
  }

  deleteAlias(req: Req): Promise<void> {
    return this.store.registry.deleteAlias(validateModelName(req.name), validateAlias(req.alias));
  }

  getVersionByAlias(req: Req): Promise<ModelVersion> {
    return this.store.registry.getVersionByAlias(validateModelName(req.name), requireString(req.alias, 'alias'));
  }

  async createVersion(req: Req): Promise<ModelVersion> {
    const name = validateModelName(req.name);
    const source = requireString(req.source, 'source');
    const runIdIn = optionalString(req.run_id, 'run_id') || undefined;
    const modelIdIn = optionalString(req.model_id, 'model_id') || undefined;
    const description = optionalDescription(req.description);
    const tags = parseRegistryTags(req.tags);
    await this.store.registry.getModel(name);
    const resolved = await resolveModelSource(this.store, this.artifactRootUri, source);
    if (runIdIn) await this.store.runs.getInfo(runIdIn);
    if (modelIdIn) await this.store.loggedModels.get(modelIdIn);
    const runId = runIdIn ?? resolved.runId;
    const modelId = modelIdIn ?? resolved.modelId;
    const manifest = await this.inspect(resolved.storePath);
    const created = await this.store.registry.createVersion({
      name,
      source,
      storageLocation: resolved.storageLocation,
      tags,
      manifest,
      ...(runId ? { runId } : {}),
      ...(modelId ? { modelId } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(optionalString(req.run_link, 'run_link') ? { runLink: optionalString(req.run_link, 'run_link')! } : {}),
      ...(optionalString(req.user_id, 'user_id') ? { userId: optionalString(req.user_id, 'user_id')! } : {}),
    });
    if (modelId) await this.recordRegistration(modelId, created);
    const version = { type: 'model_version' as const, id: `${created.name}/${created.version}` };
    await this.store.registry.addLineage([
      ...(runId ? [{ from: { type: 'run' as const, id: runId }, to: version, relation: 'registered_as' }] : []),
      ...(modelId ? [{ from: { type: 'logged_model' as const, id: modelId }, to: version, relation: 'registered_as' }] : []),
    ]);
    return created;
  }

  /** MLflow keeps a logged model's registrations in its `mlflow.modelVersions` tag (a JSON list). */
  private async recordRegistration(modelId: string, v: ModelVersion): Promise<void> {
    const lm = await this.store.loggedModels.get(modelId);
    let list: { name: string; version: string }[] = [];
    try {
      const parsed = JSON.parse(lm.tags.find((t) => t.key === 'mlflow.modelVersions')?.value ?? '[]') as unknown;
      if (Array.isArray(parsed)) list = parsed as typeof list;
    } catch {
      list = [];
    }
    if (!list.some((x) => x.name === v.name && String(x.version) === v.version)) list.push({ name: v.name, version: v.version });
    await this.store.loggedModels.setTags(modelId, [{ key: 'mlflow.modelVersions', value: JSON.stringify(list) }]);
  }

  getVersion(req: Req): Promise<ModelVersion> {
    return this.store.registry.getVersion(validateModelName(req.name), validateVersion(req.version));
  }

  updateVersion(req: Req): Promise<ModelVersion> {
    const description = optionalDescription(req.description);
    return this.store.registry.updateVersion(validateModelName(req.name), validateVersion(req.version), description !== undefined ? { description } : {});
  }

  transitionStage(req: Req): Promise<ModelVersion> {
    const archive = req.archive_existing_versions;
    if (archive !== undefined && archive !== null && typeof archive !== 'boolean' && archive !== 'true' && archive !== 'false') {
      throw invalidParam('archive_existing_versions must be a boolean', 'archive_existing_versions');
    }
    const stage = validateStage(req.stage);
    const archiveExisting = archive === true || archive === 'true';
    // MLflow answers this with a 500; it is the caller's mistake.
    if (archiveExisting && stage !== 'Staging' && stage !== 'Production') {
      throw invalidParam(`Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ['Staging', 'Production']`, 'archive_existing_versions');
    }
    return this.store.registry.transitionStage(validateModelName(req.name), validateVersion(req.version), stage, archiveExisting);
  }

  deleteVersion(req: Req): Promise<void> {
    return this.store.registry.deleteVersion(validateModelName(req.name), validateVersion(req.version));
  }

  async searchVersions(req: Req): Promise<{ versions: ModelVersion[]; nextPageToken?: string }> {
    const maxResults = validateMaxResults(req.max_results, 'max_results', REGISTRY_LIMITS.searchVersionsDefault, REGISTRY_LIMITS.searchVersionsMax);
    const filter = parseEntityFilter(optionalString(req.filter, 'filter'), MODEL_VERSION_SEARCH);
    const orderBy = asArray(req.order_by, 'order_by').map((o) => parseEntityOrderBy(requireString(o, 'order_by'), MODEL_VERSION_SEARCH));
    checkSearchSize(filter, orderBy);
    const page = await this.store.registry.searchVersions({ filter, orderBy, maxResults, offset: decodePageToken(optionalString(req.page_token, 'page_token')) });
    return page.nextOffset === undefined ? { versions: page.items } : { versions: page.items, nextPageToken: encodePageToken(page.nextOffset) };
  }

  async getDownloadUri(req: Req): Promise<string> {
    const v = await this.getVersion(req);
    return v.storageLocation || v.source;
  }

  setVersionTag(req: Req): Promise<void> {
    return this.store.registry.setVersionTag(validateModelName(req.name), validateVersion(req.version), validateRegistryTag(req.key, req.value, ''));
  }

  deleteVersionTag(req: Req): Promise<void> {
    return this.store.registry.deleteVersionTag(validateModelName(req.name), validateVersion(req.version), requireString(req.key, 'key'));
  }

  /** Resolves `models:/name/3`, `models:/name@champion`, `models:/name/latest`, `name/3`, `name@alias` to one version. */
  async resolve(uri: string, field = 'model'): Promise<ModelVersion> {
    const ref: ModelRef = parseModelRef(uri, field);
    switch (ref.kind) {
      case 'version':
        return this.store.registry.getVersion(ref.name, ref.version);
      case 'alias':
        return this.store.registry.getVersionByAlias(ref.name, ref.alias);
      case 'latest': {
        const versions = await this.store.registry.latestVersions(ref.name, ref.stage ? [validateStage(ref.stage, field)] : []);
        const best = versions.sort((a, b) => Number(b.version) - Number(a.version))[0];
        if (!best) throw new AppError('RESOURCE_DOES_NOT_EXIST', `Model '${ref.name}' has no versions${ref.stage ? ` in stage ${ref.stage}` : ''}`, { field });
        return best;
      }
      case 'logged':
        throw invalidParam(`'${uri}' names a logged model, not a registered version; register it first`, field);
      case 'run':
        throw invalidParam(`'${uri}' names run artifacts, not a registered version; register it first`, field);
    }
  }
}
