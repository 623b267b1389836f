// Chunks of time-ordered rows, NannyML's thresholds over the reference chunks, alerts and sampling errors
// (nannyml/chunk.py, thresholds.py, sampling_error/*.py).
import { insufficient, invalidInput } from '../../stats/errors.js';

/** Rows [start, end) of one chunk; `key` is NannyML's `[first:last]`, inclusive. */
export interface Chunk {
  index: number;
  key: string;
  start: number;
  end: number;
  size: number;
  /** Smaller than the `minSize` asked for: its metrics are reported but too noisy to trust. */
  tooSmall: boolean;
}

/** What to do with the rows left after the last full chunk (NannyML's `incomplete`). */
export type Incomplete = 'keep' | 'drop' | 'append';

export interface ChunkOptions {
  /** 'keep' (NannyML's default for both chunkers): the leftover rows form a last, smaller chunk. */
  incomplete?: Incomplete;
  /** Chunks with fewer rows are flagged `tooSmall` (default 0: none is). */
  minSize?: number;
}

/**
 * NannyML's `SizeBasedChunker(chunk_size, incomplete)` over n rows already in time order: consecutive chunks of
 * `size` rows; the n mod size rows left form a last smaller chunk ('keep', NannyML's default), are dropped ('drop')
 * or join the last full chunk ('append'). Throws INVALID_INPUT for a size that is not a whole number >= 1,
 * INSUFFICIENT_DATA when no chunk results (no rows, or 'append'/'drop' with fewer rows than one chunk).
 */
export function chunkBySize(n: number, size: number, options: ChunkOptions = {}): Chunk[] {
  if (!Number.isInteger(size) || size < 1) throw invalidInput(`chunk size ${size}: a whole number >= 1`);
  if (!Number.isInteger(n) || n < 0) throw invalidInput(`row count ${n}: a whole number >= 0`);
  const incomplete = options.incomplete ?? 'keep';
  const bounds: [number, number][] = [];
  for (let i = 0; i + size <= n; i += size) bounds.push([i, i + size]);
  const rest = n % size;
  if (rest !== 0 && incomplete === 'keep') bounds.push([n - rest, n]);
  if (rest !== 0 && incomplete === 'append' && bounds.length > 0) bounds[bounds.length - 1]![1] = n;
  if (bounds.length === 0) throw insufficient(`${n} rows make no chunk of ${size} (incomplete='${incomplete}')`);
  const minSize = options.minSize ?? 0;
  return bounds.map(([start, end], index) => ({ index, key: `[${start}:${end - 1}]`, start, end, size: end - start, tooSmall: end - start < minSize }));
}

/**
 * NannyML's `CountBasedChunker(chunk_number, incomplete)`: chunks of floor(n / count) rows, split as `chunkBySize`,
 * so 'keep' (the default) can answer count + 1 chunks and 'append' exactly count. Throws INSUFFICIENT_DATA when
 * there are fewer rows than chunks.
 */
export function chunkByCount(n: number, count: number, options: ChunkOptions = {}): Chunk[] {
  if (!Number.isInteger(count) || count < 1) throw invalidInput(`chunk count ${count}: a whole number >= 1`);
  if (!Number.isInteger(n) || n < 0) throw invalidInput(`row count ${n}: a whole number >= 0`);
  if (n < count) throw insufficient(`${n} rows cannot make ${count} chunks`);
  return chunkBySize(n, Math.floor(n / count), options);
}

/**
 * NannyML's `PeriodBasedChunker` for fixed periods: rows already in time order (`times`, epoch ms) grouped by the
 * period of `periodMs` they fall in, periods aligned to the epoch (UTC hours and days, as pandas' `to_period('H')` /
 * `('D')`); periods without rows make no chunk. Chunks with fewer than `minSize` rows are flagged `tooSmall`. Throws
 * INVALID_INPUT for a period that is not a positive whole number of milliseconds or times out of order.
 */
export function chunkByPeriod(times: ArrayLike<number>, periodMs: number, options: Pick<ChunkOptions, 'minSize'> = {}): Chunk[] {
  if (!Number.isInteger(periodMs) || periodMs < 1) throw invalidInput(`period ${periodMs} ms: a whole number >= 1`);
  const chunks: Chunk[] = [];
  const minSize = options.minSize ?? 0;
  let start = 0;
  for (let i = 1; i <= times.length; i++) {
    if (i < times.length && times[i]! < times[i - 1]!) throw invalidInput(`times[${i}] is before times[${i - 1}]: rows must be in time order`);
    if (i === times.length || Math.floor(times[i]! / periodMs) !== Math.floor(times[start]! / periodMs)) {
      const period = Math.floor(times[start]! / periodMs) * periodMs;
      chunks.push({ index: chunks.length, key: new Date(period).toISOString(), start, end: i, size: i - start, tooSmall: i - start < minSize });
      start = i;
    }
  }
  return chunks;
}

/** How rows are chunked: `{ size }` or `{ count }`, with the leftover and minimum-size options. */
export type Chunking = ({ size: number } | { count: number }) & ChunkOptions;

/** `chunkBySize` or `chunkByCount`, by which of `size` / `count` the spec holds. */
export function chunk(n: number, spec: Chunking): Chunk[] {
  return 'size' in spec ? chunkBySize(n, spec.size, spec) : chunkByCount(n, spec.count, spec);
}

/**
 * numpy's `np.sum` of a float64 vector: pairwise summation, 8 accumulators per block of up to 128 values, so that
 * means and standard deviations agree with numpy to the last bit rather than to 1e-15.
 */
export function npSum(xs: ArrayLike<number>, from = 0, n = xs.length - from): number {
  if (n < 8) {
    let s = -0;
    for (let i = from; i < from + n; i++) s += xs[i]!;
    return s;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0].map((_, j) => xs[from + j]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += xs[from + i + j]!;
    let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) s += xs[from + i]!;
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return npSum(xs, from, half) + npSum(xs, from + half, n - half);
}

/** numpy's `np.mean` and `np.std` (ddof = 0). */
export function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  const mean = npSum(xs) / xs.length;
  return { mean, std: Math.sqrt(npSum(Array.from(xs, (x) => (x - mean) * (x - mean))) / xs.length) };
}

/** Lower and upper thresholds; null where there is none (NannyML's None). */
export interface Band {
  lower: number | null;
  upper: number | null;
  /** Mean and population standard deviation of the values the band was made from. */
  mean: number;
  std: number;
}

/** The range a metric can take: accuracy-like metrics [0, 1], errors [0, ∞). */
export interface Limits {
  lower?: number | null;
  upper?: number | null;
}

/** NannyML's value limits per metric (lower_/upper_threshold_value_limit in performance_estimation and calculation). */
export const METRIC_LIMITS = {
  accuracy: { lower: 0, upper: 1 },
  precision: { lower: 0, upper: 1 },
  recall: { lower: 0, upper: 1 },
  f1: { lower: 0, upper: 1 },
  rocAuc: { lower: 0, upper: 1 },
  mae: { lower: 0, upper: null },
  rmse: { lower: 0, upper: null },
  mape: { lower: 0, upper: null },
} as const satisfies Record<string, Limits>;

export interface BandOptions extends Limits {
  /** Standard deviations below / above the mean; null for no threshold on that side (NannyML default 3 and 3). */
  lowerMultiplier?: number | null;
  upperMultiplier?: number | null;
}

/**
 * NannyML's `StandardDeviationThreshold(std_lower_multiplier=3, std_upper_multiplier=3)` through
 * `calculate_threshold_values`: mean ∓ 3·std of the values (numpy's mean and std, ddof = 0), a threshold beyond the
 * metric's limit replaced by the limit. The values are a metric of each reference chunk; nulls (a chunk where the
 * metric is not defined) are skipped, like nanmean/nanstd. Throws INSUFFICIENT_DATA with fewer than 2 defined values
 * (NannyML would answer a zero-width band from one), INVALID_INPUT for NaN or infinite values.
 */
export function bands(values: readonly (number | null)[], options: BandOptions = {}): Band {
  const xs: number[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    if (!Number.isFinite(v)) throw invalidInput(`values[${i}] is ${v}: thresholds need finite metric values`);
    xs.push(v);
  });
  if (xs.length < 2) throw insufficient(`${xs.length} reference chunk value${xs.length === 1 ? '' : 's'}: a band needs at least 2`);
  const { mean, std } = meanStd(xs);
  const lm = options.lowerMultiplier === undefined ? 3 : options.lowerMultiplier;
  const um = options.upperMultiplier === undefined ? 3 : options.upperMultiplier;
  let lower = lm === null ? null : mean - std * lm;
  let upper = um === null ? null : mean + std * um;
  if (lower !== null && options.lower != null && lower < options.lower) lower = options.lower;
  if (upper !== null && options.upper != null && upper > options.upper) upper = options.upper;
  return { lower, upper, mean, std };
}

/** NannyML's `Metric.alert`: the value is below the lower or above the upper threshold (strictly); a null value never alerts. */
export function alertOf(value: number | null, band: Pick<Band, 'lower' | 'upper'>): boolean {
  if (value === null || Number.isNaN(value)) return false;
  return (band.lower !== null && value < band.lower) || (band.upper !== null && value > band.upper);
}

/**
 * Reference components of a sampling error, as NannyML's `*_sampling_error_components` return them: the standard
 * error of a chunk of n rows is std / √(n · fraction) (`_universal_sampling_error`). Per-class components
 * (multiclass precision, recall, F1) combine as √(Σ variance_c / (n · fraction_c)) / classes.
 */
export type SamplingComponents = { std: number; fraction: number } | { classes: { variance: number; fraction: number }[] };

/** The sampling error of a chunk of n rows from reference components (see `SamplingComponents`); null if undefined. */
export function samplingError(components: SamplingComponents, n: number): number | null {
  let se: number;
  if ('classes' in components) {
    let sum = 0;
    for (const c of components.classes) sum += c.variance / (n * c.fraction);
    se = Math.sqrt(sum) / components.classes.length;
  } else {
    se = components.std / Math.sqrt(n * components.fraction);
  }
  return Number.isFinite(se) ? se : null;
}

/** NannyML's confidence band around an estimate: value ± 3 · sampling error (SAMPLING_ERROR_RANGE), clipped to the limits. */
export function confidenceBounds(value: number, se: number, limits: Limits = {}): { lower: number; upper: number } {
  return { lower: Math.max(limits.lower ?? -Infinity, value - 3 * se), upper: Math.min(limits.upper ?? Infinity, value + 3 * se) };
}

/**
 * The simpler scaling the rest of Pitwall can use for any metric: the standard deviation of the metric over the
 * reference chunks, times √(reference chunk size / chunk size), the 1/√n law NannyML applies to average precision
 * (`ap_sampling_error`: std · √(sample size / analysis size)). An approximation: it assumes the reference chunks
 * are of one size and the metric's spread shrinks as 1/√n.
 */
export function chunkSamplingError(referenceValues: readonly number[], referenceChunkSize: number, chunkSize: number): number {
  if (referenceValues.length < 2) throw insufficient('a spread needs at least 2 reference chunks');
  if (!(referenceChunkSize > 0 && chunkSize > 0)) throw invalidInput('chunk sizes must be > 0');
  return meanStd(referenceValues).std * Math.sqrt(referenceChunkSize / chunkSize);
}

/** NannyML's regression components (sampling_error/regression.py): MAE and MAPE std/√n, RMSE std/√(4 n mean). */
export function regressionSamplingComponents(metric: 'mae' | 'mape' | 'rmse', yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SamplingComponents {
  if (yTrue.length !== yPred.length) throw invalidInput(`yTrue has ${yTrue.length} rows but yPred has ${yPred.length}`);
  if (yTrue.length === 0) throw insufficient('no reference rows');
  const e = Array.from(yTrue, (t, i) => {
    const d = t - yPred[i]!;
    return metric === 'mae' ? Math.abs(d) : metric === 'mape' ? Math.abs(d) / t : d * d; // NannyML: no eps for MAPE here
  });
  const { mean, std } = meanStd(e);
  return { std, fraction: metric === 'rmse' ? 4 * mean : 1 };
}
