import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MMD_MAX_POINTS, mmdTest, type MmdOptions } from './mmd.js';
import { close, fixture, throwsCode, vectors } from './testing/distance-fixtures.js';

const fx = fixture<{ cases: { x: string; y: string; options: MmdOptions; statistic: number; pvalue: number; gamma: number }[] }>('mmd');

describe('mmdTest (unbiased MMD², RBF kernel, permutation p-value)', () => {
  for (const c of fx.cases) {
    it(`${c.x} vs ${c.y} ${JSON.stringify(c.options)}`, () => {
      const r = mmdTest(vectors(c.x), vectors(c.y), c.options);
      close(r.gamma, c.gamma, 1e-6, 0, 'gamma');
      close(r.statistic, c.statistic, 1e-6, 1e-12, 'statistic');
      // The same mulberry32 permutations as the Python script: the count of permuted statistics agrees exactly.
      close(r.pvalue, c.pvalue, 1e-6, 0, 'pvalue');
    });
  }

  it('takes a Float64Array as 1-D points, and gives the same answer for the same seed', () => {
    const x = Float64Array.from({ length: 30 }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: 25 }, (_, i) => Math.cos(i) + 0.5);
    const a = mmdTest(x, y, { seed: 5, permutations: 50 });
    assert.deepEqual(a, mmdTest([...x].map((v) => [v]), [...y].map((v) => [v]), { seed: 5, permutations: 50 }));
    assert.ok(a.pvalue > 0 && a.pvalue <= 1);
  });

  it('refuses too few points, missing values, mixed dimensions, bad options and too many points', () => {
    throwsCode(() => mmdTest([[1]], [[1], [2]]), 'INSUFFICIENT_DATA');
    throwsCode(() => mmdTest([[1], [Number.NaN]], [[1], [2]]), 'INVALID_INPUT');
    throwsCode(() => mmdTest([[1, 2], [3, 4]], [[1], [2]]), 'INVALID_INPUT');
    throwsCode(() => mmdTest([[1], [2]], [[1], [2]], { gamma: 0 }), 'INVALID_INPUT');
    throwsCode(() => mmdTest([[1], [2]], [[1], [2]], { permutations: 0 }), 'INVALID_INPUT');
    const big = new Float64Array(MMD_MAX_POINTS);
    throwsCode(() => mmdTest(big, Float64Array.of(1, 2)), 'INVALID_INPUT');
  });
});
