import { createHash } from 'node:crypto';
import { AppError } from '../core/errors/index.js';
import type { DeploymentConfig } from '../store/index.js';
import { type BatcherStats, DynamicBatcher, type SubmitOptions } from './batcher.js';
import type { Engine, ModelSignature, Tensor, TensorSpec } from './engine.js';
import type { Histogram } from './histogram.js';
import type { LlmEngine } from './llm/llm-engine.js';
import type { LlmMeter } from './llm/llm-meter.js';
import type { Lease } from './model-cache.js';
import type { UpstreamEngine } from './upstream/upstream-engine.js';

type AnyEngine = Engine | LlmEngine | UpstreamEngine;

/** One input filled with zeros (empty strings, false) at batch size 1: what a warm-up runs. */
function warmUpTensor(s: TensorSpec): Tensor {
  const shape = s.shape.map((d) => (d < 0 ? 1 : d));
  const n = shape.reduce((a, b) => a * b, 1);
  const data = s.datatype === 'BYTES' ? Array<string>(n).fill('') : s.datatype === 'BOOL' ? Array<boolean>(n).fill(false) : Array<number>(n).fill(0);
  return { name: s.name, datatype: s.datatype, shape, data };
}

export interface ServedModelInfo {
  /** The registered model; `''` for an upstream. */
  model: string;
  /** The registered version; `''` for an upstream. */
  version: string;
  /** The upstream's configured name, for an upstream target. */
  upstream?: string;
  /** The file's SHA-256 and the runtime options: what the model cache keys the engine by. */
  cacheKey: string;
  /** The deployment config this instance was built with (its batcher's settings). */
  config: DeploymentConfig;
}

/**
 * One registered version loaded for one deployment target: the cached engine it borrowed and a count of requests
 * using it, so that a swap can retire it only once they have all finished. A tensor model (ONNX) gets its own
 * dynamic batcher and bounded queue; an LLM (GGUF) brings its own slots and queue (continuous batching).
 */
export class ServedModel {
  readonly loadedAt = Date.now();
  /** Seconds the load took, warm-up included (0 when the engine was borrowed from the cache already loaded). */
  loadSeconds = 0;
  private readonly batcher: DynamicBatcher | undefined;
  /** An LLM's counts for this deployment target alone (its engine may serve other deployments too). */
  readonly meter: LlmMeter | undefined;
  private users = 0;
  private idle: (() => void)[] = [];
  private retired = false;

  constructor(
    private readonly lease: Lease,
    readonly info: ServedModelInfo,
  ) {
    const e = lease.engine as AnyEngine;
    this.batcher =
      e.kind === 'onnx'
        ? new DynamicBatcher(e, { maxBatchSize: info.config.maxBatchSize, maxQueueDelayMs: info.config.maxQueueDelayMs, maxQueue: info.config.maxQueue, timeoutMs: info.config.timeoutMs })
        : undefined;
    this.meter = e.kind === 'onnx' ? undefined : e.newMeter();
  }

  /** A short id of the engine (a hash of its cache key): the same for every deployment target sharing it. */
  get engineId(): string {
    return (this.engineIdMemo ??= createHash('sha256').update(this.info.cacheKey).digest('hex').slice(0, 12));
  }

  private engineIdMemo: string | undefined;

  get kind(): 'onnx' | 'gguf' | 'upstream' {
    return (this.lease.engine as AnyEngine).kind;
  }

  /** The tensor engine; a 400 for a text-generation model, which the tensor protocols cannot drive. */
  get engine(): Engine {
    const e = this.lease.engine as AnyEngine;
    if (e.kind !== 'onnx') throw this.notTensor();
    return e;
  }

  private notTensor(): AppError {
    const what = this.info.upstream !== undefined ? `Upstream ${this.info.upstream}` : `Model '${this.info.model}' version ${this.info.version}`;
    return new AppError('INVALID_PARAMETER_VALUE', `${what} generates text: use the OpenAI-compatible API (/v1/completions, /v1/chat/completions)`, { field: 'model' });
  }

  /** The text-generation engine, or undefined for a tensor model. */
  get llm(): LlmEngine | undefined {
    const e = this.lease.engine as AnyEngine;
    return e.kind === 'gguf' ? e : undefined;
  }

  /** The upstream server requests are relayed to, or undefined for an in-process model. */
  get upstream(): UpstreamEngine | undefined {
    const e = this.lease.engine as AnyEngine;
    return e.kind === 'upstream' ? e : undefined;
  }

  get signature(): ModelSignature {
    return this.engine.signature;
  }

  /** Memory the engine holds (bytes). */
  get memoryBytes(): number {
    return this.lease.engine.memoryBytes;
  }

  /** Runs one inference on made-up inputs straight through the engine; throws if the model cannot answer. */
  async warmUp(): Promise<void> {
    // A GGUF engine generated a token when it loaded; an upstream was health-checked when it connected.
    if (this.kind === 'onnx') await this.engine.infer(this.signature.inputs.map(warmUpTensor));
  }

  /** Marks a request as using this model until `leave`. */
  enter(): void {
    this.users++;
  }

  leave(): void {
    this.users--;
    if (this.users === 0) for (const fn of this.idle.splice(0)) fn();
  }

  get inFlight(): number {
    return this.users;
  }

  /** The 429 a request gets without being read, when the queue is already full (counted as a rejection). */
  refusalIfFull(): Error | undefined {
    if (!this.full) return undefined;
    const q = this.info.config.maxQueue;
    return this.llm ? this.llm.refusal(q, this.meter) : this.upstream ? this.upstream.refusal(this.meter) : this.batcher!.refusal();
  }

  /** Whether the queue is full (nothing counted). */
  get full(): boolean {
    if (this.llm) return this.llm.isFull(this.info.config.maxQueue);
    return this.upstream?.full ?? this.batcher!.full;
  }

  submit(inputs: Tensor[], opts: SubmitOptions): Promise<Tensor[]> {
    if (!this.batcher) return Promise.reject(this.notTensor());
    return this.batcher.submit(inputs, opts);
  }

  /** Whether it can take requests now: the engine runs (a crashed worker thread does not) and, for an upstream, its health check passes. */
  get healthy(): boolean {
    return this.lease.engine.failure === undefined && this.upstream?.available !== false;
  }

  /** Whether the engine must be loaded again (an upstream failing its health checks is not: it may recover). */
  get failed(): boolean {
    return this.lease.engine.failure !== undefined;
  }

  /** Answers everything queued or running with `error` now (shutdown past the grace period). */
  abort(error: AppError): void {
    if (this.batcher) this.batcher.abort(error);
    else (this.llm ?? this.upstream)?.abort(error);
  }

  /** The batch queue's counters (tensor models only). */
  stats(): BatcherStats | undefined {
    return this.batcher?.snapshot();
  }

  /** Rows per batch (tensor models only). */
  get batchSizes(): Histogram | undefined {
    return this.batcher?.batchSizes;
  }

  /** Requests waiting: the batch queue, or the LLM's (or upstream's) queue beyond its slots. */
  get queued(): number {
    return this.batcher ? this.batcher.snapshot().queued : (this.meter?.snapshot().queued ?? 0);
  }

  /** The `model` and `version` labels of this target's metrics: an upstream is `upstream:<name>` with no version. */
  get labels(): { model: string; version: string } {
    return this.info.upstream !== undefined ? { model: `upstream:${this.info.upstream}`, version: '' } : { model: this.info.model, version: this.info.version };
  }

  /** Once no request uses it any more, gives the engine back to the cache (which may then unload it). */
  async retire(): Promise<void> {
    if (this.retired) return;
    this.retired = true;
    if (this.users > 0) await new Promise<void>((r) => this.idle.push(r));
    this.lease.release();
  }
}
