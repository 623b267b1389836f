/** Request options of `client.registry` and `client.artifacts` (camelCase; mapped to MLflow's snake_case fields). */

import type { TagsInput } from './options.js';
import type { EvaluationScore } from './registry-types.js';

/** A version number as a string (`'3'`) or a number. */
export type VersionInput = string | number;

export interface CreateModelOptions {
  description?: string | undefined;
  tags?: TagsInput | undefined;
}

export interface SearchModelsOptions {
  /** e.g. `name LIKE 'titanic%'` or `tags.team = 'risk'`. */
  filter?: string | undefined;
  /** Page size (server default 100, at most 1000). */
  maxResults?: number | undefined;
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

export interface SearchVersionsOptions {
  /** e.g. `name = 'titanic'`, `run_id = '…'`. */
  filter?: string | undefined;
  maxResults?: number | undefined;
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

export interface CreateVersionOptions {
  name: string;
  /** `mlflow-artifacts:/<store path>`, `runs:/<run_id>/<path>`, `models:/m-<id>`, `models:/<name>/<v>`. */
  source: string;
  runId?: string | undefined;
  description?: string | undefined;
  tags?: TagsInput | undefined;
  runLink?: string | undefined;
  modelId?: string | undefined;
}

export interface CardUpdate {
  description?: string | undefined;
  intendedUse?: string | undefined;
  limitations?: string | undefined;
  /** Replaces the stored list. */
  knownFailureModes?: string[] | undefined;
  /** Replaces the stored list. */
  evaluationScores?: EvaluationScore[] | undefined;
}

export interface ApproveOptions {
  approver: string;
  comment?: string | undefined;
  /** Default `approved`. */
  decision?: 'approved' | 'rejected' | undefined;
}

/** Exactly one of `model` (`titanic/3`, `models:/titanic@champion`), `runId` or `modelId`. */
export type LineageQuery = ({ model: string } | { runId: string } | { modelId: string }) & {
  /** Hops from the start node, 1–10 (server default 4). */
  depth?: number | undefined;
};

export interface SearchLoggedModelsOptions {
  experimentIds?: string[] | undefined;
  filter?: string | undefined;
  maxResults?: number | undefined;
  orderBy?: Array<string | { fieldName: string; ascending?: boolean; datasetName?: string; datasetDigest?: string }> | undefined;
  pageToken?: string | undefined;
}

export interface TransitionStageOptions {
  archiveExistingVersions?: boolean | undefined;
}

/** Progress of a transfer: bytes so far, and the total when known. */
export type ProgressCallback = (bytesDone: number, bytesTotal: number | undefined) => void;

export interface UploadOptions {
  signal?: AbortSignal | undefined;
  contentType?: string | undefined;
  /** Called as the body is read (streams), or once at the end (Blob, bytes). */
  onProgress?: ProgressCallback | undefined;
  /** Total bytes, for `onProgress` when the body is a stream. */
  size?: number | undefined;
}

export interface DownloadOptions {
  signal?: AbortSignal | undefined;
}
