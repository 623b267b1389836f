export { PitwallClient } from './client.js';
export { RegistryClient } from './registry-client.js';
export { EventsClient, parseSse, type ChangeEvent, type SseMessage } from './events-client.js';
export { JobsClient, type Job, type JobSchedule, type JobState, type ListJobsOptions, type ListJobsResult } from './jobs-client.js';
export {
  DeploymentsClient,
  DeploymentNotReadyError,
  describeTarget,
  type CreateDeploymentOptions,
  type Deployment,
  type DeploymentConfig,
  type DeploymentConfigInput,
  type DeploymentStatus,
  type DeploymentTarget,
  type DeploymentTargetInput,
  type InferOptions,
  type LatencySummary,
  type LlmTargetStats,
  type ListDeploymentsOptions,
  type ListDeploymentsResult,
  type MlflowScoringRequest,
  type MlflowScoringResponse,
  type TargetBatching,
  type TargetQueueStats,
  type TargetState,
  type TargetStatus,
  type UpdateDeploymentOptions,
  type V2Datatype,
  type V2InferInput,
  type V2InferOutput,
  type V2InferRequest,
  type V2InferResponse,
  type V2ModelMetadata,
  type V2Parameters,
  type WaitReadyOptions,
} from './deployments-client.js';
export {
  MonitoringClient,
  type DeploymentStats,
  type FeedbackRecord,
  type PredictionFilter,
  type PredictionRecord,
  type StatsPoint,
  type VersionStats,
} from './monitoring-client.js';
export { ArtifactClient, storePathOf, joinArtifactPath, type UploadBody } from './artifact-client.js';
export type * from './options.js';
export type * from './registry-options.js';
export { PitwallApiError, PitwallNetworkError, PitwallPathError, isNotFound } from './errors.js';
export { startRun, sourceTags, RUN_TAG, type StartRunOptions } from './run.js';
export { ActiveRun, MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH, type ActiveRunOptions } from './active-run.js';
export { SystemMetricsSampler, SYSTEM_METRIC, parseNvidiaSmi, type SystemMetricsSamplerOptions } from './system-metrics.js';
export { readGitInfo, type GitInfo } from './git-info.js';
export { encodeMetricValue, decodeMetricValue } from './wire.js';
export { uploadPath, downloadPath, localFiles, type TransferOptions, type TransferResult } from './artifact-files.js';
export type * from './types.js';
