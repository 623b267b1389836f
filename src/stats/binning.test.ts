import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binnedPercents, type BinningKind, type CategoryKey } from './binning.js';
import { closeArrays, column, fixture, throwsCode } from './testing/distance-fixtures.js';

interface BinningCase {
  reference: string;
  current: string;
  kind: BinningKind;
  feelZeroes: boolean;
  integer: boolean;
  expected: { reference: number[]; current: number[]; keys: CategoryKey[] | null; edges: number[] | null };
}
const fx = fixture<{ cases: BinningCase[] }>('binning');

describe("binnedPercents (Evidently's get_binned_data)", () => {
  for (const c of fx.cases) {
    const how = `${c.kind}${c.integer ? ' int64' : ''}${c.feelZeroes ? ', zeros filled' : ''}`;
    it(`${c.reference} vs ${c.current} (${how}): ${c.expected.edges ? 'sturges histogram' : 'one bin per value'}`, () => {
      const b = binnedPercents(column(c.reference), column(c.current), c.kind, c.feelZeroes, { integer: c.integer });
      assert.deepEqual(b.keys ?? null, c.expected.keys);
      if (c.expected.edges) assert.deepEqual([...b.edges!], c.expected.edges);
      else assert.equal(b.edges, undefined);
      closeArrays(b.reference, c.expected.reference, 'reference');
      closeArrays(b.current, c.expected.current, 'current');
    });
  }

  it('bins a numeric column by value up to 20 distinct reference values, by histogram from 21', () => {
    const twenty = Float64Array.from({ length: 200 }, (_, i) => i % 20);
    const wide = Float64Array.from({ length: 50 }, (_, i) => i * 1.5);
    // 0..19 and 0, 1.5, ..., 73.5 share 0, 3, 6, 9, 12, 15, 18.
    assert.equal(binnedPercents(twenty, wide, 'num', false).keys?.length, 20 + 50 - 7);
    const twentyOne = Float64Array.from({ length: 210 }, (_, i) => i % 21);
    assert.ok(binnedPercents(twentyOne, wide, 'num', false).edges);
  });

  it('fills a zero with the smallest share / 1e6 when that is <= 0.0001, else with 0.0001', () => {
    const rare = ['a', ...new Array<string>(19_999).fill('b')];
    const b = binnedPercents(rare, ['c', 'b'], 'cat', true);
    assert.deepEqual(b.keys, ['a', 'b', 'c']);
    assert.deepEqual([...b.reference], [1 / 20_000, 19_999 / 20_000, 1 / 20_000 / 1e6]);
    assert.deepEqual([...b.current], [0.0001, 0.5, 0.5]);
  });

  it('orders numeric keys before string keys and does not mutate its inputs', () => {
    const ref = [10, 2, 2];
    const cur = ['x', 'b'];
    assert.deepEqual(binnedPercents(ref, cur as never, 'cat', false).keys, [2, 10, 'b', 'x']);
    assert.deepEqual(ref, [10, 2, 2]);
  });

  it('refuses empty sides, missing values, and strings in a numeric column', () => {
    throwsCode(() => binnedPercents([], [1], 'num', true), 'INSUFFICIENT_DATA');
    throwsCode(() => binnedPercents(['a'], [], 'cat', true), 'INSUFFICIENT_DATA');
    throwsCode(() => binnedPercents([1, Number.NaN], [1], 'num', true), 'INVALID_INPUT');
    throwsCode(() => binnedPercents(Float64Array.of(1), Float64Array.of(-Infinity), 'num', false), 'INVALID_INPUT');
    throwsCode(() => binnedPercents(['a'], [1], 'num', false), 'INVALID_INPUT');
    throwsCode(() => binnedPercents(['a', null as unknown as string], ['a'], 'cat', false), 'INVALID_INPUT');
  });
});
