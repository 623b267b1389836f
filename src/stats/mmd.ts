import { mulberry32 } from '../core/prng.js';
import { insufficient, invalidInput } from './errors.js';

/** Points as rows (each an embedding or a one-element vector), or a Float64Array of 1-D points. */
export type Points = readonly ArrayLike<number>[] | Float64Array;

export interface MmdOptions {
  /** RBF kernel parameter in exp(-gamma · ‖a − b‖²); default by the median heuristic (see `mmdTest`). */
  gamma?: number;
  /** Permutations for the p-value; default 200. */
  permutations?: number;
  /** Seed of the permutations' mulberry32 generator; default 0. */
  seed?: number;
}

export interface MmdResult {
  /** Unbiased MMD² estimate (can be slightly negative when the samples agree). */
  statistic: number;
  pvalue: number;
  /** The kernel parameter used. */
  gamma: number;
}

/**
 * Most points (both samples together) `mmdTest` takes: the kernel is N(N−1)/2 float64s (36 MB at 3,000) and each
 * permutation reads all of it (200 permutations of 3,000 1-D points: about 1 s on one core).
 */
export const MMD_MAX_POINTS = 3_000;

/** Points the median heuristic looks at; above this, evenly spaced ones of the pooled sample. */
export const MEDIAN_HEURISTIC_POINTS = 1_000;

/** Permuted statistics this close to the observed one count as equal to it (rounding, not a real difference). */
const TIE_TOLERANCE = 1e-10;

/**
 * Kernel two-sample test by maximum mean discrepancy (Gretton et al. 2012) with the RBF kernel
 * k(a, b) = exp(-gamma · ‖a − b‖²), for embeddings or 1-D columns.
 * - statistic: the unbiased MMD² = Σ_{i≠j} k(x_i, x_j) / (m(m−1)) + Σ_{i≠j} k(y_i, y_j) / (n(n−1)) − 2 Σ_{i,j} k(x_i, y_j) / (mn).
 * - gamma (default): 1 / the median of ‖a − b‖² over the pairs i < j of the pooled sample (x then y) whose squared
 *   distance is above 0 (so ties in discrete columns cannot make it infinite; 1 when all points are equal, where every
 *   gamma gives the same kernel). Above 1,000 pooled points, over the pairs of the 1,000 points at indices
 *   floor(k · N / 1000), k = 0..999. An even count of pairs takes the mean of the two middle values, as `np.median`.
 * - p-value: (1 + #{permuted statistic >= observed − 1e-10}) / (1 + permutations), where each permutation shuffles
 *   the pooled indices (one array, shuffled again each time) by Fisher–Yates — for i from N−1 down to 1, swap i with
 *   floor(u · (i + 1)), u from mulberry32(seed) — and its first m indices form x. The same generator is in
 *   `scripts/stats/make_distance_fixtures.py`, so the p-value is reproducible there.
 * The kernel matrix is computed once (packed upper triangle) and each permutation relabels it: O(N²) per permutation.
 * Throws INSUFFICIENT_DATA with fewer than two points on a side; INVALID_INPUT for NaN/±Infinity, points of unequal
 * dimension, bad options, or more than `MMD_MAX_POINTS` points together (the caller subsamples).
 */
export function mmdTest(x: Points, y: Points, opts: MmdOptions = {}): MmdResult {
  const permutations = opts.permutations ?? 200;
  if (!Number.isInteger(permutations) || permutations < 1) throw invalidInput(`permutations must be a positive integer, not ${permutations}`);
  if (opts.gamma !== undefined && !(opts.gamma > 0 && Number.isFinite(opts.gamma))) throw invalidInput(`gamma must be a positive number, not ${opts.gamma}`);
  const m = x.length;
  const n = y.length;
  if (m < 2 || n < 2) throw insufficient(`the MMD needs at least 2 points on each side, not ${m} and ${n}`);
  const N = m + n;
  if (N > MMD_MAX_POINTS) throw invalidInput(`the MMD test takes at most ${MMD_MAX_POINTS} points together, not ${N}: subsample first`);
  const { data, dim } = pool(x, y);

  // Squared distances, then (in place) the kernel, as the packed upper triangle (i < j), row after row.
  const K = new Float64Array((N * (N - 1)) / 2);
  for (let i = 0, t = 0; i < N - 1; i++) {
    const a = i * dim;
    for (let j = i + 1; j < N; j++, t++) {
      const b = j * dim;
      let d2 = 0;
      for (let k = 0; k < dim; k++) {
        const d = data[a + k]! - data[b + k]!;
        d2 += d * d;
      }
      K[t] = d2;
    }
  }
  const gamma = opts.gamma ?? 1 / medianSquaredDistance(K, N);
  const rowSum = new Float64Array(N);
  for (let i = 0, t = 0; i < N - 1; i++) {
    let s = 0;
    for (let j = i + 1; j < N; j++, t++) s += K[t] = Math.exp(-gamma * K[t]!);
    rowSum[i] = s;
  }

  const inX = new Float64Array(N);
  inX.fill(1, 0, m);
  const observed = statistic(K, rowSum, inX, m, n);
  const rand = mulberry32(opts.seed ?? 0);
  const order = new Int32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  let atLeast = 0;
  for (let b = 0; b < permutations; b++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    inX.fill(0);
    for (let k = 0; k < m; k++) inX[order[k]!] = 1;
    if (statistic(K, rowSum, inX, m, n) >= observed - TIE_TOLERANCE) atLeast++;
  }
  return { statistic: observed, pvalue: (1 + atLeast) / (1 + permutations), gamma };
}

/** The unbiased MMD² of the split `inX` (1 for x, 0 for y) from the packed kernel and its upper-row sums. */
function statistic(K: Float64Array, rowSum: Float64Array, inX: Float64Array, m: number, n: number): number {
  const N = m + n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0, t = 0; i < N - 1; i++) {
    let s = 0;
    for (let j = i + 1; j < N; j++, t++) s += K[t]! * inX[j]!;
    if (inX[i] === 1) {
      sxx += s;
      sxy += rowSum[i]! - s;
    } else {
      sxy += s;
      syy += rowSum[i]! - s;
    }
  }
  return (2 * sxx) / (m * (m - 1)) + (2 * syy) / (n * (n - 1)) - (2 * sxy) / (m * n);
}

/** The median heuristic's median over the packed squared distances `d2` of N points (see `mmdTest`). */
function medianSquaredDistance(d2: Float64Array, N: number): number {
  const S = Math.min(N, MEDIAN_HEURISTIC_POINTS);
  const idx = new Int32Array(S);
  for (let k = 0; k < S; k++) idx[k] = S === N ? k : Math.floor((k * N) / S);
  const vals = new Float64Array((S * (S - 1)) / 2);
  let c = 0;
  for (let a = 0; a < S - 1; a++) {
    const i = idx[a]!;
    const row = i * N - (i * (i + 1)) / 2 - i - 1; // packed index of (i, j) is row + j
    for (let b = a + 1; b < S; b++) {
      const v = d2[row + idx[b]!]!;
      if (v > 0) vals[c++] = v;
    }
  }
  if (c === 0) return 1;
  const sorted = vals.subarray(0, c).sort();
  const h = c >> 1;
  return c % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

/** Both samples as one row-major matrix (x's rows, then y's), checked. */
function pool(x: Points, y: Points): { data: Float64Array; dim: number } {
  const dim = x instanceof Float64Array ? 1 : (x[0]?.length ?? 0);
  if (!(dim >= 1)) throw invalidInput('points must be vectors of at least one number (or a Float64Array of 1-D points)');
  const data = new Float64Array((x.length + y.length) * dim);
  let t = 0;
  for (const [p, name] of [
    [x, 'x'],
    [y, 'y'],
  ] as const) {
    for (let i = 0; i < p.length; i++) {
      if (p instanceof Float64Array) {
        if (dim !== 1) throw invalidInput(`${name} holds 1-D points but x has ${dim} dimensions`);
        data[t++] = p[i]!;
        continue;
      }
      const row = p[i]!;
      if (row?.length !== dim) throw invalidInput(`${name}[${i}] has ${row?.length} dimensions, not ${dim} as the first point of x`);
      for (let k = 0; k < dim; k++) data[t++] = row[k]!;
    }
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const side = i < x.length * dim ? 'x' : 'y';
      const row = Math.floor(i / dim) - (side === 'x' ? 0 : x.length);
      throw invalidInput(`${side}[${row}] holds ${data[i]}: only finite numbers can be tested (drop missing values first)`);
    }
  }
  return { data, dim };
}

export { mulberry32 };
