import { describe, it } from 'node:test';
import { chiSquare } from './chi-square.js';
import { close, fixture, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{
  cases: { observed: number[]; expected: number[]; statistic: number | string; pvalue: number; note?: string }[];
  errors: { observed: (number | string)[]; expected: (number | string)[]; scipy: string; code: 'INSUFFICIENT_DATA' | 'INVALID_INPUT' }[];
}>('chi-square');

describe('chiSquare (scipy.stats.chisquare(f_obs, f_exp), ddof 0)', () => {
  for (const c of fx.cases) {
    it(c.note ?? `${JSON.stringify(c.observed)} vs ${JSON.stringify(c.expected)}`, () => {
      const r = chiSquare(c.observed, c.expected);
      close(r.statistic, c.statistic, 1e-6, 1e-12, 'statistic');
      close(r.pvalue, c.pvalue, 1e-6, 1e-12, 'pvalue');
    });
  }

  for (const e of fx.errors) {
    it(`refuses ${JSON.stringify(e.observed)} vs ${JSON.stringify(e.expected)} with ${e.code} (SciPy: ${e.scipy})`, () => {
      throwsCode(() => chiSquare(e.observed.map(Number), e.expected.map(Number)), e.code);
    });
  }

  it('refuses infinite counts and frequencies', () => {
    throwsCode(() => chiSquare([1, Infinity], [1, 1]), 'INVALID_INPUT');
    throwsCode(() => chiSquare([1, 1], [1, Infinity]), 'INVALID_INPUT');
    throwsCode(() => chiSquare([1, 1], [-1, 3]), 'INVALID_INPUT');
  });
});
