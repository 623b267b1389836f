import type { Transport } from './transport.js';

/**
 * Deployments (`client.deployments`): named serving endpoints over registered model versions, their status on the
 * server, and inference through them. Records and statuses are camelCase, like jobs and the registry; the inference
 * payloads (KServe V2, MLflow scoring) stay exactly as their protocols write them. Browser-safe.
 *
 * LLM deployments (GGUF models served in-process, or upstream OpenAI-compatible servers) answer the OpenAI API under
 * `/v1` (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/models`), with the deployment's name as
 * `model`. This SDK does not wrap it: use the official `openai` client, pointed at Pitwall:
 *
 *     import OpenAI from 'openai';
 *     const openai = new OpenAI({ baseURL: 'http://127.0.0.1:5000/v1', apiKey: 'none' }); // the client insists on a key
 *     await openai.chat.completions.create({ model: 'stories', messages: [{ role: 'user', content: 'Tell me a story' }] });
 *
 * (Python: `OpenAI(base_url="http://127.0.0.1:5000/v1", api_key="none")`.) Status, slots and token counters of those
 * deployments are here, in `status(name).targets[i].llm`.
 */

/**
 * One thing a deployment serves: a registered model by version number or by alias (exactly one of them), or an
 * upstream OpenAI-compatible server by the name the server's configuration gives it (`model` is then `''`).
 */
export interface DeploymentTarget {
  /** The registered model; `''` for an upstream target. */
  model: string;
  version?: string;
  alias?: string;
  /** An upstream server configured by the server's admin (`serving.upstreams`). */
  upstream?: string;
  /** Share of traffic (> 0). */
  weight: number;
}

/** How a deployment serves (every field has a server-side default). */
export interface DeploymentConfig {
  /** Most rows in one batch; 1 turns dynamic batching off (default 32). */
  maxBatchSize: number;
  /** Longest a request waits for others to join its batch, ms (default 5). */
  maxQueueDelayMs: number;
  /** Requests waiting at most; one more gets a 429 (default 256). */
  maxQueue: number;
  /** Default deadline of a request, ms (default 10 000). */
  timeoutMs: number;
  /** onnxruntime threads inside one operator (default 1). */
  intraOpThreads: number;
  /** onnxruntime threads across operators (default 1). */
  interOpThreads: number;
  /** LLMs: sequences generated at once, continuously batched (default 4). */
  parallel: number;
  /** LLMs: tokens one sequence holds, prompt and answer; 0 = the model's training context, at most 4096 (default 0). */
  contextSize: number;
  /** LLMs: llama.cpp threads; 0 = half the cores (default 0). */
  threads: number;
  /** LLMs: the most memory the KV cache of all sequences may take, MiB (default 1024). */
  kvCacheMb: number;
  /** Share of requests recorded in the prediction log, 0-1 (default 1). */
  logSampleRate: number;
  /** Cost model, USD (each default 0): per request, per 1,000 prompt tokens, per 1,000 generated tokens, per second of request time. */
  costPerRequest: number;
  costPer1kInputTokens: number;
  costPer1kOutputTokens: number;
  costPerComputeSecond: number;
}

export interface Deployment {
  name: string;
  description: string;
  targets: DeploymentTarget[];
  config: DeploymentConfig;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  /** 1 at creation, +1 on every update. */
  revision: number;
}

export type TargetState = 'loading' | 'ready' | 'failed';

/** The batch queue of a loaded version. */
export interface TargetQueueStats {
  batches: number;
  requests: number;
  rejected: number;
  expired: number;
  cancelled: number;
  /** Requests waiting now. */
  queued: number;
  /** Whether a batch is running now. */
  batchRunning: boolean;
  /** `maxQueue` of the config the version was loaded with. */
  capacity: number;
}

/** Seconds, over the requests so far; empty before the first one. */
export interface LatencySummary {
  p50?: number;
  p95?: number;
  mean?: number;
}

/**
 * An LLM target's load (`batching` `continuous` or `upstream`): its slots (sequences generated at once), the wait
 * queue, token counters and latencies. The facts about the model (`architecture`…`threads`) are known for GGUF models
 * served in-process; an upstream server may not report them.
 */
export interface LlmTargetStats {
  architecture?: string;
  /** Tokens one sequence (prompt and answer) may hold. */
  contextSize?: number;
  /** The context length the model was trained with. */
  trainContextSize?: number;
  /** The chat template as resolved (`jinja` for the model's own, `chatml` as fallback…). */
  chatTemplate?: string;
  /** llama.cpp threads. */
  threads?: number;
  /** Sequences generated at once. */
  slots: number;
  slotsInUse: number;
  /** Requests waiting for a slot now. */
  queued: number;
  /** Requests that may wait at most (`maxQueue`); one more gets a 429. */
  queueCapacity: number;
  requests: number;
  /** Refused with a 429 (queue full). */
  rejected: number;
  /** Requests ended, by reason: a stop (end of text, stop string), the token limit, cancelled, failed. */
  finished: { stop: number; length: number; abort: number; error: number };
  promptTokens: number;
  generationTokens: number;
  /** Prompt tokens reused from a slot's KV cache instead of being evaluated again. */
  cachedPromptTokens: number;
  timeToFirstTokenSeconds: LatencySummary;
  timePerOutputTokenSeconds: LatencySummary;
  queueTimeSeconds: LatencySummary;
  e2eLatencySeconds: LatencySummary;
}

/** One target as the answering server serves it. */
export interface TargetStatus {
  /** The registered model; `''` for an upstream target. */
  model: string;
  version?: string;
  alias?: string;
  /** The upstream server this target forwards to. */
  upstream?: string;
  /** Upstream targets: whether the last health check passed (an unavailable upstream is out of rotation). */
  available?: boolean;
  weight: number;
  state: TargetState;
  /** The last failed load or lookup (a previously loaded version keeps serving). */
  error?: string;
  /** The version loaded now, once one is. */
  servedVersion?: string;
  loadedAt?: number;
  memoryBytes?: number;
  /**
   * `dynamic`: requests are stacked into batches; `none`: each runs alone (fixed batch dimension); `continuous`: an
   * LLM generating several sequences at once, requests joining as others finish; `upstream`: forwarded to an upstream
   * server, which batches as it does.
   */
  batching?: TargetBatching;
  /** Requests using the loaded version now. */
  inFlight?: number;
  /** Tensor models: the batch queue. */
  queue?: TargetQueueStats;
  /** LLMs (GGUF, upstream): slots, queue, tokens and latencies. */
  llm?: LlmTargetStats;
}

export type TargetBatching = 'dynamic' | 'none' | 'continuous' | 'upstream';

/** A deployment as the server that answered serves it (each replica has its own view). */
export interface DeploymentStatus {
  name: string;
  /** Every target has a version loaded and warmed up, and the server is not draining. */
  ready: boolean;
  /** The deployment revision the server has applied. */
  revision: number;
  /** The server is shutting down. */
  draining: boolean;
  targets: TargetStatus[];
}

/** A target to create a deployment with or switch it to: `{model, version | alias, weight?}` or `{upstream, weight?}`. */
export interface DeploymentTargetInput {
  /** A registered model (with `version` or `alias`); leave out with `upstream`. */
  model?: string;
  version?: string | number;
  alias?: string;
  /** An upstream server from the server's configuration, instead of a registered model. */
  upstream?: string;
  weight?: number;
}

export type DeploymentConfigInput = Partial<DeploymentConfig>;

export interface CreateDeploymentOptions {
  name: string;
  /** `"models:/titanic@champion"`, `"models:/titanic/3"` or `{model, version | alias}`. Give this or `targets`. */
  model?: string | DeploymentTargetInput;
  targets?: DeploymentTargetInput[];
  description?: string;
  config?: DeploymentConfigInput;
}

export interface UpdateDeploymentOptions {
  /** Replaces the targets. */
  model?: string | DeploymentTargetInput;
  targets?: DeploymentTargetInput[];
  description?: string;
  /** Merged into the current config. */
  config?: DeploymentConfigInput;
  /** Refuse the change (409 `RESOURCE_CONFLICT`) if the deployment is no longer at this revision. */
  revision?: number;
}

export interface ListDeploymentsOptions {
  /** 1–1000 (server default 100). */
  maxResults?: number;
  pageToken?: string;
}

export interface ListDeploymentsResult {
  deployments: Deployment[];
  nextPageToken?: string;
}

export interface WaitReadyOptions {
  /** Give up after this long (default 300 000 ms). */
  timeoutMs?: number;
  /** Time between status requests (default 500 ms). */
  pollMs?: number;
  /**
   * Wait for this revision or a later one to be applied (what `create` or `update` returned): after an update, the
   * status of the previous revision says nothing about the new one.
   */
  revision?: number;
  /** Called with every status read, before it is judged. */
  onProgress?: (status: DeploymentStatus) => void;
  signal?: AbortSignal;
}

/** `waitReady` gave up: a target failed to load (`reason: 'failed'`) or the time ran out (`'timeout'`). */
export class DeploymentNotReadyError extends Error {
  readonly reason: 'failed' | 'timeout';
  /** The last status read (undefined if none could be read before the deadline). */
  readonly status: DeploymentStatus | undefined;

  constructor(message: string, reason: 'failed' | 'timeout', status: DeploymentStatus | undefined) {
    super(message);
    this.name = 'DeploymentNotReadyError';
    this.reason = reason;
    this.status = status;
  }
}

// ---- inference payloads (as the protocols write them) ----

export type V2Datatype = 'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';
export type V2Parameters = Record<string, string | number | boolean>;

export interface V2InferInput {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  /** Row-major; flat or nested. */
  data: unknown[];
  parameters?: V2Parameters;
}

/** An Open Inference Protocol (KServe V2) inference request. */
export interface V2InferRequest {
  id?: string;
  inputs: V2InferInput[];
  /** The outputs wanted (all when absent). */
  outputs?: { name: string; parameters?: V2Parameters }[];
  parameters?: V2Parameters;
}

export interface V2InferOutput {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  /** Flat, row-major (NaN and ±Infinity arrive as null). */
  data: (number | string | boolean | null)[];
}

export interface V2InferResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: V2Parameters;
  outputs: V2InferOutput[];
}

/** `GET /v2/models/{name}`: what a deployment takes and gives (`-1` is a dimension of any size). */
export interface V2ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: { name: string; datatype: V2Datatype; shape: number[] }[];
  outputs: { name: string; datatype: V2Datatype; shape: number[] }[];
}

/** A body of MLflow's scoring protocol (`mlflow models serve`): exactly one of the four input fields. */
export type MlflowScoringRequest = (
  | { dataframe_split: { columns?: string[]; index?: unknown[]; data: unknown[][] } }
  | { dataframe_records: Record<string, unknown>[] }
  | { instances: unknown[] | Record<string, unknown> }
  | { inputs: unknown[] | Record<string, unknown> }
) & { params?: Record<string, unknown> };

export interface MlflowScoringResponse {
  /** One record per row (column signatures) or one array per output (tensor signatures). */
  predictions: unknown;
}

export interface InferOptions {
  /** This request's deadline, ms (the `x-pitwall-timeout-ms` header; default: the deployment's `timeout_ms`). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The entity the prediction is about (a customer, a session): labels can later join it by this key. */
  entityKey?: string;
  /** Called with the answer's prediction id (`x-pitwall-prediction-id`), for `client.monitoring.feedback` or labels. */
  onPredictionId?: (id: string) => void;
}

// ---- decoding ----

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const opt = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [key]: v } as { [P in K]?: V }));

const strOpt = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const numOpt = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : num(v));

function decodeTarget(raw: unknown): DeploymentTarget {
  const t = obj(raw);
  return {
    model: String(t.model ?? ''),
    ...opt('version', strOpt(t.version)),
    ...opt('alias', strOpt(t.alias)),
    ...opt('upstream', t.upstream === '' ? undefined : strOpt(t.upstream)),
    weight: t.weight === undefined ? 1 : num(t.weight),
  };
}

function decodeLatency(raw: unknown): LatencySummary {
  const l = obj(raw);
  return { ...opt('p50', numOpt(l.p50)), ...opt('p95', numOpt(l.p95)), ...opt('mean', numOpt(l.mean)) };
}

function decodeLlmStats(raw: unknown): LlmTargetStats {
  const l = obj(raw);
  const f = obj(l.finished);
  return {
    ...opt('architecture', strOpt(l.architecture)),
    ...opt('contextSize', numOpt(l.context_size)),
    ...opt('trainContextSize', numOpt(l.train_context_size)),
    ...opt('chatTemplate', strOpt(l.chat_template)),
    ...opt('threads', numOpt(l.threads)),
    slots: num(l.slots),
    slotsInUse: num(l.slots_in_use),
    queued: num(l.queued),
    queueCapacity: num(l.queue_capacity),
    requests: num(l.requests),
    rejected: num(l.rejected),
    finished: { stop: num(f.stop), length: num(f.length), abort: num(f.abort), error: num(f.error) },
    promptTokens: num(l.prompt_tokens),
    generationTokens: num(l.generation_tokens),
    cachedPromptTokens: num(l.cached_prompt_tokens),
    timeToFirstTokenSeconds: decodeLatency(l.time_to_first_token_seconds),
    timePerOutputTokenSeconds: decodeLatency(l.time_per_output_token_seconds),
    queueTimeSeconds: decodeLatency(l.queue_time_seconds),
    e2eLatencySeconds: decodeLatency(l.e2e_latency_seconds),
  };
}

const BATCHING: readonly string[] = ['dynamic', 'none', 'continuous', 'upstream'] satisfies TargetBatching[];

export function decodeDeployment(raw: unknown): Deployment {
  const d = obj(raw);
  const c = obj(d.config);
  return {
    name: String(d.name ?? ''),
    description: String(d.description ?? ''),
    targets: Array.isArray(d.targets) ? d.targets.map(decodeTarget) : [],
    config: {
      maxBatchSize: num(c.max_batch_size),
      maxQueueDelayMs: num(c.max_queue_delay_ms),
      maxQueue: num(c.max_queue),
      timeoutMs: num(c.timeout_ms),
      intraOpThreads: num(c.intra_op_threads),
      interOpThreads: num(c.inter_op_threads),
      parallel: num(c.parallel),
      contextSize: num(c.context_size),
      threads: num(c.threads),
      kvCacheMb: num(c.kv_cache_mb),
      logSampleRate: typeof c.log_sample_rate === 'number' ? c.log_sample_rate : 1,
      costPerRequest: num(c.cost_per_request),
      costPer1kInputTokens: num(c.cost_per_1k_input_tokens),
      costPer1kOutputTokens: num(c.cost_per_1k_output_tokens),
      costPerComputeSecond: num(c.cost_per_compute_second),
    },
    createdAt: num(d.created_at),
    updatedAt: num(d.updated_at),
    revision: num(d.revision),
  };
}

function decodeTargetStatus(raw: unknown): TargetStatus {
  const t = obj(raw);
  const q = t.queue === undefined || t.queue === null ? undefined : obj(t.queue);
  return {
    ...decodeTarget(t),
    ...opt('available', typeof t.available === 'boolean' ? t.available : undefined),
    state: String(t.state ?? 'loading') as TargetState,
    ...opt('error', strOpt(t.error)),
    ...opt('servedVersion', strOpt(t.served_version)),
    ...opt('loadedAt', numOpt(t.loaded_at)),
    ...opt('memoryBytes', numOpt(t.memory_bytes)),
    ...opt('batching', typeof t.batching === 'string' && BATCHING.includes(t.batching) ? (t.batching as TargetBatching) : undefined),
    ...opt('inFlight', numOpt(t.in_flight)),
    ...opt(
      'queue',
      q && {
        batches: num(q.batches),
        requests: num(q.requests),
        rejected: num(q.rejected),
        expired: num(q.expired),
        cancelled: num(q.cancelled),
        queued: num(q.queued),
        batchRunning: (q.in_flight ?? q.inFlight) === true,
        capacity: num(q.capacity),
      },
    ),
    ...opt('llm', t.llm === undefined || t.llm === null ? undefined : decodeLlmStats(t.llm)),
  };
}

export function decodeDeploymentStatus(raw: unknown): DeploymentStatus {
  const s = obj(raw);
  return {
    name: String(s.name ?? ''),
    ready: s.ready === true,
    revision: num(s.revision),
    draining: s.draining === true,
    targets: Array.isArray(s.targets) ? s.targets.map(decodeTargetStatus) : [],
  };
}

function encodeTarget(t: string | DeploymentTargetInput): unknown {
  if (typeof t === 'string') return t;
  if (t.upstream !== undefined) return { upstream: t.upstream, weight: t.weight };
  return { model: t.model, version: t.version === undefined ? undefined : String(t.version), alias: t.alias, weight: t.weight };
}

/** A config as the API writes it (snake_case); fields left out stay out. */
export function encodeConfig(c: DeploymentConfigInput | undefined): Obj | undefined {
  if (c === undefined) return undefined;
  return {
    max_batch_size: c.maxBatchSize,
    max_queue_delay_ms: c.maxQueueDelayMs,
    max_queue: c.maxQueue,
    timeout_ms: c.timeoutMs,
    intra_op_threads: c.intraOpThreads,
    inter_op_threads: c.interOpThreads,
    parallel: c.parallel,
    context_size: c.contextSize,
    threads: c.threads,
    kv_cache_mb: c.kvCacheMb,
    log_sample_rate: c.logSampleRate,
    cost_per_request: c.costPerRequest,
    cost_per_1k_input_tokens: c.costPer1kInputTokens,
    cost_per_1k_output_tokens: c.costPer1kOutputTokens,
    cost_per_compute_second: c.costPerComputeSecond,
  };
}

/** `target` as people write it: `titanic@champion`, `titanic/3`, `upstream:vllm`. */
export function describeTarget(t: { model?: string | undefined; version?: string | number | undefined; alias?: string | undefined; upstream?: string | undefined }): string {
  if (t.upstream !== undefined) return `upstream:${t.upstream}`;
  return t.alias !== undefined ? `${t.model ?? ''}@${t.alias}` : `${t.model ?? ''}/${t.version ?? '?'}`;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const V1 = '/api/v1/deployments';
const seg = encodeURIComponent;

/**
 * Deployments and inference (`client.deployments`). Errors are `PitwallApiError` (`RESOURCE_DOES_NOT_EXIST` for an
 * unknown deployment or model version, `RESOURCE_ALREADY_EXISTS` when creating a name in use,
 * `INVALID_PARAMETER_VALUE` for a bad request or a model that cannot be served, `RESOURCE_CONFLICT` for a stale
 * `revision`; inference adds 429, 503 while not ready, 504 past the deadline) or `PitwallNetworkError`.
 */
export class DeploymentsClient {
  constructor(private readonly t: Transport) {}

  /** Creates a deployment; its models start loading at once (see `waitReady`). */
  async create(opts: CreateDeploymentOptions): Promise<Deployment> {
    const res = await this.t.json<{ deployment: unknown }>('POST', V1, undefined, {
      name: opts.name,
      model: opts.model === undefined ? undefined : encodeTarget(opts.model),
      targets: opts.targets?.map(encodeTarget),
      description: opts.description,
      config: encodeConfig(opts.config),
    });
    return decodeDeployment(res.deployment);
  }

  async get(name: string): Promise<Deployment> {
    return decodeDeployment((await this.t.json<{ deployment: unknown }>('GET', `${V1}/${seg(name)}`)).deployment);
  }

  /** One page, by name. */
  async list(opts: ListDeploymentsOptions = {}): Promise<ListDeploymentsResult> {
    const res = await this.t.json<{ deployments?: unknown[]; next_page_token?: string }>('GET', V1, { max_results: opts.maxResults, page_token: opts.pageToken });
    const out: ListDeploymentsResult = { deployments: (res.deployments ?? []).map(decodeDeployment) };
    if (typeof res.next_page_token === 'string' && res.next_page_token !== '') out.nextPageToken = res.next_page_token;
    return out;
  }

  /** Every deployment, fetched page by page. */
  async *iterate(opts: { maxResults?: number } = {}): AsyncGenerator<Deployment> {
    let pageToken: string | undefined;
    do {
      const page = await this.list(pageToken === undefined ? opts : { ...opts, pageToken });
      yield* page.deployments;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /**
   * Changes a deployment. New targets are loaded and warmed up beside the old ones and swapped in without failing a
   * request; `config` is merged into the current one.
   */
  async update(name: string, opts: UpdateDeploymentOptions): Promise<Deployment> {
    const res = await this.t.json<{ deployment: unknown }>('PATCH', `${V1}/${seg(name)}`, undefined, {
      model: opts.model === undefined ? undefined : encodeTarget(opts.model),
      targets: opts.targets?.map(encodeTarget),
      description: opts.description,
      config: encodeConfig(opts.config),
      revision: opts.revision,
    });
    return decodeDeployment(res.deployment);
  }

  /** Deletes a deployment: requests in flight finish, then its models are released. */
  async delete(name: string): Promise<void> {
    await this.t.json('DELETE', `${V1}/${seg(name)}`);
  }

  /** The answering server's view: what it has loaded, whether it is ready, queue statistics. */
  async status(name: string): Promise<DeploymentStatus> {
    return decodeDeploymentStatus((await this.t.json<{ status: unknown }>('GET', `${V1}/${seg(name)}/status`)).status);
  }

  /**
   * Polls `status` until the deployment is ready at `opts.revision` or later (every target loaded, warmed up and
   * without error) and resolves with that status. Rejects with `DeploymentNotReadyError` when a target fails to load
   * (`reason: 'failed'`, its error in the message) or when `timeoutMs` passes (`'timeout'`); other errors (an
   * unknown deployment, an unreachable server) are rethrown as they come.
   */
  async waitReady(name: string, opts: WaitReadyOptions = {}): Promise<DeploymentStatus> {
    const timeoutMs = opts.timeoutMs ?? 300_000;
    const pollMs = opts.pollMs ?? 500;
    const deadline = Date.now() + timeoutMs;
    let last: DeploymentStatus | undefined;
    for (;;) {
      opts.signal?.throwIfAborted();
      last = await this.status(name);
      opts.onProgress?.(last);
      if (last.revision >= (opts.revision ?? 0)) {
        if (last.ready && last.targets.every((t) => t.state === 'ready' && t.error === undefined)) return last;
        // `failed`: nothing loaded and the load failed; `ready` with an error: a new version failed, the old one serves.
        const failed = last.targets.find((t) => t.state === 'failed' || (t.state === 'ready' && t.error !== undefined));
        if (failed) {
          throw new DeploymentNotReadyError(`Deployment '${name}' could not load ${describeTarget(failed)}: ${failed.error ?? 'loading failed'}`, 'failed', last);
        }
        if (last.draining) throw new DeploymentNotReadyError(`Deployment '${name}' is not ready: the server is shutting down`, 'failed', last);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const loading = last.targets.filter((t) => t.state !== 'ready').map(describeTarget);
        throw new DeploymentNotReadyError(
          `Deployment '${name}' was not ready after ${Math.round(timeoutMs / 1000)} s${loading.length ? ` (still loading ${loading.join(', ')})` : ''}`,
          'timeout',
          last,
        );
      }
      await sleep(Math.min(pollMs, left), opts.signal);
    }
  }

  /** `GET /v2/models/{name}`: the inputs and outputs a deployment takes and gives. */
  async metadata(name: string): Promise<V2ModelMetadata> {
    return this.t.json<V2ModelMetadata>('GET', `/v2/models/${seg(name)}`);
  }

  /** Open Inference Protocol (KServe V2) inference: `POST /v2/models/{name}/infer`. */
  async infer(name: string, request: V2InferRequest, opts: InferOptions = {}): Promise<V2InferResponse> {
    return this.postJson<V2InferResponse>(`/v2/models/${seg(name)}/infer`, request, opts);
  }

  /** MLflow-scoring inference: `POST /deployments/{name}/invocations`, answered with `{predictions}`. */
  async invoke(name: string, body: MlflowScoringRequest, opts: InferOptions = {}): Promise<MlflowScoringResponse> {
    return this.postJson<MlflowScoringResponse>(`/deployments/${seg(name)}/invocations`, body, opts);
  }

  private async postJson<T>(path: string, body: unknown, opts: InferOptions): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (opts.timeoutMs !== undefined) headers['x-pitwall-timeout-ms'] = String(opts.timeoutMs);
    if (opts.entityKey !== undefined) headers['x-pitwall-entity-key'] = opts.entityKey;
    // The HTTP deadline must outlast the one asked of the server, so the server's 504 is what the caller sees.
    const httpTimeout = opts.timeoutMs === undefined ? undefined : Math.max(this.t.cfg.timeoutMs, opts.timeoutMs + 5_000);
    const res = await this.t.raw('POST', path, { body: JSON.stringify(body), headers, signal: opts.signal, timeoutMs: httpTimeout });
    const id = res.headers.get('x-pitwall-prediction-id');
    if (id && opts.onPredictionId) opts.onPredictionId(id);
    return (await res.json()) as T;
  }
}
