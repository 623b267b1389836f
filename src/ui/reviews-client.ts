/**
 * The review queue of LLM answers (`/api/v1/reviews`) for the web app: reviews decoded from the wire (snake_case →
 * camelCase) and the two requests the page makes, over the SDK's `Transport` (errors are the SDK's). Browser-safe.
 */
import type { Transport } from '../sdk/transport.js';

export type ReviewSource = 'judge' | 'human';
export type ReviewState = 'pending' | 'done' | 'skipped';

export interface Review {
  id: string;
  predictionId: string;
  deployment: string;
  monitor: string;
  source: ReviewSource;
  state: ReviewState;
  /** 1 (bad) to 5 (good); null while pending, when skipped, or when the judge's answer could not be read. */
  score: number | null;
  /** The judge's reason, or the reviewer's comment. */
  comment: string | null;
  /** The judge deployment, or the person who graded. */
  reviewer: string | null;
  createdAt: number;
  gradedAt: number | null;
  /** The exchange graded; null when the prediction is gone or had no prompt / answer. */
  prompt: string | null;
  answer: string | null;
}

export interface ReviewFilter {
  deployment?: string | undefined;
  monitor?: string | undefined;
  source?: ReviewSource | undefined;
  state?: ReviewState | undefined;
  maxResults?: number | undefined;
  /** `graded`: latest graded first (the server's default is newest created first). */
  order?: 'created' | 'graded' | undefined;
}

/** A grade (`score` 1–5 with an optional comment and reviewer name) or a skip. */
export type Grade = { score: number; comment?: string | undefined; reviewer?: string | undefined } | { skip: true; comment?: string | undefined; reviewer?: string | undefined };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function decodeReview(v: unknown): Review {
  const r = obj(v);
  const state: ReviewState = r.state === 'done' || r.state === 'skipped' ? r.state : 'pending';
  return {
    id: str(r.id),
    predictionId: str(r.prediction_id),
    deployment: str(r.deployment),
    monitor: str(r.monitor),
    source: r.source === 'judge' ? 'judge' : 'human',
    state,
    score: numOrNull(r.score),
    comment: strOrNull(r.comment),
    reviewer: strOrNull(r.reviewer),
    createdAt: numOrNull(r.created_at) ?? 0,
    gradedAt: numOrNull(r.graded_at),
    prompt: strOrNull(r.prompt),
    answer: strOrNull(r.answer),
  };
}

/** The body a grade is posted with: empty comment and reviewer are left out. */
export function gradeBody(g: Grade): Record<string, unknown> {
  const extra = { ...(g.comment?.trim() ? { comment: g.comment.trim() } : {}), ...(g.reviewer?.trim() ? { reviewer: g.reviewer.trim() } : {}) };
  return 'skip' in g ? { skip: true, ...extra } : { score: g.score, ...extra };
}

export class ReviewsClient {
  constructor(private readonly transport: Transport) {}

  /** Reviews newest first, filtered; at most `maxResults` (1–500, the server's default 50). */
  async list(f: ReviewFilter = {}): Promise<Review[]> {
    const res = await this.transport.json<{ reviews?: unknown[] }>('GET', '/api/v1/reviews', {
      deployment: f.deployment || undefined,
      monitor: f.monitor || undefined,
      source: f.source,
      state: f.state,
      max_results: f.maxResults,
      order: f.order,
    });
    return (res.reviews ?? []).map(decodeReview);
  }

  /** Grades or skips a human review; answers it as stored. */
  async grade(id: string, g: Grade): Promise<Review> {
    return decodeReview((await this.transport.json<{ review: unknown }>('POST', `/api/v1/reviews/${encodeURIComponent(id)}`, undefined, gradeBody(g))).review);
  }
}
