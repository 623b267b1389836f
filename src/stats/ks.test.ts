import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ks2samp, ks2sampSorted, type KsOptions } from './ks.js';
import { close, fixture, numbers, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{
  cases: { a: string; b: string; method: NonNullable<KsOptions['method']>; statistic: number; pvalue: number }[];
  errors: { a: string; b: string; code: 'INSUFFICIENT_DATA' | 'INVALID_INPUT' }[];
}>('ks');

const extra = fixture<{ samples: Record<string, (number | string)[]> }>('pvalue-samples').samples;
/** A sample of pvalue-samples.json or distance-samples.json, or a slice of one: "normal50[0:7]". */
function sample(spec: string): Float64Array {
  const [, name, from, to] = /^(\w+)(?:\[(\d+):(\d+)\])?$/.exec(spec)!;
  const xs = extra[name!] ? Float64Array.from(extra[name!]!, Number) : numbers(name!);
  return from === undefined ? xs : xs.slice(Number(from), Number(to));
}

describe('ks2samp (scipy.stats.ks_2samp, two-sided)', () => {
  for (const c of fx.cases) {
    it(`${c.a} vs ${c.b} (${c.method})`, () => {
      const a = sample(c.a);
      const b = sample(c.b);
      const r = ks2samp(a, b, { method: c.method });
      close(r.statistic, c.statistic, 1e-6, 1e-12, 'statistic');
      close(r.pvalue, c.pvalue, 1e-6, 1e-12, 'pvalue');
      const s = ks2sampSorted(a.slice().sort(), b.slice().sort(), { method: c.method });
      assert.deepEqual(s, r);
    });
  }

  it('takes plain arrays, defaults to auto, and does not mutate its inputs', () => {
    const a = [0.3, 0.1, 0.2];
    const b = [0.25, 0.05, 0.4, 0.35];
    const r = ks2samp(a, b);
    assert.deepEqual(r, ks2samp(Float64Array.from(a), Float64Array.from(b), { method: 'exact' }));
    assert.deepEqual(a, [0.3, 0.1, 0.2]);
    // Swapping the samples keeps the two-sided statistic and p-value.
    assert.deepEqual(ks2samp(b, a), r);
  });

  for (const e of fx.errors) {
    it(`refuses ${e.a} vs ${e.b} with ${e.code}`, () => {
      throwsCode(() => ks2samp(sample(e.a), sample(e.b)), e.code);
      throwsCode(() => ks2sampSorted(sample(e.a).sort(), sample(e.b).sort()), e.code);
    });
  }

  it('refuses unsorted input to the sorted variant', () => {
    throwsCode(() => ks2sampSorted(Float64Array.of(2, 1), Float64Array.of(1)), 'INVALID_INPUT');
    throwsCode(() => ks2sampSorted(Float64Array.of(1), Float64Array.of(1, 3, 2)), 'INVALID_INPUT');
  });
});
