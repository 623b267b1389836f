import type { Generated } from 'kysely';

/** Kysely table types; column names are the SQL names. */
export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}

export interface KeyValueTable {
  key: string;
  value: string;
}

export interface ExperimentTagsTable extends KeyValueTable {
  experiment_id: number;
}

export interface RunsTable {
  run_uuid: string;
  name: string;
  experiment_id: number;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  deleted_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
}

export interface RunKeyValueTable extends KeyValueTable {
  run_uuid: string;
}

export interface MetricsTable {
  run_uuid: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

/** Per (run, key, level, bucket): extremes of finite values, for downsampled curves. Bucket = floor(step / width). */
export interface MetricBucketsTable {
  run_uuid: string;
  key: string;
  level: number;
  bucket: number;
  n: number;
  min_value: number;
  min_step: number;
  min_ts: number;
  max_value: number;
  max_step: number;
  max_ts: number;
}

export interface DatasetsTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface InputsTable {
  input_uuid: string;
  source_type: string;
  source_id: string;
  destination_type: string;
  destination_id: string;
  step: number;
}

export interface InputTagsTable {
  input_uuid: string;
  name: string;
  value: string;
}

export interface Database {
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  tags: RunKeyValueTable;
  params: RunKeyValueTable;
  metrics: MetricsTable;
  latest_metrics: MetricsTable;
  metric_buckets: MetricBucketsTable;
  datasets: DatasetsTable;
  inputs: InputsTable;
  input_tags: InputTagsTable;
}
