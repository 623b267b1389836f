/** Model registry records (registered models, versions, aliases, cards, approvals, lineage) and MLflow 3 logged models. */
import type { Metric, Param, Tag } from './types.js';

/** MLflow's deprecated stages; kept readable (and settable) for old clients. Aliases are the way forward. */
export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];
export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface ModelAlias {
  alias: string;
  version: string;
}

export interface RegisteredModel {
  name: string;
  creationTime: number;
  lastUpdatedTime: number;
  description: string;
  tags: Tag[];
  aliases: ModelAlias[];
  /** The highest version number in each stage that has one (MLflow's `latest_versions`). */
  latestVersions: ModelVersion[];
  /** Aliases that may only point at an approved version (Pitwall's approval policy). */
  protectedAliases: string[];
}

export interface EvaluationScore {
  metric: string;
  value: number;
  dataset?: string;
}

/** What a reader needs to know before trusting a version: what it is for and where it is known to fail. */
export interface ModelCard {
  intendedUse: string;
  evaluationScores: EvaluationScore[];
  knownFailureModes: string[];
  limitations: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  creationTime: number;
  lastUpdatedTime: number;
  description: string;
  userId: string;
  currentStage: ModelStage;
  source: string;
  runId: string;
  runLink: string;
  status: ModelVersionStatus;
  statusMessage: string;
  /** Where the bytes are, resolved from `source` at registration (MLflow's `storage_location`). */
  storageLocation: string;
  /** The MLflow 3 logged model this version was registered from, if any. */
  modelId: string;
  tags: Tag[];
  aliases: string[];
  /** Flavor, signature, input example and files, as JSON (typed by the registry). Null when not inspected. */
  manifest: Record<string, unknown> | null;
  card: ModelCard;
}

export interface Approval {
  id: string;
  name: string;
  version: string;
  approver: string;
  comment: string;
  decision: 'approved' | 'rejected';
  createdAt: number;
}

export type LineageNodeType = 'dataset' | 'run' | 'logged_model' | 'model_version' | 'deployment';

export interface LineageNode {
  type: LineageNodeType;
  /** dataset: `<name>@<digest>`; run: run id; logged_model: `m-…`; model_version: `<name>/<version>`. */
  id: string;
}

export interface LineageEdge {
  from: LineageNode;
  to: LineageNode;
  /** e.g. `trained_on`, `produced`, `registered_as`, `serves`. */
  relation: string;
  createdAt: number;
}

export type LoggedModelStatus = 'LOGGED_MODEL_STATUS_UNSPECIFIED' | 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';

export interface LoggedModelMetric extends Metric {
  runId?: string;
  datasetName?: string;
  datasetDigest?: string;
  modelId: string;
}

export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactLocation: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  status: LoggedModelStatus;
  statusMessage: string;
  lifecycleStage: 'active' | 'deleted';
  modelType: string;
  sourceRunId: string;
  tags: Tag[];
  params: Param[];
  metrics: LoggedModelMetric[];
}
