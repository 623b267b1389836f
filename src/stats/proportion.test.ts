import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clopperPearsonInterval, normalQuantile, wilsonInterval } from './proportion.js';
import { close, fixture, throwsCode } from './testing/distance-fixtures.js';

interface Case {
  k: number;
  n: number;
  confidence: number;
  wilson: [number, number];
  exact: [number, number];
  exactBinomtest: [number, number];
}
const fx = fixture<{ cases: Case[]; ndtri: [number, number][] }>('proportion');

describe('normalQuantile (scipy.special.ndtri)', () => {
  it('matches SciPy from 1e-300 to 1 - 1e-12', () => {
    for (const [p, x] of fx.ndtri) close(normalQuantile(p), x, 1e-13, 1e-15, `ndtri(${p})`);
  });

  it('answers the ends and refuses p outside [0, 1]', () => {
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.equal(normalQuantile(0.5), 0);
    throwsCode(() => normalQuantile(1.5), 'INVALID_INPUT');
    throwsCode(() => normalQuantile(Number.NaN), 'INVALID_INPUT');
  });
});

describe('wilsonInterval and clopperPearsonInterval (scipy.stats.binomtest(k, n).proportion_ci)', () => {
  for (const c of fx.cases) {
    it(`k=${c.k}, n=${c.n}, confidence ${c.confidence}`, () => {
      const w = wilsonInterval(c.k, c.n, c.confidence);
      close(w.low, c.wilson[0], 1e-9, 1e-15, 'wilson low');
      close(w.high, c.wilson[1], 1e-9, 1e-15, 'wilson high');
      const e = clopperPearsonInterval(c.k, c.n, c.confidence);
      close(e.low, c.exact[0], 1e-9, 1e-300, 'exact low (betaincinv)');
      close(e.high, c.exact[1], 1e-9, 1e-300, 'exact high (betaincinv)');
      // binomtest's own brentq roots are good to ~1e-12 absolute.
      close(e.low, c.exactBinomtest[0], 1e-9, 2e-11, 'exact low (binomtest)');
      close(e.high, c.exactBinomtest[1], 1e-9, 2e-11, 'exact high (binomtest)');
    });
  }

  it('pins the ends: k = 0 starts at 0, k = n ends at 1, n = 1 is covered', () => {
    assert.equal(wilsonInterval(0, 50).low, 0);
    assert.equal(wilsonInterval(50, 50).high, 1);
    assert.equal(clopperPearsonInterval(0, 50).low, 0);
    assert.equal(clopperPearsonInterval(50, 50).high, 1);
    // n = 1, k = 0: Clopper-Pearson's upper end is 1 − α/2 exactly (I_x(1, 1) = x).
    close(clopperPearsonInterval(0, 1).high, 0.975, 1e-14);
    const big = clopperPearsonInterval(3, 10_000_000);
    assert.ok(big.low > 0 && big.low < 3e-7 && big.high > 3e-7 && big.high < 1e-6);
  });

  it('defaults to 95% and narrows with the confidence', () => {
    assert.deepEqual(wilsonInterval(7, 40), wilsonInterval(7, 40, 0.95));
    const w90 = wilsonInterval(7, 40, 0.9);
    const w99 = wilsonInterval(7, 40, 0.99);
    assert.ok(w99.low < w90.low && w99.high > w90.high);
  });

  it('refuses impossible counts and confidence levels', () => {
    for (const f of [wilsonInterval, clopperPearsonInterval]) {
      throwsCode(() => f(0, 0), 'INSUFFICIENT_DATA');
      throwsCode(() => f(5, 4), 'INVALID_INPUT');
      throwsCode(() => f(-1, 4), 'INVALID_INPUT');
      throwsCode(() => f(1.5, 4), 'INVALID_INPUT');
      throwsCode(() => f(1, 4.5), 'INVALID_INPUT');
      throwsCode(() => f(1, -4), 'INVALID_INPUT');
      throwsCode(() => f(Number.NaN, 4), 'INVALID_INPUT');
      throwsCode(() => f(1, Infinity), 'INVALID_INPUT');
      throwsCode(() => f(1, 4, 1), 'INVALID_INPUT');
      throwsCode(() => f(1, 4, 0), 'INVALID_INPUT');
      throwsCode(() => f(1, 4, Number.NaN), 'INVALID_INPUT');
    }
  });
});
