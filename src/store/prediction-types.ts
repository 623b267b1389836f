/** The prediction log: logged inference requests, with feedback and ground-truth labels. */

export interface Prediction {
  /** A UUIDv7: sorts by arrival. */
  id: string;
  /** Arrival, epoch ms. */
  time: number;
  deployment: string;
  /** The registered model, or `upstream:<name>`; `''` when refused before a version was chosen. */
  model: string;
  version: string;
  endpoint: string;
  status: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  entityKey: string | null;
  /** JSON text; cut at the log's payload limit when `truncated`. */
  inputs: string | null;
  outputs: string | null;
  truncated: boolean;
}

export interface PredictionQuery {
  deployment?: string | undefined;
  version?: string | undefined;
  /** Status codes from `min` to `max`, inclusive. */
  status?: { min: number; max: number } | undefined;
  entityKey?: string | undefined;
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  /** Epoch ms, exclusive. */
  to?: number | undefined;
  maxResults: number;
  /** Continue after this prediction (newest first: the page's last). */
  after?: { time: number; id: string } | undefined;
}

export interface Feedback {
  id: string;
  predictionId: string;
  time: number;
  /** 1 thumbs up, -1 thumbs down. */
  thumbs: 1 | -1 | null;
  score: number | null;
  comment: string | null;
}

export interface Label {
  predictionId: string;
  /** The ground truth, as JSON text. */
  label: string;
  time: number;
}
