import type { Transport } from './transport.js';

/**
 * Monitoring (`client.monitoring`): the prediction log, feedback, delayed labels and per-deployment stats. Browser-
 * safe. Prediction records are camelCase; their `inputs` and `outputs` are the request and answer as logged (a
 * string when cut at the server's payload limit: `truncated`).
 */

export interface FeedbackRecord {
  id: string;
  predictionId: string;
  time: number;
  thumbs: 'up' | 'down' | null;
  score: number | null;
  comment: string | null;
}

export interface PredictionRecord {
  id: string;
  time: number;
  deployment: string;
  model: string;
  version: string;
  endpoint: string;
  status: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  entityKey: string | null;
  inputs: unknown;
  outputs: unknown;
  truncated: boolean;
  feedback: FeedbackRecord[];
  /** The ground truth, once labelled. */
  label?: unknown;
  labelledAt?: number;
}

export interface PredictionFilter {
  deployment?: string;
  version?: string;
  /** A code (`200`), a class (`5xx`), `error` or `ok`. */
  status?: string;
  entityKey?: string;
  /** Epoch ms or ISO 8601. */
  from?: number | string;
  to?: number | string;
}

export interface StatsPoint {
  /** Start of the step, epoch ms. */
  time: number;
  requests: number;
  requestRate: number;
  errors4xx: number;
  errors5xx: number;
  errorRate: number | null;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null; mean: number | null };
  costUsd: number;
  costPerRequestUsd: number | null;
  promptTokens: number;
  completionTokens: number;
  tokensPerSecond: number;
  feedback: { count: number; rate: number | null; thumbsDownRate: number | null; scored: number; meanScore: number | null };
  performance: { labelled: number; accuracy: number | null; f1: number | null; mae: number | null; rmse: number | null };
}

export interface VersionStats {
  model: string;
  version: string;
  points: StatsPoint[];
  totals: StatsPoint;
}

export interface DeploymentStats {
  deployment: string;
  from: number;
  to: number;
  stepSeconds: number;
  versions: VersionStats[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const numOrNull = (v: unknown) => (typeof v === 'number' ? v : null);
const strOrNull = (v: unknown) => (typeof v === 'string' ? v : null);

function decodeFeedback(raw: unknown): FeedbackRecord {
  const f = obj(raw);
  return { id: String(f.id ?? ''), predictionId: String(f.prediction_id ?? ''), time: num(f.time), thumbs: f.thumbs === 'up' || f.thumbs === 'down' ? f.thumbs : null, score: numOrNull(f.score), comment: strOrNull(f.comment) };
}

export function decodePrediction(raw: unknown): PredictionRecord {
  const p = obj(raw);
  return {
    id: String(p.id ?? ''),
    time: num(p.time),
    deployment: String(p.deployment ?? ''),
    model: String(p.model ?? ''),
    version: String(p.version ?? ''),
    endpoint: String(p.endpoint ?? ''),
    status: num(p.status),
    latencyMs: num(p.latency_ms),
    promptTokens: num(p.prompt_tokens),
    completionTokens: num(p.completion_tokens),
    costUsd: num(p.cost_usd),
    entityKey: strOrNull(p.entity_key),
    inputs: p.inputs,
    outputs: p.outputs,
    truncated: p.truncated === true,
    feedback: Array.isArray(p.feedback) ? p.feedback.map(decodeFeedback) : [],
    ...('label' in p ? { label: p.label, labelledAt: num(p.labelled_at) } : {}),
  };
}

function decodePoint(raw: unknown): StatsPoint {
  const p = obj(raw);
  const l = obj(p.latency_ms);
  const f = obj(p.feedback);
  const q = obj(p.performance);
  return {
    time: num(p.time),
    requests: num(p.requests),
    requestRate: num(p.request_rate),
    errors4xx: num(p.errors_4xx),
    errors5xx: num(p.errors_5xx),
    errorRate: numOrNull(p.error_rate),
    latencyMs: { p50: numOrNull(l.p50), p95: numOrNull(l.p95), p99: numOrNull(l.p99), mean: numOrNull(l.mean) },
    costUsd: num(p.cost_usd),
    costPerRequestUsd: numOrNull(p.cost_per_request_usd),
    promptTokens: num(p.prompt_tokens),
    completionTokens: num(p.completion_tokens),
    tokensPerSecond: num(p.tokens_per_second),
    feedback: { count: num(f.count), rate: numOrNull(f.rate), thumbsDownRate: numOrNull(f.thumbs_down_rate), scored: num(f.scored), meanScore: numOrNull(f.mean_score) },
    performance: { labelled: num(q.labelled), accuracy: numOrNull(q.accuracy), f1: numOrNull(q.f1), mae: numOrNull(q.mae), rmse: numOrNull(q.rmse) },
  };
}

export function decodeStats(raw: unknown): DeploymentStats {
  const s = obj(raw);
  return {
    deployment: String(s.deployment ?? ''),
    from: num(s.from),
    to: num(s.to),
    stepSeconds: num(s.step_seconds),
    versions: (Array.isArray(s.versions) ? s.versions : []).map((v) => {
      const o = obj(v);
      return { model: String(o.model ?? ''), version: String(o.version ?? ''), points: (Array.isArray(o.points) ? o.points : []).map(decodePoint), totals: decodePoint(o.totals) };
    }),
  };
}

const filterQuery = (f: PredictionFilter) => ({ deployment: f.deployment, version: f.version, status: f.status, entity_key: f.entityKey, from: f.from, to: f.to });

export class MonitoringClient {
  constructor(private readonly t: Transport) {}

  /** One page of the prediction log, newest first (`nextPageToken` continues). */
  async predictions(opts: PredictionFilter & { maxResults?: number; pageToken?: string } = {}): Promise<{ predictions: PredictionRecord[]; nextPageToken?: string }> {
    const res = await this.t.json<{ predictions?: unknown[]; next_page_token?: string }>('GET', '/api/v1/predictions', { ...filterQuery(opts), max_results: opts.maxResults, page_token: opts.pageToken });
    return { predictions: (res.predictions ?? []).map(decodePrediction), ...(res.next_page_token ? { nextPageToken: res.next_page_token } : {}) };
  }

  async prediction(id: string): Promise<PredictionRecord> {
    return decodePrediction((await this.t.json<{ prediction: unknown }>('GET', `/api/v1/predictions/${encodeURIComponent(id)}`)).prediction);
  }

  /** Feedback on a prediction (its id is the `x-pitwall-prediction-id` header of the answer). */
  async feedback(predictionId: string, f: { thumbs?: 'up' | 'down'; score?: number; comment?: string }): Promise<FeedbackRecord> {
    const res = await this.t.json<{ feedback: unknown }>('POST', '/api/v1/feedback', undefined, { prediction_id: predictionId, thumbs: f.thumbs, score: f.score, comment: f.comment });
    return decodeFeedback(res.feedback);
  }

  /** Ground truth for predictions, by prediction id or entity key (the latest prediction about it at or before `time`). */
  async labels(labels: { predictionId?: string; entityKey?: string; label: unknown; time?: number | string }[]): Promise<{ accepted: number; unscored: number; unmatched: { index: number; reason: string }[] }> {
    return this.t.json('POST', '/api/v1/labels', undefined, { labels: labels.map((l) => ({ prediction_id: l.predictionId, entity_key: l.entityKey, label: l.label, time: l.time })) });
  }

  /** A deployment's series per version: `step` as `60`, `5m`, `1h`; `from`/`to` epoch ms or ISO 8601 (default the last hour). */
  async stats(deployment: string, opts: { from?: number | string; to?: number | string; step?: string } = {}): Promise<DeploymentStats> {
    return decodeStats(await this.t.json('GET', `/api/v1/deployments/${encodeURIComponent(deployment)}/stats`, { from: opts.from, to: opts.to, step: opts.step }));
  }
}
