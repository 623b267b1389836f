/**
 * Why a statistic could not be computed. `INSUFFICIENT_DATA`: too few values (an empty sample, one value where a
 * variance is needed, a single category); `INVALID_INPUT`: a value the test cannot take (NaN, ±Infinity, a negative
 * count, tables of the wrong shape). Callers (the drift report) turn the first into an "insufficient data" result and
 * the second into a 400 naming the column; neither is ever a number that looks like an answer.
 */
export class StatsError extends Error {
  constructor(
    readonly code: 'INSUFFICIENT_DATA' | 'INVALID_INPUT',
    message: string,
  ) {
    super(message);
    this.name = 'StatsError';
  }
}

export const insufficient = (message: string): StatsError => new StatsError('INSUFFICIENT_DATA', message);
export const invalidInput = (message: string): StatsError => new StatsError('INVALID_INPUT', message);

/** Throws INVALID_INPUT when `xs` holds NaN or ±Infinity, INSUFFICIENT_DATA when it has fewer than `min` values. */
export function checkSample(xs: ArrayLike<number>, name: string, min = 1): void {
  if (xs.length < min) throw insufficient(`${name} has ${xs.length} value${xs.length === 1 ? '' : 's'}; at least ${min} needed`);
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw invalidInput(`${name}[${i}] is ${xs[i]}: only finite numbers can be tested (drop missing values first)`);
  }
}
