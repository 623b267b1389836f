import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proportionsZTest } from './z-test.js';
import { close, fixture, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{
  cases: { successA: number; nA: number; successB: number; nB: number; statistic: number; pvalue: number; note?: string }[];
  errors: { args: (number | string)[]; code: 'INSUFFICIENT_DATA' | 'INVALID_INPUT' }[];
}>('z-test');

describe("proportionsZTest (Evidently's z_stat_test: pooled two-proportion z, 2·(1 − Φ(|z|)))", () => {
  for (const c of fx.cases) {
    it(`${c.successA}/${c.nA} vs ${c.successB}/${c.nB}${c.note ? ` (${c.note})` : ''}`, () => {
      const r = proportionsZTest(c.successA, c.nA, c.successB, c.nB);
      // Evidently codes the first category as 0, so its z is the negative of the share-of-successes z here.
      close(Math.abs(r.statistic), Math.abs(c.statistic), 1e-6, 1e-12, 'statistic');
      close(r.pvalue, c.pvalue, 1e-6, 1e-12, 'pvalue');
    });
  }

  it('is antisymmetric in the sides', () => {
    const r = proportionsZTest(30, 100, 45, 120);
    assert.equal(proportionsZTest(45, 120, 30, 100).statistic, -r.statistic);
    assert.ok(r.statistic < 0);
  });

  for (const e of fx.errors) {
    it(`refuses ${JSON.stringify(e.args)} with ${e.code}`, () => {
      const [sa, na, sb, nb] = e.args.map(Number) as [number, number, number, number];
      throwsCode(() => proportionsZTest(sa, na, sb, nb), e.code);
    });
  }
});
