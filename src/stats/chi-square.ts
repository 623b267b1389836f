import { insufficient, invalidInput } from './errors.js';
import type { TestResult } from './index.js';
import { chi2Sf } from './special.js';

/** SciPy's tolerance on the two totals: √(double epsilon). */
const SUM_RTOL = Math.sqrt(2.220446049250313e-16);

/**
 * `scipy.stats.chisquare(f_obs, f_exp)` with ddof = 0: Pearson's Σ (observed − expected)² / expected and its p-value
 * from the chi-square distribution with k − 1 degrees of freedom. Like SciPy 1.17, the totals must agree to a relative
 * tolerance of √eps (≈ 1.5e-8), else INVALID_INPUT. A category expected 0 but observed gives statistic Infinity and
 * p = 0, as SciPy does. Throws INVALID_INPUT for lists of different lengths, negative, NaN or infinite counts, or a
 * category that is 0 on both sides (SciPy: NaN; drop it first); INSUFFICIENT_DATA for fewer than 2 categories (SciPy:
 * NaN) or all counts 0.
 */
export function chiSquare(observed: readonly number[], expected: readonly number[]): TestResult {
  if (observed.length !== expected.length) throw invalidInput(`observed has ${observed.length} categories, expected ${expected.length}`);
  let so = 0;
  let se = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    const e = expected[i]!;
    if (!Number.isFinite(o) || o < 0) throw invalidInput(`observed[${i}] is ${o}: counts must be finite and non-negative`);
    if (!Number.isFinite(e) || e < 0) throw invalidInput(`expected[${i}] is ${e}: frequencies must be finite and non-negative`);
    if (o === 0 && e === 0) throw invalidInput(`category ${i} is 0 both observed and expected: drop empty categories`);
    so += o;
    se += e;
  }
  if (observed.length < 2) throw insufficient(`the chi-square test needs at least 2 categories, got ${observed.length}`);
  if (so === 0 && se === 0) throw insufficient('the chi-square test needs at least one observation');
  const diff = Math.abs(so - se) / Math.min(so, se);
  if (!(diff <= SUM_RTOL)) throw invalidInput(`observed and expected totals must agree to a relative tolerance of ${SUM_RTOL}: ${so} vs ${se}`);
  let stat = 0;
  for (let i = 0; i < observed.length; i++) stat += (observed[i]! - expected[i]!) ** 2 / expected[i]!;
  return { statistic: stat, pvalue: chi2Sf(stat, observed.length - 1) };
}
