import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { andersonKSamp } from './anderson.js';
import { close, fixture, numbers, throwsCode } from './testing/distance-fixtures.js';

const fx = fixture<{
  cases: { samples: string[]; statistic: number; pvalue: number; scipy_warning?: string }[];
  errors: { samples: string[]; code: 'INSUFFICIENT_DATA' | 'INVALID_INPUT' }[];
}>('anderson');

const extra = fixture<{ samples: Record<string, (number | string)[]> }>('pvalue-samples').samples;
/** A sample of pvalue-samples.json or distance-samples.json, or a slice of one: "normal50[0:7]". */
function sample(spec: string): Float64Array {
  const [, name, from, to] = /^(\w+)(?:\[(\d+):(\d+)\])?$/.exec(spec)!;
  const xs = extra[name!] ? Float64Array.from(extra[name!]!, Number) : numbers(name!);
  return from === undefined ? xs : xs.slice(Number(from), Number(to));
}

describe('andersonKSamp (scipy.stats.anderson_ksamp, midrank)', () => {
  for (const c of fx.cases) {
    const capped = c.scipy_warning ? ` (SciPy: ${c.scipy_warning.split(':')[0]})` : '';
    it(`${c.samples.join(' vs ')}${capped}`, () => {
      const samples = c.samples.map(sample);
      const r = andersonKSamp(samples);
      close(r.statistic, c.statistic, 1e-6, 1e-12, 'statistic');
      close(r.pvalue, c.pvalue, 1e-6, 1e-12, 'pvalue');
      assert.deepEqual(andersonKSamp(samples.map((s) => s.slice().sort())), r);
    });
  }

  it('caps the interpolated p-value to [0.001, 0.25] as SciPy 1.17.1 does', () => {
    for (const c of fx.cases) {
      if (c.scipy_warning?.startsWith('p-value capped')) assert.equal(c.pvalue, 0.25);
      if (c.scipy_warning?.startsWith('p-value floored')) assert.equal(c.pvalue, 0.001);
    }
    const near = Array.from({ length: 40 }, (_, i) => i);
    assert.equal(andersonKSamp([near, near.map((x) => x + 100)]).pvalue, 0.001);
    assert.equal(andersonKSamp([near, near.map((x) => x + 0.5)]).pvalue, 0.25);
  });

  it('takes plain arrays and does not mutate its inputs', () => {
    const a = [0.3, 0.1, 0.2, 0.5];
    const b = [0.25, 0.05, 0.4];
    assert.deepEqual(andersonKSamp([a, b]), andersonKSamp([Float64Array.from(a).sort(), Float64Array.from(b).sort()]));
    assert.deepEqual(a, [0.3, 0.1, 0.2, 0.5]);
  });

  for (const e of fx.errors) {
    it(`refuses ${e.samples.join(' vs ')} with ${e.code}`, () => throwsCode(() => andersonKSamp(e.samples.map(sample)), e.code));
  }
});
