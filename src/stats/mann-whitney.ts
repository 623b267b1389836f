import type { TestResult } from './index.js';
import { normCdf } from './special.js';
import { sortedSample, type Numbers } from './sorted.js';

/**
 * `scipy.stats.mannwhitneyu(a, b, alternative='two-sided', use_continuity=True, method='auto')`. The statistic is
 * U1 = R1 − n1(n1 + 1)/2 of `a` (R1 its sum of midranks in the pooled sample). 'auto' is SciPy's choice: the exact
 * null distribution when there are no ties and one sample has at most 8 values, else the normal approximation with
 * tie correction and continuity correction. Ranks come from one merge pass over the sorted samples; sorts copies
 * unless given sorted Float64Arrays, never mutates its inputs. A pooled sample of one repeated value gives p = 1, as
 * SciPy does. Throws INSUFFICIENT_DATA for an empty sample, INVALID_INPUT for NaN/±Infinity.
 */
export function mannWhitneyU(a: Numbers, b: Numbers): TestResult {
  const x = sortedSample(a, 'a');
  const y = sortedSample(b, 'b');
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let r1 = 0;
  let tieTerm = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    const below = i + j;
    const i0 = i;
    const j0 = j;
    while (i < n1 && x[i] === v) i++;
    while (j < n2 && y[j] === v) j++;
    const t = i - i0 + (j - j0);
    r1 += (i - i0) * (below + (t + 1) / 2);
    if (t > 1) tieTerm += t * t * t - t;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  let p: number;
  if ((n1 > 8 && n2 > 8) || tieTerm > 0) {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    // SciPy divides by s = 0 when every value is the same: z = −∞ and p clipped to 1.
    const z = s > 0 ? (u - (n1 * n2) / 2 - 0.5) / s : -Infinity;
    p = 2 * normCdf(-z);
  } else {
    p = 2 * exactCdf(Math.min(n1, n2), Math.max(n1, n2), n1 * n2 - u);
  }
  return { statistic: u1, pvalue: Math.min(Math.max(p, 0), 1) };
}

/**
 * P(U <= k) for U, the Mann–Whitney statistic of samples of s and l values without ties (s <= l), as SciPy's `_MWU`
 * distribution. The counts of U = 0 .. k are the coefficients of the Gaussian binomial [s + l choose s]_q, built
 * one factor (1 − q^(l+j)) / (1 − q^j) at a time: O(s·k) instead of SciPy's O(k²), the same values. Each
 * intermediate polynomial is symmetric, so only its lower half is computed and the upper half mirrored, which keeps
 * the subtractions away from the cancelling tail.
 */
function exactCdf(s: number, l: number, k: number): number {
  const c = new Float64Array(k + 1);
  c[0] = 1;
  for (let j = 1; j <= s; j++) {
    const top = j * l; // degree of [l + j choose j]_q
    const half = Math.min(k, Math.floor(top / 2));
    // Divide by (1 − q^j): a running sum with stride j (uses the previous polynomial, complete up to k).
    for (let e = j; e <= half; e++) c[e]! += c[e - j]!;
    // Multiply by (1 − q^(l+j)), from the top down so that the subtracted entries are still the quotient's.
    for (let e = half; e >= l + j; e--) c[e]! -= c[e - l - j]!;
    for (let e = half + 1; e <= Math.min(k, top); e++) c[e] = c[top - e]!;
    if (top < k) c.fill(0, top + 1);
  }
  let total = 1;
  for (let i = 1; i <= s; i++) total = (total * (l + i)) / i;
  let sum = 0;
  for (let e = 0; e <= k; e++) sum += c[e]!;
  return sum / total;
}
