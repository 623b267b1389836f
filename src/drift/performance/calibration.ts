// The calibration step of NannyML's CBPE (nannyml/calibration.py): scikit-learn's StratifiedShuffleSplit and
// IsotonicRegression reproduced index for index, the expected calibration error, and NannyML's check of whether a
// classifier's probabilities need calibrating.
import { insufficient, invalidInput } from '../../stats/errors.js';
import { npSum } from './bands.js';
import { rocAuc, sortLabels, type Label } from './metrics.js';

// ---------------------------------------------------------------------------------------------------------------
// numpy's legacy RandomState(seed) and scikit-learn's StratifiedShuffleSplit, so the calibration check draws the
// same rows NannyML's does.

/** numpy's MT19937 as `np.random.RandomState(seed)` seeds it, with the legacy bounded draws and shuffle. */
class RandomState {
  private readonly mt = new Uint32Array(624);
  private pos = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let k = 1; k < 624; k++) this.mt[k] = (Math.imul(1812433253, this.mt[k - 1]! ^ (this.mt[k - 1]! >>> 30)) + k) >>> 0;
  }

  private next(): number {
    const mt = this.mt;
    if (this.pos >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % 624]! & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.pos = 0;
    }
    let y = mt[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    return (y ^ (y >>> 18)) >>> 0;
  }

  /** `random_interval(max)`: uniform in [0, max] by masking and rejection. */
  private interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    for (const s of [1, 2, 4, 8, 16]) mask |= mask >>> s;
    let v: number;
    do v = (this.next() & mask) >>> 0;
    while (v > max);
    return v;
  }

  /** `RandomState.shuffle` of a 1-d array (Fisher–Yates from the end), in place. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.interval(i);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }

  /** `RandomState.permutation(n)`. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}

/** scikit-learn's `_approximate_mode`: draws per class, the largest remainders first, ties broken by the generator. */
function approximateMode(counts: number[], draws: number, rng: RandomState): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  const continuous = counts.map((c) => (c / total) * draws);
  const floored = continuous.map(Math.floor);
  let need = Math.trunc(draws - floored.reduce((s, c) => s + c, 0));
  if (need > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]!);
    for (const value of [...new Set(remainder)].sort((a, b) => b - a)) {
      const inds = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const add = Math.min(inds.length, need);
      for (const k of rng.permutation(inds.length).slice(0, add)) floored[inds[k]!]! += 1;
      need -= add;
      if (need === 0) break;
    }
  }
  return floored;
}

/**
 * `sklearn.model_selection.StratifiedShuffleSplit(n_splits, test_size, random_state=seed).split(X, y)`, index for
 * index (numpy's legacy MT19937 stream, `_approximate_mode`, the per-class permutations). Throws INSUFFICIENT_DATA
 * when a class has a single row or the train or test side is smaller than the number of classes, as scikit-learn does.
 */
export function stratifiedShuffleSplit(
  y: readonly Label[] | ArrayLike<number>,
  options: { splits?: number; testSize?: number; seed?: number } = {},
): { train: number[]; test: number[] }[] {
  const { splits = 10, testSize = 0.1, seed = 42 } = options;
  if (!(testSize > 0 && testSize < 1)) throw invalidInput(`testSize ${testSize}: a fraction in (0, 1)`);
  const n = y.length;
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  const classes = sortLabels(new Set(Array.from(y as ArrayLike<Label>)));
  const index = new Map(classes.map((c, i) => [c, i]));
  const members: number[][] = classes.map(() => []);
  for (let i = 0; i < n; i++) members[index.get(y[i]!)!]!.push(i);
  const counts = members.map((m) => m.length);
  if (n === 0) throw insufficient('no rows to split');
  if (Math.min(...counts) < 2) throw insufficient('a class has a single row: stratified splits need at least 2 per class');
  if (nTrain < classes.length || nTest < classes.length) throw insufficient(`${n} rows are too few for ${classes.length} classes on both sides of a split`);
  const rng = new RandomState(seed);
  const out: { train: number[]; test: number[] }[] = [];
  for (let s = 0; s < splits; s++) {
    const nI = approximateMode(counts, nTrain, rng);
    const tI = approximateMode(
      counts.map((c, i) => c - nI[i]!),
      nTest,
      rng,
    );
    const train: number[] = [];
    const test: number[] = [];
    members.forEach((m, i) => {
      const perm = rng.permutation(m.length).map((k) => m[k]!);
      train.push(...perm.slice(0, nI[i]));
      test.push(...perm.slice(nI[i], nI[i]! + tI[i]!));
    });
    out.push({ train: rng.shuffle(train), test: rng.shuffle(test) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Isotonic calibration.

/** A fitted `IsotonicRegression(out_of_bounds='clip', increasing=True)`: its X_thresholds_, y_thresholds_ and bounds. */
export interface IsotonicModel {
  xThresholds: Float64Array;
  yThresholds: Float64Array;
  xMin: number;
  xMax: number;
}

function checkFinite(xs: ArrayLike<number>, name: string): void {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) throw invalidInput(`${name}[${i}] is ${xs[i]}: only finite numbers`);
}

/** SciPy's `optimize.isotonic_regression` PAVA (Busing 2022, pooling equal values too), in place on `x`. */
function pava(x: Float64Array, w: Float64Array): void {
  const n = x.length;
  const r = new Int32Array(n + 1);
  r[1] = 1;
  let b = 0;
  let xbPrev = x[0]!;
  let wbPrev = w[0]!;
  for (let i = 1; i < n; i++) {
    b++;
    let xb = x[i]!;
    let wb = w[i]!;
    if (xbPrev >= xb) {
      b--;
      let sb = wbPrev * xbPrev + wb * xb;
      wb += wbPrev;
      xb = sb / wb;
      while (i < n - 1 && xb >= x[i + 1]!) {
        i++;
        sb += w[i]! * x[i]!;
        wb += w[i]!;
        xb = sb / wb;
      }
      while (b > 0 && x[b - 1]! >= xb) {
        b--;
        sb += w[b]! * x[b]!;
        wb += w[b]!;
        xb = sb / wb;
      }
    }
    x[b] = xbPrev = xb;
    w[b] = wbPrev = wb;
    r[b + 1] = i + 1;
  }
  let f = n - 1;
  for (let k = b; k >= 0; k--) {
    const t = r[k]!;
    const xk = x[k]!;
    for (let i = f; i >= t; i--) x[i] = xk;
    f = t - 1;
  }
}

/**
 * scikit-learn's `IsotonicRegression(out_of_bounds='clip', increasing=True, y_min, y_max).fit(x, y)`: rows sorted by
 * (x, y), targets of x values within 1e-15 of each other averaged (`_make_unique`), pool-adjacent-violators
 * (SciPy's PAVA), clipped to [yMin, yMax], and the interior points of flat runs dropped (`trim_duplicates`).
 * Throws INSUFFICIENT_DATA for no rows, INVALID_INPUT for NaN or mismatched lengths.
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, options: { yMin?: number; yMax?: number } = {}): IsotonicModel {
  if (x.length !== y.length) throw invalidInput(`x has ${x.length} rows but y has ${y.length}`);
  if (x.length === 0) throw insufficient('no rows to calibrate on');
  checkFinite(x, 'x');
  checkFinite(y, 'y');
  const order = Array.from({ length: x.length }, (_, i) => i).sort((i, j) => x[i]! - x[j]! || y[i]! - y[j]!);
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let cx = x[order[0]!]!;
  let cy = 0;
  let cw = 0;
  for (const j of order) {
    if (x[j]! - cx >= 1e-15) {
      ux.push(cx);
      uy.push(cy / cw);
      uw.push(cw);
      cx = x[j]!;
      cw = 1;
      cy = y[j]!;
    } else {
      cw += 1;
      cy += y[j]!;
    }
  }
  ux.push(cx);
  uy.push(cy / cw);
  uw.push(cw);
  const fitted = Float64Array.from(uy);
  pava(fitted, Float64Array.from(uw));
  for (let i = 0; i < fitted.length; i++) fitted[i] = Math.min(Math.max(fitted[i]!, options.yMin ?? -Infinity), options.yMax ?? Infinity);
  const keep = ux.map((_, i) => i === 0 || i === ux.length - 1 || fitted[i] !== fitted[i - 1] || fitted[i] !== fitted[i + 1]);
  return {
    xThresholds: Float64Array.from(ux.filter((_, i) => keep[i])),
    yThresholds: fitted.filter((_, i) => keep[i]),
    xMin: ux[0]!,
    xMax: ux[ux.length - 1]!,
  };
}

/** `IsotonicRegression.predict`: x clipped to the fitted range, then `np.interp` between the thresholds. */
export function predictIsotonic(model: IsotonicModel, x: ArrayLike<number>): Float64Array {
  checkFinite(x, 'x');
  const xp = model.xThresholds;
  const fp = model.yThresholds;
  const last = xp.length - 1;
  return Float64Array.from(x, (v) => {
    const t = Math.min(Math.max(v, model.xMin), model.xMax);
    if (last === 0 || t >= xp[last]!) return fp[last]!;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xp[mid]! <= t) lo = mid;
      else hi = mid;
    }
    if (xp[lo] === t) return fp[lo]!;
    return ((fp[lo + 1]! - fp[lo]!) / (xp[lo + 1]! - xp[lo]!)) * (t - xp[lo]!) + fp[lo]!;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Input checks, shared with CBPE (cbpe.ts, cbpe-multiclass.ts); not exported from the barrel.

export function checkBinary(ys: ArrayLike<number>, name: string): void {
  for (let i = 0; i < ys.length; i++) if (ys[i] !== 0 && ys[i] !== 1) throw invalidInput(`${name}[${i}] is ${ys[i]}: binary CBPE takes 0/1 labels`);
}

export function checkProba(proba: ArrayLike<number>, n: number, name = 'proba'): void {
  if (proba.length !== n) throw invalidInput(`${name} has ${proba.length} rows but the labels have ${n}`);
  for (let i = 0; i < n; i++) if (!(proba[i]! >= 0 && proba[i]! <= 1)) throw invalidInput(`${name}[${i}] is ${proba[i]}: probabilities lie in [0, 1]`);
}

// ---------------------------------------------------------------------------------------------------------------
// NannyML's calibration check (calibration.py needs_calibration).

/** NannyML's `_get_bin_index_edges`: equal-count bins over sorted rows, fewer (length // 2) for short vectors. */
export function binIndexEdges(length: number, binCount = 10): [number, number][] {
  let bins = binCount;
  if (length <= 2 * bins) {
    bins = Math.floor(length / 2);
    if (bins < 2) throw insufficient(`${length} rows cannot make 2 calibration bins`);
  }
  const width = Math.floor(length / bins);
  const edges: number[] = [];
  for (let e = 0; e <= length; e += width) edges.push(e);
  edges[edges.length - 1] = length;
  return edges.slice(1).map((e, i) => [edges[i]!, e]);
}

/**
 * NannyML's `_calculate_expected_calibration_error`: rows sorted by probability, Σ (bin rows / rows) ·
 * |mean probability − mean label| over the index bins. Sorts stably; NannyML's numpy argsort is not stable, so where
 * equal probabilities straddle a bin edge the two may put different labels in a bin.
 */
export function expectedCalibrationError(yTrue: ArrayLike<number>, proba: ArrayLike<number>, edges: readonly [number, number][]): number {
  const order = Array.from({ length: proba.length }, (_, i) => i).sort((i, j) => proba[i]! - proba[j]!);
  const p = Float64Array.from(order, (i) => proba[i]!);
  const t = Float64Array.from(order, (i) => yTrue[i]!);
  const terms = edges.map(([l, r]) => ((r - l) / p.length) * Math.abs(npSum(p, l, r - l) / (r - l) - npSum(t, l, r - l) / (r - l)));
  return npSum(terms);
}

/** The outcome of NannyML's calibration check, and why. */
export interface CalibrationCheck {
  needsCalibration: boolean;
  /** 'single-class': one label only; 'roc-auc': ROC AUC > 0.999 already; 'ece': the comparison below decided. */
  reason: 'single-class' | 'roc-auc' | 'ece';
  eceBefore?: number;
  eceAfter?: number;
}

/**
 * NannyML's `needs_calibration(y_true, y_pred_proba, IsotonicCalibrator(), bin_count=10, split_count=10)`: no when
 * the labels hold one class or ROC AUC > 0.999; otherwise 10 stratified 90/10 splits (random_state 42), an isotonic
 * fit on each train side calibrates its test side, and calibration is needed when the expected calibration error of
 * the pooled test rows is higher before than after. The splits are scikit-learn's to the index; the ECE sorts stably
 * (see `expectedCalibrationError`). yTrue holds 0/1.
 */
export function calibrationCheck(yTrue: ArrayLike<number>, proba: ArrayLike<number>, options: { bins?: number; splits?: number } = {}): CalibrationCheck {
  checkBinary(yTrue, 'yTrue');
  checkProba(proba, yTrue.length);
  if (new Set(Array.from(yTrue)).size === 1) return { needsCalibration: false, reason: 'single-class' };
  if (rocAuc(yTrue, proba) > 0.999) return { needsCalibration: false, reason: 'roc-auc' };
  const t: number[] = [];
  const before: number[] = [];
  const after: number[] = [];
  for (const { train, test } of stratifiedShuffleSplit(yTrue, { splits: options.splits ?? 10, testSize: 0.1, seed: 42 })) {
    const model = fitIsotonic(
      train.map((i) => proba[i]!),
      train.map((i) => yTrue[i]!),
    );
    const p = test.map((i) => proba[i]!);
    t.push(...test.map((i) => yTrue[i]!));
    before.push(...p);
    after.push(...predictIsotonic(model, p));
  }
  const edges = binIndexEdges(t.length, options.bins ?? 10);
  const eceBefore = expectedCalibrationError(t, before, edges);
  const eceAfter = expectedCalibrationError(t, after, edges);
  return { needsCalibration: eceBefore > eceAfter, reason: 'ece', eceBefore, eceAfter };
}
