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

export interface RegisteredModelsTable {
  name: string;
  creation_time: number;
  last_updated_time: number;
  description: string;
  last_version: number;
  protected_aliases: string;
}

export interface RegisteredModelTagsTable extends KeyValueTable {
  name: string;
}

export interface ModelVersionsTable {
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string;
  user_id: string;
  current_stage: string;
  source: string;
  run_id: string;
  run_link: string;
  status: string;
  status_message: string;
  storage_location: string;
  model_id: string;
  manifest: string | null;
  card: string;
}

export interface ModelVersionTagsTable extends KeyValueTable {
  name: string;
  version: number;
}

export interface RegisteredModelAliasesTable {
  name: string;
  alias: string;
  version: number;
}

export interface ModelApprovalsTable {
  approval_id: string;
  name: string;
  version: number;
  approver: string;
  comment: string;
  decision: string;
  created_at: number;
}

export interface LineageEdgesTable {
  from_type: string;
  from_id: string;
  to_type: string;
  to_id: string;
  relation: string;
  created_at: number;
}

export interface LoggedModelsTable {
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_location: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  status: string;
  status_message: string;
  lifecycle_stage: string;
  model_type: string;
  source_run_id: string;
}

export interface LoggedModelKeyValueTable extends KeyValueTable {
  model_id: string;
}

export interface LoggedModelMetricsTable {
  model_id: string;
  key: string;
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
  run_id: string;
  dataset_name: string;
  dataset_digest: string;
}

/** `targets` and `config` are JSON text: a `DeploymentTarget[]` and a `DeploymentConfig`. */
export interface DeploymentsTable {
  name: string;
  description: string;
  targets: string;
  config: string;
  created_at: number;
  updated_at: number;
  revision: number;
}

export interface PredictionsTable {
  id: string;
  time: number;
  deployment: string;
  model: string;
  version: string;
  endpoint: string;
  status: number;
  latency_ms: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  entity_key: string | null;
  inputs: string | null;
  outputs: string | null;
  truncated: number;
}

export interface PredictionFeedbackTable {
  id: string;
  prediction_id: string;
  time: number;
  thumbs: number | null;
  score: number | null;
  comment: string | null;
}

export interface PredictionLabelsTable {
  prediction_id: string;
  label: string;
  time: number;
}

/** Key columns; the summed counters (`ROLLUP_COLUMNS`) are read and written through raw SQL. */
export interface PredictionRollupsTable {
  deployment: string;
  model: string;
  version: string;
  minute: number;
}

/** `spec` is a `MonitorSpec` (less `name`) as JSON text. */
export interface MonitorsTable {
  name: string;
  deployment: string;
  spec: string;
  state: string;
  created_at: number;
  updated_at: number;
}

export interface MonitorRunsTable {
  id: string;
  monitor: string;
  time: number;
  window_from: number;
  window_to: number;
  status: string;
  reference_rows: number;
  current_rows: number;
  tested: number;
  drifted: number;
  share: number | null;
  report: string | null;
  error: string | null;
  alert: string | null;
  alert_error: string | null;
}

export interface ReviewsTable {
  id: string;
  prediction_id: string;
  deployment: string;
  monitor: string;
  source: string;
  state: string;
  score: number | null;
  comment: string | null;
  reviewer: string | null;
  created_at: number;
  graded_at: number | null;
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
  registered_models: RegisteredModelsTable;
  registered_model_tags: RegisteredModelTagsTable;
  model_versions: ModelVersionsTable;
  model_version_tags: ModelVersionTagsTable;
  registered_model_aliases: RegisteredModelAliasesTable;
  model_approvals: ModelApprovalsTable;
  lineage_edges: LineageEdgesTable;
  logged_models: LoggedModelsTable;
  logged_model_tags: LoggedModelKeyValueTable;
  logged_model_params: LoggedModelKeyValueTable;
  logged_model_metrics: LoggedModelMetricsTable;
  deployments: DeploymentsTable;
  predictions: PredictionsTable;
  prediction_feedback: PredictionFeedbackTable;
  prediction_labels: PredictionLabelsTable;
  prediction_rollups: PredictionRollupsTable;
  prediction_rollups_hourly: PredictionRollupsTable;
  monitors: MonitorsTable;
  monitor_runs: MonitorRunsTable;
  reviews: ReviewsTable;
}
