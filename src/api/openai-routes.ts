import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors/index.js';
import type { GenerationCall } from '../serving/protocols/openai.js';
import {
  StreamFormat,
  chatResponse,
  completionResponse,
  embeddingsResponse,
  modelList,
  modelObject,
  newEnvelope,
  openAiError,
  parseChatRequest,
  parseCompletionRequest,
  parseEmbeddingsRequest,
  requestModel,
  sseEvent,
} from '../serving/protocols/openai.js';
import type { GenerationUsage, LlmEngine } from '../serving/llm/llm-engine.js';
import type { LlmMeter } from '../serving/llm/llm-meter.js';
import type { ServedModel } from '../serving/served-model.js';
import type { Serving } from '../serving/serving.js';
import { toAppError } from './error-handler.js';
import { requestContext } from './inference-routes.js';
import type { Monitoring } from '../monitoring/monitoring.js';
import { notePrediction, requestInputs, trackPredictions } from './prediction-tracking.js';

export interface OpenAiRouteOptions {
  serving: Serving;
  monitoring: Monitoring;
  /** Longest deadline a request may ask for (ms, header `x-pitwall-timeout-ms`). */
  maxTimeoutMs: number;
}

/** The paths an upstream deployment is passed through to, unchanged. */
type Endpoint = '/v1/completions' | '/v1/chat/completions' | '/v1/embeddings';

const ModelParams = Type.Object({ model: Type.String() });
const AnyBody = Type.Unknown();
const TAGS = ['OpenAI-compatible'];

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' } as const;

/** Writes an error answer on a hijacked response: JSON with its status if nothing was sent yet, else an SSE error event. */
function writeError(res: ServerResponse, err: unknown, req: FastifyRequest): void {
  const e = toAppError(err);
  const a = openAiError(e);
  if (a.status >= 500 && e.code !== 'TEMPORARILY_UNAVAILABLE' && e.code !== 'DEADLINE_EXCEEDED') req.log.error({ err }, 'generation failed');
  if (res.destroyed || res.writableEnded) return;
  if (!res.headersSent) {
    const body = JSON.stringify(a.body);
    res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...(a.retryAfter ? { 'retry-after': a.retryAfter } : {}) });
    res.end(body);
    return;
  }
  // Mid-stream, as vLLM does: one `data: {"error": …}` event, then the end of the stream. The log and metrics count the error.
  notePrediction(req, { failedStatus: a.status });
  res.end(sseEvent(a.body));
}

/** A request's cancellation, deadline and queue bound: its own deadline, else its deployment's; its deployment's bound. */
interface Limits {
  signal: AbortSignal;
  timeoutMs: number;
  maxQueue: number;
  /** The deployment target's own meter. */
  meter: LlmMeter | undefined;
  /** The request's token counts as the engine goes, noted on its prediction: a request cut short still shows what it used. */
  spent?: GenerationUsage | undefined;
}

const limitsOf = (m: ServedModel, ctx: { timeoutMs?: number; signal: AbortSignal }): Limits => ({
  signal: ctx.signal,
  timeoutMs: ctx.timeoutMs ?? m.info.config.timeoutMs,
  maxQueue: m.info.config.maxQueue,
  meter: m.meter,
});

/** The text-generation engine of `m`; a 400 for a tensor deployment. */
function textEngine(m: ServedModel, name: string): LlmEngine {
  const llm = m.llm;
  if (!llm) {
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `Deployment '${name}' serves model '${m.info.model}', which is not a text-generation model: call it through the Open Inference Protocol (POST /v2/models/${name}/infer)`,
      { field: 'model' },
    );
  }
  return llm;
}

/**
 * Streams one generation as SSE on the hijacked `reply`. Headers go out with the first text (or the end), so that a
 * refusal before any text (429 queue full, 400 prompt too long) is still answered as JSON with its status. Writes
 * are not awaited per token: the engine cannot be paused mid-token, and a token's chunk is small.
 */
async function streamGeneration(reply: FastifyReply, req: FastifyRequest, llm: LlmEngine, call: GenerationCall, kind: 'completion' | 'chat', ctx: Limits): Promise<void> {
  const res = reply.raw;
  const fmt = new StreamFormat(kind, newEnvelope(kind, call.model), call.includeUsage);
  const begin = () => {
    res.writeHead(200, SSE_HEADERS);
    const start = fmt.start();
    if (start) res.write(start);
  };
  const onText = (t: string) => {
    if (res.destroyed) return;
    if (!res.headersSent) begin();
    res.write(fmt.text(t));
  };
  // The text so far is the prediction's output until the end, so a request whose client left shows what it was sent.
  const sent = { text: '' };
  notePrediction(req, { outputs: sent });
  try {
    const result = await llm.generate({ prompt: call.prompt, params: call.params, ...ctx }, (t) => {
      sent.text += t;
      onText(t);
    });
    notePrediction(req, { outputs: { text: sent.text, finish_reason: result.finishReason }, promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens });
    if (res.destroyed) return;
    if (!res.headersSent) begin();
    res.end(fmt.finish(result));
  } catch (err) {
    // The client went away: the engine has stopped and freed the slot; there is no one to answer.
    if (ctx.signal.aborted) {
      res.destroy();
      return;
    }
    writeError(res, err, req);
  }
}

/**
 * The OpenAI-compatible API under `/v1`, with OpenAI's error shape `{error: {message, type, param, code}}` for every
 * error there, fastify's own included (malformed JSON 400, body too large 413, unknown route 404). `model` names a
 * deployment: an in-process GGUF engine answers through `protocols/openai.ts`; an upstream deployment is passed
 * through as is (the upstream server validates the body itself).
 */
async function registerV1(app: FastifyInstance, o: OpenAiRouteOptions): Promise<void> {
  const s = o.serving;
  app.setErrorHandler((err: unknown, req, reply) => {
    const e = toAppError(err);
    const a = openAiError(e);
    if (a.status >= 500 && e.code !== 'TEMPORARILY_UNAVAILABLE' && e.code !== 'DEADLINE_EXCEEDED') req.log.error({ err }, 'request failed');
    if (a.retryAfter) void reply.header('retry-after', a.retryAfter);
    void reply.status(a.status).type('application/json').send(a.body);
  });
  app.setNotFoundHandler((req) => {
    throw new AppError('ENDPOINT_NOT_FOUND', `Invalid URL (${req.method} ${req.url.split('?')[0]})`, { field: 'path' });
  });
  // The deployment is the body's `model`, known once the body is read (`admit`).
  trackPredictions(app, o.monitoring, () => undefined);

  app.get('/models', { schema: { summary: 'Text-generation deployments, as OpenAI lists models', tags: TAGS } }, async () => modelList(s.llmModels()));
  app.get('/models/:model', { schema: { summary: 'One text-generation deployment', tags: TAGS, params: ModelParams } }, async (req) => {
    const name = (req.params as { model: string }).model;
    const m = s.llmModels().find((x) => x.name === name);
    if (!m) throw new AppError('RESOURCE_DOES_NOT_EXIST', `The model '${name}' does not exist: no text-generation deployment has that name`, { field: 'model' });
    return modelObject(m);
  });

  /**
   * The deployment a request names, refused at once (429, or 503 while draining) when its queue is already full. The
   * name is in the body here, so this runs after the body is read (V2 refuses before); the engine checks again.
   */
  const admit = (req: FastifyRequest, queue: 'generation' | 'embedding' = 'generation'): string => {
    const name = requestModel(req.body);
    notePrediction(req, { deployment: name });
    // Embeddings have their own queue in the engine, checked there; a full generation queue does not refuse them.
    const refusal = queue === 'generation' ? s.admissionError(name) : s.drainingError();
    if (refusal) throw refusal;
    return name;
  };

  const generate = async (req: FastifyRequest, reply: FastifyReply, endpoint: Endpoint) => {
    const name = admit(req);
    const ctx = requestContext(req, reply, o.maxTimeoutMs);
    return s.withModel(name, undefined, async (m) => {
      notePrediction(req, { served: m, inputs: requestInputs(req) });
      if (m.upstream) return passThrough(req, reply, m, endpoint, ctx);
      const llm = textEngine(m, name);
      const spent = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
      notePrediction(req, { spent });
      const limits = { ...limitsOf(m, ctx), spent };
      const kind = endpoint === '/v1/chat/completions' ? 'chat' : 'completion';
      const call = kind === 'chat' ? parseChatRequest(req.body) : parseCompletionRequest(req.body);
      if (call.stream) {
        reply.hijack();
        await streamGeneration(reply, req, llm, call, kind, limits);
        return reply;
      }
      const result = await llm.generate({ prompt: call.prompt, params: call.params, ...limits });
      notePrediction(req, { outputs: { text: result.text, finish_reason: result.finishReason }, promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens });
      const env = newEnvelope(kind, name);
      return kind === 'chat' ? chatResponse(env, result) : completionResponse(env, result);
    });
  };

  const passThrough = async (req: FastifyRequest, reply: FastifyReply, m: ServedModel, path: Endpoint, ctx: { timeoutMs?: number; signal: AbortSignal }) => {
    const body = req.body as Record<string, unknown>;
    reply.hijack();
    try {
      const r = await m.upstream!.forward({ path, body, stream: body.stream === true, timeoutMs: ctx.timeoutMs ?? m.info.config.timeoutMs, signal: ctx.signal, reply: reply.raw, meter: m.meter });
      notePrediction(req, { outputs: path === '/v1/embeddings' ? undefined : { text: r.text, ...(r.finishReason ? { finish_reason: r.finishReason } : {}) }, promptTokens: r.promptTokens, completionTokens: r.completionTokens, failedStatus: r.failedStatus });
    } catch (err) {
      if (!ctx.signal.aborted) writeError(reply.raw, err, req);
      else reply.raw.destroy();
    }
    return reply;
  };

  const body = { body: AnyBody };
  app.post(
    '/completions',
    { schema: { summary: 'Text completion (OpenAI legacy completions), streamed as SSE with "stream": true', tags: TAGS, ...body } },
    async (req, reply) => generate(req, reply, '/v1/completions'),
  );
  app.post(
    '/chat/completions',
    { schema: { summary: 'Chat completion with the model’s chat template, streamed as SSE with "stream": true', tags: TAGS, ...body } },
    async (req, reply) => generate(req, reply, '/v1/chat/completions'),
  );
  app.post('/embeddings', { schema: { summary: 'Embeddings (mean-pooled, L2-normalized)', tags: TAGS, ...body } }, async (req, reply) => {
    const name = admit(req, 'embedding');
    const ctx = requestContext(req, reply, o.maxTimeoutMs);
    return s.withModel(name, undefined, async (m) => {
      notePrediction(req, { served: m, inputs: requestInputs(req) });
      if (m.upstream) return passThrough(req, reply, m, '/v1/embeddings', ctx);
      const llm = textEngine(m, name);
      const call = parseEmbeddingsRequest(req.body);
      const result = await llm.embed(call.inputs, limitsOf(m, ctx));
      notePrediction(req, { promptTokens: result.promptTokens });
      return embeddingsResponse(name, result, call.encoding);
    });
  });
}

/** The OpenAI-compatible routes (`/v1/models`, `/v1/completions`, `/v1/chat/completions`, `/v1/embeddings`) over `serving`. */
export async function registerOpenAiRoutes(app: FastifyInstance, o: OpenAiRouteOptions): Promise<void> {
  await app.register(async (child) => registerV1(child, o), { prefix: '/v1' });
}
