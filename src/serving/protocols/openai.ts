/**
 * The OpenAI-compatible API (`/v1/completions`, `/v1/chat/completions`, `/v1/embeddings`, `/v1/models`): request
 * parsing and response building, with no HTTP. Sources: OpenAI's API reference, and REFERENCE.md §4 (the shapes
 * llama.cpp's server answers with).
 *
 * - `model` names a deployment. Parameters take OpenAI's meanings and ranges; `null` is read as absent, as OpenAI
 *   reads it; unknown fields are ignored (as vLLM does; OpenAI refuses some).
 * - Defaults: OpenAI's temperature 1 and top_p 1, llama.cpp's for the rest ({@link DEFAULT_SAMPLING}). `max_tokens`
 *   has no default (llama.cpp and vLLM: until a stop or the context is full; OpenAI's legacy completions stop at 16).
 * - Extensions read as llama.cpp and vLLM read them: `top_k` (-1 or 0: off), `min_p`, `repeat_penalty`, `ignore_eos`.
 *   `response_format` is accepted on both endpoints.
 * - Not supported, refused with a 400 naming the parameter: `n` > 1, `best_of` > 1, `echo`, `suffix`, `logprobs`,
 *   `top_logprobs`, `tools`/`functions`, `tool_choice` other than none/auto, a non-empty `logit_bias`, several prompts
 *   in one request, message parts other than text, embeddings `dimensions`. `user`, `parallel_tool_calls`, `store`,
 *   `metadata` are ignored.
 * - Errors are {@link AppError}s (400 `INVALID_PARAMETER_VALUE`) whose `field` is the parameter (`messages[1].content`,
 *   `stop[0]`); {@link openAiError} renders any AppError as `{error: {message, type, param, code}}`.
 * - Streaming is SSE: `data: <json>\n\n` per chunk, `data: [DONE]\n\n` at the end. {@link StreamFormat} builds each
 *   token's chunk from a prefix and suffix made once per request, so a token costs one `JSON.stringify` of its text.
 */
import { randomUUID } from 'node:crypto';
import { type AppError, invalidParam } from '../../core/errors/index.js';
import {
  type ChatMessage,
  type ChatRole,
  DEFAULT_SAMPLING,
  type EmbeddingResult,
  type GenerationResult,
  type LlmInfo,
  type Prompt,
  type ResponseFormat,
  type SamplingParams,
} from '../llm/llm-engine.js';
import { describe, isPlainObject } from './json-tensors.js';

/** A parsed `/v1/completions` or `/v1/chat/completions` request. */
export interface GenerationCall {
  model: string;
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk with `usage` (and `"usage": null` on the others). */
  includeUsage: boolean;
  prompt: Prompt;
  params: SamplingParams;
}

export interface EmbeddingsCall {
  model: string;
  inputs: (string | number[])[];
  encoding: 'float' | 'base64';
}

const MAX_STOP = 4;
const MAX_EMBEDDING_INPUTS = 2048;
const ROLES: readonly ChatRole[] = ['system', 'developer', 'user', 'assistant', 'tool'];

type Body = Record<string, unknown>;

/** The value of `key`, with `null` read as absent. */
const opt = (b: Body, key: string): unknown => (b[key] === null ? undefined : b[key]);

const unsupported = (param: string, why: string) => invalidParam(`'${param}' is not supported: ${why}`, param);

function objectBody(body: unknown): Body {
  if (!isPlainObject(body)) throw invalidParam(`The request body must be a JSON object, got ${describe(body)}`, 'body');
  return body;
}

/** The deployment a request names (`model`): the one thing read before knowing which engine serves it. */
export function requestModel(body: unknown): string {
  const model = objectBody(body).model;
  if (model === undefined || model === null) throw invalidParam("'model' is required: the name of a deployment (GET /v1/models lists them)", 'model');
  if (typeof model !== 'string' || model === '') throw invalidParam(`'model' must be a deployment name, got ${describe(model)}`, 'model');
  return model;
}

function bool(b: Body, key: string, dflt: boolean): boolean {
  const v = opt(b, key);
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw invalidParam(`'${key}' must be a boolean, got ${describe(v)}`, key);
  return v;
}

/** A number in [min, max] (min excluded when `minOpen`); `int` also requires an integer. */
function num(b: Body, key: string, dflt: number, r: { min: number; max: number; minOpen?: boolean; int?: boolean }): number {
  const v = opt(b, key);
  if (v === undefined) return dflt;
  const ok = typeof v === 'number' && Number.isFinite(v) && (r.minOpen ? v > r.min : v >= r.min) && v <= r.max && (!r.int || Number.isSafeInteger(v));
  if (!ok) {
    const kind = r.int ? 'an integer' : 'a number';
    const range = r.max === Number.MAX_SAFE_INTEGER ? `${r.minOpen ? 'above' : 'at least'} ${r.min}` : `${r.minOpen ? 'above' : 'from'} ${r.min} ${r.minOpen ? 'and at most' : 'to'} ${r.max}`;
    throw invalidParam(`'${key}' must be ${kind} ${range}, got ${describe(v)}`, key);
  }
  return v as number;
}

function parseStop(b: Body): string[] {
  const v = opt(b, 'stop');
  if (v === undefined) return [];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) throw invalidParam(`'stop' must be a string or an array of up to ${MAX_STOP} strings, got ${describe(v)}`, 'stop');
  if (list.length > MAX_STOP) throw invalidParam(`'stop' holds at most ${MAX_STOP} strings, got ${list.length}`, 'stop');
  list.forEach((s, i) => {
    if (typeof s !== 'string') throw invalidParam(`'stop[${i}]' must be a string, got ${describe(s)}`, `stop[${i}]`);
  });
  // An empty stop string would end every generation at once; llama.cpp ignores it too.
  return (list as string[]).filter((s) => s !== '');
}

function parseResponseFormat(b: Body): ResponseFormat | undefined {
  const v = opt(b, 'response_format');
  if (v === undefined) return undefined;
  if (!isPlainObject(v)) throw invalidParam(`'response_format' must be an object {type}, got ${describe(v)}`, 'response_format');
  if (v.type === 'text' || v.type === 'json_object') return { type: v.type };
  if (v.type !== 'json_schema') throw invalidParam(`'response_format.type' must be 'text', 'json_object' or 'json_schema', got ${describe(v.type)}`, 'response_format.type');
  const js = v.json_schema;
  if (!isPlainObject(js)) throw invalidParam(`'response_format.json_schema' must be an object {name, schema, strict?}, got ${describe(js)}`, 'response_format.json_schema');
  if (js.name !== undefined && typeof js.name !== 'string') throw invalidParam(`'response_format.json_schema.name' must be a string, got ${describe(js.name)}`, 'response_format.json_schema.name');
  if (js.strict !== undefined && js.strict !== null && typeof js.strict !== 'boolean') {
    throw invalidParam(`'response_format.json_schema.strict' must be a boolean, got ${describe(js.strict)}`, 'response_format.json_schema.strict');
  }
  // OpenAI makes the schema optional: without one, any JSON object.
  if (js.schema === undefined || js.schema === null) return { type: 'json_object' };
  if (!isPlainObject(js.schema)) throw invalidParam(`'response_format.json_schema.schema' must be a JSON Schema object, got ${describe(js.schema)}`, 'response_format.json_schema.schema');
  return { type: 'json_schema', schema: js.schema, ...(typeof js.name === 'string' ? { name: js.name } : {}) };
}

/** Parameters neither endpoint supports, and `n`. */
function refuseUnsupported(b: Body, endpoint: 'completions' | 'chat'): void {
  const n = num(b, 'n', 1, { min: 1, max: 128, int: true });
  if (n !== 1) throw unsupported('n', 'only one choice per request (n = 1); send several requests instead');
  const lb = opt(b, 'logit_bias');
  if (lb !== undefined && !(isPlainObject(lb) && Object.keys(lb).length === 0)) throw unsupported('logit_bias', 'token biases cannot be set on this server');
  if (endpoint === 'completions') {
    if (num(b, 'best_of', 1, { min: 1, max: 128, int: true }) !== 1) throw unsupported('best_of', 'only best_of = 1');
    if (bool(b, 'echo', false)) throw unsupported('echo', 'the prompt is not echoed back');
    const suffix = opt(b, 'suffix');
    if (suffix !== undefined && suffix !== '') throw unsupported('suffix', 'insertion (fill-in-the-middle) is not available');
    if (opt(b, 'logprobs') !== undefined) throw unsupported('logprobs', 'token log probabilities are not returned');
    return;
  }
  if (bool(b, 'logprobs', false)) throw unsupported('logprobs', 'token log probabilities are not returned');
  if (opt(b, 'top_logprobs') !== undefined) throw unsupported('top_logprobs', 'token log probabilities are not returned');
  const tools = opt(b, 'tools');
  if (tools !== undefined && !(Array.isArray(tools) && tools.length === 0)) throw unsupported('tools', 'tool calling is not available on this server');
  if (opt(b, 'functions') !== undefined) throw unsupported('functions', 'function calling is not available on this server');
  if (opt(b, 'function_call') !== undefined) throw unsupported('function_call', 'function calling is not available on this server');
  const choice = opt(b, 'tool_choice');
  if (choice !== undefined && choice !== 'none' && choice !== 'auto') throw unsupported('tool_choice', "tool calling is not available on this server (only 'none' or 'auto')");
}

function parseSampling(b: Body, endpoint: 'completions' | 'chat'): SamplingParams {
  refuseUnsupported(b, endpoint);
  const maxRange = { min: 1, max: Number.MAX_SAFE_INTEGER, int: true };
  // vLLM: `max_completion_tokens or max_tokens`; the completions endpoint only knows `max_tokens`.
  const maxCompletion = endpoint === 'chat' ? num(b, 'max_completion_tokens', 0, maxRange) || undefined : undefined;
  const maxTokens = num(b, 'max_tokens', 0, maxRange) || undefined;
  const topK = num(b, 'top_k', DEFAULT_SAMPLING.topK, { min: -1, max: Number.MAX_SAFE_INTEGER, int: true });
  const seed = opt(b, 'seed');
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw invalidParam(`'seed' must be an integer, got ${describe(seed)}`, 'seed');
  const responseFormat = parseResponseFormat(b);
  return {
    maxTokens: maxCompletion ?? maxTokens,
    temperature: num(b, 'temperature', DEFAULT_SAMPLING.temperature, { min: 0, max: 2 }),
    topP: num(b, 'top_p', DEFAULT_SAMPLING.topP, { min: 0, max: 1, minOpen: true }),
    topK: topK === -1 ? 0 : topK,
    minP: num(b, 'min_p', DEFAULT_SAMPLING.minP, { min: 0, max: 1 }),
    seed: seed as number | undefined,
    stop: parseStop(b),
    presencePenalty: num(b, 'presence_penalty', DEFAULT_SAMPLING.presencePenalty, { min: -2, max: 2 }),
    frequencyPenalty: num(b, 'frequency_penalty', DEFAULT_SAMPLING.frequencyPenalty, { min: -2, max: 2 }),
    repeatPenalty: num(b, 'repeat_penalty', DEFAULT_SAMPLING.repeatPenalty, { min: 0, max: 10, minOpen: true }),
    ignoreEos: bool(b, 'ignore_eos', DEFAULT_SAMPLING.ignoreEos),
    ...(responseFormat ? { responseFormat } : {}),
  };
}

function parseStreaming(b: Body): { stream: boolean; includeUsage: boolean } {
  const stream = bool(b, 'stream', false);
  const so = opt(b, 'stream_options');
  if (so === undefined) return { stream, includeUsage: false };
  if (!stream) throw invalidParam("'stream_options' is only allowed when 'stream' is true", 'stream_options');
  if (!isPlainObject(so)) throw invalidParam(`'stream_options' must be an object {include_usage}, got ${describe(so)}`, 'stream_options');
  const iu = so.include_usage ?? false;
  if (typeof iu !== 'boolean') throw invalidParam(`'stream_options.include_usage' must be a boolean, got ${describe(iu)}`, 'stream_options.include_usage');
  return { stream, includeUsage: iu };
}

const isTokenId = (t: unknown): t is number => Number.isSafeInteger(t) && (t as number) >= 0;

/** A token-id list at `field`, or a 400. */
function tokenIds(v: unknown[], field: string, what = "'prompt'"): number[] {
  const bad = v.findIndex((t) => !isTokenId(t));
  if (bad >= 0) throw invalidParam(`${what} token ids must be non-negative integers; ${field}[${bad}] is ${describe(v[bad])}`, `${field}[${bad}]`);
  return v as number[];
}

function parsePrompt(v: unknown): Prompt {
  const one = "only one prompt per request is supported: send several requests (they are batched on the server)";
  if (v === undefined || v === null) throw invalidParam("'prompt' is required", 'prompt');
  if (typeof v === 'string') return { kind: 'text', text: v };
  if (!Array.isArray(v)) throw invalidParam(`'prompt' must be a string, an array of token ids, or an array of one of those, got ${describe(v)}`, 'prompt');
  if (v.length === 0) throw invalidParam("'prompt' must not be an empty array", 'prompt');
  if (v.every((x) => typeof x === 'number')) return { kind: 'tokens', tokens: tokenIds(v, 'prompt') };
  if (v.length > 1) throw invalidParam(`'prompt' holds ${v.length} prompts: ${one}`, 'prompt');
  const first = v[0];
  if (typeof first === 'string') return { kind: 'text', text: first };
  if (Array.isArray(first) && first.length > 0) return { kind: 'tokens', tokens: tokenIds(first, 'prompt[0]') };
  throw invalidParam(`'prompt[0]' must be a string or a non-empty array of token ids, got ${describe(first)}`, 'prompt[0]');
}

function parseMessage(m: unknown, i: number): ChatMessage {
  const at = `messages[${i}]`;
  if (!isPlainObject(m)) throw invalidParam(`'${at}' must be an object {role, content}, got ${describe(m)}`, at);
  if (typeof m.role !== 'string' || !(ROLES as readonly string[]).includes(m.role)) {
    throw invalidParam(`'${at}.role' must be one of ${ROLES.join(', ')}, got ${describe(m.role)}`, `${at}.role`);
  }
  const role = m.role as ChatRole;
  const content = m.content ?? undefined;
  // An assistant turn that only called tools has no content.
  if (content === undefined && role === 'assistant') return { role, content: '' };
  if (typeof content === 'string') return { role, content };
  if (!Array.isArray(content)) throw invalidParam(`'${at}.content' must be a string or an array of text parts, got ${describe(content)}`, `${at}.content`);
  const texts = content.map((p: unknown, k) => {
    if (isPlainObject(p) && p.type === 'text' && typeof p.text === 'string') return p.text;
    const type = isPlainObject(p) ? describe(p.type) : describe(p);
    throw invalidParam(`'${at}.content[${k}]' is of type ${type}: only text parts ({type: 'text', text}) are supported`, `${at}.content`);
  });
  // Parts are joined as vLLM joins them.
  return { role, content: texts.join('\n') };
}

function parseMessages(v: unknown): ChatMessage[] {
  if (v === undefined || v === null) throw invalidParam("'messages' is required", 'messages');
  if (!Array.isArray(v)) throw invalidParam(`'messages' must be an array of {role, content}, got ${describe(v)}`, 'messages');
  if (v.length === 0) throw invalidParam("'messages' must hold at least one message", 'messages');
  return v.map(parseMessage);
}

/** Reads a `/v1/completions` body. */
export function parseCompletionRequest(body: unknown): GenerationCall {
  const model = requestModel(body);
  const b = body as Body;
  const prompt = parsePrompt(b.prompt);
  return { model, ...parseStreaming(b), prompt, params: parseSampling(b, 'completions') };
}

/** Reads a `/v1/chat/completions` body. */
export function parseChatRequest(body: unknown): GenerationCall {
  const model = requestModel(body);
  const b = body as Body;
  const messages = parseMessages(b.messages);
  return { model, ...parseStreaming(b), prompt: { kind: 'chat', messages }, params: parseSampling(b, 'chat') };
}

/** Reads a `/v1/embeddings` body: `input` is a string, strings, token ids, or lists of token ids. */
export function parseEmbeddingsRequest(body: unknown): EmbeddingsCall {
  const model = requestModel(body);
  const b = body as Body;
  if (opt(b, 'dimensions') !== undefined) throw unsupported('dimensions', "embeddings have the model's own size");
  const enc = opt(b, 'encoding_format') ?? 'float';
  if (enc !== 'float' && enc !== 'base64') throw invalidParam(`'encoding_format' must be 'float' or 'base64', got ${describe(enc)}`, 'encoding_format');
  const v = b.input;
  if (v === undefined || v === null) throw invalidParam("'input' is required", 'input');
  let inputs: (string | number[])[];
  if (typeof v === 'string') inputs = [v];
  else if (!Array.isArray(v) || v.length === 0) throw invalidParam(`'input' must be a string, an array of strings, an array of token ids, or an array of those, got ${describe(v)}`, 'input');
  else if (v.every((x) => typeof x === 'number')) inputs = [tokenIds(v, 'input', "'input'")];
  else {
    inputs = v.map((x: unknown, i) => {
      if (typeof x === 'string') return x;
      if (Array.isArray(x) && x.length > 0) return tokenIds(x, `input[${i}]`, "'input'");
      throw invalidParam(`'input[${i}]' must be a string or a non-empty array of token ids, got ${describe(x)}`, `input[${i}]`);
    });
  }
  if (inputs.length > MAX_EMBEDDING_INPUTS) throw invalidParam(`'input' holds at most ${MAX_EMBEDDING_INPUTS} items, got ${inputs.length}`, 'input');
  const empty = inputs.findIndex((x) => x.length === 0);
  if (empty >= 0) throw invalidParam(`'input' must not hold an empty string`, typeof v === 'string' ? 'input' : `input[${empty}]`);
  return { model, inputs, encoding: enc };
}

// ---- Responses -------------------------------------------------------------------------------------------------

/** What every object and chunk of one response shares. */
export interface ResponseEnvelope {
  id: string;
  created: number;
  model: string;
}

/** A fresh id (`cmpl-…` for completions, `chatcmpl-…` for chat) and the creation time in seconds. */
export function newEnvelope(kind: 'completion' | 'chat', model: string): ResponseEnvelope {
  return { id: `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replaceAll('-', '')}`, created: Math.floor(Date.now() / 1000), model };
}

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export function usageOf(r: GenerationResult): OpenAiUsage {
  const u = r.usage;
  return { prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.promptTokens + u.completionTokens, prompt_tokens_details: { cached_tokens: u.cachedTokens } };
}

/** llama.cpp's `timings` extension (ms), plus the time spent waiting for a slot (`queue_ms`). */
export function timingsOf(r: GenerationResult): Record<string, number> {
  const promptN = r.usage.promptTokens - r.usage.cachedTokens;
  const predictedN = r.usage.completionTokens;
  const { promptMs, predictedMs, queueMs } = r.timings;
  const perSecond = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : 0);
  return {
    queue_ms: queueMs,
    cache_n: r.usage.cachedTokens,
    prompt_n: promptN,
    prompt_ms: promptMs,
    prompt_per_token_ms: promptN > 0 ? promptMs / promptN : 0,
    prompt_per_second: perSecond(promptN, promptMs),
    predicted_n: predictedN,
    predicted_ms: predictedMs,
    predicted_per_token_ms: predictedN > 0 ? predictedMs / predictedN : 0,
    predicted_per_second: perSecond(predictedN, predictedMs),
  };
}

/** The `text_completion` object of a non-streamed `/v1/completions`. */
export function completionResponse(env: ResponseEnvelope, r: GenerationResult) {
  return {
    id: env.id,
    object: 'text_completion' as const,
    created: env.created,
    model: env.model,
    choices: [{ text: r.text, index: 0, logprobs: null, finish_reason: r.finishReason }],
    usage: usageOf(r),
    timings: timingsOf(r),
  };
}

/** The `chat.completion` object of a non-streamed `/v1/chat/completions`. */
export function chatResponse(env: ResponseEnvelope, r: GenerationResult) {
  return {
    id: env.id,
    object: 'chat.completion' as const,
    created: env.created,
    model: env.model,
    choices: [{ index: 0, message: { role: 'assistant' as const, content: r.text }, logprobs: null, finish_reason: r.finishReason }],
    usage: usageOf(r),
    timings: timingsOf(r),
  };
}

export const SSE_DONE = 'data: [DONE]\n\n';

/** One server-sent event carrying `value` as JSON. */
export const sseEvent = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

/**
 * The SSE text of one streamed response. Chat (as OpenAI streams it): a role-only first chunk
 * (`{"role":"assistant","content":""}`), content deltas, a last choice chunk with an empty delta and the
 * `finish_reason`. Completions: text chunks, then a last chunk with `text: ""` and the `finish_reason`. With
 * `include_usage`, every chunk has `"usage": null` and one more chunk with `choices: []` and the usage comes before
 * `[DONE]`. `timings` ride on the last chunk, as llama.cpp sends them.
 */
export class StreamFormat {
  private readonly head: string;
  private readonly textPrefix: string;
  private readonly textSuffix: string;

  constructor(
    private readonly kind: 'completion' | 'chat',
    private readonly env: ResponseEnvelope,
    private readonly includeUsage: boolean,
  ) {
    const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    this.head = `{"id":${JSON.stringify(env.id)},"object":"${object}","created":${env.created},"model":${JSON.stringify(env.model)},"choices":`;
    const tail = `${includeUsage ? ',"usage":null' : ''}}\n\n`;
    this.textPrefix = `data: ${this.head}[{"index":0,${kind === 'chat' ? '"delta":{"content":' : '"text":'}`;
    this.textSuffix = `${kind === 'chat' ? '}' : ''},"logprobs":null,"finish_reason":null}]${tail}`;
  }

  private chunk(choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
    const object = this.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    return { id: this.env.id, object, created: this.env.created, model: this.env.model, choices, ...(this.includeUsage ? { usage: null } : {}), ...extra };
  }

  /** What goes before the first text: chat's role-only chunk; nothing for completions. */
  start(): string {
    if (this.kind !== 'chat') return '';
    return sseEvent(this.chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
  }

  /** One text delta: one `JSON.stringify` of the text and one concatenation. */
  text(t: string): string {
    return this.textPrefix + JSON.stringify(t) + this.textSuffix;
  }

  /** The last choice chunk, the usage chunk when asked for, and `[DONE]`. */
  finish(r: GenerationResult): string {
    const choice = this.kind === 'chat' ? { index: 0, delta: {}, logprobs: null, finish_reason: r.finishReason } : { index: 0, text: '', logprobs: null, finish_reason: r.finishReason };
    let out = sseEvent(this.chunk([choice], { timings: timingsOf(r) }));
    if (this.includeUsage) out += sseEvent(this.chunk([], { usage: usageOf(r) }));
    return out + SSE_DONE;
  }
}

// ---- Errors ----------------------------------------------------------------------------------------------------

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface OpenAiErrorAnswer {
  status: number;
  body: OpenAiErrorBody;
  /** Seconds, for a `Retry-After` header (429 and 503). */
  retryAfter?: string;
}

const GENERIC_500 = 'The server had an error while processing your request';

/**
 * An AppError in OpenAI's shape: 400s are `invalid_request_error` with `param` = the field at fault; an unknown
 * deployment is a 404 `model_not_found`; 429 `rate_limit_error`/`rate_limit_exceeded` (Retry-After 1); 503 and 504
 * keep their message; anything else is a 500 `server_error` with a generic message (the cause is only logged).
 */
export function openAiError(e: AppError): OpenAiErrorAnswer {
  const status = e.httpStatus;
  const body = (message: string, type: string, param: string | null, code: string | null): OpenAiErrorBody => ({ error: { message, type, param, code } });
  switch (e.code) {
    case 'RESOURCE_DOES_NOT_EXIST':
      return { status, body: body(e.message, 'invalid_request_error', null, 'model_not_found') };
    case 'REQUEST_LIMIT_EXCEEDED':
      return { status, body: body(e.message, 'rate_limit_error', null, 'rate_limit_exceeded'), retryAfter: '1' };
    case 'TEMPORARILY_UNAVAILABLE':
      return { status, body: body(e.message, 'server_error', null, 'service_unavailable'), retryAfter: '2' };
    case 'DEADLINE_EXCEEDED':
      return { status, body: body(e.message, 'server_error', null, 'timeout') };
    case 'PAYLOAD_TOO_LARGE':
      return { status, body: body(e.message, 'invalid_request_error', null, 'request_too_large') };
    default:
      break;
  }
  if (status >= 400 && status < 500) return { status, body: body(e.message, 'invalid_request_error', e.field ?? null, null) };
  return { status: 500, body: body(GENERIC_500, 'server_error', null, null) };
}

// ---- Embeddings and models -------------------------------------------------------------------------------------

/** Little-endian float32 bytes in base64, as OpenAI encodes `encoding_format: "base64"`. */
function base64Floats(v: number[]): string {
  const f = Float32Array.from(v);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
}

export function embeddingsResponse(model: string, r: EmbeddingResult, encoding: 'float' | 'base64') {
  return {
    object: 'list' as const,
    data: r.embeddings.map((e, index) => ({ object: 'embedding' as const, index, embedding: encoding === 'base64' ? base64Floats(e) : e })),
    model,
    usage: { prompt_tokens: r.promptTokens, total_tokens: r.promptTokens },
  };
}

/** A text-generation deployment as `/v1/models` lists it. */
export interface LlmModelEntry {
  name: string;
  /** ms since the epoch. */
  createdAt: number;
  kind: 'gguf' | 'upstream';
  info?: LlmInfo | undefined;
}

export function modelObject(m: LlmModelEntry) {
  const i = m.info;
  const meta = i
    ? { kind: m.kind, architecture: i.architecture, n_ctx: i.contextSize, n_ctx_train: i.trainContextSize, n_vocab: i.vocabularySize, slots: i.slots, threads: i.threads, chat_template: i.chatTemplate }
    : { kind: m.kind };
  return { id: m.name, object: 'model' as const, created: Math.floor(m.createdAt / 1000), owned_by: 'pitwall', meta };
}

export function modelList(models: readonly LlmModelEntry[]) {
  return { object: 'list' as const, data: models.map(modelObject) };
}
