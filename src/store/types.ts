/** Domain records the store reads and writes. Field names are camelCase; the API layer maps them to wire shapes. */

export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface Tag {
  key: string;
  value: string;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: Tag[];
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface Metric {
  key: string;
  /** NaN and ±Infinity are allowed. */
  value: number;
  timestamp: number;
  step: number;
}

export interface MetricWithRun extends Metric {
  runId: string;
}

export interface Param {
  key: string;
  value: string;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  tags: Tag[];
  dataset: Dataset;
}

export interface ModelInput {
  modelId: string;
}

export interface ModelOutput {
  modelId: string;
  step: number;
}

export interface Run {
  info: RunInfo;
  data: { metrics: Metric[]; params: Param[]; tags: Tag[] };
  inputs: { datasetInputs: DatasetInput[]; modelInputs: ModelInput[] };
  outputs: { modelOutputs: ModelOutput[] };
}

export interface Page<T> {
  items: T[];
  /** Offset of the next page; absent on the last page. */
  nextOffset?: number;
}

/** One point of a downsampled curve: the bucket's value at `step`. */
export interface CurvePoint {
  step: number;
  value: number;
  timestamp: number;
}

export interface DownsampledHistory {
  key: string;
  runId: string;
  /**
   * Number of finite values in the requested step range. Exact when the range is returned whole or spans the whole
   * history; a downsampled zoom counts whole pyramid buckets, so it may include values just outside the range.
   */
  total: number;
  /** True when `points` is a reduction of the recorded values. */
  downsampled: boolean;
  minStep: number | null;
  maxStep: number | null;
  points: CurvePoint[];
}
