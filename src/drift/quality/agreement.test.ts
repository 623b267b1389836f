import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { StatsError } from '../../stats/errors.js';
import { agreement, cohenKappa } from './agreement.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  kappa: number;
  linear: number;
  quadratic: number;
  exact: number;
  within_one: number;
}
/** From scripts/drift/make_quality_fixtures.py (scikit-learn's cohen_kappa_score). */
const cases = (JSON.parse(readFileSync(new URL('./fixtures/agreement.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b), `${what}: ${a} vs scikit-learn ${b}`);

describe('judge–human agreement', () => {
  for (const c of cases) {
    it(`${c.name}: Cohen's kappa (plain, linear, quadratic) as scikit-learn`, () => {
      const r = agreement(c.a, c.b);
      close(r.kappa, c.kappa, 'kappa');
      close(cohenKappa(c.a, c.b, 'linear'), c.linear, 'linear');
      close(r.quadraticKappa, c.quadratic, 'quadratic');
      close(r.exact, c.exact, 'exact');
      close(r.withinOne, c.within_one, 'within one');
      assert.equal(r.pairs, c.a.length);
    });
  }

  it('too few pairs or one shared grade is insufficient data; bad grades are invalid', () => {
    const code = (f: () => unknown, c: string) => assert.throws(f, (e: unknown) => e instanceof StatsError && e.code === c);
    code(() => agreement([3], [3]), 'INSUFFICIENT_DATA');
    code(() => agreement([4, 4, 4], [4, 4, 4]), 'INSUFFICIENT_DATA');
    code(() => agreement([0, 3], [3, 3]), 'INVALID_INPUT');
    code(() => agreement([2.5, 3], [3, 3]), 'INVALID_INPUT');
    code(() => agreement([2, 3], [3]), 'INVALID_INPUT');
  });
});
