import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReview, gradeBody } from './reviews-client.js';

test('a review is read from the wire in camelCase with the exchange it grades', () => {
  const r = decodeReview({
    id: '0190-a',
    prediction_id: 'p1',
    deployment: 'stories',
    monitor: 'stories-quality',
    source: 'human',
    state: 'done',
    score: 4,
    comment: 'fine',
    reviewer: 'ana',
    created_at: 1,
    graded_at: 2,
    prompt: 'Tell me a story.',
    answer: 'Once upon a time',
  });
  assert.deepEqual(r, { id: '0190-a', predictionId: 'p1', deployment: 'stories', monitor: 'stories-quality', source: 'human', state: 'done', score: 4, comment: 'fine', reviewer: 'ana', createdAt: 1, gradedAt: 2, prompt: 'Tell me a story.', answer: 'Once upon a time' });
  const pending = decodeReview({ id: 'x', source: 'judge', state: 'weird', score: null, graded_at: null, prompt: null });
  assert.equal(pending.state, 'pending');
  assert.equal(pending.source, 'judge');
  assert.equal(pending.score, null);
  assert.equal(pending.gradedAt, null);
  assert.equal(pending.prompt, null);
  assert.equal(pending.answer, null);
});

test('a grade is posted with its score, or as a skip; blank comment and reviewer are left out', () => {
  assert.deepEqual(gradeBody({ score: 4, comment: '  ', reviewer: ' ana ' }), { score: 4, reviewer: 'ana' });
  assert.deepEqual(gradeBody({ score: 1, comment: 'off topic' }), { score: 1, comment: 'off topic' });
  assert.deepEqual(gradeBody({ skip: true, reviewer: '' }), { skip: true });
});
