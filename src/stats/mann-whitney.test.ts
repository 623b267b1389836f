import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mannWhitneyU } from './mann-whitney.js';
import { close, fixture, numbers, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{
  cases: { a: string; b: string; statistic: number; pvalue: number }[];
  errors: { a: string; b: string; code: 'INSUFFICIENT_DATA' | 'INVALID_INPUT' }[];
}>('mann-whitney');

const extra = fixture<{ samples: Record<string, (number | string)[]> }>('pvalue-samples').samples;
/** A sample of pvalue-samples.json or distance-samples.json, or a slice of one: "normal50[0:7]". */
function sample(spec: string): Float64Array {
  const [, name, from, to] = /^(\w+)(?:\[(\d+):(\d+)\])?$/.exec(spec)!;
  const xs = extra[name!] ? Float64Array.from(extra[name!]!, Number) : numbers(name!);
  return from === undefined ? xs : xs.slice(Number(from), Number(to));
}

describe("mannWhitneyU (scipy.stats.mannwhitneyu, two-sided, continuity, method='auto')", () => {
  for (const c of fx.cases) {
    it(`${c.a} vs ${c.b}`, () => {
      const a = sample(c.a);
      const b = sample(c.b);
      const r = mannWhitneyU(a, b);
      close(r.statistic, c.statistic, 1e-6, 1e-12, 'statistic');
      close(r.pvalue, c.pvalue, 1e-6, 1e-12, 'pvalue');
      assert.deepEqual(mannWhitneyU(a.slice().sort(), b.slice().sort()), r);
    });
  }

  it('takes plain arrays, answers U of the first sample, and does not mutate its inputs', () => {
    const a = [3, 1, 2];
    const b = [6, 4, 5, 0];
    const r = mannWhitneyU(a, b);
    // Ranks of a in the pooled sample: 2, 3, 4, so U1 = 9 − 6 = 3, and U1 + U2 = 12.
    assert.equal(r.statistic, 3);
    assert.equal(mannWhitneyU(b, a).statistic, 9);
    assert.equal(mannWhitneyU(b, a).pvalue, r.pvalue);
    assert.deepEqual(a, [3, 1, 2]);
  });

  it('uses the exact distribution for a small side without ties, even against a large one', () => {
    // n1 = 3 against 2,000 values: SciPy's exact path; P(U <= 0) = 1 / C(2003, 3) on each side.
    const big = Float64Array.from({ length: 2000 }, (_, i) => i + 10);
    const r = mannWhitneyU([1, 2, 3], big);
    close(r.pvalue, 2 / ((2003 * 2002 * 2001) / 6), 1e-9, 0);
  });

  for (const e of fx.errors) {
    it(`refuses ${e.a} vs ${e.b} with ${e.code}`, () => throwsCode(() => mannWhitneyU(sample(e.a), sample(e.b)), e.code));
  }
});
