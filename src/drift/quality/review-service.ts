import { invalidParam } from '../../core/errors/index.js';
import type { Review, ReviewQuery, Store } from '../../store/index.js';
import { predictionRows } from '../monitors/prediction-rows.js';

type Wire = Record<string, unknown>;

export function reviewToWire(r: Review, exchange?: { prompt: string | null; answer: string | null }): Wire {
  return {
    id: r.id,
    prediction_id: r.predictionId,
    deployment: r.deployment,
    monitor: r.monitor,
    source: r.source,
    state: r.state,
    score: r.score,
    comment: r.comment,
    reviewer: r.reviewer,
    created_at: r.createdAt,
    graded_at: r.gradedAt,
    ...(exchange ? { prompt: exchange.prompt, answer: exchange.answer } : {}),
  };
}

const str = (v: unknown, field: string, max: number): string => {
  if (typeof v !== 'string' || v.length > max) throw invalidParam(`${field} must be a string of at most ${max} characters`, field);
  return v;
};

/**
 * The review queue: answers of LLM deployments sampled by `llm_quality` monitors for people to grade 1–5 (or skip),
 * and the judge's grades beside them. Reviews come with the prompt and answer they are about.
 */
export class ReviewService {
  constructor(private readonly store: Store) {}

  parseQuery(q: Record<string, unknown>): ReviewQuery {
    const out: ReviewQuery = { maxResults: 50 };
    if (q.max_results !== undefined) {
      const n = Number(q.max_results);
      if (!Number.isInteger(n) || n < 1 || n > 500) throw invalidParam('max_results must be a whole number from 1 to 500', 'max_results');
      out.maxResults = n;
    }
    if (q.deployment !== undefined) out.deployment = str(q.deployment, 'deployment', 255);
    if (q.monitor !== undefined) out.monitor = str(q.monitor, 'monitor', 255);
    if (q.source !== undefined) {
      if (q.source !== 'judge' && q.source !== 'human') throw invalidParam('source must be judge or human', 'source');
      out.source = q.source;
    }
    if (q.order !== undefined) {
      if (q.order !== 'created' && q.order !== 'graded') throw invalidParam('order must be created or graded', 'order');
      out.order = q.order;
    }
    if (q.state !== undefined) {
      if (q.state !== 'pending' && q.state !== 'done' && q.state !== 'skipped') throw invalidParam('state must be pending, done or skipped', 'state');
      out.state = q.state;
    }
    return out;
  }

  private async withExchanges(reviews: Review[]): Promise<Wire[]> {
    const predictions = new Map((await this.store.predictions.getMany([...new Set(reviews.map((r) => r.predictionId))])).map((p) => [p.id, p]));
    return reviews.map((r) => {
      const p = predictions.get(r.predictionId);
      const row = p ? predictionRows(p)?.[0] : undefined;
      return reviewToWire(r, { prompt: typeof row?.prompt === 'string' ? row.prompt : null, answer: typeof row?.completion === 'string' ? row.completion : null });
    });
  }

  async list(q: ReviewQuery): Promise<Wire[]> {
    return this.withExchanges(await this.store.reviews.list(q));
  }

  async get(id: string): Promise<Wire> {
    return (await this.withExchanges([await this.store.reviews.get(id)]))[0]!;
  }

  /** `{score: 1–5, comment?, reviewer?}` grades a human review; `{skip: true}` skips it. Judge grades are not edited. */
  async grade(id: string, body: unknown): Promise<Wire> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidParam('the body must be {score, comment?, reviewer?} or {skip: true}', 'body');
    const b = body as Wire;
    const current = await this.store.reviews.get(id);
    if (current.source !== 'human') throw invalidParam("a judge's grade is not edited; grade the human review of the same answer", 'review_id');
    const comment = b.comment === undefined || b.comment === null ? null : str(b.comment, 'comment', 5000);
    const reviewer = b.reviewer === undefined || b.reviewer === null ? null : str(b.reviewer, 'reviewer', 255);
    if (b.skip === true) return (await this.withExchanges([await this.store.reviews.grade(id, { state: 'skipped', score: null, comment, reviewer, gradedAt: Date.now() })]))[0]!;
    if (typeof b.score !== 'number' || !Number.isInteger(b.score) || b.score < 1 || b.score > 5) throw invalidParam('score must be a whole number from 1 (bad) to 5 (good)', 'score');
    return (await this.withExchanges([await this.store.reviews.grade(id, { state: 'done', score: b.score, comment, reviewer, gradedAt: Date.now() })]))[0]!;
  }
}
