import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histogram, histogramBinEdges } from './histogram.js';
import { closeArrays, fixture, numbers, throwsCode } from './testing/distance-fixtures.js';

interface EdgesCase {
  sample: string;
  bins: 'sturges' | number;
  integer: boolean;
  edges: number[];
  counts: number[];
  density: number[];
}
interface CountsCase {
  sample: string;
  edges: number[];
  density: boolean;
  expected: number[];
}
const fx = fixture<{ edges: EdgesCase[]; counts: CountsCase[] }>('histogram');

describe('histogramBinEdges (np.histogram_bin_edges)', () => {
  for (const c of fx.edges) {
    it(`${c.sample}, bins=${c.bins}${c.integer ? ', as int64' : ''}: ${c.edges.length - 1} bins, counts and densities as numpy`, () => {
      const xs = numbers(c.sample);
      const edges = histogramBinEdges(xs, c.bins, { integer: c.integer });
      // Exact: the bin count is an integer decision and the edges are numpy's linspace, operation for operation.
      assert.deepEqual([...edges], c.edges);
      closeArrays(histogram(xs, edges), c.counts, 'counts');
      closeArrays(histogram(xs, edges, { density: true }), c.density, 'density');
    });
  }

  it("takes one more bin than ceil(log2(n) + 1) where numpy's rounding does (64 values over 2.1: 8 bins)", () => {
    assert.equal(histogramBinEdges(numbers('sturges64'), 'sturges').length - 1, 8);
  });

  it('widens a constant sample to [v - 0.5, v + 0.5] and refuses what numpy refuses', () => {
    assert.deepEqual([...histogramBinEdges([2, 2, 2], 'sturges')], [1.5, 2.5]);
    throwsCode(() => histogramBinEdges([], 'sturges'), 'INSUFFICIENT_DATA');
    throwsCode(() => histogramBinEdges([1, Number.NaN], 'sturges'), 'INVALID_INPUT');
    throwsCode(() => histogramBinEdges([1, Infinity], 10), 'INVALID_INPUT');
    throwsCode(() => histogramBinEdges([1, 2], 0), 'INVALID_INPUT');
    throwsCode(() => histogramBinEdges([1, 2], 2.5), 'INVALID_INPUT');
    // numpy: "Too many bins for data range".
    throwsCode(() => histogramBinEdges([1e16, 1e16 + 2], 10), 'INSUFFICIENT_DATA');
  });
});

describe('histogram (np.histogram with explicit edges)', () => {
  for (const c of fx.counts) {
    it(`${c.sample} over [${c.edges.join(', ')}]${c.density ? ', density' : ''}`, () => {
      closeArrays(histogram(numbers(c.sample), c.edges, { density: c.density }), c.expected, 'histogram');
    });
  }

  it('closes only the last bin and drops values outside the edges', () => {
    assert.deepEqual([...histogram([0, 1, 1.5, 2, 3, -1], [0, 1, 2])], [1, 3]);
  });

  it('does not mutate its input and refuses bad edges and empty samples', () => {
    const xs = Float64Array.of(3, 1, 2);
    histogram(xs, [0, 4]);
    assert.deepEqual([...xs], [3, 1, 2]);
    throwsCode(() => histogram([], [0, 1]), 'INSUFFICIENT_DATA');
    throwsCode(() => histogram([Number.NaN], [0, 1]), 'INVALID_INPUT');
    throwsCode(() => histogram([1], [0]), 'INVALID_INPUT');
    throwsCode(() => histogram([1], [1, 0]), 'INVALID_INPUT');
    throwsCode(() => histogram([1], [0, Number.NaN]), 'INVALID_INPUT');
    throwsCode(() => histogram([5], [0, 1], { density: true }), 'INSUFFICIENT_DATA');
    throwsCode(() => histogram([0.5], [0, 1, 1, 2], { density: true }), 'INVALID_INPUT');
  });
});
