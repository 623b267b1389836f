import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidParam } from '../core/errors/index.js';
import { inferResponse, modelMetadata, parseInferRequest, serverMetadata } from '../serving/protocols/kserve-v2.js';
import { parseCsvScoringBody, parseScoringRequest, scoringResponse } from '../serving/protocols/mlflow-scoring.js';
import type { Serving } from '../serving/serving.js';
import { VERSION } from './version.js';
import { toAppError } from './error-handler.js';
import type { Monitoring } from '../monitoring/monitoring.js';
import { notePrediction, requestInputs, trackPredictions } from './prediction-tracking.js';

/** The header that sets one request's deadline (ms), instead of its deployment's `timeout_ms`. */
export const TIMEOUT_HEADER = 'x-pitwall-timeout-ms';

const NameParams = Type.Object({ name: Type.String() });
const VersionParams = Type.Object({ name: Type.String(), version: Type.String() });
const AnyBody = Type.Unknown();

export interface InferenceRouteOptions {
  serving: Serving;
  monitoring: Monitoring;
  /** Longest deadline a request may ask for (ms). */
  maxTimeoutMs: number;
  /** `pitwall serve`: the deployment `/invocations` answers for. */
  single?: string;
}

/**
 * The request's deadline and cancellation: the deadline from the header (or a protocol's own parameter), bounded by
 * the server's maximum; the signal aborts when the client goes away before its answer is written, which drops its
 * queued work.
 */
export function requestContext(req: FastifyRequest, reply: FastifyReply, maxTimeoutMs: number, fromBody?: unknown): { timeoutMs?: number; signal: AbortSignal } {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  const raw = req.headers[TIMEOUT_HEADER] ?? fromBody;
  if (raw === undefined) return { signal: ac.signal };
  const n = Number(raw);
  const field = req.headers[TIMEOUT_HEADER] !== undefined ? TIMEOUT_HEADER : 'parameters.timeout_ms';
  if (!Number.isInteger(n) || n < 1 || n > maxTimeoutMs) throw invalidParam(`${field} must be an integer number of milliseconds, 1-${maxTimeoutMs}`, field);
  return { timeoutMs: n, signal: ac.signal };
}

/**
 * Refuses an inference request before its body is read when its deployment's queues are full (429) or the server is
 * draining (503): under overload, reading and parsing bodies that will be refused anyway is what would sink the
 * process. Requests that pass are still checked again when they queue.
 */
function admission(s: Serving, single?: string) {
  return async (req: FastifyRequest) => {
    if (req.method !== 'POST') return;
    const name = (req.params as { name?: string }).name ?? single;
    if (name === undefined) return;
    const refusal = s.admissionError(name);
    if (refusal) throw refusal;
  };
}

/**
 * The Open Inference Protocol (KServe V2) REST routes, with their own error shape `{"error": "…"}` (status codes as
 * everywhere else: 400 bad input, 404 unknown model, 429 queue full with Retry-After, 503 not ready, 504 deadline).
 */
async function registerV2(app: FastifyInstance, o: InferenceRouteOptions): Promise<void> {
  const s = o.serving;
  app.setErrorHandler((err: unknown, req, reply) => {
    const e = toAppError(err);
    if (e.httpStatus >= 500 && e.code !== 'TEMPORARILY_UNAVAILABLE' && e.code !== 'DEADLINE_EXCEEDED') req.log.error({ err }, 'inference failed');
    if (e.code === 'REQUEST_LIMIT_EXCEEDED') void reply.header('retry-after', '1');
    if (e.code === 'TEMPORARILY_UNAVAILABLE') void reply.header('retry-after', '2');
    void reply.status(e.httpStatus).type('application/json').send({ error: e.code === 'INTERNAL_ERROR' ? 'Internal server error' : e.message });
  });
  trackPredictions(app, o.monitoring, (req) => (req.params as { name?: string }).name);
  app.addHook('onRequest', admission(s));
  const TAGS = ['Open Inference Protocol (KServe V2)'];
  app.get('/v2', { schema: { summary: 'Server metadata', tags: TAGS } }, async () => serverMetadata(VERSION));
  app.get('/v2/health/live', { schema: { summary: 'Liveness', tags: TAGS } }, async () => ({ live: true }));
  app.get('/v2/health/ready', { schema: { summary: 'Readiness: every deployment loaded and warmed up, not draining (503 otherwise)', tags: TAGS } }, async (_req, reply) => {
    const ready = s.ready;
    return reply.status(ready ? 200 : 503).send({ ready });
  });
  const metadata = async (name: string, version?: string) =>
    s.withModel(name, version, async (m) => modelMetadata(name, version ? [version] : [m.info.version], 'onnxruntime_onnx', m.signature));
  app.get('/v2/models/:name', { schema: { summary: 'Model metadata: inputs and outputs with datatypes and shapes', tags: TAGS, params: NameParams } }, async (req) => {
    return metadata((req.params as { name: string }).name);
  });
  app.get('/v2/models/:name/versions/:version', { schema: { summary: 'Model metadata of one served version', tags: TAGS, params: VersionParams } }, async (req) => {
    const p = req.params as { name: string; version: string };
    return metadata(p.name, p.version);
  });
  const ready = async (name: string, version: string | undefined, reply: FastifyReply) => {
    let ok = await s.isReady(name);
    if (ok && version !== undefined) ok = (await s.status(name)).targets.some((t) => t.served_version === version);
    return reply.status(ok ? 200 : 503).send({ name, ...(version ? { version } : {}), ready: ok });
  };
  app.get('/v2/models/:name/ready', { schema: { summary: 'Model readiness (503 when not ready)', tags: TAGS, params: NameParams } }, async (req, reply) =>
    ready((req.params as { name: string }).name, undefined, reply),
  );
  app.get('/v2/models/:name/versions/:version/ready', { schema: { summary: 'Readiness of one served version', tags: TAGS, params: VersionParams } }, async (req, reply) => {
    const p = req.params as { name: string; version: string };
    return ready(p.name, p.version, reply);
  });
  const infer = async (req: FastifyRequest, reply: FastifyReply, name: string, version?: string) => {
    const body = req.body as { parameters?: { timeout_ms?: unknown } } | undefined;
    const ctx = requestContext(req, reply, o.maxTimeoutMs, body && typeof body === 'object' ? body.parameters?.timeout_ms : undefined);
    return s.withModel(name, version, async (m) => {
      notePrediction(req, { served: m, inputs: requestInputs(req) });
      const parsed = parseInferRequest(req.body, m.signature);
      const outputs = await m.submit(parsed.inputs, ctx);
      const answer = inferResponse(name, m.info.version, parsed.id, outputs, parsed.outputs);
      notePrediction(req, { outputs: answer.outputs });
      return answer;
    });
  };
  app.post('/v2/models/:name/infer', { schema: { summary: 'Inference', tags: TAGS, params: NameParams, body: AnyBody } }, async (req, reply) =>
    infer(req, reply, (req.params as { name: string }).name),
  );
  app.post('/v2/models/:name/versions/:version/infer', { schema: { summary: 'Inference on one served version', tags: TAGS, params: VersionParams, body: AnyBody } }, async (req, reply) => {
    const p = req.params as { name: string; version: string };
    return infer(req, reply, p.name, p.version);
  });
}

/** MLflow's scoring protocol (`mlflow models serve`): JSON (`dataframe_split`, `dataframe_records`, `instances`, `inputs`) or CSV. */
async function registerMlflowScoring(app: FastifyInstance, o: InferenceRouteOptions): Promise<void> {
  const s = o.serving;
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, { csv: body as string }));
  trackPredictions(app, o.monitoring, (req) => (req.params as { name?: string }).name ?? o.single);
  app.addHook('onRequest', admission(s, o.single));
  const TAGS = ['MLflow scoring'];
  const invoke = async (req: FastifyRequest, reply: FastifyReply, name: string) => {
    const ctx = requestContext(req, reply, o.maxTimeoutMs);
    return s.withModel(name, undefined, async (m) => {
      const body = req.body as { csv?: string } | undefined;
      const csv = String(req.headers['content-type'] ?? '').includes('csv');
      notePrediction(req, { served: m, inputs: csv ? body?.csv : requestInputs(req) });
      const parsed = csv ? parseCsvScoringBody(body?.csv ?? '', m.signature) : parseScoringRequest(req.body, m.signature);
      const outputs = await m.submit(parsed.inputs, ctx);
      const answer = scoringResponse(outputs, parsed.kind);
      notePrediction(req, { outputs: answer.predictions });
      return answer;
    });
  };
  app.post(
    '/deployments/:name/invocations',
    {
      schema: {
        summary: 'Score with a deployment, MLflow scoring-server style',
        description: 'Body as `mlflow models serve` takes it: `{"dataframe_split": …}`, `{"dataframe_records": …}`, `{"instances": …}`, `{"inputs": …}` (JSON), or CSV with a header row. Answers `{"predictions": …}`.',
        tags: TAGS,
        params: NameParams,
        body: AnyBody,
      },
    },
    async (req, reply) => invoke(req, reply, (req.params as { name: string }).name),
  );
  const single = o.single;
  if (single !== undefined) {
    app.post('/invocations', { schema: { summary: `Score with the served model (${single})`, tags: TAGS, body: AnyBody } }, async (req, reply) => invoke(req, reply, single));
    app.get('/ping', { schema: { summary: 'MLflow scoring-server health: 200 once the model is ready', tags: TAGS } }, async (_req, reply) => {
      const ok = await s.isReady(single);
      return reply.status(ok ? 200 : 503).type('text/plain').send(ok ? '\n' : 'not ready\n');
    });
  }
}

/** Inference routes over `serving`: KServe V2 under `/v2`, MLflow scoring under `/deployments/{name}/invocations`. */
export async function registerInferenceRoutes(app: FastifyInstance, o: InferenceRouteOptions): Promise<void> {
  await app.register(async (child) => registerV2(child, o));
  await app.register(async (child) => registerMlflowScoring(child, o));
}
