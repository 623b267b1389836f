import type { TestResult } from './index.js';
import { kstwoSf } from './special.js';
import { checkSortedSample, sortedSample, type Numbers } from './sorted.js';

export interface KsOptions {
  /** SciPy's `method`: 'auto' (default) is exact when both samples have at most 10,000 values, else 'asymp'. */
  method?: 'auto' | 'exact' | 'asymp';
}

const MAX_AUTO_N = 10000;
const INT32_MAX = 2147483647;

/**
 * `scipy.stats.ks_2samp(a, b, alternative='two-sided', method=...)`: the largest distance between the two empirical
 * CDFs and its p-value. Sorts copies (or uses `a`/`b` as they are when already sorted Float64Arrays); never mutates
 * them. Throws INSUFFICIENT_DATA for an empty sample, INVALID_INPUT for NaN/±Infinity.
 */
export function ks2samp(a: Numbers, b: Numbers, opts: KsOptions = {}): TestResult {
  return ksSorted(sortedSample(a, 'a'), sortedSample(b, 'b'), opts.method ?? 'auto');
}

/**
 * `ks2samp` for samples already sorted ascending: one check pass and one merge pass over the samples, no allocation
 * (the drift report calls it on million-row columns). Throws INVALID_INPUT when a sample is not sorted.
 */
export function ks2sampSorted(sortedA: Float64Array, sortedB: Float64Array, opts: KsOptions = {}): TestResult {
  checkSortedSample(sortedA, 'a');
  checkSortedSample(sortedB, 'b');
  return ksSorted(sortedA, sortedB, opts.method ?? 'auto');
}

function ksSorted(a: Float64Array, b: Float64Array, method: 'auto' | 'exact' | 'asymp'): TestResult {
  const n1 = a.length;
  const n2 = b.length;
  // SciPy evaluates cdf1 − cdf2 = searchsorted(a, x, 'right')/n1 − searchsorted(b, x, 'right')/n2 at every value.
  let i = 0;
  let j = 0;
  let max = -Infinity;
  let min = Infinity;
  while (i < n1 || j < n2) {
    const x = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    const diff = i / n1 - j / n2;
    if (diff > max) max = diff;
    if (diff < min) min = diff;
  }
  const minS = Math.min(Math.max(-min, 0), 1);
  let d = minS > max ? minS : max;

  const g = gcd(n1, n2);
  let mode = method;
  if (mode === 'auto') mode = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  else if (mode === 'exact' && n1 / g >= INT32_MAX / (n2 / g)) mode = 'asymp';
  if (mode === 'exact') {
    const exact = exactPValue(n1, n2, g, d);
    d = exact.d;
    if (exact.p !== undefined) return { statistic: d, pvalue: exact.p };
    // SciPy warns "Exact calculation unsuccessful" and falls back to the asymptotic distribution.
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic: d, pvalue: Math.min(Math.max(kstwoSf(roundHalfEven(en), d), 0), 1) };
}

/** SciPy's `_attempt_exact_2kssamp` (two-sided): `d` rounded to a multiple of 1/lcm, and the p-value unless it failed. */
function exactPValue(n1: number, n2: number, g: number, d: number): { d: number; p?: number } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dd = h / lcm;
  if (h === 0) return { d: dd, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  return 0 <= p && p <= 1 ? { d: dd, p } : { d: dd };
}

/** SciPy's `_compute_prob_outside_square(n, h)`: P(D_{n,n} >= h/n) by a Horner-like alternating sum. */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * SciPy's `_compute_outer_prob_inside_method(m, n, g, h)`: the share of lattice paths from (0, 0) to (m, n) that leave
 * the band |x/m − y/n| < h/lcm(m, n), by Viehmann's recursion for 1 − p over a sliding window of one column.
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, Math.min(maxj, lenA));
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, curlen, Math.min(curlen + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1]!;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
