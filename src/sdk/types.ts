/**
 * Wire types of the MLflow REST API 2.0 as Pitwall speaks it: proto field names in snake_case, int64 as JSON numbers,
 * repeated fields that may be absent when empty. The one difference from the raw wire: metric values the client
 * returns are always numbers (the wire's "NaN" / "Infinity" / "-Infinity" strings are decoded).
 */

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type LifecycleStage = 'active' | 'deleted';

export interface Tag {
  key: string;
  value: string;
}

export interface Param {
  key: string;
  value: string;
}

/** A metric value as it travels in JSON: a number, or one of the strings MLflow uses for non-finite values. */
export type WireMetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

export interface Metric {
  key: string;
  /** Decoded: NaN and ±Infinity are real numbers here. */
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
  step: number;
}

export interface MetricWithRunId extends Metric {
  run_id: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time: number;
  last_update_time: number;
  tags?: Tag[];
}

export interface RunInfo {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

export interface Dataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  tags?: Tag[];
  dataset: Dataset;
}

export interface ModelInput {
  model_id: string;
}

export interface ModelOutput {
  model_id: string;
  step: number;
}

export interface RunData {
  metrics?: Metric[];
  params?: Param[];
  tags?: Tag[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs?: { dataset_inputs?: DatasetInput[]; model_inputs?: ModelInput[] };
  outputs?: { model_outputs?: ModelOutput[] };
}

/** One point of a downsampled curve (Pitwall's `/api/v1/metrics/curve`). */
export interface CurvePoint {
  step: number;
  value: number;
  timestamp: number;
}

export interface MetricCurve {
  run_id: string;
  key: string;
  /** Number of recorded values in the requested step range. */
  total: number;
  /** True when `points` is a reduction of the recorded values. */
  downsampled: boolean;
  min_step: number | null;
  max_step: number | null;
  points: CurvePoint[];
}

export interface SearchExperimentsResult {
  experiments: Experiment[];
  next_page_token?: string;
}

export interface SearchRunsResult {
  runs: Run[];
  next_page_token?: string;
}

export interface MetricHistoryResult {
  metrics: Metric[];
  next_page_token?: string;
}

/** Registry, logged-model and artifact types (camelCase domain types, decoded from the wire). */
export type * from './registry-types.js';
