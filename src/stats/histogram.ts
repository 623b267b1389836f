import { checkSample, insufficient, invalidInput } from './errors.js';
import { extent, type Numbers } from './sorted.js';

export interface BinEdgesOptions {
  /**
   * Bin the values as numpy bins an integer array (pandas' `int64` columns): a 'sturges' width below 1 is raised to
   * 1. JavaScript numbers carry no dtype, so the caller says; default false (numpy's float64 behaviour).
   */
  integer?: boolean;
}

/**
 * numpy's `np.histogram_bin_edges(values, bins)` (numpy 2.x, `range=None`) for `bins` = 'sturges' or a bin count:
 * the range is [min, max], widened to [v - 0.5, v + 0.5] when every value is v; 'sturges' takes the width
 * `(max - min) / (log2(n) + 1)` and then `ceil((last - first) / width)` bins (so the count can be one more than
 * `ceil(log2(n) + 1)` when rounding pushes the ratio past an integer, as numpy's does); the edges are `np.linspace`'s.
 * Throws INSUFFICIENT_DATA for an empty sample or a range too narrow for that many distinct float64 edges (numpy's
 * "Too many bins for data range"), INVALID_INPUT for NaN/±Infinity or a bin count that is not a positive integer.
 */
export function histogramBinEdges(values: Numbers, bins: 'sturges' | number, opts: BinEdgesOptions = {}): Float64Array {
  checkSample(values, 'values');
  const { min, max } = extent(values);
  return binEdgesOfRange(min, max, values.length, bins, opts);
}

/**
 * The edges `histogramBinEdges` gives for `count` finite values spanning [min, max], without the values: the binning
 * of two samples together (Evidently's `concat(reference, current)`) needs only both extents and the total count.
 */
export function binEdgesOfRange(min: number, max: number, count: number, bins: 'sturges' | number, opts: BinEdgesOptions = {}): Float64Array {
  let nBins: number;
  if (bins === 'sturges') {
    let width = (max - min) / (Math.log2(count) + 1);
    if (width > 0) {
      if (opts.integer && width < 1) width = 1;
      nBins = Math.ceil((max - min) / width);
    } else nBins = 1;
  } else {
    if (!Number.isInteger(bins) || bins < 1) throw invalidInput(`bins must be 'sturges' or a positive integer, not ${bins}`);
    nBins = bins;
  }
  const [first, last] = min === max ? [min - 0.5, max + 0.5] : [min, max];
  const edges = linspace(first, last, nBins + 1);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! > edges[i - 1]!)) throw insufficient(`the values span [${min}, ${max}]: too narrow for ${nBins} bins of distinct float64 edges`);
  }
  return edges;
}

/** numpy's `np.linspace(start, stop, num)` in float64 (endpoint included, `num` >= 2): `i * step + start`, last = stop. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  const out = new Float64Array(num);
  // numpy divides first when the step underflows to 0 (gh-5437).
  if (step === 0) for (let i = 0; i < num; i++) out[i] = (i / div) * delta + start;
  else for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * numpy's `np.histogram(values, bins=edges, density)[0]` for an explicit edge array (the path Evidently takes, which
 * counts by comparison with the edges, not numpy's uniform-bin shortcut): bin i holds `edges[i] <= x < edges[i+1]`,
 * the last bin also `x == edges[last]`; values outside the edges are not counted. `density` divides each count by its
 * bin width and by the number of counted values. Edges must be finite and non-decreasing (at least two); with
 * `density`, strictly increasing. One pass, no allocation per value. Throws INSUFFICIENT_DATA for an empty sample or,
 * with `density`, when no value falls inside the edges.
 */
export function histogram(values: Numbers, edges: Float64Array | readonly number[], opts: { density?: boolean } = {}): Float64Array {
  checkSample(values, 'values');
  const k = edges.length - 1;
  if (k < 1) throw invalidInput(`a histogram needs at least two edges, not ${edges.length}`);
  for (let i = 0; i <= k; i++) {
    if (!Number.isFinite(edges[i])) throw invalidInput(`edges[${i}] is ${edges[i]}: edges must be finite`);
    if (i > 0 && edges[i]! < edges[i - 1]!) throw invalidInput('edges must increase monotonically');
  }
  const counts = binCounts(values, edges);
  if (!opts.density) return counts;
  let total = 0;
  for (let i = 0; i < k; i++) total += counts[i]!;
  if (total === 0) throw insufficient('no value lies inside the edges: a density is undefined');
  for (let i = 0; i < k; i++) {
    const width = edges[i + 1]! - edges[i]!;
    if (!(width > 0)) throw invalidInput('a density needs strictly increasing edges');
    counts[i] = counts[i]! / width / total;
  }
  return counts;
}

/** The counts of `histogram` without its checks: `values` finite, `edges` finite, non-decreasing, at least two. */
export function binCounts(values: Numbers, edges: Float64Array | readonly number[]): Float64Array {
  const k = edges.length - 1;
  const counts = new Float64Array(k);
  const lo = edges[0]!;
  const hi = edges[k]!;
  const scale = hi > lo ? k / (hi - lo) : 0;
  for (let t = 0; t < values.length; t++) {
    const x = values[t]!;
    if (x < lo || x > hi) continue;
    // A guess from uniform widths, then exact comparisons with the edges decide (any edges, any rounding).
    let i = Math.floor((x - lo) * scale);
    if (!(i >= 0)) i = 0;
    else if (i > k - 1) i = k - 1;
    while (i > 0 && x < edges[i]!) i--;
    while (i < k - 1 && x >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts;
}
