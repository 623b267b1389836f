import { checkSortedSample, sortedSample, type Numbers } from './sorted.js';
import { cdfIntegral } from './wasserstein.js';

/**
 * `scipy.stats.energy_distance(u, v)` for two unweighted 1-D samples: `sqrt(2) * sqrt(∫ (F_u - F_v)^2)` over the
 * empirical CDFs (SciPy's CDF form, equal to sqrt(2 E|X-Y| - E|X-X'| - E|Y-Y'|)), O(n log n). Sorts copies (or uses
 * already sorted Float64Arrays as they are); never mutates its inputs. Evidently's `ed` test compares it with 0.1 and
 * calls it drift when the distance is strictly greater. Throws INSUFFICIENT_DATA for an empty sample, INVALID_INPUT
 * for NaN/±Infinity.
 */
export function energyDistance(u: Numbers, v: Numbers): number {
  return Math.SQRT2 * Math.sqrt(cdfIntegral(sortedSample(u, 'u'), sortedSample(v, 'v'), 2));
}

/** `energyDistance` for samples already sorted ascending: one check pass and one merge pass, no allocation. */
export function energyDistanceSorted(uSorted: Float64Array, vSorted: Float64Array): number {
  checkSortedSample(uSorted, 'u');
  checkSortedSample(vSorted, 'v');
  return Math.SQRT2 * Math.sqrt(cdfIntegral(uSorted, vSorted, 2));
}
