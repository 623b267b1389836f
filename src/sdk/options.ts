/** Request options of `PitwallClient`'s methods (camelCase; the client maps them to MLflow's snake_case fields). */

import type { Param, RunStatus, Tag, ViewType } from './types.js';

export interface PitwallClientOptions {
  /** Server root, e.g. `http://127.0.0.1:5000` (a trailing slash is fine). */
  baseUrl: string;
  /** A `fetch` implementation; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Per-request deadline in milliseconds (default 30 000). */
  timeoutMs?: number | undefined;
  /** Extra headers sent with every request (e.g. `Authorization`). */
  headers?: Record<string, string> | undefined;
}

/** Tags given either as MLflow's list of `{key, value}` or as a plain record. */
export type TagsInput = Tag[] | Record<string, string>;

export interface MetricInput {
  key: string;
  value: number;
  /** Epoch milliseconds; now when omitted. */
  timestamp?: number | undefined;
  step?: number | undefined;
}

export interface SearchExperimentsOptions {
  filter?: string | undefined;
  orderBy?: string[] | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
  viewType?: ViewType | undefined;
}

export interface SearchRunsOptions {
  experimentIds: string[];
  filter?: string | undefined;
  runViewType?: ViewType | undefined;
  maxResults?: number | undefined;
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

export interface CreateRunOptions {
  experimentId: string;
  runName?: string | undefined;
  /** Epoch milliseconds; now when omitted. */
  startTime?: number | undefined;
  tags?: TagsInput | undefined;
  userId?: string | undefined;
}

export interface UpdateRunOptions {
  runId: string;
  status?: RunStatus | undefined;
  endTime?: number | undefined;
  runName?: string | undefined;
}

export interface LogBatchOptions {
  runId: string;
  metrics?: MetricInput[] | undefined;
  params?: Param[] | Record<string, string> | undefined;
  tags?: TagsInput | undefined;
}

export interface MetricHistoryOptions {
  runId: string;
  metricKey: string;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

export interface MetricHistoryBulkIntervalOptions {
  runIds: string[];
  metricKey: string;
  startStep?: number | undefined;
  endStep?: number | undefined;
  maxResults?: number | undefined;
}

export interface MetricCurveOptions {
  runId: string;
  key: string;
  /** At most this many points (default 1000 on the server). */
  points?: number | undefined;
  startStep?: number | undefined;
  endStep?: number | undefined;
}

export interface MetricCurvesOptions extends Omit<MetricCurveOptions, 'runId'> {
  /** Up to 100 runs; at most `points` per run. */
  runIds: string[];
}
