/** Deployments: named serving endpoints over registered model versions. */

/**
 * One model a deployment serves: a registered model by version number or by alias (an alias is followed: when it
 * moves, the new version is loaded, warmed up and swapped in), with exactly one of `version` and `alias`; or an
 * upstream OpenAI-compatible server (vLLM, TGI, llama.cpp's server) by the name the server's admin configuration
 * gives it, with `model` empty.
 */
export interface DeploymentTarget {
  /** The registered model; `''` for an upstream target. */
  model: string;
  version?: string;
  alias?: string;
  /** An upstream configured under `serving.upstreams`: its URL and key never leave the server's configuration. */
  upstream?: string;
  /** Share of traffic (> 0). With one target it takes everything; the rollout issue splits by these weights. */
  weight: number;
}

/** How a deployment serves; every field has a default (`DEFAULT_DEPLOYMENT_CONFIG`). */
export interface DeploymentConfig {
  /** Most rows in one batch; 1 turns dynamic batching off. */
  maxBatchSize: number;
  /** Longest a request waits for others to join its batch (ms). */
  maxQueueDelayMs: number;
  /** Requests waiting at most; one more gets a 429 with Retry-After. */
  maxQueue: number;
  /** Default deadline of a request (ms); a request may ask for a shorter or longer one, up to `maxTimeoutMs`. */
  timeoutMs: number;
  /** onnxruntime threads inside one operator. */
  intraOpThreads: number;
  /** onnxruntime threads across operators. */
  interOpThreads: number;
  /** LLMs: sequences generated at once, continuously batched (llama.cpp server's `-np`). */
  parallel: number;
  /** LLMs: tokens one sequence holds, prompt and answer; 0: the model's training context, at most 4096. */
  contextSize: number;
  /** LLMs: llama.cpp threads; 0: half the cores. */
  threads: number;
  /** LLMs: the most memory the KV cache of all sequences may take (MiB). */
  kvCacheMb: number;
  /** Share of requests recorded in the prediction log, 0-1 (metrics and roll-ups count every request). */
  logSampleRate: number;
  /** Cost model (USD), added up per request: a fixed price per request... */
  costPerRequest: number;
  /** ...per 1,000 prompt (input) tokens... */
  costPer1kInputTokens: number;
  /** ...per 1,000 generated (output) tokens... */
  costPer1kOutputTokens: number;
  /** ...and per second of request time (compute-seconds). */
  costPerComputeSecond: number;
}

/** Config fields that change how requests are observed, not how the model is loaded: editing them reloads nothing. */
export const MONITORING_CONFIG_KEYS: readonly (keyof DeploymentConfig)[] = ['logSampleRate', 'costPerRequest', 'costPer1kInputTokens', 'costPer1kOutputTokens', 'costPerComputeSecond'];

export const DEFAULT_DEPLOYMENT_CONFIG: Readonly<DeploymentConfig> = Object.freeze({
  maxBatchSize: 32,
  maxQueueDelayMs: 5,
  maxQueue: 256,
  timeoutMs: 10_000,
  intraOpThreads: 1,
  interOpThreads: 1,
  parallel: 4,
  contextSize: 0,
  threads: 0,
  kvCacheMb: 1024,
  logSampleRate: 1,
  costPerRequest: 0,
  costPer1kInputTokens: 0,
  costPer1kOutputTokens: 0,
  costPerComputeSecond: 0,
});

export interface Deployment {
  name: string;
  description: string;
  targets: DeploymentTarget[];
  config: DeploymentConfig;
  createdAt: number;
  updatedAt: number;
  /** 1 at creation, +1 on every update: lets a writer refuse to overwrite a change it has not seen. */
  revision: number;
}
