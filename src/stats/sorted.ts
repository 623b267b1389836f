import { checkSample, insufficient, invalidInput } from './errors.js';

/** A numeric sample as the distance functions take it. */
export type Numbers = Float64Array | readonly number[];

/**
 * `xs` in ascending order, as a Float64Array the caller may keep but must not change: `xs` itself when it already is
 * a sorted Float64Array (the drift report sorts each column once), else a sorted copy. Never mutates `xs`. Throws
 * INSUFFICIENT_DATA when empty and INVALID_INPUT on NaN or ±Infinity.
 */
export function sortedSample(xs: Numbers, name: string): Float64Array {
  checkSample(xs, name);
  if (xs instanceof Float64Array && isAscending(xs)) return xs;
  return Float64Array.from(xs).sort();
}

/** Throws unless `xs` is a non-empty, finite, ascending sample (one pass, no copy). */
export function checkSortedSample(xs: Float64Array, name: string): void {
  if (xs.length === 0) throw insufficient(`${name} has 0 values; at least 1 needed`);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!Number.isFinite(x)) throw invalidInput(`${name}[${i}] is ${x}: only finite numbers can be tested (drop missing values first)`);
    if (i > 0 && x < xs[i - 1]!) throw invalidInput(`${name} must be sorted ascending (${name}[${i}] = ${x} follows ${xs[i - 1]})`);
  }
}

function isAscending(xs: Float64Array): boolean {
  for (let i = 1; i < xs.length; i++) if (!(xs[i]! >= xs[i - 1]!)) return false;
  return true;
}

/** Smallest and largest value of a sample already checked to be finite and non-empty. */
export function extent(xs: Numbers): { min: number; max: number } {
  let min = xs[0]!;
  let max = min;
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    if (x < min) min = x;
    else if (x > max) max = x;
  }
  return { min, max };
}

/** Distinct values of two sorted samples together, by one merge walk. */
export function distinctOfSorted(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  let last = Number.NaN;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (x !== last) {
      n++;
      last = x;
    }
  }
  return n;
}
