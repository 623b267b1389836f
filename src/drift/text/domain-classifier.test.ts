import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsError } from '../../stats/errors.js';
import { domainClassifier, type DomainSplit } from './domain-classifier.js';

const code = (c: StatsError['code']) => (e: unknown) => e instanceof StatsError && e.code === c;

type Row = { side: 'ref' | 'cur'; i: number };
const rows = (side: Row['side'], n: number): Row[] => Array.from({ length: n }, (_, i) => ({ side, i }));

/** A "classifier" that knows each row's side (perfect), or knows nothing (one score for all). */
const oracle = (s: DomainSplit<Row>) => ({ model: s, scores: Float64Array.from(s.test, (r) => (r.side === 'cur' ? 1 : 0)) });
const blind = (s: DomainSplit<Row>) => ({ model: s, scores: new Float64Array(s.test.length) });

describe('domain classifier', () => {
  it('splits each side in halves (the test half gets the odd row), labels reference 0 and current 1, never a row twice', () => {
    const { result, split } = domainClassifier(rows('ref', 11), rows('cur', 20), {}, oracle);
    assert.equal(result.trainRows, 5 + 10);
    assert.equal(result.testRows, 6 + 10);
    split.train.forEach((r, k) => assert.equal(split.trainLabels[k], r.side === 'cur' ? 1 : 0));
    split.test.forEach((r, k) => assert.equal(split.testLabels[k], r.side === 'cur' ? 1 : 0));
    const seen = new Set([...split.train, ...split.test].map((r) => `${r.side}${r.i}`));
    assert.equal(seen.size, 31);
  });

  it('samples at most maxRows of each side, the same ones for the same seed', () => {
    const a = domainClassifier(rows('ref', 50), rows('cur', 5000), { maxRows: 20 }, oracle);
    assert.equal(a.result.trainRows + a.result.testRows, 40);
    const b = domainClassifier(rows('ref', 50), rows('cur', 5000), { maxRows: 20 }, oracle);
    assert.deepEqual(a.split, b.split);
    const c = domainClassifier(rows('ref', 50), rows('cur', 5000), { maxRows: 20, seed: 7 }, oracle);
    assert.notDeepEqual(a.split.test, c.split.test);
  });

  it('compares the AUC with 0.55 above 1,000 reference rows, else its p-value against random classifiers with 0.05', () => {
    const big = domainClassifier(rows('ref', 1001), rows('cur', 30), {}, oracle).result;
    assert.deepEqual([big.method, big.rocAuc, big.score, big.threshold, big.drifted], ['roc_auc', 1, 1, 0.55, true]);
    const small = domainClassifier(rows('ref', 1000), rows('cur', 30), {}, oracle).result;
    assert.deepEqual([small.method, small.rocAuc, small.score, small.threshold, small.drifted], ['roc_auc_permutation', 1, 0, 0.05, true]);
    const none = domainClassifier(rows('ref', 100), rows('cur', 100), {}, blind).result;
    assert.deepEqual([none.rocAuc, none.score, none.drifted], [0.5, 1, false]);
    const noneBig = domainClassifier(rows('ref', 2000), rows('cur', 100), { threshold: 0.5 }, blind).result;
    assert.equal(noneBig.drifted, false, 'drifted only when the AUC is above the threshold, as Evidently');
  });

  it('needs 10 rows on each side and a sensible maxRows', () => {
    assert.throws(() => domainClassifier(rows('ref', 9), rows('cur', 100), {}, oracle), code('INSUFFICIENT_DATA'));
    assert.throws(() => domainClassifier(rows('ref', 100), rows('cur', 0), {}, oracle), code('INSUFFICIENT_DATA'));
    assert.throws(() => domainClassifier(rows('ref', 100), rows('cur', 100), { maxRows: 5 }, oracle), code('INVALID_INPUT'));
  });
});
