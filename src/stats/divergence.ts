import { binnedPercents, checkColumn, type BinningKind, type CategoryKey, type ColumnSample } from './binning.js';
import { insufficient, invalidInput } from './errors.js';
import { binEdgesOfRange, histogram, type BinEdgesOptions } from './histogram.js';
import { distinctOfSorted, sortedSample, type Numbers } from './sorted.js';

/**
 * `scipy.spatial.distance.jensenshannon(p, q, base)`: both vectors normalized to sum 1, m = (p + q) / 2,
 * sqrt((Σ rel_entr(p, m) + Σ rel_entr(q, m)) / ln(base) / 2) — a distance in [0, 1] for base 2. Where rounding makes
 * the sum a hair below zero (near-identical vectors) the answer is 0, where SciPy would answer NaN.
 * Throws INSUFFICIENT_DATA for empty vectors, INVALID_INPUT for vectors of different lengths, negative, NaN or
 * infinite entries, a vector summing to 0, or a base that is not positive and different from 1.
 */
export function jensenShannonDistance(p: Numbers, q: Numbers, base = 2): number {
  checkShares(p, q);
  if (!(base > 0) || base === 1 || !Number.isFinite(base)) throw invalidInput(`the logarithm base must be positive and not 1, not ${base}`);
  const sp = sumOf(p);
  const sq = sumOf(q);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    left += relEntr(a, m);
    right += relEntr(b, m);
  }
  const js = (left + right) / Math.log(base);
  return Math.sqrt(Math.max(0, js / 2));
}

/**
 * `scipy.stats.entropy(p, q)`: the Kullback–Leibler divergence Σ p ln(p / q) in nats, after normalizing both to sum
 * 1; Infinity where q is 0 and p is not, as SciPy. Throws as `jensenShannonDistance`.
 */
export function klDivergence(p: Numbers, q: Numbers): number {
  checkShares(p, q);
  const sp = sumOf(p);
  const sq = sumOf(q);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += relEntr(p[i]! / sp, q[i]! / sq);
  return s;
}

/**
 * The population stability index as Evidently's `psi.py` sums it: Σ (ref - cur) · ln(ref / cur) over the bins, on the
 * shares as given (not renormalized). A bin empty on both sides adds nothing; empty on one side only, the index is
 * Infinity (Evidently never has such bins: it fills zeros first, as `psiDrift` does). Throws as
 * `jensenShannonDistance`.
 */
export function psi(refPercents: Numbers, curPercents: Numbers): number {
  checkShares(refPercents, curPercents);
  let s = 0;
  for (let i = 0; i < refPercents.length; i++) {
    const r = refPercents[i]!;
    const c = curPercents[i]!;
    if (r === 0 && c === 0) continue;
    s += (r - c) * Math.log(r / c);
  }
  return s;
}

/**
 * Evidently's `jensenshannon` drift score: `jensenShannonDistance` (natural log, as Evidently passes no base) of
 * `binnedPercents(reference, current, kind, feelZeroes = false)`. Default threshold 0.1, drift when >= it.
 */
export function jensenShannonDrift(reference: ColumnSample, current: ColumnSample, kind: BinningKind, opts: BinEdgesOptions = {}): number {
  const b = binnedPercents(reference, current, kind, false, opts);
  return jensenShannonDistance(b.reference, b.current, Math.E);
}

/** Evidently's `psi` drift score: `psi` of `binnedPercents(..., feelZeroes = true)`. Default threshold 0.1, drift when >= it. */
export function psiDrift(reference: ColumnSample, current: ColumnSample, kind: BinningKind, opts: BinEdgesOptions = {}): number {
  const b = binnedPercents(reference, current, kind, true, opts);
  return psi(b.reference, b.current);
}

/**
 * Evidently's `kl_div` drift score: `scipy.stats.entropy(ref, cur)` (natural log) of
 * `binnedPercents(..., feelZeroes = true)`. Default threshold 0.1, drift when >= it.
 */
export function klDrift(reference: ColumnSample, current: ColumnSample, kind: BinningKind, opts: BinEdgesOptions = {}): number {
  const b = binnedPercents(reference, current, kind, true, opts);
  return klDivergence(b.reference, b.current);
}

/**
 * Evidently's Hellinger distance (`hellinger_distance.py`), default threshold 0.1, drift when >= it.
 * - 'cat': sqrt(1 - clip(Σ_k sqrt(p_ref(k) · p_cur(k)), 0, 1)) over the categories of either side, with p = count / length.
 * - 'num': edges = `np.histogram_bin_edges(keys, bins='sturges')` where keys are the DISTINCT values of both sides
 *   (Evidently's choice: the number of bins follows the number of distinct values, not of rows); h = each side's
 *   `np.histogram(..., density=True)`; bin width = (max - min) / bins; sqrt(1 - clip(Σ sqrt(h_ref · h_cur) · width, 0, 1)).
 *   One deviation: when both sides hold one and the same value, Evidently's width is 0 and it answers 1 (total drift);
 *   this answers 0, the distance between two equal distributions. `opts.integer` bins the distinct values as numpy
 *   bins an integer column (pandas `int64`); Evidently then finds distance 0 between all-0 and all-1 binary columns
 *   (one bin of width 1), which is why it is not the default.
 * Sorts copies of numeric columns unless they are sorted Float64Arrays already. Throws as `binnedPercents`.
 */
export function hellingerDistance(reference: ColumnSample, current: ColumnSample, kind: BinningKind, opts: BinEdgesOptions = {}): number {
  checkColumn(reference, 'reference', kind);
  checkColumn(current, 'current', kind);
  let s = 0;
  if (kind === 'cat') {
    const r = shares(reference);
    const c = shares(current);
    for (const [k, p] of r) s += Math.sqrt(p * (c.get(k) ?? 0));
  } else {
    const ref = sortedSample(reference as Numbers, 'reference');
    const cur = sortedSample(current as Numbers, 'current');
    const min = Math.min(ref[0]!, cur[0]!);
    const max = Math.max(ref[ref.length - 1]!, cur[cur.length - 1]!);
    if (min === max) return 0;
    const edges = binEdgesOfRange(min, max, distinctOfSorted(ref, cur), 'sturges', opts);
    const h1 = histogram(ref, edges, { density: true });
    const h2 = histogram(cur, edges, { density: true });
    const width = (max - min) / h1.length;
    for (let i = 0; i < h1.length; i++) s += Math.sqrt(h1[i]! * h2[i]!) * width;
  }
  return Math.sqrt(1 - Math.min(1, Math.max(0, s)));
}

/** Each category's count divided by the column's length (pandas' `value_counts() / len`). */
function shares(xs: ColumnSample): Map<CategoryKey, number> {
  const m = new Map<CategoryKey, number>();
  for (let i = 0; i < xs.length; i++) m.set(xs[i]!, (m.get(xs[i]!) ?? 0) + 1);
  for (const [k, n] of m) m.set(k, n / xs.length);
  return m;
}


/** SciPy's `rel_entr(x, y)`: x ln(x / y) for x, y > 0; 0 for x = 0, y >= 0; Infinity otherwise. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function sumOf(xs: Numbers): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

/** Two share (or count) vectors of one length: finite, non-negative, neither all zero. */
function checkShares(p: Numbers, q: Numbers): void {
  if (p.length === 0 || q.length === 0) throw insufficient('the distributions have no bins');
  if (p.length !== q.length) throw invalidInput(`the distributions have ${p.length} and ${q.length} bins: they must have the same bins`);
  for (const [xs, name] of [
    [p, 'p'],
    [q, 'q'],
  ] as const) {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      if (!Number.isFinite(x) || x < 0) throw invalidInput(`${name}[${i}] is ${x}: shares must be finite and non-negative`);
      sum += x;
    }
    if (sum === 0) throw invalidInput(`${name} sums to 0: it is not a distribution`);
  }
}
