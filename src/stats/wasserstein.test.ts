import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { close, fixture, numbers, throwsCode } from './testing/distance-fixtures.js';
import { wasserstein1d, wassersteinNormed, wassersteinSorted } from './wasserstein.js';

const fx = fixture<{ cases: { u: string; v: string; wasserstein: number; normed: number }[] }>('wasserstein');

describe('wasserstein1d (scipy.stats.wasserstein_distance) and wassersteinNormed (Evidently)', () => {
  for (const c of fx.cases) {
    it(`${c.u} vs ${c.v}`, () => {
      const u = numbers(c.u);
      const v = numbers(c.v);
      close(wasserstein1d(u, v), c.wasserstein, 1e-6, 1e-12, 'wasserstein');
      close(wassersteinSorted(u.slice().sort(), v.slice().sort()), c.wasserstein, 1e-6, 1e-12, 'sorted');
      close(wassersteinNormed(u, v), c.normed, 1e-6, 1e-12, 'normed');
    });
  }

  it('takes plain arrays, is symmetric and does not mutate its inputs', () => {
    const u = [3, 1, 2];
    const v = Float64Array.of(5, 4, 6);
    close(wasserstein1d(u, v), 3);
    assert.equal(wasserstein1d(v, u), wasserstein1d(u, v));
    assert.deepEqual(u, [3, 1, 2]);
    assert.deepEqual([...v], [5, 4, 6]);
    // A constant reference has std 0: Evidently divides by 0.001.
    close(wassersteinNormed([1, 1], [2, 2]), 1000);
  });

  it('refuses empty samples, NaN, infinities and unsorted input to the sorted variant', () => {
    throwsCode(() => wasserstein1d([], [1]), 'INSUFFICIENT_DATA');
    throwsCode(() => wassersteinNormed([1], []), 'INSUFFICIENT_DATA');
    throwsCode(() => wasserstein1d([1, Number.NaN], [1]), 'INVALID_INPUT');
    throwsCode(() => wassersteinNormed([1], [Infinity]), 'INVALID_INPUT');
    throwsCode(() => wassersteinSorted(new Float64Array(0), Float64Array.of(1)), 'INSUFFICIENT_DATA');
    throwsCode(() => wassersteinSorted(Float64Array.of(2, 1), Float64Array.of(1)), 'INVALID_INPUT');
    throwsCode(() => wassersteinSorted(Float64Array.of(1, Number.NaN), Float64Array.of(1)), 'INVALID_INPUT');
  });
});
