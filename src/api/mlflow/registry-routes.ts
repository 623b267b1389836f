import type { FastifyInstance } from 'fastify';
import type { RegistryService } from '../../registry/index.js';
import { mlflowRoute } from './route.js';
import { REGISTRY_SCHEMAS as S } from './registry-schemas.js';
import { modelVersionJson, registeredModelJson } from './registry-wire.js';

const RM = ['MLflow registered models'];
const MV = ['MLflow model versions'];

/** MLflow's model registry service (`model_registry.proto`): registered models, aliases and model versions. */
export function registerRegistryRoutes(app: FastifyInstance, s: { registry: RegistryService }): void {
  const r = s.registry;
  const rm = (path: string) => `/registered-models/${path}`;
  const mv = (path: string) => `/model-versions/${path}`;
  mlflowRoute(app, 'POST', rm('create'), { summary: 'Create a registered model', tags: RM, request: S.createModel }, async (q) => ({ registered_model: registeredModelJson(await r.createModel(q)) }));
  mlflowRoute(app, 'POST', rm('rename'), { summary: 'Rename a registered model (its versions follow)', tags: RM, request: S.renameModel }, async (q) => ({ registered_model: registeredModelJson(await r.renameModel(q)) }));
  mlflowRoute(app, 'PATCH', rm('update'), { summary: 'Update a registered model’s description', tags: RM, request: S.updateModel }, async (q) => ({ registered_model: registeredModelJson(await r.updateModel(q)) }));
  mlflowRoute(app, 'DELETE', rm('delete'), { summary: 'Delete a registered model with all its versions', tags: RM, request: S.modelRef }, async (q) => r.deleteModel(q));
  mlflowRoute(app, 'GET', rm('get'), { summary: 'Get a registered model with its latest versions, tags and aliases', tags: RM, request: S.modelRef }, async (q) => ({ registered_model: registeredModelJson(await r.getModel(q)) }));
  mlflowRoute(app, 'GET', rm('search'), { summary: 'Search registered models (filter on name and tags)', tags: RM, request: S.searchModels }, async (q) => {
    const res = await r.searchModels(q);
    return { ...(res.models.length ? { registered_models: res.models.map(registeredModelJson) } : {}), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  });
  const latest = async (q: Record<string, unknown>) => {
    const vs = await r.getLatestVersions(q);
    return vs.length ? { model_versions: vs.map((v) => modelVersionJson(v)) } : {};
  };
  const latestDoc = { summary: 'Latest version per stage (stages are deprecated; prefer aliases)', tags: RM, request: S.latestVersions };
  mlflowRoute(app, 'POST', rm('get-latest-versions'), latestDoc, latest);
  mlflowRoute(app, 'GET', rm('get-latest-versions'), latestDoc, latest);
  mlflowRoute(app, 'POST', rm('set-tag'), { summary: 'Set a registered model tag', tags: RM, request: S.setModelTag }, async (q) => r.setModelTag(q));
  mlflowRoute(app, 'DELETE', rm('delete-tag'), { summary: 'Delete a registered model tag', tags: RM, request: S.deleteModelTag }, async (q) => r.deleteModelTag(q));
  mlflowRoute(app, 'POST', rm('alias'), { summary: 'Point an alias (e.g. champion) at a version', tags: RM, request: S.setAlias }, async (q) => r.setAlias(q));
  mlflowRoute(app, 'DELETE', rm('alias'), { summary: 'Delete an alias', tags: RM, request: S.aliasRef }, async (q) => r.deleteAlias(q));
  mlflowRoute(app, 'GET', rm('alias'), { summary: 'Get the version an alias points at', tags: RM, request: S.aliasRef }, async (q) => ({ model_version: modelVersionJson(await r.getVersionByAlias(q)) }));

  mlflowRoute(app, 'POST', mv('create'), { summary: 'Register a model version from a source inside the artifact store', tags: MV, request: S.createVersion }, async (q) => ({ model_version: modelVersionJson(await r.createVersion(q)) }));
  mlflowRoute(app, 'PATCH', mv('update'), { summary: 'Update a version’s description', tags: MV, request: S.updateVersion }, async (q) => ({ model_version: modelVersionJson(await r.updateVersion(q)) }));
  mlflowRoute(app, 'POST', mv('transition-stage'), { summary: 'Move a version to a stage (deprecated: use aliases)', tags: MV, request: S.transitionStage }, async (q) => ({ model_version: modelVersionJson(await r.transitionStage(q)) }));
  mlflowRoute(app, 'DELETE', mv('delete'), { summary: 'Delete a version (its number is not reused)', tags: MV, request: S.versionRef }, async (q) => r.deleteVersion(q));
  mlflowRoute(app, 'GET', mv('get'), { summary: 'Get a model version', tags: MV, request: S.versionRef }, async (q) => ({ model_version: modelVersionJson(await r.getVersion(q)) }));
  mlflowRoute(app, 'GET', mv('search'), { summary: 'Search model versions (name, run_id, source_path, version_number, tags)', tags: MV, request: S.searchVersions }, async (q) => {
    const res = await r.searchVersions(q);
    return { ...(res.versions.length ? { model_versions: res.versions.map((v) => modelVersionJson(v)) } : {}), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  });
  mlflowRoute(app, 'GET', mv('get-download-uri'), { summary: 'Where to download a version’s files', tags: MV, request: S.versionRef }, async (q) => ({ artifact_uri: await r.getDownloadUri(q) }));
  mlflowRoute(app, 'POST', mv('set-tag'), { summary: 'Set a model version tag', tags: MV, request: S.setVersionTag }, async (q) => r.setVersionTag(q));
  mlflowRoute(app, 'DELETE', mv('delete-tag'), { summary: 'Delete a model version tag', tags: MV, request: S.deleteVersionTag }, async (q) => r.deleteVersionTag(q));
}
