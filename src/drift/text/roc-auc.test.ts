import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { StatsError } from '../../stats/errors.js';
import { seededRandom } from './logistic.js';
import { midranks, rocAuc, rocAucPermutationPValue } from './roc-auc.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/text.json', import.meta.url), 'utf8')) as { rocAuc: { labels: number[]; scores: number[]; auc: number }[] };

const code = (c: StatsError['code']) => (e: unknown) => e instanceof StatsError && e.code === c;

describe('ROC AUC', () => {
  it("equals scikit-learn's roc_auc_score, ties counting one half", () => {
    for (const c of fixture.rocAuc) assert.ok(Math.abs(rocAuc(c.labels, c.scores) - c.auc) < 1e-12, `${rocAuc(c.labels, c.scores)} vs ${c.auc}`);
    // By hand: positives {0.5, 0.9, 0.5} vs negatives {0.5, 0.2, 0.5}: 9 pairs, 5 wins and 4 ties → 7/9.
    assert.equal(rocAuc([0, 1, 0, 1, 1, 0], [0.5, 0.5, 0.2, 0.9, 0.5, 0.5]), 7 / 9);
    assert.deepEqual([...midranks([0.5, 0.5, 0.2, 0.9, 0.5, 0.5])], [3.5, 3.5, 1, 6, 3.5, 3.5]);
  });

  it('refuses one class, other labels and non-finite scores', () => {
    assert.throws(() => rocAuc([1, 1], [0.2, 0.3]), code('INSUFFICIENT_DATA'));
    assert.throws(() => rocAuc([0, 2], [0.2, 0.3]), code('INVALID_INPUT'));
    assert.throws(() => rocAuc([0, 1], [0.2, NaN]), code('INVALID_INPUT'));
    assert.throws(() => rocAuc([0, 1], [0.2]), code('INVALID_INPUT'));
  });

  it('gives the share of random classifiers doing at least as well: a permutation p-value', () => {
    // Two positives among four rows: 1 of the 6 equally likely choices ranks them on top.
    const p = rocAucPermutationPValue([0, 0, 1, 1], [1, 2, 3, 4], seededRandom(1), 6000);
    assert.ok(Math.abs(p - 1 / 6) < 0.02, String(p));
    // Scores that say nothing (all tied) are matched by every random classifier.
    assert.equal(rocAucPermutationPValue([0, 1, 0, 1, 0], [7, 7, 7, 7, 7], seededRandom(1)), 1);
    // A perfect ranking of 100 rows is never reached at random.
    const labels = Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : 1));
    assert.equal(rocAucPermutationPValue(labels, labels.map((l, i) => l + i / 1000), seededRandom(1)), 0);
    // The same seed gives the same answer; the larger class drawn gives the same distribution.
    const r = seededRandom(9);
    const scores = labels.map(() => Math.round(r() * 20));
    const a = rocAucPermutationPValue(labels, scores, seededRandom(3));
    assert.equal(rocAucPermutationPValue(labels, scores, seededRandom(3)), a);
    const flipped = rocAucPermutationPValue(labels.map((l) => 1 - l), scores.map((s) => -s), seededRandom(4));
    assert.ok(Math.abs(a - flipped) < 0.06, `${a} vs ${flipped}`);
  });

  it('is calibrated: scores unrelated to the labels give p < 0.05 about 5% of the time', () => {
    const r = seededRandom(11);
    let small = 0;
    for (let k = 0; k < 200; k++) {
      const labels = Array.from({ length: 60 }, (_, i) => (i < 25 ? 1 : 0));
      const scores = labels.map(() => Math.floor(r() * 10));
      if (rocAucPermutationPValue(labels, scores, r, 400) < 0.05) small++;
    }
    assert.ok(small >= 2 && small <= 22, `${small} of 200`);
  });
});
