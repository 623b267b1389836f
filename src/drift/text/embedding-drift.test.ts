import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsError } from '../../stats/errors.js';
import { embeddingDrift } from './embedding-drift.js';
import { seededRandom } from './logistic.js';

const code = (c: StatsError['code']) => (e: unknown) => e instanceof StatsError && e.code === c;

/** `n` standard normal vectors of `dim` components (seeded), the first four shifted by `shift`. */
function gaussian(n: number, dim: number, shift: number, seed: number): number[][] {
  const r = seededRandom(seed);
  const g = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Array.from({ length: n }, () => Array.from({ length: dim }, (_, j) => g() + (j < 4 ? shift : 0)));
}

describe('embedding drift (domain classifier)', () => {
  it('above 1,000 reference rows: AUC above 0.55 when the mean moves, near 0.5 when not', () => {
    const ref = gaussian(1500, 16, 0, 1);
    const same = embeddingDrift(ref, gaussian(1500, 16, 0, 2));
    assert.equal(same.method, 'roc_auc');
    assert.ok(Math.abs(same.rocAuc - 0.5) < 0.04, String(same.rocAuc));
    assert.equal(same.drifted, false);
    // A shift of 0.4 in 4 of 16 components moves the mean by 0.8: the best linear rule has AUC Φ(0.8/√2) ≈ 0.71.
    const moved = embeddingDrift(ref, gaussian(1500, 16, 0.4, 3));
    assert.ok(moved.rocAuc > 0.67 && moved.rocAuc < 0.76, String(moved.rocAuc));
    assert.equal(moved.score, moved.rocAuc);
    assert.equal(moved.drifted, true);
  });

  it('with 1,000 reference rows or fewer: the p-value against random classifiers', () => {
    const ref = gaussian(300, 16, 0, 4);
    const same = embeddingDrift(ref, gaussian(300, 16, 0, 5));
    assert.equal(same.method, 'roc_auc_permutation');
    assert.ok(same.score > 0.05, String(same.score));
    assert.equal(same.drifted, false);
    const moved = embeddingDrift(ref, gaussian(300, 16, 0.6, 6));
    assert.ok(moved.score < 0.01, String(moved.score));
    assert.equal(moved.drifted, true);
    assert.deepEqual(embeddingDrift(ref, gaussian(300, 16, 0.6, 6)), moved, 'deterministic');
  });

  it('refuses vectors of different dimensions, non-finite values and too few rows', () => {
    const ref = gaussian(20, 3, 0, 7);
    assert.throws(() => embeddingDrift(ref, [...gaussian(19, 3, 0, 8), [1, 2]]), code('INVALID_INPUT'));
    assert.throws(() => embeddingDrift(ref, [...gaussian(19, 3, 0, 8), [1, NaN, 2]]), code('INVALID_INPUT'));
    assert.throws(() => embeddingDrift(ref, gaussian(5, 3, 0, 8)), code('INSUFFICIENT_DATA'));
  });
});
