import { AppError, invalidParam } from '../core/errors/index.js';
import { parseModelRef } from '../registry/model-uri.js';
import { validateModelName } from '../registry/registry-validation.js';
import { DEFAULT_DEPLOYMENT_CONFIG, type Deployment, type DeploymentConfig, type DeploymentTarget, type ModelVersion, type Store } from '../store/index.js';
import { decodePageToken, encodePageToken } from '../tracking/search/index.js';
import { validateMaxResults } from '../tracking/validation.js';

type Req = Record<string, unknown>;

/** Deployment names appear in URLs (`/v2/models/{name}`) and as the OpenAI `model` field: kept URL-safe. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_TARGETS = 8;
/** The default deadline of LLM deployments (ms): a long generation takes minutes, not the 10 s of a tensor model. */
export const LLM_DEFAULT_TIMEOUT_MS = 300_000;

/** Each config field: its wire name, and the range a value must fall in. */
const CONFIG_FIELDS: { key: keyof DeploymentConfig; wire: string; min: number; max: number; real?: true }[] = [
  { key: 'maxBatchSize', wire: 'max_batch_size', min: 1, max: 4096 },
  { key: 'maxQueueDelayMs', wire: 'max_queue_delay_ms', min: 0, max: 10_000 },
  { key: 'maxQueue', wire: 'max_queue', min: 1, max: 100_000 },
  { key: 'timeoutMs', wire: 'timeout_ms', min: 1, max: 3_600_000 },
  { key: 'intraOpThreads', wire: 'intra_op_threads', min: 1, max: 64 },
  { key: 'interOpThreads', wire: 'inter_op_threads', min: 1, max: 64 },
  { key: 'parallel', wire: 'parallel', min: 1, max: 256 },
  { key: 'contextSize', wire: 'context_size', min: 0, max: 1 << 20 },
  { key: 'threads', wire: 'threads', min: 0, max: 256 },
  { key: 'kvCacheMb', wire: 'kv_cache_mb', min: 1, max: 1 << 20 },
  { key: 'logSampleRate', wire: 'log_sample_rate', min: 0, max: 1, real: true },
  { key: 'costPerRequest', wire: 'cost_per_request', min: 0, max: 1e6, real: true },
  { key: 'costPer1kInputTokens', wire: 'cost_per_1k_input_tokens', min: 0, max: 1e6, real: true },
  { key: 'costPer1kOutputTokens', wire: 'cost_per_1k_output_tokens', min: 0, max: 1e6, real: true },
  { key: 'costPerComputeSecond', wire: 'cost_per_compute_second', min: 0, max: 1e6, real: true },
];

export function validateDeploymentName(v: unknown, field = 'name'): string {
  if (typeof v !== 'string' || v === '') throw invalidParam(`Missing value for required parameter '${field}'`, field);
  if (!NAME.test(v)) throw invalidParam(`Invalid deployment name '${v.slice(0, 200)}': use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit`, field);
  return v;
}

/** Reads `config` from a request over `base` (the defaults, or the stored config on update). */
export function parseDeploymentConfig(v: unknown, base: DeploymentConfig = DEFAULT_DEPLOYMENT_CONFIG): DeploymentConfig {
  if (v === undefined || v === null) return { ...base };
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam('config must be an object', 'config');
  const known = new Set(CONFIG_FIELDS.map((f) => f.wire));
  const unknown = Object.keys(v).find((k) => !known.has(k));
  if (unknown) throw invalidParam(`Unknown config field '${unknown}'; expected some of ${[...known].join(', ')}`, `config.${unknown}`);
  const out = { ...base };
  for (const f of CONFIG_FIELDS) {
    const x = (v as Req)[f.wire];
    if (x === undefined || x === null) continue;
    if (typeof x !== 'number' || !Number.isFinite(x) || (!f.real && !Number.isInteger(x)) || x < f.min || x > f.max) {
      throw invalidParam(`config.${f.wire} must be ${f.real ? 'a number' : 'an integer'} ${f.min}-${f.max}, got ${JSON.stringify(x)}`, `config.${f.wire}`);
    }
    out[f.key] = x;
  }
  return out;
}

/** Upstream names as the admin configuration writes them. */
const UPSTREAM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function parseUpstream(v: unknown, weight: unknown, field: string, upstreams: readonly string[]): DeploymentTarget {
  if (typeof v !== 'string' || !UPSTREAM.test(v)) throw invalidParam(`${field} must name an upstream from the server's configuration`, field);
  if (!upstreams.includes(v)) {
    const known = upstreams.length ? `configured: ${upstreams.join(', ')}` : 'none is configured (serving.upstreams)';
    throw invalidParam(`No upstream named '${v}' in the server's configuration (${known})`, field);
  }
  const w = weight === undefined || weight === null ? 1 : weight;
  if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0 || w > 1e6) throw invalidParam(`${field.replace(/\.upstream$/, '')}.weight must be a number > 0`, `${field.replace(/\.upstream$/, '')}.weight`);
  return { model: '', upstream: v, weight: w };
}

/**
 * A target from `{model, version | alias, weight}`, `{upstream, weight}`, a model URI string
 * (`models:/titanic@champion`) or `upstream:<name>`.
 */
function parseTarget(v: unknown, field: string, upstreams: readonly string[]): DeploymentTarget {
  if (typeof v === 'string' && v.startsWith('upstream:')) return parseUpstream(v.slice('upstream:'.length), 1, field, upstreams);
  if (v && typeof v === 'object' && !Array.isArray(v) && 'upstream' in v) {
    const t = v as Req;
    const unknown = Object.keys(t).find((k) => !['upstream', 'weight'].includes(k));
    if (unknown) throw invalidParam(`An upstream target takes only upstream and weight, not '${unknown}'`, `${field}.${unknown}`);
    return parseUpstream(t.upstream, t.weight, `${field}.upstream`, upstreams);
  }
  if (typeof v === 'string') {
    const ref = parseModelRef(v, field);
    if (ref.kind === 'version') return { model: ref.name, version: ref.version, weight: 1 };
    if (ref.kind === 'alias') return { model: ref.name, alias: ref.alias, weight: 1 };
    throw invalidParam(`'${v}' must name a registered model version or alias (models:/<name>/<version> or models:/<name>@<alias>)`, field);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidParam(`${field} must be an object {model, version | alias, weight} or a models:/ URI`, field);
  const t = v as Req;
  const unknown = Object.keys(t).find((k) => !['model', 'version', 'alias', 'weight'].includes(k));
  if (unknown) throw invalidParam(`Unknown field '${unknown}' in ${field}`, `${field}.${unknown}`);
  const model = validateModelName(t.model, `${field}.model`);
  const hasVersion = t.version !== undefined && t.version !== null;
  const hasAlias = t.alias !== undefined && t.alias !== null;
  if (hasVersion === hasAlias) throw invalidParam(`${field} needs exactly one of version and alias`, `${field}.${hasVersion ? 'alias' : 'version'}`);
  const weight = t.weight === undefined || t.weight === null ? 1 : t.weight;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > 1e6) throw invalidParam(`${field}.weight must be a number > 0`, `${field}.weight`);
  if (hasVersion) {
    const version = typeof t.version === 'number' ? String(t.version) : t.version;
    if (typeof version !== 'string' || !/^[1-9]\d{0,9}$/.test(version)) throw invalidParam(`${field}.version must be a version number`, `${field}.version`);
    return { model, version, weight };
  }
  if (typeof t.alias !== 'string' || t.alias === '' || t.alias.length > 255) throw invalidParam(`${field}.alias must be a non-empty string`, `${field}.alias`);
  return { model, alias: t.alias, weight };
}

/** `targets` (a list) or `model` (one target, a URI or an object); exactly one of them. */
function parseTargets(req: Req, required: boolean, upstreams: readonly string[]): DeploymentTarget[] | undefined {
  const hasModel = req.model !== undefined && req.model !== null;
  const hasTargets = req.targets !== undefined && req.targets !== null;
  if (hasModel && hasTargets) throw invalidParam('Give either model or targets, not both', 'targets');
  if (!hasModel && !hasTargets) {
    if (required) throw invalidParam("Missing value for required parameter 'model' (e.g. \"models:/titanic@champion\") or 'targets'", 'model');
    return undefined;
  }
  if (hasModel) return [parseTarget(req.model, 'model', upstreams)];
  if (!Array.isArray(req.targets) || req.targets.length === 0) throw invalidParam('targets must be a non-empty list', 'targets');
  if (req.targets.length > MAX_TARGETS) throw invalidParam(`A deployment has at most ${MAX_TARGETS} targets`, 'targets');
  const targets = req.targets.map((t, i) => parseTarget(t, `targets[${i}]`, upstreams));
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    const key = `${t.model}\u0000${t.version ?? ''}\u0000${t.alias ?? ''}\u0000${t.upstream ?? ''}`;
    if (seen.has(key)) throw invalidParam(`targets[${i}] repeats an earlier target`, `targets[${i}]`);
    seen.add(key);
  });
  return targets;
}

function parseDescription(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > 5000) throw invalidParam('description must be a string of at most 5000 characters', 'description');
  return v;
}

/** The wire form of a deployment (snake_case, as the rest of `/api/v1`). */
export function deploymentToWire(d: Deployment): Record<string, unknown> {
  return {
    name: d.name,
    description: d.description,
    targets: d.targets.map((t) =>
      t.upstream !== undefined ? { upstream: t.upstream, weight: t.weight } : { model: t.model, ...(t.version ? { version: t.version } : { alias: t.alias }), weight: t.weight },
    ),
    config: Object.fromEntries(CONFIG_FIELDS.map((f) => [f.wire, d.config[f.key]])),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    revision: d.revision,
  };
}

/**
 * Deployments as the API sees them: checks requests, checks that every target names a model version that exists
 * and can be served (an ONNX model), then writes through the store. Serving itself (`Serving`) hears of the change
 * on the store's change feed.
 */
export class DeploymentService {
  /** `upstreams`: the names of the upstream servers in the admin configuration, which targets may name. */
  constructor(
    private readonly store: Store,
    private readonly upstreams: readonly string[] = [],
  ) {}

  async create(req: Req): Promise<Deployment> {
    const name = validateDeploymentName(req.name);
    const targets = parseTargets(req, true, this.upstreams)!;
    const config = parseDeploymentConfig(req.config);
    const flavors = await this.checkTargets(targets, req.model !== undefined ? 'model' : 'targets');
    // A long generation takes far longer than a tensor inference: LLM deployments get minutes unless told otherwise.
    const timeoutGiven = typeof req.config === 'object' && req.config !== null && (req.config as Req).timeout_ms != null;
    if (flavors.some((f) => f !== 'onnx') && !timeoutGiven) config.timeoutMs = LLM_DEFAULT_TIMEOUT_MS;
    return this.store.deployments.create({ name, description: parseDescription(req.description) ?? '', targets, config });
  }

  get(name: string): Promise<Deployment> {
    return this.store.deployments.get(validateDeploymentName(name));
  }

  async list(req: Req): Promise<{ deployments: Deployment[]; nextPageToken?: string }> {
    const maxResults = validateMaxResults(req.max_results, 'max_results', 100, 1000);
    const token = typeof req.page_token === 'string' ? req.page_token : undefined;
    const page = await this.store.deployments.list({ maxResults, offset: decodePageToken(token) });
    return page.nextOffset === undefined ? { deployments: page.items } : { deployments: page.items, nextPageToken: encodePageToken(page.nextOffset) };
  }

  async update(name: string, req: Req): Promise<Deployment> {
    validateDeploymentName(name);
    const unknown = Object.keys(req).find((k) => !['description', 'model', 'targets', 'config', 'revision'].includes(k));
    if (unknown) throw invalidParam(`Unknown field '${unknown}'; a deployment's name cannot change`, unknown);
    const current = await this.store.deployments.get(name);
    const targets = parseTargets(req, false, this.upstreams);
    const description = parseDescription(req.description);
    const config = req.config === undefined ? undefined : parseDeploymentConfig(req.config, current.config);
    let revision: number | undefined;
    if (req.revision !== undefined && req.revision !== null) {
      if (typeof req.revision !== 'number' || !Number.isInteger(req.revision) || req.revision < 1) throw invalidParam('revision must be a positive integer', 'revision');
      revision = req.revision;
    }
    let edited = config;
    if (targets) {
      const flavors = await this.checkTargets(targets, req.model !== undefined ? 'model' : 'targets');
      // Switched to an LLM with the tensor default deadline still in place: the LLM default, as at creation.
      const timeoutGiven = typeof req.config === 'object' && req.config !== null && (req.config as Req).timeout_ms != null;
      const base = config ?? current.config;
      if (flavors.some((f) => f !== 'onnx') && !timeoutGiven && base.timeoutMs === DEFAULT_DEPLOYMENT_CONFIG.timeoutMs) edited = { ...base, timeoutMs: LLM_DEFAULT_TIMEOUT_MS };
    }
    return this.store.deployments.update(
      name,
      { ...(targets ? { targets } : {}), ...(description !== undefined ? { description } : {}), ...(edited ? { config: edited } : {}) },
      revision ?? current.revision,
    );
  }

  delete(name: string): Promise<void> {
    return this.store.deployments.delete(validateDeploymentName(name));
  }

  /** Every target must resolve to a version whose model file the registry could read as ONNX or GGUF; their flavors. */
  private async checkTargets(targets: DeploymentTarget[], field: string): Promise<('onnx' | 'gguf' | 'upstream')[]> {
    const flavors: ('onnx' | 'gguf' | 'upstream')[] = [];
    for (const [i, t] of targets.entries()) {
      if (t.upstream !== undefined) {
        flavors.push('upstream');
        continue;
      }
      const at = field === 'model' ? 'model' : `targets[${i}]`;
      let v: ModelVersion;
      try {
        v = t.version ? await this.store.registry.getVersion(t.model, t.version) : await this.store.registry.getVersionByAlias(t.model, t.alias!);
      } catch (e) {
        if (e instanceof AppError && e.code === 'RESOURCE_DOES_NOT_EXIST') throw new AppError('RESOURCE_DOES_NOT_EXIST', e.message, { field: at });
        throw e;
      }
      flavors.push(servableFlavor(v, at));
    }
    return flavors;
  }
}

/** The flavor a version is served with (ONNX tensors, or a GGUF LLM); a 400 on `field` for a version Pitwall cannot serve. */
export function servableFlavor(v: ModelVersion, field: string): 'onnx' | 'gguf' {
  const manifest = (v.manifest ?? null) as { flavor?: string; error?: string } | null;
  const flavor = manifest?.flavor;
  if (flavor === 'onnx' || flavor === 'gguf') return flavor;
  const why = manifest?.error ? ` (${manifest.error})` : '';
  throw invalidParam(
    `Model '${v.name}' version ${v.version} cannot be served: its files hold ${flavor === undefined || flavor === 'other' ? 'no readable ONNX or GGUF model' : `a ${flavor} model, which this release does not serve`}${why}`,
    field,
  );
}
