import { checkSample, insufficient } from './errors.js';
import type { TestResult } from './index.js';
import type { Numbers } from './sorted.js';
import { studentTCdf } from './special.js';

/**
 * `scipy.stats.ttest_ind(a, b, equal_var=False)`: Welch's t statistic (mean(a) − mean(b)) / √(va/na + vb/nb), with
 * sample variances (ddof = 1), and its two-sided p-value from Student's t with the Welch–Satterthwaite degrees of
 * freedom. Sums are compensated, so the means do not depend on the order of the values.
 * Both samples constant: with different values the statistic is ±Infinity and p = 0 (SciPy's answer when its means
 * come out exact); with the same value SciPy answers NaN, so this throws INSUFFICIENT_DATA.
 * Throws INSUFFICIENT_DATA when a sample has fewer than 2 values (SciPy: NaN), INVALID_INPUT for NaN/±Infinity.
 */
export function welchTTest(a: Numbers, b: Numbers): TestResult {
  checkSample(a, 'a', 2);
  checkSample(b, 'b', 2);
  const [m1, v1] = meanVar(a);
  const [m2, v2] = meanVar(b);
  const n1 = a.length;
  const n2 = b.length;
  const vn1 = v1 / n1;
  const vn2 = v2 / n2;
  if (vn1 + vn2 === 0) {
    if (m1 === m2) throw insufficient(`both samples hold the single value ${m1}: the t statistic is undefined`);
    return { statistic: m1 > m2 ? Infinity : -Infinity, pvalue: 0 };
  }
  const df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1));
  const t = (m1 - m2) / Math.sqrt(vn1 + vn2);
  return { statistic: t, pvalue: 2 * studentTCdf(-Math.abs(t), df) };
}

/** Mean and sample variance (ddof = 1) by two compensated passes; exactly 0 for a constant sample. */
function meanVar(xs: Numbers): [number, number] {
  const n = xs.length;
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = xs[i] === xs[0];
  if (constant) return [xs[0]!, 0];
  const mean = sum(xs, (x) => x) / n;
  return [mean, sum(xs, (x) => (x - mean) ** 2) / (n - 1)];
}

function sum(xs: Numbers, f: (x: number) => number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = f(xs[i]!);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}
