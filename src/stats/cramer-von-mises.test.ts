import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cramerVonMises2Samp } from './cramer-von-mises.js';
import { close, fixture, numbers, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{
  cases: { a: string; b: string; method: string; statistic: number; pvalue: number }[];
  errors: { a: string; b: string; code: 'INSUFFICIENT_DATA' | 'INVALID_INPUT' }[];
}>('cramer-von-mises');

const extra = fixture<{ samples: Record<string, (number | string)[]> }>('pvalue-samples').samples;
/** A sample of pvalue-samples.json or distance-samples.json, or a slice of one: "normal50[0:7]". */
function sample(spec: string): Float64Array {
  const [, name, from, to] = /^(\w+)(?:\[(\d+):(\d+)\])?$/.exec(spec)!;
  const xs = extra[name!] ? Float64Array.from(extra[name!]!, Number) : numbers(name!);
  return from === undefined ? xs : xs.slice(Number(from), Number(to));
}

describe("cramerVonMises2Samp (scipy.stats.cramervonmises_2samp, method='auto')", () => {
  for (const c of fx.cases) {
    it(`${c.a} vs ${c.b} (${c.method})`, () => {
      const a = sample(c.a);
      const b = sample(c.b);
      const r = cramerVonMises2Samp(a, b);
      close(r.statistic, c.statistic, 1e-6, 1e-12, 'statistic');
      close(r.pvalue, c.pvalue, 1e-6, 1e-12, 'pvalue');
      assert.deepEqual(cramerVonMises2Samp(a.slice().sort(), b.slice().sort()), r);
    });
  }

  it('takes plain arrays, is symmetric, and does not mutate its inputs', () => {
    const a = [0.3, 0.1, 0.2];
    const b = [0.25, 0.05, 0.4, 0.35];
    const r = cramerVonMises2Samp(a, b);
    close(cramerVonMises2Samp(b, a).statistic, r.statistic, 1e-12);
    close(cramerVonMises2Samp(b, a).pvalue, r.pvalue, 1e-12);
    assert.deepEqual(a, [0.3, 0.1, 0.2]);
  });

  for (const e of fx.errors) {
    it(`refuses ${e.a} vs ${e.b} with ${e.code}`, () => throwsCode(() => cramerVonMises2Samp(sample(e.a), sample(e.b)), e.code));
  }
});
