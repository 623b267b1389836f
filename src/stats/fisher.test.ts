import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fisherExact, type Table2x2 } from './fisher.js';
import { close, fixture, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{
  cases: { table: [[number, number], [number, number]]; statistic: number | string; pvalue: number }[];
  errors: { table: unknown; code: 'INVALID_INPUT' }[];
}>('fisher');

describe("fisherExact (scipy.stats.fisher_exact, alternative='two-sided')", () => {
  for (const c of fx.cases) {
    it(JSON.stringify(c.table), () => {
      const r = fisherExact(c.table);
      if (c.statistic === 'NaN') assert.ok(Number.isNaN(r.statistic));
      else close(r.statistic, c.statistic, 1e-6, 1e-12, 'statistic');
      close(r.pvalue, c.pvalue, 1e-6, 1e-12, 'pvalue');
    });
  }

  it('is unchanged by swapping rows or columns (p) and answers p = 1 for tables tied with the mode', () => {
    const r = fisherExact([[12, 5], [7, 9]]);
    close(fisherExact([[7, 9], [12, 5]]).pvalue, r.pvalue, 1e-12);
    close(fisherExact([[5, 12], [9, 7]]).pvalue, r.pvalue, 1e-12);
    // pmf(0) = pmf(1) = 10/21 for margins (2, 5; 2, 5): both are modes.
    assert.equal(fisherExact([[0, 2], [2, 3]]).pvalue, 1);
    assert.equal(fisherExact([[1, 1], [1, 4]]).pvalue, 1);
  });

  for (const e of fx.errors) {
    it(`refuses ${JSON.stringify(e.table)} with ${e.code}`, () => {
      const table = (e.table as (number | string)[][]).map((row) => row.map(Number)) as unknown as Table2x2;
      throwsCode(() => fisherExact(table), e.code);
    });
  }
});
