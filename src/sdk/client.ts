import { PitwallApiError, PitwallNetworkError } from './errors.js';
import type {
  DatasetInput,
  Experiment,
  MetricCurve,
  MetricHistoryResult,
  MetricWithRunId,
  Param,
  Run,
  RunInfo,
  RunStatus,
  SearchExperimentsResult,
  SearchRunsResult,
  Tag,
  ViewType,
} from './types.js';
import { decodeCurve, decodeExperiment, decodeMetric, decodeMetricWithRunId, decodeRun, decodeRunInfo, encodeMetricValue } from './wire.js';

export interface PitwallClientOptions {
  /** Server root, e.g. `http://127.0.0.1:5000` (a trailing slash is fine). */
  baseUrl: string;
  /** A `fetch` implementation; the global one by default. */
  fetch?: typeof fetch;
  /** Per-request deadline in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Extra headers sent with every request (e.g. `Authorization`). */
  headers?: Record<string, string>;
}

/** Tags given either as MLflow's list of `{key, value}` or as a plain record. */
export type TagsInput = Tag[] | Record<string, string>;

export interface MetricInput {
  key: string;
  value: number;
  /** Epoch milliseconds; now when omitted. */
  timestamp?: number;
  step?: number;
}

export interface SearchExperimentsOptions {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  viewType?: ViewType;
}

export interface SearchRunsOptions {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

const MLFLOW = '/api/2.0/mlflow';

function toTags(tags: TagsInput | undefined): Tag[] | undefined {
  if (tags === undefined) return undefined;
  if (Array.isArray(tags)) return tags;
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** Typed client for Pitwall's MLflow-compatible tracking API and its own `/api/v1` extras. */
export class PitwallClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(opts: PitwallClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new TypeError(`invalid Pitwall URL '${opts.baseUrl}' (expected e.g. http://127.0.0.1:5000)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`invalid Pitwall URL '${opts.baseUrl}': only http and https are supported`);
    }
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.headers = { ...(opts.headers ?? {}) };
  }

  // ---- experiments ----

  async createExperiment(name: string, opts: { artifactLocation?: string; tags?: TagsInput } = {}): Promise<string> {
    const res = await this.post<{ experiment_id: string }>(`${MLFLOW}/experiments/create`, {
      name,
      artifact_location: opts.artifactLocation,
      tags: toTags(opts.tags),
    });
    return String(res.experiment_id);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const res = await this.get<{ experiment: unknown }>(`${MLFLOW}/experiments/get`, { experiment_id: experimentId });
    return decodeExperiment(res.experiment);
  }

  async getExperimentByName(name: string): Promise<Experiment> {
    const res = await this.get<{ experiment: unknown }>(`${MLFLOW}/experiments/get-by-name`, { experiment_name: name });
    return decodeExperiment(res.experiment);
  }

  async searchExperiments(opts: SearchExperimentsOptions = {}): Promise<SearchExperimentsResult> {
    const res = await this.post<{ experiments?: unknown[]; next_page_token?: string }>(`${MLFLOW}/experiments/search`, {
      filter: opts.filter,
      order_by: opts.orderBy,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
      view_type: opts.viewType,
    });
    return withToken({ experiments: (res.experiments ?? []).map(decodeExperiment) }, res.next_page_token);
  }

  /** Every experiment matching `opts`, fetched page by page. */
  async *iterateExperiments(opts: Omit<SearchExperimentsOptions, 'pageToken'> = {}): AsyncGenerator<Experiment> {
    let pageToken: string | undefined;
    do {
      const page = await this.searchExperiments(pageToken === undefined ? opts : { ...opts, pageToken });
      yield* page.experiments;
      pageToken = page.next_page_token;
    } while (pageToken);
  }

  async updateExperiment(experimentId: string, newName: string): Promise<void> {
    await this.post(`${MLFLOW}/experiments/update`, { experiment_id: experimentId, new_name: newName });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.post(`${MLFLOW}/experiments/delete`, { experiment_id: experimentId });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.post(`${MLFLOW}/experiments/restore`, { experiment_id: experimentId });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.post(`${MLFLOW}/experiments/set-experiment-tag`, { experiment_id: experimentId, key, value });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.post(`${MLFLOW}/experiments/delete-experiment-tag`, { experiment_id: experimentId, key });
  }

  // ---- runs ----

  async createRun(opts: { experimentId: string; runName?: string; startTime?: number; tags?: TagsInput; userId?: string }): Promise<Run> {
    const res = await this.post<{ run: unknown }>(`${MLFLOW}/runs/create`, {
      experiment_id: opts.experimentId,
      run_name: opts.runName,
      start_time: opts.startTime ?? Date.now(),
      tags: toTags(opts.tags),
      user_id: opts.userId,
    });
    return decodeRun(res.run);
  }

  async getRun(runId: string): Promise<Run> {
    const res = await this.get<{ run: unknown }>(`${MLFLOW}/runs/get`, { run_id: runId });
    return decodeRun(res.run);
  }

  async updateRun(opts: { runId: string; status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    const res = await this.post<{ run_info?: unknown }>(`${MLFLOW}/runs/update`, {
      run_id: opts.runId,
      status: opts.status,
      end_time: opts.endTime,
      run_name: opts.runName,
    });
    return decodeRunInfo(res.run_info);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.post(`${MLFLOW}/runs/delete`, { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.post(`${MLFLOW}/runs/restore`, { run_id: runId });
  }

  async searchRuns(opts: SearchRunsOptions): Promise<SearchRunsResult> {
    const res = await this.post<{ runs?: unknown[]; next_page_token?: string }>(`${MLFLOW}/runs/search`, {
      experiment_ids: opts.experimentIds,
      filter: opts.filter,
      run_view_type: opts.runViewType,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return withToken({ runs: (res.runs ?? []).map(decodeRun) }, res.next_page_token);
  }

  /** Every run matching `opts`, fetched page by page (`maxResults` is the page size). */
  async *iterateRuns(opts: Omit<SearchRunsOptions, 'pageToken'>): AsyncGenerator<Run> {
    let pageToken: string | undefined;
    do {
      const page = await this.searchRuns(pageToken === undefined ? opts : { ...opts, pageToken });
      yield* page.runs;
      pageToken = page.next_page_token;
    } while (pageToken);
  }

  async logMetric(opts: { runId: string } & MetricInput): Promise<void> {
    await this.post(`${MLFLOW}/runs/log-metric`, {
      run_id: opts.runId,
      key: opts.key,
      value: encodeMetricValue(opts.value),
      timestamp: opts.timestamp ?? Date.now(),
      step: opts.step ?? 0,
    });
  }

  async logParam(runId: string, key: string, value: string): Promise<void> {
    await this.post(`${MLFLOW}/runs/log-parameter`, { run_id: runId, key, value });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.post(`${MLFLOW}/runs/set-tag`, { run_id: runId, key, value });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.post(`${MLFLOW}/runs/delete-tag`, { run_id: runId, key });
  }

  /** One log-batch request; the server allows ≤1000 metrics, ≤100 params, ≤100 tags, ≤1000 in all. */
  async logBatch(opts: { runId: string; metrics?: MetricInput[]; params?: Param[] | Record<string, string>; tags?: TagsInput }): Promise<void> {
    const now = Date.now();
    await this.post(`${MLFLOW}/runs/log-batch`, {
      run_id: opts.runId,
      metrics: opts.metrics?.map((m) => ({ key: m.key, value: encodeMetricValue(m.value), timestamp: m.timestamp ?? now, step: m.step ?? 0 })),
      params: toTags(opts.params),
      tags: toTags(opts.tags),
    });
  }

  async logInputs(opts: { runId: string; datasets: DatasetInput[] }): Promise<void> {
    await this.post(`${MLFLOW}/runs/log-inputs`, { run_id: opts.runId, datasets: opts.datasets });
  }

  // ---- metrics ----

  async getMetricHistory(opts: { runId: string; metricKey: string; maxResults?: number; pageToken?: string }): Promise<MetricHistoryResult> {
    const res = await this.get<{ metrics?: unknown[]; next_page_token?: string }>(`${MLFLOW}/metrics/get-history`, {
      run_id: opts.runId,
      metric_key: opts.metricKey,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
    });
    return withToken({ metrics: (res.metrics ?? []).map(decodeMetric) }, res.next_page_token);
  }

  async getMetricHistoryBulkInterval(opts: {
    runIds: string[];
    metricKey: string;
    startStep?: number;
    endStep?: number;
    maxResults?: number;
  }): Promise<MetricWithRunId[]> {
    const res = await this.get<{ metrics?: unknown[] }>(`${MLFLOW}/metrics/get-history-bulk-interval`, {
      run_ids: opts.runIds,
      metric_key: opts.metricKey,
      start_step: opts.startStep,
      end_step: opts.endStep,
      max_results: opts.maxResults,
    });
    return (res.metrics ?? []).map(decodeMetricWithRunId);
  }

  /** Pitwall's downsampled curve: at most `points` (default 1000) points keeping the curve's shape. */
  async getMetricCurve(opts: { runId: string; key: string; points?: number; startStep?: number; endStep?: number }): Promise<MetricCurve> {
    const res = await this.get<unknown>('/api/v1/metrics/curve', {
      run_id: opts.runId,
      key: opts.key,
      points: opts.points,
      start_step: opts.startStep,
      end_step: opts.endStep,
    });
    return decodeCurve(res);
  }

  /** Resolves with the body of `GET /health` ("OK") when the server is up; throws otherwise. */
  async health(): Promise<string> {
    const res = await this.send('GET', '/health', undefined, undefined);
    return res.text;
  }

  // ---- transport ----

  private async get<T>(path: string, query: Query): Promise<T> {
    return (await this.send('GET', path, query, undefined)).json as T;
  }

  private async post<T = unknown>(path: string, body: Record<string, unknown>): Promise<T> {
    return (await this.send('POST', path, undefined, body)).json as T;
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    query: Query | undefined,
    body: Record<string, unknown> | undefined,
  ): Promise<{ text: string; json: unknown }> {
    const url = this.baseUrl + path + encodeQuery(query);
    const headers: Record<string, string> = { accept: 'application/json', ...this.headers };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    init.signal = controller.signal;
    let status: number;
    let statusText: string;
    let text: string;
    try {
      const res = await this.fetchImpl(url, init);
      status = res.status;
      statusText = res.statusText;
      text = await res.text();
    } catch (e) {
      if (controller.signal.aborted) {
        throw new PitwallNetworkError(`Pitwall at ${this.baseUrl} did not answer ${method} ${path} within ${this.timeoutMs} ms`, {
          url,
          timedOut: true,
          cause: e,
        });
      }
      throw new PitwallNetworkError(`cannot reach Pitwall at ${this.baseUrl} — is \`pitwall server\` running? (${describeCause(e)})`, {
        url,
        cause: e,
      });
    } finally {
      clearTimeout(timer);
    }
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status < 200 || status > 299) throw apiError(status, statusText, json, text, method, url, path);
    if (json === undefined && path !== '/health') {
      throw new PitwallApiError({ status, errorCode: 'MALFORMED_RESPONSE', message: `${method} ${path} answered non-JSON`, method, url });
    }
    return { text, json };
  }
}

function withToken<T extends object>(result: T, token: string | undefined): T & { next_page_token?: string } {
  return token ? { ...result, next_page_token: token } : result;
}

/** GET query string: proto field names, repeated fields repeat the key, absent fields are left out. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) qs.append(k, String(item));
    else qs.append(k, String(v));
  }
  const s = qs.toString();
  return s === '' ? '' : `?${s}`;
}

function describeCause(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return e instanceof Error ? e.message : String(e);
}

function apiError(status: number, statusText: string, json: unknown, text: string, method: string, url: string, path: string): PitwallApiError {
  const b = json && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  if (b && typeof b.error_code === 'string') {
    const init = { status, errorCode: b.error_code, message: typeof b.message === 'string' ? b.message : b.error_code, method, url };
    return new PitwallApiError(typeof b.field === 'string' ? { ...init, field: b.field } : init);
  }
  const nested = b?.error;
  if (nested && typeof nested === 'object') {
    const n = nested as Record<string, unknown>;
    const code = typeof n.code === 'string' ? n.code : typeof n.type === 'string' ? n.type : `HTTP_${status}`;
    const message = typeof n.message === 'string' ? n.message : code;
    return new PitwallApiError({ status, errorCode: code, message, method, url });
  }
  if (typeof nested === 'string') return new PitwallApiError({ status, errorCode: `HTTP_${status}`, message: nested, method, url });
  const snippet = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  const message = `${method} ${path} answered ${status}${statusText ? ` ${statusText}` : ''}${snippet ? `: ${snippet}` : ''}`;
  return new PitwallApiError({ status, errorCode: `HTTP_${status}`, message, method, url });
}
