import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ReviewService } from '../drift/quality/review-service.js';

const TAGS = ['Pitwall quality reviews'];
const IdParams = Type.Object({ id: Type.String() });

/** The human review queue of LLM answers, and the judge's grades (`/api/v1/reviews`). */
export function registerReviewRoutes(app: FastifyInstance, reviews: ReviewService): void {
  app.get(
    '/api/v1/reviews',
    { schema: { summary: 'Reviews of LLM answers, newest first', description: 'Filters: `deployment`, `monitor`, `source` (judge, human), `state` (pending, done, skipped); `order` (`created`, the default, or `graded`: latest graded first); `max_results` (1–500, default 50). Each review comes with the `prompt` and `answer` it grades.', tags: TAGS } },
    async (req) => ({ reviews: await reviews.list(reviews.parseQuery(req.query as Record<string, unknown>)) }),
  );
  app.get('/api/v1/reviews/:id', { schema: { summary: 'One review', tags: TAGS, params: IdParams } }, async (req) => ({ review: await reviews.get((req.params as { id: string }).id) }));
  app.post(
    '/api/v1/reviews/:id',
    { schema: { summary: 'Grade a review', description: 'Body `{score: 1–5, comment?, reviewer?}`, or `{skip: true}`.', tags: TAGS, params: IdParams, body: Type.Object({}, { additionalProperties: true }) } },
    async (req) => ({ review: await reviews.grade((req.params as { id: string }).id, req.body) }),
  );
}
