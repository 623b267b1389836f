import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors/index.js';
import type { Review } from '../review-types.js';
import { type OpenStore, withStore } from './helpers.js';

const review = (id: string, predictionId: string, patch: Partial<Review> = {}): Review => ({
  id,
  predictionId,
  deployment: 'chat',
  monitor: 'chat-quality',
  source: 'human',
  state: 'pending',
  score: null,
  comment: null,
  reviewer: null,
  createdAt: Number(id),
  gradedAt: null,
  ...patch,
});

/** Reviews: one per prediction and source, the queue by state, grading. */
export function reviewCases(open: OpenStore): void {
  describe('reviews', () => {
    it('adds reviews once per prediction and source, lists the queue newest first, grades', () =>
      withStore(open, async (store) => {
        const added = await store.reviews.add([review('1', 'p1'), review('2', 'p2'), review('3', 'p1', { source: 'judge', state: 'done', score: 4, comment: 'fine', reviewer: 'judge-llm', gradedAt: 3 })]);
        assert.equal(added.length, 3);
        assert.deepEqual(await store.reviews.add([review('4', 'p1'), review('5', 'p3')]), [review('5', 'p3')], 'a second human review of p1 is skipped');
        assert.deepEqual((await store.reviews.list({ source: 'human', state: 'pending', maxResults: 10 })).map((r) => r.id), ['5', '2', '1']);
        assert.deepEqual((await store.reviews.list({ predictionIds: ['p1'], maxResults: 10 })).map((r) => r.id), ['3', '1']);
        assert.deepEqual(await store.reviews.list({ predictionIds: [], maxResults: 10 }), []);
        assert.deepEqual((await store.reviews.list({ from: 2, to: 4, maxResults: 10 })).map((r) => r.id), ['3', '2']);
        const graded = await store.reviews.grade('2', { state: 'done', score: 2, comment: 'rambles', reviewer: 'ana', gradedAt: 99 });
        assert.deepEqual(graded, review('2', 'p2', { state: 'done', score: 2, comment: 'rambles', reviewer: 'ana', gradedAt: 99 }));
        assert.deepEqual(await store.reviews.get('2'), graded);
        await store.reviews.grade('1', { state: 'done', score: 5, comment: null, reviewer: 'bo', gradedAt: 50 });
        assert.deepEqual((await store.reviews.list({ order: 'graded', maxResults: 10 })).map((r) => r.id), ['2', '1', '3', '5'], 'latest graded first, ungraded last');
        assert.deepEqual([...(await store.reviews.reviewed(['p1', 'p2', 'p9'], 'judge'))], ['p1']);
        await assert.rejects(store.reviews.grade('nope', { state: 'skipped', score: null, comment: null, reviewer: null, gradedAt: 1 }), (e: unknown) => e instanceof AppError && e.code === 'RESOURCE_DOES_NOT_EXIST' && e.field === 'review_id');
      }));
  });
}
