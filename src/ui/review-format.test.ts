import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byGradedAt, confirmationText, GRADES, gradeOfKey, gradeText, judgeGrades, oneLine, parseReviewQuery, pendingText, reviewsPath } from './review-format.js';
import type { Review } from './reviews-client.js';

const review = (over: Partial<Review>): Review => ({ id: 'r', predictionId: 'p', deployment: 'd', monitor: 'm', source: 'judge', state: 'done', score: 3, comment: null, reviewer: 'd', createdAt: 1, gradedAt: 1, prompt: null, answer: null, ...over });

test('filters come from the query string, pending human reviews unless asked otherwise, and go back into it', () => {
  assert.deepEqual(parseReviewQuery(''), { deployment: '', monitor: '', state: 'pending', source: 'human' });
  assert.deepEqual(parseReviewQuery('?monitor=stories-quality&state=done&source=judge&deployment=stories'), { deployment: 'stories', monitor: 'stories-quality', state: 'done', source: 'judge' });
  assert.equal(parseReviewQuery('?state=nope&source=robot').state, 'pending');
  assert.equal(reviewsPath({ monitor: 'stories-quality' }), '/reviews?monitor=stories-quality');
  assert.equal(reviewsPath({ monitor: 'a b', state: 'pending', source: 'human', deployment: '' }), '/reviews?monitor=a+b');
  assert.equal(reviewsPath({ state: 'done', source: 'judge' }), '/reviews?state=done&source=judge');
  assert.equal(reviewsPath(), '/reviews');
});

test("the judge's grade of each answer is its newest scored review", () => {
  const m = judgeGrades([
    review({ id: 'a', predictionId: 'p1', score: 2, gradedAt: 10 }),
    review({ id: 'b', predictionId: 'p1', score: 4, gradedAt: 20 }),
    review({ id: 'c', predictionId: 'p2', score: null }),
    review({ id: 'd', predictionId: 'p3', source: 'human', score: 5 }),
  ]);
  assert.equal(m.get('p1')?.id, 'b');
  assert.equal(m.has('p2'), false, 'an unreadable judgement is no grade');
  assert.equal(m.has('p3'), false, 'people are not the judge');
});

test('grades, counters and confirmations in words', () => {
  assert.deepEqual(
    GRADES.map((g) => g.score),
    [1, 2, 3, 4, 5],
  );
  assert.equal(GRADES[0]!.label, 'bad');
  assert.equal(gradeText(4), '4 · good');
  assert.equal(gradeText(null), '—');
  assert.equal(pendingText(3, false), '3 pending');
  assert.equal(pendingText(500, true), '500+ pending');
  assert.equal(confirmationText({ score: 5 }), 'Graded 5 · excellent — on to the next answer.');
  assert.equal(confirmationText({ skip: true }), 'Skipped — on to the next answer.');
  assert.equal(oneLine('a\n  b\tc'), 'a b c');
  assert.equal(oneLine('x'.repeat(10), 5), 'xxxx…');
  assert.equal(oneLine(null), '—');
  assert.equal(gradeOfKey('3'), 3);
  assert.equal(gradeOfKey('6'), undefined);
  assert.equal(gradeOfKey('a'), undefined);
});

test('graded reviews are listed latest graded first, whatever order they were queued in', () => {
  const rows = [review({ id: 'a', gradedAt: 10, createdAt: 3 }), review({ id: 'b', gradedAt: 30, createdAt: 1 }), review({ id: 'c', gradedAt: null, createdAt: 5 }), review({ id: 'd', gradedAt: 20, createdAt: 2 })];
  assert.deepEqual(
    byGradedAt(rows).map((r) => r.id),
    ['b', 'd', 'a', 'c'],
  );
  assert.equal(rows[0]!.id, 'a', 'the input is left alone');
});
