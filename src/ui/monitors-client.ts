/**
 * Drift monitors (`/api/v1/monitors`) for the web app: camelCase records decoded from the wire, and the few requests
 * the pages make, sent through the SDK's `Transport` (so errors are the SDK's `PitwallApiError` /
 * `PitwallNetworkError`). Browser-safe. A check's `report` is kept as the server stored it: for `data` monitors a
 * drift report (`DriftReport` of `src/drift/report.ts`, already camelCase), typed here for display only.
 */
import type { Transport } from '../sdk/transport.js';

export type MonitorState = 'unknown' | 'ok' | 'drifted';
export type MonitorType = 'data' | 'llm_quality' | 'performance';
export type RunStatus = 'ok' | 'drifted' | 'insufficient_data' | 'error';

export type MonitorReference =
  | { type: 'upload'; format: string; rows: number; uploadedAt: number }
  | { type: 'run_artifact'; runId: string; path: string }
  | { type: 'window'; deployment: string; from: number; to: number };

export interface MonitorWebhook {
  url: string;
  format: 'json' | 'slack';
}

export interface Monitor {
  name: string;
  description: string;
  type: MonitorType;
  deployment: string;
  reference: MonitorReference | null;
  schedule: string;
  timezone: string;
  windowMinutes: number;
  maxRows: number;
  /** Drift report options as given (snake_case: `drift_share`, `min_rows`…). */
  options: Record<string, unknown>;
  /** An `llm_quality` monitor's settings as given (snake_case: `judge`, `review_sample_size`…), else null. */
  quality: Record<string, unknown> | null;
  /** A `performance` monitor's settings as given (snake_case: `metric`, `chunk_size`…), else null. */
  performance: Record<string, unknown> | null;
  /** A dataset monitor's data: the file the newest run of an experiment logged (then `deployment` is ''). */
  current: { experimentId: string; path: string } | null;
  webhooks: MonitorWebhook[];
  enabled: boolean;
  state: MonitorState;
  createdAt: number;
  updatedAt: number;
}

/** One side of a column, as the report summarises it. */
export interface SideSummary {
  count: number;
  missing: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  distinct?: number;
}

/** Both sides' shares per bin of common edges (numbers), or per category (the top 20 and "other"). */
export type Distribution = { type: 'histogram'; edges: number[]; reference: number[]; current: number[] } | { type: 'bars'; categories: string[]; reference: number[]; current: number[] };

export interface ClassifierResult {
  method: 'roc_auc' | 'roc_auc_permutation';
  rocAuc: number;
  referenceWords?: string[];
  currentWords?: string[];
  referenceExamples?: string[];
  currentExamples?: string[];
}

export interface ColumnDrift {
  column: string;
  kind: string;
  status: 'tested' | 'insufficient_data' | 'skipped' | 'error';
  reason?: string;
  test?: string;
  testTitle?: string;
  scoreKind?: 'p_value' | 'distance';
  score?: number;
  threshold?: number;
  adjustedScore?: number;
  drifted: boolean;
  reference: SideSummary;
  current: SideSummary;
  distribution?: Distribution;
  classifier?: ClassifierResult;
  /** Set on a text column's descriptors (`text: length`): they explain its drift but do not count. */
  derivedFrom?: string;
}

export interface DriftReport {
  referenceRows: number;
  currentRows: number;
  columns: ColumnDrift[];
  tested: number;
  drifted: number;
  share: number;
  driftShare: number;
  datasetDrift: boolean;
  correction: 'none' | 'bonferroni' | 'bh';
  minRows: number;
}

export interface MonitorRun {
  id: string;
  monitor: string;
  time: number;
  windowFrom: number;
  windowTo: number;
  status: RunStatus;
  referenceRows: number;
  currentRows: number;
  tested: number;
  drifted: number;
  share: number | null;
  error: string | null;
  alert: 'drift' | 'recovery' | null;
  alertError: string | null;
  /** Present when asked for (`reports: true`, or one check); null when the check failed before making one. */
  report?: unknown;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function decodeReference(v: unknown): MonitorReference | null {
  const r = obj(v);
  switch (r.type) {
    case 'upload':
      return { type: 'upload', format: str(r.format), rows: num(r.rows), uploadedAt: num(r.uploaded_at) };
    case 'run_artifact':
      return { type: 'run_artifact', runId: str(r.run_id), path: str(r.path) };
    case 'window':
      return { type: 'window', deployment: str(r.deployment), from: num(r.from), to: num(r.to) };
    default:
      return null;
  }
}

export function decodeMonitor(v: unknown): Monitor {
  const m = obj(v);
  const type = m.type === 'llm_quality' || m.type === 'performance' ? m.type : 'data';
  const state = m.state === 'ok' || m.state === 'drifted' ? m.state : 'unknown';
  return {
    name: str(m.name),
    description: str(m.description),
    type,
    deployment: str(m.deployment),
    reference: decodeReference(m.reference),
    schedule: str(m.schedule),
    timezone: str(m.timezone) || 'UTC',
    windowMinutes: num(m.window_minutes),
    maxRows: num(m.max_rows),
    options: obj(m.options),
    quality: m.quality && typeof m.quality === 'object' ? obj(m.quality) : null,
    performance: m.performance && typeof m.performance === 'object' ? obj(m.performance) : null,
    current: m.current && typeof m.current === 'object' ? { experimentId: str(obj(m.current).experiment_id), path: str(obj(m.current).path) } : null,
    webhooks: Array.isArray(m.webhooks) ? m.webhooks.map((h) => ({ url: str(obj(h).url), format: obj(h).format === 'slack' ? 'slack' : 'json' })) : [],
    enabled: m.enabled !== false,
    state,
    createdAt: num(m.created_at),
    updatedAt: num(m.updated_at),
  };
}

const RUN_STATUSES: readonly RunStatus[] = ['ok', 'drifted', 'insufficient_data', 'error'];

export function decodeRun(v: unknown): MonitorRun {
  const r = obj(v);
  const alert = r.alert === 'drift' || r.alert === 'recovery' ? r.alert : null;
  return {
    id: str(r.id),
    monitor: str(r.monitor),
    time: num(r.time),
    windowFrom: num(r.window_from),
    windowTo: num(r.window_to),
    status: RUN_STATUSES.includes(r.status as RunStatus) ? (r.status as RunStatus) : 'error',
    referenceRows: num(r.reference_rows),
    currentRows: num(r.current_rows),
    tested: num(r.tested),
    drifted: num(r.drifted),
    share: typeof r.share === 'number' ? r.share : null,
    error: strOrNull(r.error),
    alert,
    alertError: strOrNull(r.alert_error),
    ...('report' in r ? { report: r.report } : {}),
  };
}

/** The report of a check when it is a data drift report (it has columns); undefined otherwise. */
export function driftReportOf(run: Pick<MonitorRun, 'report'>): DriftReport | undefined {
  const r = run.report;
  return r && typeof r === 'object' && Array.isArray((r as Obj).columns) ? (r as DriftReport) : undefined;
}

const path = (name: string) => `/api/v1/monitors/${encodeURIComponent(name)}`;

export class MonitorsClient {
  constructor(private readonly transport: Transport) {}

  /** Every monitor by name; only those of `deployment` when given. */
  async list(deployment?: string): Promise<Monitor[]> {
    const res = await this.transport.json<{ monitors?: unknown[] }>('GET', '/api/v1/monitors', deployment !== undefined ? { deployment } : undefined);
    return (res.monitors ?? []).map(decodeMonitor);
  }

  async get(name: string): Promise<Monitor> {
    return decodeMonitor((await this.transport.json<{ monitor: unknown }>('GET', path(name))).monitor);
  }

  /** Queues a check; answers its job id (a check already queued or running answers that one's). */
  async runNow(name: string): Promise<string> {
    return str((await this.transport.json<{ job_id: unknown }>('POST', `${path(name)}/run`)).job_id);
  }

  /** Checks newest first: at most `maxResults` (default 100), before `before` (epoch ms), with their reports if asked. */
  async runs(name: string, opts: { maxResults?: number; before?: number; reports?: boolean } = {}): Promise<MonitorRun[]> {
    const res = await this.transport.json<{ runs?: unknown[] }>('GET', `${path(name)}/runs`, {
      max_results: opts.maxResults,
      before: opts.before,
      reports: opts.reports ? 'true' : undefined,
    });
    return (res.runs ?? []).map(decodeRun);
  }

  /** One check with its report. */
  async run(name: string, id: string): Promise<MonitorRun> {
    return decodeRun((await this.transport.json<{ run: unknown }>('GET', `${path(name)}/runs/${encodeURIComponent(id)}`)).run);
  }
}
