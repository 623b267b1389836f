import { type Kysely, sql } from 'kysely';
import { notFound } from '../../core/errors/index.js';
import type { Review, ReviewQuery } from '../review-types.js';
import type { ReviewStore } from '../store.js';
import type { Database, ReviewsTable } from './schema.js';

function fromRow(r: ReviewsTable): Review {
  return {
    id: r.id,
    predictionId: r.prediction_id,
    deployment: r.deployment,
    monitor: r.monitor,
    source: r.source as Review['source'],
    state: r.state as Review['state'],
    score: r.score === null ? null : Number(r.score),
    comment: r.comment,
    reviewer: r.reviewer,
    createdAt: Number(r.created_at),
    gradedAt: r.graded_at === null ? null : Number(r.graded_at),
  };
}

const toRow = (r: Review): ReviewsTable => ({
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
});

/** Reviews: one row each, unique per (prediction, source). */
export class SqlReviewStore implements ReviewStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(reviews: Review[]): Promise<Review[]> {
    if (reviews.length === 0) return [];
    const rows = await this.db
      .insertInto('reviews')
      .values(reviews.map(toRow))
      .onConflict((oc) => oc.columns(['prediction_id', 'source']).doNothing())
      .returningAll()
      .execute();
    return rows.map(fromRow);
  }

  async get(id: string): Promise<Review> {
    const row = await this.db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`No review with id=${id}`, 'review_id');
    return fromRow(row);
  }

  async list(q: ReviewQuery): Promise<Review[]> {
    let query = this.db.selectFrom('reviews').selectAll();
    // Ungraded rows (graded_at null) last in both dialects: SQLite sorts nulls first descending, PostgreSQL last.
    if (q.order === 'graded') query = query.orderBy(sql`graded_at is null`).orderBy('graded_at', 'desc');
    query = query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.maxResults);
    if (q.deployment !== undefined) query = query.where('deployment', '=', q.deployment);
    if (q.monitor !== undefined) query = query.where('monitor', '=', q.monitor);
    if (q.source !== undefined) query = query.where('source', '=', q.source);
    if (q.state !== undefined) query = query.where('state', '=', q.state);
    if (q.from !== undefined) query = query.where('created_at', '>=', q.from);
    if (q.to !== undefined) query = query.where('created_at', '<', q.to);
    if (q.predictionIds !== undefined) {
      if (q.predictionIds.length === 0) return [];
      query = query.where('prediction_id', 'in', q.predictionIds);
    }
    return (await query.execute()).map(fromRow);
  }

  async grade(id: string, g: { state: 'done' | 'skipped'; score: number | null; comment: string | null; reviewer: string | null; gradedAt: number }): Promise<Review> {
    const row = await this.db
      .updateTable('reviews')
      .set({ state: g.state, score: g.score, comment: g.comment, reviewer: g.reviewer, graded_at: g.gradedAt })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`No review with id=${id}`, 'review_id');
    return fromRow(row);
  }

  async reviewed(predictionIds: string[], source: Review['source']): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < predictionIds.length; i += 500) {
      const rows = await this.db.selectFrom('reviews').select('prediction_id').where('source', '=', source).where('prediction_id', 'in', predictionIds.slice(i, i + 500)).execute();
      for (const r of rows) out.add(r.prediction_id);
    }
    return out;
  }
}
