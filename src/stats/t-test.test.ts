import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { welchTTest } from './t-test.js';
import { close, fixture, numbers, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{
  cases: { a: string; b: string; statistic: number | string; pvalue: number }[];
  errors: { a: string; b: string; code: 'INSUFFICIENT_DATA' | 'INVALID_INPUT' }[];
}>('t-test');

const extra = fixture<{ samples: Record<string, (number | string)[]> }>('pvalue-samples').samples;
/** A sample of pvalue-samples.json or distance-samples.json, or a slice of one: "normal50[0:7]". */
function sample(spec: string): Float64Array {
  const [, name, from, to] = /^(\w+)(?:\[(\d+):(\d+)\])?$/.exec(spec)!;
  const xs = extra[name!] ? Float64Array.from(extra[name!]!, Number) : numbers(name!);
  return from === undefined ? xs : xs.slice(Number(from), Number(to));
}

describe('welchTTest (scipy.stats.ttest_ind, equal_var=False, two-sided)', () => {
  for (const c of fx.cases) {
    it(`${c.a} vs ${c.b}`, () => {
      const r = welchTTest(sample(c.a), sample(c.b));
      close(r.statistic, c.statistic, 1e-6, 1e-12, 'statistic');
      close(r.pvalue, c.pvalue, 1e-6, 1e-12, 'pvalue');
    });
  }

  it('takes plain arrays, flips the sign of t when the samples swap, and does not mutate its inputs', () => {
    const a = [1, 2, 3, 4];
    const b = [2.5, 3.5, 4.5, 7];
    const r = welchTTest(a, b);
    assert.equal(welchTTest(b, a).statistic, -r.statistic);
    close(welchTTest(b, a).pvalue, r.pvalue, 1e-15);
    assert.deepEqual(a, [1, 2, 3, 4]);
    // A constant side against a varying one is fine: df = n − 1 of the varying side.
    close(welchTTest([5, 5, 5], [1, 2, 3]).statistic, 3 / Math.sqrt(1 / 3), 1e-12);
  });

  for (const e of fx.errors) {
    it(`refuses ${e.a} vs ${e.b} with ${e.code}`, () => throwsCode(() => welchTTest(sample(e.a), sample(e.b)), e.code));
  }
});
