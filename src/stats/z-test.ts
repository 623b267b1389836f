import { insufficient, invalidInput } from './errors.js';
import type { TestResult } from './index.js';
import { normCdf } from './special.js';

/**
 * Two-sided two-proportion z-test with the pooled proportion, as Evidently's `z_stat_test`
 * (evidently/calculations/stattests/z_stattest.py): z = (pA − pB) / √(P(1 − P)(1/nA + 1/nB)) with
 * P = (successA + successB)/(nA + nB), and p = 2 (1 − Φ(|z|)) (computed as Evidently does, so p-values below ~1e-16
 * round to 0). When the pooled proportion is 0 or 1 (both sides all successes or all failures) z is 0/0: Evidently
 * special-cases that situation (one and the same value on both sides) as p = 1; so does this, with statistic 0.
 * Throws INSUFFICIENT_DATA for an empty side, INVALID_INPUT for counts that are not whole, negative, or above their n.
 */
export function proportionsZTest(successA: number, nA: number, successB: number, nB: number): TestResult {
  for (const [name, v] of [['successA', successA], ['nA', nA], ['successB', successB], ['nB', nB]] as const) {
    if (!Number.isInteger(v) || v < 0) throw invalidInput(`${name} is ${v}: counts must be non-negative whole numbers`);
  }
  if (nA === 0 || nB === 0) throw insufficient(`the z-test needs values on both sides, got ${nA} and ${nB}`);
  if (successA > nA) throw invalidInput(`successA (${successA}) exceeds nA (${nA})`);
  if (successB > nB) throw invalidInput(`successB (${successB}) exceeds nB (${nB})`);
  const p1 = successA / nA;
  const p2 = successB / nB;
  const P = (p1 * nA + p2 * nB) / (nA + nB);
  if (P === 0 || P === 1) return { statistic: 0, pvalue: 1 };
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / nA + 1 / nB));
  return { statistic: z, pvalue: 2 * (1 - normCdf(Math.abs(z))) };
}
