import { insufficient, invalidInput } from './errors.js';
import { binCounts, binEdgesOfRange, type BinEdgesOptions } from './histogram.js';

/** A column as the binned tests take it: numbers, or category keys (strings, or numbers read as categories). */
export type ColumnSample = Float64Array | readonly number[] | readonly string[];

/** Evidently's `feature_type`: numeric columns are histogrammed when they have more than 20 distinct values. */
export type BinningKind = 'num' | 'cat';

export type CategoryKey = string | number;

export interface BinnedPercents {
  /** Share of the reference in each bin (after the zero fill when asked). */
  reference: Float64Array;
  current: Float64Array;
  /** The categories, in the order of the shares (categorical binning). */
  keys?: CategoryKey[];
  /** The histogram edges (numeric binning of more than 20 distinct reference values). */
  edges?: Float64Array;
}

/** Distinct reference values up to which a numeric column is binned by value, as Evidently's `get_binned_data`. */
export const MAX_VALUES_BINNED_BY_VALUE = 20;

/**
 * Evidently's `get_binned_data(reference, current, feature_type, n, feel_zeroes)`
 * (`evidently/calculations/stattests/utils.py`):
 * - `kind` 'num' and more than 20 distinct reference values: `np.histogram_bin_edges(concat(reference, current),
 *   bins='sturges')`, then each side's `np.histogram` counts divided by its length (`histogramBinEdges`/`histogram`).
 * - otherwise one bin per distinct value of either side: that value's count on each side divided by the side's length.
 *   Evidently orders the keys as a Python set happens to; here numbers come first in ascending order, then strings
 *   in UTF-16 code-unit order. Every consumer only pairs `reference[i]` with `current[i]`, so the order changes nothing.
 * - `feelZeroes`: each side's zero shares become (its smallest non-zero share) / 1e6 when that is <= 0.0001, else
 *   0.0001 — so the shares may no longer sum to 1, as in Evidently.
 *
 * `opts.integer` bins as numpy bins an integer column (see `BinEdgesOptions`). Numeric binning makes one pass to find
 * the distinct values (stopping at 21), one for the extents and one per side for the counts; nothing is sorted.
 * Throws INSUFFICIENT_DATA when a side is empty, INVALID_INPUT on NaN/±Infinity or, for 'num', on non-numbers.
 */
export function binnedPercents(reference: ColumnSample, current: ColumnSample, kind: BinningKind, feelZeroes: boolean, opts: BinEdgesOptions = {}): BinnedPercents {
  checkColumn(reference, 'reference', kind);
  checkColumn(current, 'current', kind);
  let out: BinnedPercents;
  const refCounts = new Map<CategoryKey, number>();
  if (kind === 'num' && !countValues(reference, refCounts, MAX_VALUES_BINNED_BY_VALUE)) {
    const ref = reference as Float64Array | readonly number[];
    const cur = current as Float64Array | readonly number[];
    const a = extentOf(ref);
    const b = extentOf(cur);
    const edges = binEdgesOfRange(Math.min(a.min, b.min), Math.max(a.max, b.max), ref.length + cur.length, 'sturges', opts);
    out = { reference: divide(binCounts(ref, edges), ref.length), current: divide(binCounts(cur, edges), cur.length), edges };
  } else {
    if (kind === 'cat') countValues(reference, refCounts);
    const curCounts = new Map<CategoryKey, number>();
    countValues(current, curCounts);
    const keys = sortKeys(new Set([...refCounts.keys(), ...curCounts.keys()]));
    const r = new Float64Array(keys.length);
    const c = new Float64Array(keys.length);
    keys.forEach((k, i) => {
      r[i] = (refCounts.get(k) ?? 0) / reference.length;
      c[i] = (curCounts.get(k) ?? 0) / current.length;
    });
    out = { reference: r, current: c, keys };
  }
  if (feelZeroes) {
    fillZeroes(out.reference);
    fillZeroes(out.current);
  }
  return out;
}

/** Throws unless `xs` is a non-empty column of finite numbers or strings (numbers only for 'num'). */
export function checkColumn(xs: ColumnSample, name: string, kind: BinningKind): void {
  if (xs.length === 0) throw insufficient(`${name} has 0 values; at least 1 needed`);
  if (xs instanceof Float64Array) {
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(xs[i])) throw invalidInput(`${name}[${i}] is ${xs[i]}: only finite numbers can be tested (drop missing values first)`);
    }
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const x: unknown = xs[i];
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw invalidInput(`${name}[${i}] is ${x}: only finite numbers can be tested (drop missing values first)`);
    } else if (typeof x !== 'string' || kind === 'num') {
      throw invalidInput(`${name}[${i}] is ${typeof x === 'string' ? JSON.stringify(x) : String(x)}: ${kind === 'num' ? 'a numeric column holds numbers' : 'categories are strings or numbers'}`);
    }
  }
}

/**
 * Adds the count of each value of `xs` to `counts`; with `limit`, stops and answers false as soon as there are more
 * than `limit` distinct values. Runs of equal values (sorted input) cost one map update.
 */
function countValues(xs: ColumnSample, counts: Map<CategoryKey, number>, limit = Infinity): boolean {
  let last: CategoryKey | undefined;
  let run = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x === last) {
      run++;
      continue;
    }
    if (last !== undefined) counts.set(last, (counts.get(last) ?? 0) + run);
    if (counts.size > limit) return false;
    last = x;
    run = 1;
  }
  if (last !== undefined) counts.set(last, (counts.get(last) ?? 0) + run);
  return counts.size <= limit;
}

/** Numbers ascending, then strings in code-unit order. */
export function sortKeys(keys: Iterable<CategoryKey>): CategoryKey[] {
  return [...keys].sort((a, b) => {
    if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
    if (typeof b === 'number') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function extentOf(xs: Float64Array | readonly number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}

function divide(xs: Float64Array, by: number): Float64Array {
  for (let i = 0; i < xs.length; i++) xs[i] = xs[i]! / by;
  return xs;
}

/** Evidently's `feel_zeroes`: zeros become the smallest non-zero share / 1e6 if that is <= 0.0001, else 0.0001. */
function fillZeroes(xs: Float64Array): void {
  let min = Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] !== 0 && xs[i]! < min) min = xs[i]!;
  const fill = min <= 0.0001 ? min / 1e6 : 0.0001;
  for (let i = 0; i < xs.length; i++) if (xs[i] === 0) xs[i] = fill;
}
