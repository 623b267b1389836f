// The two-sample p-value tests of drift detection, each matching its SciPy (or Evidently) counterpart.

/** What a test answers: its statistic and two-sided p-value. */
export interface TestResult {
  statistic: number;
  pvalue: number;
}

export { andersonKSamp } from './anderson.js';
export { chiSquare } from './chi-square.js';
export { cramerVonMises2Samp } from './cramer-von-mises.js';
export { fisherExact, type Table2x2 } from './fisher.js';
export { ks2samp, ks2sampSorted, type KsOptions } from './ks.js';
export { mannWhitneyU } from './mann-whitney.js';
export { welchTTest } from './t-test.js';
export { proportionsZTest } from './z-test.js';
export { StatsError } from './errors.js';
