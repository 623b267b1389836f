import { checkSortedSample, sortedSample, type Numbers } from './sorted.js';

/**
 * SciPy's `_cdf_distance(p, u, v)` (unweighted), the integral of |F_u - F_v|^p over the merged sample, by one merge
 * walk over the sorted samples: between consecutive distinct values x < x', the empirical CDFs are
 * (#u <= x)/m and (#v <= x)/n. Answers the integral itself (before the p-th root).
 */
export function cdfIntegral(u: Float64Array, v: Float64Array, p: 1 | 2): number {
  const m = u.length;
  const n = v.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let prev = Math.min(u[0]!, v[0]!);
  while (i < m || j < n) {
    const x = j >= n || (i < m && u[i]! <= v[j]!) ? u[i]! : v[j]!;
    const d = i / m - j / n;
    sum += (p === 1 ? Math.abs(d) : d * d) * (x - prev);
    while (i < m && u[i] === x) i++;
    while (j < n && v[j] === x) j++;
    prev = x;
  }
  return sum;
}

/**
 * `scipy.stats.wasserstein_distance(u, v)` for two unweighted 1-D samples: the area between their empirical CDFs.
 * Sorts copies (or uses `u`/`v` as they are when already sorted Float64Arrays); never mutates them. O(n log n).
 * Throws INSUFFICIENT_DATA for an empty sample, INVALID_INPUT for NaN/±Infinity.
 */
export function wasserstein1d(u: Numbers, v: Numbers): number {
  return cdfIntegral(sortedSample(u, 'u'), sortedSample(v, 'v'), 1);
}

/**
 * `wasserstein1d` for samples already sorted ascending (the drift report sorts each column once and reuses it):
 * one check pass and one merge pass, no allocation. Throws INVALID_INPUT when a sample is not sorted.
 */
export function wassersteinSorted(uSorted: Float64Array, vSorted: Float64Array): number {
  checkSortedSample(uSorted, 'u');
  checkSortedSample(vSorted, 'v');
  return cdfIntegral(uSorted, vSorted, 1);
}

/**
 * Evidently's normed Wasserstein distance (`wasserstein_distance_norm.py`):
 * `scipy.stats.wasserstein_distance(reference, current) / max(np.std(reference), 0.001)`, with numpy's population
 * standard deviation (ddof = 0). Evidently's default threshold is 0.1, drift when the value is >= the threshold.
 */
export function wassersteinNormed(reference: Numbers, current: Numbers): number {
  const ref = sortedSample(reference, 'reference');
  return cdfIntegral(ref, sortedSample(current, 'current'), 1) / Math.max(populationStd(ref), 0.001);
}

/** numpy's `np.std(xs)` (ddof = 0), by two passes. */
export function populationStd(xs: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  const mean = sum / xs.length;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i]! - mean) ** 2;
  return Math.sqrt(ss / xs.length);
}
