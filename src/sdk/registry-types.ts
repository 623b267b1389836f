/**
 * Model registry, logged-model and artifact types as the SDK returns them: camelCase, decoded from MLflow's
 * snake_case wire. Versions stay decimal strings, as on the wire; timestamps are epoch milliseconds; lists the wire
 * leaves out when empty are `[]` here. Browser-safe (types only).
 */

import type { Param, Tag } from './types.js';

/** MLflow's deprecated stages (use aliases). */
export type ModelStage = 'None' | 'Staging' | 'Production' | 'Archived';
export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface ModelAlias {
  alias: string;
  version: string;
}

export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string;
  /** The highest version in each stage that has one (MLflow's `latest_versions`); these carry no card or manifest. */
  latestVersions: ModelVersion[];
  tags: Tag[];
  aliases: ModelAlias[];
  /** Aliases that may only point at an approved version. */
  protectedAliases: string[];
}

/** One dimension: a size, a symbolic name (`'N'`), or null when the file leaves it unknown. */
export type Dim = number | string | null;

export interface TensorSpec {
  name: string;
  /** numpy/ONNX names: `float32`, `int64`, `string`, …; non-tensors by structure (`sequence<map<int64,float32>>`). */
  dtype: string;
  /** One entry per axis; `[]` a scalar; null when the rank is unknown. */
  shape: Dim[] | null;
}

export interface ModelFileEntry {
  /** Relative to the registered path, `/`-separated. */
  path: string;
  size: number;
  sha256: string;
}

/** What the server read from a version's files at registration (its `manifest`). */
export interface ModelManifest {
  flavor: 'onnx' | 'gguf' | 'openai-upstream' | 'other' | (string & {});
  signature?: { inputs: TensorSpec[]; outputs: TensorSpec[] };
  inputExample?: unknown;
  files: ModelFileEntry[];
  /** Path (as in `files`) of the file flavor and facts were read from. */
  modelFile?: string;
  onnx?: {
    irVersion: number;
    opsets: { domain: string; version: number }[];
    producerName?: string;
    producerVersion?: string;
    metadata?: Record<string, string>;
    batchDimension: 'dynamic' | 'fixed' | 'none';
  };
  gguf?: {
    version: number;
    architecture: string;
    name?: string;
    contextLength?: number;
    embeddingLength?: number;
    blockCount?: number;
    fileType?: number;
    quantization?: string;
    chatTemplate?: string;
    tensorCount: number;
    parameterCount?: number;
    metadata: Record<string, string | number | boolean>;
    [key: string]: unknown;
  };
}

export interface EvaluationScore {
  metric: string;
  value: number;
  dataset?: string;
}

export interface ModelCard {
  intendedUse: string;
  evaluationScores: EvaluationScore[];
  knownFailureModes: string[];
  limitations: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string;
  currentStage: ModelStage | (string & {});
  description: string;
  source: string;
  runId: string;
  runLink: string;
  status: ModelVersionStatus | (string & {});
  statusMessage: string;
  tags: Tag[];
  aliases: string[];
  /** The MLflow 3 logged model it was registered from, or ''. */
  modelId: string;
  /** Where the bytes are (`mlflow-artifacts:/…`); '' when the answer did not say (registered model's latestVersions). */
  storageLocation: string;
  /** Null when the server could not inspect the files, or the answer did not carry it. */
  manifest: ModelManifest | null;
  /** Null when the answer did not carry it (registered model's latestVersions). */
  card: ModelCard | null;
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
  /** `<type>:<id>`, what edges refer to. */
  key: string;
  type: LineageNodeType | (string & {});
  /** dataset `<name>@<digest>`, run id, `m-…`, or `<name>/<version>`. */
  id: string;
  label: string;
  detail: Record<string, string>;
}

export interface LineageGraph {
  /** Key of the node asked about. */
  root: string;
  nodes: LineageNode[];
  edges: { from: string; to: string; relation: string }[];
}

export interface LoggedModelMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  modelId: string;
  runId?: string;
  datasetName?: string;
  datasetDigest?: string;
}

export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactUri: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  status: string;
  statusMessage: string;
  modelType: string;
  sourceRunId: string;
  tags: Tag[];
  params: Param[];
  metrics: LoggedModelMetric[];
}

/** One entry of an artifact listing. */
export interface ArtifactFile {
  /**
   * `client.artifacts.list(dir)`: the store path (`dir/name`). `listRun` / `listLoggedModel`: relative to the
   * run's (logged model's) artifact root, as MLflow answers.
   */
  path: string;
  /** The last path segment. */
  name: string;
  isDir: boolean;
  /** Bytes; absent for directories (and, as in MLflow, for empty files). */
  fileSize?: number;
}

export interface ArtifactListing {
  /** The run's or logged model's artifact URI (`mlflow-artifacts:/…`). */
  rootUri: string;
  files: ArtifactFile[];
}

export interface ArtifactDownload {
  /** The file's bytes, streamed. Read it to the end or cancel it. */
  body: ReadableStream<Uint8Array>;
  /** From Content-Length; undefined when the server did not send one. */
  size: number | undefined;
  contentType: string;
}

export interface SearchModelsResult {
  models: RegisteredModel[];
  nextPageToken?: string;
}

export interface SearchVersionsResult {
  versions: ModelVersion[];
  nextPageToken?: string;
}

export interface SearchLoggedModelsResult {
  models: LoggedModel[];
  nextPageToken?: string;
}
