/**
 * The contract of engines that generate text (GGUF in-process through llama.cpp; upstream OpenAI-compatible servers
 * have their own pass-through contract in `upstream/`). The OpenAI routes turn requests into a `GenerationRequest`
 * and format what comes back; engines never see HTTP.
 */
import type { LlmMeter } from './llm-meter.js';

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  /** Text parts are joined; other parts (images, audio) are refused by the protocol layer. */
  content: string;
}

/** What to continue: raw text (`/v1/completions`), token ids, or a conversation rendered with the model's chat template. */
export type Prompt = { kind: 'text'; text: string } | { kind: 'tokens'; tokens: number[] } | { kind: 'chat'; messages: ChatMessage[] };

export type ResponseFormat = { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; schema: Record<string, unknown>; name?: string };

/** Sampling and stopping, with OpenAI's meanings and llama.cpp's defaults where OpenAI has none. */
export interface SamplingParams {
  /** Tokens to generate at most; undefined: until a stop or the sequence's context is full. */
  maxTokens?: number | undefined;
  /** 0 is greedy. */
  temperature: number;
  topP: number;
  /** 0 turns top-k off. */
  topK: number;
  minP: number;
  /** Same seed, same prompt, same parameters: same text. Undefined: a random seed. */
  seed?: number | undefined;
  /** Strings that end the generation; the match is not returned. */
  stop: string[];
  /** OpenAI's, -2..2: subtracted once from the logit of every token already generated. */
  presencePenalty: number;
  /** OpenAI's, -2..2: subtracted per occurrence. */
  frequencyPenalty: number;
  /** llama.cpp's multiplicative repeat penalty (1 = off). */
  repeatPenalty: number;
  /** Keep going past end-of-generation tokens (llama.cpp and vLLM's `ignore_eos`), for benchmarks. */
  ignoreEos: boolean;
  responseFormat?: ResponseFormat | undefined;
}

export const DEFAULT_SAMPLING: Readonly<SamplingParams> = Object.freeze({
  temperature: 1,
  topP: 1,
  topK: 0,
  minP: 0,
  stop: [],
  presencePenalty: 0,
  frequencyPenalty: 0,
  repeatPenalty: 1,
  ignoreEos: false,
});

export interface GenerationRequest {
  prompt: Prompt;
  params: SamplingParams;
  /** Deadline from now (ms); the deployment's `timeout_ms` when absent. */
  timeoutMs?: number | undefined;
  /** Requests that may wait for a slot (the deployment's `max_queue`); one more is refused with a 429. */
  maxQueue?: number | undefined;
  /** Where this request is counted (its deployment's meter, from `newMeter`); the engine's own when absent. */
  meter?: LlmMeter | undefined;
  /** Aborted when the client goes away: the generation stops and its slot is freed at once. */
  signal: AbortSignal;
  /**
   * Kept up to date while the request runs (its prompt once it has a slot, then each generated token): what it used
   * even when it fails, times out or its client leaves, for the prediction log and cost.
   */
  spent?: GenerationUsage | undefined;
}

export type FinishReason = 'stop' | 'length';

export interface GenerationUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens whose KV cache was reused from an earlier request on the same slot (a shared prefix). */
  cachedTokens: number;
}

/** llama.cpp's `timings` extension, in ms. */
export interface GenerationTimings {
  /** Waiting for a free slot. */
  queueMs: number;
  /** Evaluating the prompt tokens that were not cached, up to the first generated token. */
  promptMs: number;
  /** From the first generated token to the last. */
  predictedMs: number;
}

export interface GenerationResult {
  text: string;
  finishReason: FinishReason;
  usage: GenerationUsage;
  timings: GenerationTimings;
}

export interface EmbeddingResult {
  embeddings: number[][];
  promptTokens: number;
}

/** What a loaded LLM is, for `/v1/models` and deployment status. */
export interface LlmInfo {
  architecture: string;
  /** Tokens one sequence (one request: prompt plus generation) may hold. */
  contextSize: number;
  /** The context length the model was trained with. */
  trainContextSize: number;
  /** Sequences generated at once (continuous batching). */
  slots: number;
  /** llama.cpp threads. */
  threads: number;
  /** The chat template's name as resolved (`jinja` when the model's own template is used, `chatml` as fallback). */
  chatTemplate: string;
  vocabularySize: number;
}

export interface LlmEngine {
  readonly kind: 'gguf';
  readonly info: LlmInfo;
  readonly memoryBytes: number;
  /** Set once the engine can no longer run: it must be loaded again. */
  readonly failure: Error | undefined;
  /** Tokens, timings and slot use of every request the engine ran, for status and metrics. */
  readonly meter: LlmMeter;
  /** A meter for one deployment's requests (slots and queue are the engine's, shared by the deployments using it). */
  newMeter(): LlmMeter;
  /** Whether a new request would be refused: every slot busy and `maxQueue` (default: the engine's) waiting. */
  isFull(maxQueue?: number): boolean;
  /** The 429 for a request arriving while full (counted as a rejection on `meter`, and the engine's). */
  refusal(maxQueue?: number, meter?: LlmMeter): Error;
  /**
   * Generates; `onText` receives the text as it is produced (never part of a stop string; never half a UTF-8
   * character). Rejects with a 429 when the queue is full, 504 at the deadline, 400 for a prompt that does not fit.
   * When `signal` aborts, the generation stops, its slot is freed, and the promise rejects with the abort reason.
   */
  generate(req: GenerationRequest, onText?: (text: string) => void): Promise<GenerationResult>;
  /**
   * One embedding per input (a text or token ids), mean-pooled and L2-normalized as llama.cpp's server does; with a
   * deadline and a bound on the requests waiting, as `generate`.
   */
  embed(inputs: (string | number[])[], opts: { signal: AbortSignal; timeoutMs?: number | undefined; maxQueue?: number | undefined }): Promise<EmbeddingResult>;
  /** Ends everything queued or running with `error` now (shutdown past its grace period). */
  abort(error: Error): void;
  /** Frees the model and its context; everything queued or running is answered with an error. */
  unload(): Promise<void>;
}
