import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newPredictionId } from '../core/index.js';
import type { Monitoring } from '../monitoring/monitoring.js';
import type { ServedModel } from '../serving/served-model.js';

/** The response header carrying a request's prediction id (for feedback and labels). */
export const PREDICTION_ID_HEADER = 'x-pitwall-prediction-id';
/** The request header naming the entity a prediction is about (a customer, a session), for joining labels later. */
export const ENTITY_KEY_HEADER = 'x-pitwall-entity-key';

/** What a route learns about an inference request while answering it. */
export interface PredictionDraft {
  id: string;
  time: number;
  started: number;
  endpoint: string;
  deployment?: string | undefined;
  model?: string | undefined;
  version?: string | undefined;
  entityKey?: string | undefined;
  inputs?: unknown;
  outputs?: unknown;
  promptTokens: number;
  completionTokens: number;
  /** The status a request failed with after its headers went out (a stream cut by a deadline): recorded instead of the 200 sent. */
  failedStatus?: number | undefined;
  /** Live counts an LLM engine updates as it generates; when present they are what is recorded (a request cut short still shows what it used). */
  spent?: { promptTokens: number; completionTokens: number } | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    prediction?: PredictionDraft;
  }
}

const MAX_ENTITY_KEY = 256;

/**
 * Tracks every POST of an inference plugin as a prediction: an id (sent back in `x-pitwall-prediction-id`, also on
 * errors and streams), the deployment (from the route, or set by the handler), the version that answered, inputs,
 * outputs and tokens as the handler notes them; when the response is finished (or the client has gone: 499), the
 * whole goes to `monitoring`. Register it before any hook that may refuse the request, so refusals count too.
 */
export function trackPredictions(app: FastifyInstance, monitoring: Monitoring, deploymentOf: (req: FastifyRequest) => string | undefined): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST') return;
    const key = req.headers[ENTITY_KEY_HEADER];
    const time = Date.now();
    const d: PredictionDraft = {
      id: newPredictionId(time),
      time,
      started: performance.now(),
      endpoint: req.routeOptions.url ?? req.url.split('?')[0]!,
      deployment: deploymentOf(req),
      entityKey: typeof key === 'string' && key !== '' ? key.slice(0, MAX_ENTITY_KEY) : undefined,
      promptTokens: 0,
      completionTokens: 0,
    };
    req.prediction = d;
    reply.raw.setHeader(PREDICTION_ID_HEADER, d.id);
    // Finished: the answer's status; closed before it finished: the client went away (499).
    let recorded = false;
    const done = (status: number) => {
      if (recorded || d.deployment === undefined) return;
      recorded = true;
      monitoring.record({
        id: d.id,
        time: d.time,
        deployment: d.deployment,
        model: d.model,
        version: d.version,
        endpoint: d.endpoint,
        status: d.failedStatus ?? status,
        latencySeconds: (performance.now() - d.started) / 1000,
        entityKey: d.entityKey,
        promptTokens: d.spent?.promptTokens ?? d.promptTokens,
        completionTokens: d.spent?.completionTokens ?? d.completionTokens,
        inputs: d.inputs,
        outputs: d.outputs,
      });
    };
    reply.raw.once('finish', () => done(reply.raw.statusCode));
    reply.raw.once('close', () => done(499));
  });
}

/** A request's inputs for the log: the JSON body's own text (no second serialization), else the parsed body. */
export function requestInputs(req: FastifyRequest): unknown {
  return req.jsonText ?? req.body;
}

/** Notes on the request's prediction what the handler knows: the version that answers, inputs, outputs, tokens. */
export function notePrediction(req: FastifyRequest, facts: Partial<Omit<PredictionDraft, 'id' | 'time' | 'started' | 'endpoint'>> & { served?: ServedModel }): void {
  const d = req.prediction;
  if (!d) return;
  const { served, ...rest } = facts;
  if (served) Object.assign(d, served.labels);
  Object.assign(d, rest);
}
