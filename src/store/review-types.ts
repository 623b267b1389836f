/**
 * Quality reviews of logged LLM outputs (`src/drift/quality/`): an LLM judge's grade, or a person's from the review
 * queue. A human review starts `pending` (sampled into the queue) and becomes `done` when graded or `skipped`.
 */
export interface Review {
  /** A UUIDv7: sorts by creation. */
  id: string;
  predictionId: string;
  deployment: string;
  /** The monitor whose check sampled it. */
  monitor: string;
  source: 'judge' | 'human';
  state: 'pending' | 'done' | 'skipped';
  /** 1 (bad) to 5 (good); null while pending, when skipped, or when the judge's answer could not be read. */
  score: number | null;
  /** The judge's reason, or the reviewer's comment. */
  comment: string | null;
  /** The judge deployment, or the person who graded. */
  reviewer: string | null;
  createdAt: number;
  gradedAt: number | null;
}

export interface ReviewQuery {
  deployment?: string;
  monitor?: string;
  source?: 'judge' | 'human';
  state?: Review['state'];
  /** createdAt from (inclusive) / to (exclusive), epoch ms. */
  from?: number;
  to?: number;
  predictionIds?: string[];
  /** `created` (default): newest created first; `graded`: latest graded first (ungraded ones last). */
  order?: 'created' | 'graded';
  maxResults: number;
}
