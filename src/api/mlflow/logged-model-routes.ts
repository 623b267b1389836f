import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { artifactPathOf } from '../../artifacts/artifact-uri.js';
import { safeArtifactPath } from '../../artifacts/safe-path.js';
import { requireString } from '../../tracking/validation.js';
import type { LoggedModelService } from '../../registry/index.js';
import type { RunService } from '../../tracking/index.js';
import { mlflowRoute } from './route.js';
import { REGISTRY_SCHEMAS as S } from './registry-schemas.js';
import { loggedModelJson } from './registry-wire.js';

const LM = ['MLflow logged models'];
const ART = ['MLflow artifacts'];

const pathParam = (raw: FastifyRequest, name: string): string | undefined => (raw.params as Record<string, string | undefined>)[name];
/** The real server reads `model_id` from the body on finalize and params; accept it from the path too. */
const modelIdOf = (q: Record<string, unknown>, raw: FastifyRequest): string => requireString(pathParam(raw, 'model_id') || q.model_id, 'model_id');

/**
 * Lists the children of `dir` in the artifact store as MLflow's `FileInfo`s, with paths relative to `base` (the run's
 * or logged model's artifact root). `file_size` is omitted for directories and empty files, as MLflow does.
 */
async function listUnder(store: ArtifactStore, base: string, rel: string) {
  const sub = rel === '' ? '' : safeArtifactPath(rel.replace(/\/+$/, ''), 'path');
  const dir = [base, sub].filter(Boolean).join('/');
  const files = await store.list(dir);
  return files.map((f) => ({
    path: f.path.slice(base === '' ? 0 : base.length + 1),
    is_dir: f.isDir,
    ...(!f.isDir && f.fileSize ? { file_size: f.fileSize } : {}),
  }));
}

/** MLflow 3 logged models, and the run / logged-model artifact listings of the tracking service. */
export function registerLoggedModelRoutes(app: FastifyInstance, s: { loggedModels: LoggedModelService; runs: RunService; artifacts: ArtifactStore }): void {
  const lm = s.loggedModels;
  mlflowRoute(app, 'POST', '/logged-models', { summary: 'Create a logged model (PENDING until finalized)', tags: LM, request: S.createLoggedModel }, async (q) => ({ model: loggedModelJson(await lm.create(q)) }));
  mlflowRoute(app, 'POST', '/logged-models/search', { summary: 'Search logged models', tags: LM, request: S.searchLoggedModels }, async (q) => {
    const res = await lm.search(q);
    return { ...(res.models.length ? { models: res.models.map(loggedModelJson) } : {}), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  });
  mlflowRoute(app, 'GET', '/logged-models/:model_id', { summary: 'Get a logged model', tags: LM, request: S.loggedModelRef }, async (q, raw) => ({ model: loggedModelJson(await lm.get(modelIdOf(q, raw), q)) }));
  mlflowRoute(app, 'PATCH', '/logged-models/:model_id', { summary: 'Finalize a logged model (status READY or UPLOAD_FAILED)', tags: LM, request: S.finalizeLoggedModel }, async (q, raw) => ({
    model: loggedModelJson(await lm.finalize(modelIdOf(q, raw), q)),
  }));
  mlflowRoute(app, 'DELETE', '/logged-models/:model_id', { summary: 'Delete a logged model', tags: LM, request: S.loggedModelRef }, async (q, raw) => lm.delete(modelIdOf(q, raw)));
  mlflowRoute(app, 'PATCH', '/logged-models/:model_id/tags', { summary: 'Set logged model tags', tags: LM, request: S.setLoggedModelTags }, async (q, raw) => lm.setTags(modelIdOf(q, raw), q));
  mlflowRoute(app, 'DELETE', '/logged-models/:model_id/tags/:tag_key', { summary: 'Delete a logged model tag', tags: LM, request: S.loggedModelRef }, async (q, raw) =>
    lm.deleteTag(modelIdOf(q, raw), requireString(pathParam(raw, 'tag_key'), 'tag_key')),
  );
  mlflowRoute(app, 'POST', '/logged-models/:model_id/params', { summary: 'Log logged model params', tags: LM, request: S.logLoggedModelParams }, async (q, raw) => lm.logParams(modelIdOf(q, raw), q));
  mlflowRoute(app, 'GET', '/logged-models/:model_id/artifacts/directories', { summary: 'List a logged model’s artifacts', tags: LM, request: S.listLoggedModelArtifacts }, async (q, raw) => {
    const model = await lm.get(modelIdOf(q, raw));
    const base = artifactPathOf(model.artifactLocation, s.artifacts.rootUri, 'artifact_uri');
    const files = await listUnder(s.artifacts, base, typeof q.artifact_directory_path === 'string' ? q.artifact_directory_path : '');
    return { root_uri: model.artifactLocation, ...(files.length ? { files } : {}) };
  });
  mlflowRoute(app, 'GET', '/artifacts/list', { summary: 'List a run’s artifacts (paths relative to the run’s artifact root)', tags: ART, request: S.listRunArtifacts }, async (q) => {
    const run = await s.runs.getInfo(q);
    const base = artifactPathOf(run.artifactUri, s.artifacts.rootUri, 'artifact_uri');
    const files = await listUnder(s.artifacts, base, typeof q.path === 'string' ? q.path : '');
    return { root_uri: run.artifactUri, ...(files.length ? { files } : {}) };
  });
}
