import { artifactPathOf, proxiedUri } from '../artifacts/artifact-uri.js';
import { safeArtifactPath } from '../artifacts/safe-path.js';
import { invalidParam } from '../core/errors/index.js';
import type { Store } from '../store/index.js';
import { parseModelRef } from './model-uri.js';

export interface ResolvedSource {
  /** Path of the model's bytes inside the artifact store ('' never: a model is not the whole store). */
  storePath: string;
  /** `mlflow-artifacts:/<storePath>`: what get-download-uri answers and clients download through the proxy. */
  storageLocation: string;
  /** The run the source names (runs:/…) or the logged model's source run. */
  runId?: string;
  /** The logged model the source names (models:/m-…). */
  modelId?: string;
}

/**
 * Resolves a model version `source` to a location inside the artifact store. `runs:/<run>/<path>` goes through the
 * run's artifact URI; `models:/m-<id>` through the logged model; `models:/<name>/<v>` and `@alias` through that
 * version; `mlflow-artifacts:/…`, `file://…`, `/abs/…` and `s3://…` must lie inside the store's root. Everything else,
 * and every path that would leave the root (`..`, encoded dots, NUL, backslashes), is a 400 on `source`.
 */
export async function resolveModelSource(store: Store, rootUri: string, source: string): Promise<ResolvedSource> {
  if (typeof source !== 'string' || source === '') throw invalidParam('source must be a non-empty string', 'source');
  if (source.length > 2048) throw invalidParam('source exceeds 2048 characters', 'source');
  const at = (storePath: string, extra: Omit<ResolvedSource, 'storePath' | 'storageLocation'> = {}): ResolvedSource => {
    if (storePath === '') throw invalidParam(`source '${source}' names the whole artifact store, not a model`, 'source');
    return { storePath, storageLocation: proxiedUri(storePath), ...extra };
  };
  if (source.startsWith('runs:')) {
    const ref = parseModelRef(source, 'source');
    if (ref.kind !== 'run') throw invalidParam(`Invalid runs:/ source '${source}'`, 'source');
    const run = await store.runs.getInfo(ref.runId);
    const base = artifactPathOf(run.artifactUri, rootUri, 'source');
    const sub = ref.path === '' ? '' : safeArtifactPath(ref.path, 'source');
    return at([base, sub].filter(Boolean).join('/'), { runId: run.runId });
  }
  if (source.startsWith('models:')) {
    const ref = parseModelRef(source, 'source');
    if (ref.kind === 'logged') {
      const lm = await store.loggedModels.get(ref.modelId);
      return at(artifactPathOf(lm.artifactLocation, rootUri, 'source'), { modelId: lm.modelId, ...(lm.sourceRunId ? { runId: lm.sourceRunId } : {}) });
    }
    if (ref.kind === 'version' || ref.kind === 'alias') {
      const v = ref.kind === 'version' ? await store.registry.getVersion(ref.name, ref.version) : await store.registry.getVersionByAlias(ref.name, ref.alias);
      return at(artifactPathOf(v.storageLocation, rootUri, 'source'), { ...(v.runId ? { runId: v.runId } : {}), ...(v.modelId ? { modelId: v.modelId } : {}) });
    }
    throw invalidParam(`source '${source}' must name one version (models:/<name>/<version> or models:/<name>@<alias>)`, 'source');
  }
  return at(artifactPathOf(source, rootUri, 'source'));
}
