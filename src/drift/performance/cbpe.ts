// Confidence-Based Performance Estimation, as NannyML's CBPE does it (nannyml/performance_estimation/
// confidence_based/, calibration.py): estimate a classifier's metrics on rows without labels from its calibrated
// probabilities, and alert when an estimate leaves the band of the reference chunks' realized metrics.
import { insufficient, invalidInput } from '../../stats/errors.js';
import {
  alertOf,
  bands,
  chunk,
  confidenceBounds,
  METRIC_LIMITS,
  meanStd,
  npSum,
  samplingError,
  type Band,
  type Chunk,
  type Chunking,
  type SamplingComponents,
} from './bands.js';
import { accuracy, f1, precision, recall, rocAuc, sortLabels, type Label } from './metrics.js';

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

// ---------------------------------------------------------------------------------------------------------------
// Estimates, realized values and sampling errors of one chunk (performance_estimation/confidence_based/metrics.py,
// sampling_error/binary_classification.py).

export const BINARY_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;
export type BinaryMetric = (typeof BINARY_METRICS)[number];
export const MULTICLASS_METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;
export type MulticlassMetric = (typeof MULTICLASS_METRICS)[number];

function checkBinary(ys: ArrayLike<number>, name: string): void {
  for (let i = 0; i < ys.length; i++) if (ys[i] !== 0 && ys[i] !== 1) throw invalidInput(`${name}[${i}] is ${ys[i]}: binary CBPE takes 0/1 labels`);
}

function checkProba(proba: ArrayLike<number>, n: number, name = 'proba'): void {
  if (proba.length !== n) throw invalidInput(`${name} has ${proba.length} rows but the labels have ${n}`);
  for (let i = 0; i < n; i++) if (!(proba[i]! >= 0 && proba[i]! <= 1)) throw invalidInput(`${name}[${i}] is ${proba[i]}: probabilities lie in [0, 1]`);
}

const defined = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** numpy's rint: to the nearest integer, halves to even. */
function rint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * NannyML's `estimate_roc_auc(calibrated, uncalibrated)`: rows ordered by the model's own score, descending; the
 * expected true positives are the running sum of calibrated probabilities and the false positives the rest; both
 * rounded to 5 decimals (np.round), normalised, and the area taken by `sklearn.metrics.auc`. Null where no expected
 * positive or negative exists. Ties in the model's score are ordered stably (NannyML: numpy's unstable argsort).
 */
export function estimateRocAuc(calibrated: ArrayLike<number>, uncalibrated: ArrayLike<number>): number | null {
  const n = calibrated.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => uncalibrated[i]! - uncalibrated[j]! || i - j);
  order.reverse();
  const tps = new Float64Array(n + 1);
  const fps = new Float64Array(n + 1);
  let cum = 0;
  for (let k = 0; k < n; k++) {
    cum += calibrated[order[k]!]!;
    tps[k + 1] = rint(cum * 1e5) / 1e5;
    fps[k + 1] = rint((1 + k - cum) * 1e5) / 1e5;
  }
  const tpMax = tps[n]!;
  const fpMax = fps[n]!;
  if (!(tpMax > 0 && fpMax > 0)) return null;
  const terms = new Float64Array(n);
  for (let k = 0; k < n; k++) terms[k] = ((fps[k + 1]! / fpMax - fps[k]! / fpMax) * (tps[k + 1]! / tpMax + tps[k]! / tpMax)) / 2;
  return npSum(terms);
}

/** Expected confusion counts and the metrics NannyML estimates from them. Null: not defined (0/0). */
export interface BinaryEstimate {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  accuracy: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  rocAuc: number | null;
}

/**
 * NannyML's binary estimates from calibrated probabilities p and 0/1 predictions ŷ: TP = Σ p·ŷ, FP = Σ (1 − p)·ŷ,
 * FN = Σ p·(1 − ŷ), TN = Σ (1 − p)·(1 − ŷ) (numpy's pairwise sums); accuracy (TP + TN) / n, precision
 * TP / (TP + FP), recall TP / (TP + FN), F1 TP / (TP + ½(FP + FN)) (`estimate_accuracy` … `estimate_f1`), ROC AUC
 * by `estimateRocAuc` with the uncalibrated scores (the calibrated ones when not given).
 */
export function estimateBinary(yPred: ArrayLike<number>, calibrated: ArrayLike<number>, uncalibrated: ArrayLike<number> = calibrated): BinaryEstimate {
  const n = yPred.length;
  if (n === 0) throw insufficient('no rows to estimate on');
  checkBinary(yPred, 'yPred');
  checkProba(calibrated, n, 'calibrated');
  checkProba(uncalibrated, n, 'uncalibrated');
  const cols = [0, 1, 2, 3].map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const p = calibrated[i]!;
    cols[yPred[i] === 1 ? 0 : 2]![i] = p;
    cols[yPred[i] === 1 ? 1 : 3]![i] = 1 - p;
  }
  const [tp, fp, fn, tn] = cols.map((c) => npSum(c)) as [number, number, number, number];
  return {
    tp,
    fp,
    fn,
    tn,
    accuracy: (tp + tn) / n,
    precision: defined(tp / (tp + fp)),
    recall: defined(tp / (tp + fn)),
    f1: defined(tp / (tp + 0.5 * (fp + fn))),
    rocAuc: estimateRocAuc(calibrated, uncalibrated),
  };
}

const distinct = (xs: ArrayLike<Label>): number => new Set(Array.from(xs)).size;

/**
 * NannyML's realized binary metrics of a labelled chunk: scikit-learn's accuracy, precision, recall, F1 (positive
 * class 1) and ROC AUC of the uncalibrated scores; null where NannyML answers NaN: precision, recall and F1 when the
 * labels or the predictions hold a single class, ROC AUC when the labels do.
 */
export function realizedBinary(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, proba: ArrayLike<number>): Record<BinaryMetric, number | null> {
  const few = distinct(yTrue) <= 1 || distinct(yPred) <= 1;
  return {
    accuracy: accuracy(yTrue, yPred),
    precision: few ? null : precision(yTrue, yPred),
    recall: few ? null : recall(yTrue, yPred),
    f1: few ? null : f1(yTrue, yPred),
    rocAuc: distinct(yTrue) <= 1 ? null : rocAuc(yTrue, proba),
  };
}

const ones = (n: number): number[] => new Array<number>(n).fill(1);
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/**
 * NannyML's binary sampling-error components from the labelled reference (sampling_error/binary_classification.py):
 * accuracy the std of the 0/1 hits; precision, recall, F1 the std of observation-level scores over the rows that
 * count (TP as 1, FP/FN as 0; F1's scaled by its correcting factor) with the share of such rows; ROC AUC from the
 * Mann–Whitney ranks (positives made the minority first). The std of an empty set is NaN: that metric's error is null.
 */
export function binarySamplingComponents(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, proba: ArrayLike<number>): Record<BinaryMetric, SamplingComponents> {
  const n = yTrue.length;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let positives = 0;
  let predicted = 0;
  const hits: number[] = [];
  for (let i = 0; i < n; i++) {
    hits.push(yTrue[i] === yPred[i] ? 1 : 0);
    positives += yTrue[i]!;
    predicted += yPred[i]!;
    if (yPred[i] === 1) yTrue[i] === 1 ? tp++ : fp++;
    else if (yTrue[i] === 1) fn++;
  }
  const std = (xs: number[]): number => (xs.length === 0 ? Number.NaN : meanStd(xs).std);
  const factor = (tp + fn + fp) / ((fn + fp) * 0.5 + tp);
  // ROC AUC: with positives the majority, swap the classes (and the scores); then ranks by score.
  const flip = positives / n > 0.5;
  const label = Array.from(yTrue, (t) => (flip ? 1 - t : t));
  const score = Array.from(proba, (p) => (flip ? 1 - p : p));
  const order = label.map((_, i) => i).sort((i, j) => score[i]! - score[j]!);
  const ranks = [...new Set(order.map((i, r) => label[i]! * r))].sort((a, b) => a - b).slice(1);
  const nPos = label.reduce((s, t) => s + t, 0);
  return {
    accuracy: { std: std(hits), fraction: 1 },
    precision: { std: std([...ones(tp), ...zeros(fp)]), fraction: predicted / n },
    recall: { std: std([...ones(tp), ...zeros(fn)]), fraction: positives / n },
    f1: { std: std([...ones(tp), ...zeros(fn + fp)].map((x) => x * factor)), fraction: (tp + fn + fp) / n },
    rocAuc: { std: std(ranks.map((rank, i) => (rank - i) / (n - nPos))), fraction: nPos / n },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CBPE over chunks.

/** One metric of one chunk: the estimate, the realized value when labels are given, the band and the alert. */
export interface MetricResult {
  estimated: number | null;
  realized: number | null;
  samplingError: number | null;
  /** estimate ± 3 sampling errors, clipped to the metric's range (NannyML's confidence boundaries). */
  lowerConfidence: number | null;
  upperConfidence: number | null;
  lower: number | null;
  upper: number | null;
  alert: boolean;
}

export interface ChunkResult<M extends string> {
  chunk: Chunk;
  metrics: Record<M, MetricResult>;
}

/** How to calibrate: 'auto' runs NannyML's check (`calibrationCheck`), 'always' / 'never' skip it. */
export type Calibration = 'auto' | 'always' | 'never';

export interface CbpeOptions {
  chunking: Chunking;
  calibration?: Calibration;
}

/** Rows of a binary classifier: 0/1 predictions, the probability of class 1, and 0/1 labels when known. */
export interface BinaryRows {
  yPred: ArrayLike<number>;
  proba: ArrayLike<number>;
  yTrue?: ArrayLike<number>;
}

/** A fitted binary CBPE: calibrator, thresholds and sampling components from the reference. */
export interface BinaryCbpe {
  chunking: Chunking;
  check: CalibrationCheck | null;
  calibrator: IsotonicModel | null;
  bands: Record<BinaryMetric, Band>;
  components: Record<BinaryMetric, SamplingComponents>;
}

function metricResult(estimated: number | null, realized: number | null, band: Band, components: SamplingComponents, n: number, limits: { lower: number; upper: number }): MetricResult {
  const se = samplingError(components, n);
  const bounds = estimated !== null && se !== null ? confidenceBounds(estimated, se, limits) : null;
  return {
    estimated,
    realized,
    samplingError: se,
    lowerConfidence: bounds?.lower ?? null,
    upperConfidence: bounds?.upper ?? null,
    lower: band.lower,
    upper: band.upper,
    alert: alertOf(estimated, band),
  };
}

function fitCalibrator(yTrue: ArrayLike<number>, proba: ArrayLike<number>, mode: Calibration): [CalibrationCheck | null, IsotonicModel | null] {
  const check = mode === 'auto' ? calibrationCheck(yTrue, proba) : null;
  return [check, mode === 'always' || check?.needsCalibration ? fitIsotonic(proba, yTrue) : null];
}

const slice = (xs: ArrayLike<number>, c: Chunk): number[] => Array.prototype.slice.call(xs, c.start, c.end) as number[];

function bandsOf<M extends string>(metrics: readonly M[], realized: Record<M, number | null>[]): Record<M, Band> {
  const out = {} as Record<M, Band>;
  for (const m of metrics) {
    try {
      out[m] = bands(
        realized.map((r) => r[m]),
        METRIC_LIMITS[m as keyof typeof METRIC_LIMITS],
      );
    } catch (e) {
      throw insufficient(`no ${m} band from the reference: ${(e as Error).message}`);
    }
  }
  return out;
}

/**
 * NannyML's `CBPE(problem_type='classification_binary').fit(reference)`: realized metrics of each reference chunk
 * give the bands (mean ± 3 std clipped to [0, 1]); the sampling components come from the whole reference; the
 * isotonic calibrator is fitted when `calibrationCheck` says so ('auto', NannyML's behaviour). Throws
 * INSUFFICIENT_DATA when the reference makes fewer than 2 chunks with a defined metric.
 */
export function fitCbpe(reference: Required<BinaryRows>, options: CbpeOptions): BinaryCbpe {
  const { yTrue, yPred, proba } = reference;
  if (yPred.length !== yTrue.length) throw invalidInput(`yPred has ${yPred.length} rows but yTrue has ${yTrue.length}`);
  checkBinary(yTrue, 'yTrue');
  checkBinary(yPred, 'yPred');
  checkProba(proba, yTrue.length);
  const realized = chunk(yTrue.length, options.chunking).map((c) => realizedBinary(slice(yTrue, c), slice(yPred, c), slice(proba, c)));
  const [check, calibrator] = fitCalibrator(yTrue, proba, options.calibration ?? 'auto');
  return { chunking: options.chunking, check, calibrator, bands: bandsOf(BINARY_METRICS, realized), components: binarySamplingComponents(yTrue, yPred, proba) };
}

/**
 * NannyML's `CBPE.estimate(data)` for a binary classifier: the rows chunked as the reference was, probabilities
 * calibrated, and per chunk each metric's estimate (`estimateBinary`), realized value (when yTrue is given), sampling
 * error, band and alert.
 */
export function estimateCbpe(model: BinaryCbpe, rows: BinaryRows): ChunkResult<BinaryMetric>[] {
  const { yPred, proba, yTrue } = rows;
  checkBinary(yPred, 'yPred');
  checkProba(proba, yPred.length);
  if (yTrue) {
    checkBinary(yTrue, 'yTrue');
    if (yTrue.length !== yPred.length) throw invalidInput(`yTrue has ${yTrue.length} rows but yPred has ${yPred.length}`);
  }
  const calibrated = model.calibrator ? predictIsotonic(model.calibrator, proba) : proba;
  return chunk(yPred.length, model.chunking).map((c) => {
    const est = estimateBinary(slice(yPred, c), slice(calibrated, c), slice(proba, c));
    const real = yTrue ? realizedBinary(slice(yTrue, c), slice(yPred, c), slice(proba, c)) : null;
    const metrics = {} as Record<BinaryMetric, MetricResult>;
    for (const m of BINARY_METRICS) metrics[m] = metricResult(est[m], real?.[m] ?? null, model.bands[m], model.components[m], c.size, METRIC_LIMITS[m]);
    return { chunk: c, metrics };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Multiclass: one-vs-rest calibration per class, then each row normalised to sum to 1.

/** Rows of a multiclass classifier: predicted labels, one probability column per class (in `classes` order), labels when known. */
export interface MulticlassRows {
  yPred: readonly Label[];
  proba: readonly ArrayLike<number>[];
  yTrue?: readonly Label[];
}

/** A fitted multiclass CBPE. */
export interface MulticlassCbpe {
  classes: Label[];
  chunking: Chunking;
  checks: (CalibrationCheck | null)[];
  calibrators: (IsotonicModel | null)[];
  bands: Record<MulticlassMetric, Band>;
  components: Record<MulticlassMetric, SamplingComponents>;
}

/** Columns reordered to the sorted classes (NannyML sorts the keys of y_pred_proba). */
function sortedColumns(classes: readonly Label[], proba: readonly ArrayLike<number>[], n: number): [Label[], ArrayLike<number>[]] {
  if (proba.length !== classes.length) throw invalidInput(`${proba.length} probability columns for ${classes.length} classes`);
  if (new Set(classes).size !== classes.length || classes.length < 2) throw invalidInput('classes must be 2 or more distinct labels');
  proba.forEach((col, k) => checkProba(col, n, `proba[${k}]`));
  const sorted = sortLabels(classes);
  return [sorted, sorted.map((c) => proba[classes.indexOf(c)]!)];
}

/**
 * NannyML's `_calibrate_predicted_probabilities`: each class column through its calibrator (or as it is), then
 * each row divided by its sum, 1/classes where the sum is 0.
 */
function calibrateRows(calibrators: (IsotonicModel | null)[], columns: ArrayLike<number>[], n: number): Float64Array[] {
  const cal = columns.map((col, k) => (calibrators[k] ? predictIsotonic(calibrators[k], col) : Float64Array.from(col)));
  for (let i = 0; i < n; i++) {
    let den = 0;
    for (const col of cal) den += col[i]!;
    for (const col of cal) col[i] = den !== 0 ? col[i]! / den : 1 / cal.length;
  }
  return cal;
}

/** NannyML's multiclass estimates: accuracy the mean probability of the predicted class; the others the mean of the one-vs-rest binary estimates. */
function estimateMulticlass(classes: Label[], yPred: readonly Label[], calibrated: Float64Array[]): Record<MulticlassMetric, number | null> {
  const n = yPred.length;
  const picked = Float64Array.from(yPred, (y, i) => {
    const k = classes.indexOf(y);
    return k < 0 ? 0 : calibrated[k]![i]!;
  });
  const perClass = classes.map((c, k) =>
    estimateBinary(
      yPred.map((y) => (y === c ? 1 : 0)),
      calibrated[k]!,
    ),
  );
  const avg = (m: 'precision' | 'recall' | 'f1'): number | null => (perClass.some((e) => e[m] === null) ? null : npSum(perClass.map((e) => e[m]!)) / classes.length);
  return { accuracy: npSum(picked) / n, precision: avg('precision'), recall: avg('recall'), f1: avg('f1') };
}

/** NannyML's realized multiclass metrics: scikit-learn's, macro over the classes; all null when labels or predictions hold one class. */
function realizedMulticlass(classes: Label[], yTrue: readonly Label[], yPred: readonly Label[]): Record<MulticlassMetric, number | null> {
  if (distinct(yTrue) <= 1 || distinct(yPred) <= 1) return { accuracy: null, precision: null, recall: null, f1: null };
  const o = { average: 'macro' as const, labels: classes };
  return { accuracy: accuracy(yTrue, yPred), precision: precision(yTrue, yPred, o), recall: recall(yTrue, yPred, o), f1: f1(yTrue, yPred, o) };
}

/**
 * NannyML's multiclass components (sampling_error/multiclass_classification.py): accuracy the std of hits; per class
 * of the reference labels, the variance of the observation-level precision / recall / F1 and its share of rows.
 */
function multiclassSamplingComponents(yTrue: readonly Label[], yPred: readonly Label[]): Record<MulticlassMetric, SamplingComponents> {
  const n = yTrue.length;
  const per = { precision: [] as { variance: number; fraction: number }[], recall: [] as { variance: number; fraction: number }[], f1: [] as { variance: number; fraction: number }[] };
  const variance = (xs: number[]): number => (xs.length === 0 ? Number.NaN : meanStd(xs).std ** 2);
  for (const c of sortLabels(new Set(yTrue))) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let truth = 0;
    for (let i = 0; i < n; i++) {
      const t = yTrue[i] === c;
      const p = yPred[i] === c;
      if (t) truth++;
      if (p && t) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    per.precision.push({ variance: variance([...ones(tp), ...zeros(fp)]), fraction: (tp + fp) / n });
    per.recall.push({ variance: variance([...ones(tp), ...zeros(fn)]), fraction: truth / n });
    per.f1.push({ variance: variance([...ones(tp), ...zeros(fn + fp)]), fraction: (tp + fn + fp) / n });
  }
  const hits = yTrue.map((t, i) => (t === yPred[i] ? 1 : 0));
  return { accuracy: { std: meanStd(hits).std, fraction: 1 }, precision: { classes: per.precision }, recall: { classes: per.recall }, f1: { classes: per.f1 } };
}

/**
 * NannyML's `CBPE(problem_type='classification_multiclass').fit(reference)`: per class, the one-vs-rest labels and
 * that class's probability column go through the calibration check (and an isotonic fit when it says so); bands
 * from the realized macro metrics of the reference chunks, clipped to [0, 1] (NannyML's multiclass metrics set no
 * limits; Pitwall clips as for binary).
 */
export function fitCbpeMulticlass(reference: Required<MulticlassRows>, options: CbpeOptions & { classes: readonly Label[] }): MulticlassCbpe {
  const { yTrue, yPred } = reference;
  const n = yTrue.length;
  if (yPred.length !== n) throw invalidInput(`yPred has ${yPred.length} rows but yTrue has ${n}`);
  const [classes, columns] = sortedColumns(options.classes, reference.proba, n);
  const mode = options.calibration ?? 'auto';
  const fits = columns.map((col, k) =>
    fitCalibrator(
      yTrue.map((y) => (y === classes[k] ? 1 : 0)),
      col,
      mode,
    ),
  );
  const realized = chunk(n, options.chunking).map((c) => realizedMulticlass(classes, yTrue.slice(c.start, c.end), yPred.slice(c.start, c.end)));
  return {
    classes,
    chunking: options.chunking,
    checks: fits.map((f) => f[0]),
    calibrators: fits.map((f) => f[1]),
    bands: bandsOf(MULTICLASS_METRICS, realized),
    components: multiclassSamplingComponents(yTrue, yPred),
  };
}

/** The probability columns as the fitted multiclass CBPE calibrates and normalises them (rows × classes, column-wise). */
export function calibrateMulticlass(model: MulticlassCbpe, proba: readonly ArrayLike<number>[], classes: readonly Label[] = model.classes): Float64Array[] {
  const n = proba[0]?.length ?? 0;
  const [, columns] = sortedColumns(classes, proba, n);
  return calibrateRows(model.calibrators, columns, n);
}

/** NannyML's `CBPE.estimate(data)` for a multiclass classifier; `proba` columns in the order of `classes` (default: the model's, sorted). */
export function estimateCbpeMulticlass(model: MulticlassCbpe, rows: MulticlassRows, classes: readonly Label[] = model.classes): ChunkResult<MulticlassMetric>[] {
  const n = rows.yPred.length;
  if (rows.yTrue && rows.yTrue.length !== n) throw invalidInput(`yTrue has ${rows.yTrue.length} rows but yPred has ${n}`);
  const calibrated = calibrateMulticlass(model, rows.proba, classes);
  return chunk(n, model.chunking).map((c) => {
    const yPred = rows.yPred.slice(c.start, c.end);
    const est = estimateMulticlass(
      model.classes,
      yPred,
      calibrated.map((col) => col.subarray(c.start, c.end)),
    );
    const real = rows.yTrue ? realizedMulticlass(model.classes, rows.yTrue.slice(c.start, c.end), yPred) : null;
    const metrics = {} as Record<MulticlassMetric, MetricResult>;
    for (const m of MULTICLASS_METRICS) metrics[m] = metricResult(est[m], real?.[m] ?? null, model.bands[m], model.components[m], c.size, METRIC_LIMITS[m]);
    return { chunk: c, metrics };
  });
}
