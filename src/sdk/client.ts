import { EventsClient } from './events-client.js';
import { JobsClient } from './jobs-client.js';
import { DeploymentsClient } from './deployments-client.js';
import { MonitoringClient } from './monitoring-client.js';
import { ArtifactClient } from './artifact-client.js';
import type {
  CreateRunOptions,
  LogBatchOptions,
  MetricCurveOptions,
  MetricCurvesOptions,
  MetricHistoryBulkIntervalOptions,
  MetricHistoryOptions,
  MetricInput,
  PitwallClientOptions,
  SearchExperimentsOptions,
  SearchRunsOptions,
  TagsInput,
  UpdateRunOptions,
} from './options.js';
import { type Query, Transport } from './transport.js';
import { RegistryClient } from './registry-client.js';
import type {
  DatasetInput,
  Experiment,
  MetricCurve,
  MetricHistoryResult,
  MetricWithRunId,
  Run,
  RunInfo,
  SearchExperimentsResult,
  SearchRunsResult,
  Tag,
} from './types.js';
import { decodeCurve, decodeExperiment, decodeMetric, decodeMetricWithRunId, decodeRun, decodeRunInfo, encodeMetricValue } from './wire.js';

const MLFLOW = '/api/2.0/mlflow';

function toTags(tags: TagsInput | undefined): Tag[] | undefined {
  if (tags === undefined) return undefined;
  if (Array.isArray(tags)) return tags;
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/**
 * Typed client for Pitwall's MLflow-compatible tracking API and its own `/api/v1` extras. Browser-safe, as are the
 * modules it imports (the web UI uses it directly): no `node:` imports and no `process` here.
 */
export class PitwallClient {
  readonly baseUrl: string;
  /** Model registry: registered models, versions, aliases, cards, approvals, lineage, logged models. */
  readonly registry: RegistryClient;
  /** Artifact store through the server's proxy: list, upload, download, delete. */
  readonly artifacts: ArtifactClient;
  /** Live changes (alias moves, new versions…) from this server and every replica on its store. */
  readonly events: EventsClient;
  /** Background jobs: statuses, cron schedules, cancellation. */
  readonly jobs: JobsClient;
  /** Deployments: create, update, status, wait until ready; inference (KServe V2 and MLflow scoring). */
  readonly deployments: DeploymentsClient;
  /** Monitoring: the prediction log, feedback, labels, per-deployment stats. */
  readonly monitoring: MonitoringClient;
  private readonly transport: Transport;

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
    this.transport = new Transport({
      baseUrl: this.baseUrl,
      fetchImpl: opts.fetch ?? globalThis.fetch.bind(globalThis),
      timeoutMs: opts.timeoutMs ?? 30_000,
      headers: { ...(opts.headers ?? {}) },
    });
    this.registry = new RegistryClient(this.transport);
    this.artifacts = new ArtifactClient(this.transport);
    this.events = new EventsClient(this.transport);
    this.jobs = new JobsClient(this.transport);
    this.deployments = new DeploymentsClient(this.transport);
    this.monitoring = new MonitoringClient(this.transport);
  }

  // ---- experiments ----

  async createExperiment(name: string, opts: { artifactLocation?: string | undefined; tags?: TagsInput | undefined } = {}): Promise<string> {
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

  async createRun(opts: CreateRunOptions): Promise<Run> {
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

  async updateRun(opts: UpdateRunOptions): Promise<RunInfo> {
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
  async logBatch(opts: LogBatchOptions): Promise<void> {
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

  async getMetricHistory(opts: MetricHistoryOptions): Promise<MetricHistoryResult> {
    const res = await this.get<{ metrics?: unknown[]; next_page_token?: string }>(`${MLFLOW}/metrics/get-history`, {
      run_id: opts.runId,
      metric_key: opts.metricKey,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
    });
    return withToken({ metrics: (res.metrics ?? []).map(decodeMetric) }, res.next_page_token);
  }

  async getMetricHistoryBulkInterval(opts: MetricHistoryBulkIntervalOptions): Promise<MetricWithRunId[]> {
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
  async getMetricCurve(opts: MetricCurveOptions): Promise<MetricCurve> {
    const res = await this.get<unknown>('/api/v1/metrics/curve', {
      run_id: opts.runId,
      key: opts.key,
      points: opts.points,
      start_step: opts.startStep,
      end_step: opts.endStep,
    });
    return decodeCurve(res);
  }

  /** The same curve for several runs (≤ 100) in one request, in the order of `runIds`. */
  async getMetricCurves(opts: MetricCurvesOptions): Promise<MetricCurve[]> {
    const res = await this.get<{ curves?: unknown[] }>('/api/v1/metrics/curves', {
      run_ids: opts.runIds,
      key: opts.key,
      points: opts.points,
      start_step: opts.startStep,
      end_step: opts.endStep,
    });
    return (res.curves ?? []).map(decodeCurve);
  }

  /** Resolves with the body of `GET /health` ("OK") when the server is up; throws otherwise. */
  async health(): Promise<string> {
    const res = await this.send('GET', '/health', undefined, undefined);
    return res.text;
  }

  // ---- transport ----

  private async get<T>(path: string, query: Query): Promise<T> {
    return this.transport.json<T>('GET', path, query);
  }

  private async post<T = unknown>(path: string, body: Record<string, unknown>): Promise<T> {
    return this.transport.json<T>('POST', path, undefined, body);
  }

  private send(method: 'GET' | 'POST', path: string, query: Query | undefined, body: Record<string, unknown> | undefined): Promise<{ text: string; json: unknown }> {
    return this.transport.send(method, path, query, body);
  }
}

function withToken<T extends object>(result: T, token: string | undefined): T & { next_page_token?: string } {
  return token ? { ...result, next_page_token: token } : result;
}
