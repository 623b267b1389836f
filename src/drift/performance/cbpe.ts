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
import { calibrationCheck, checkBinary, checkProba, fitIsotonic, predictIsotonic, type CalibrationCheck, type IsotonicModel } from './calibration.js';
import { accuracy, f1, precision, recall, rocAuc, type Label } from './metrics.js';

// ---------------------------------------------------------------------------------------------------------------
// Estimates, realized values and sampling errors of one chunk (performance_estimation/confidence_based/metrics.py,
// sampling_error/binary_classification.py).

export const BINARY_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;
export type BinaryMetric = (typeof BINARY_METRICS)[number];
export const MULTICLASS_METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;
export type MulticlassMetric = (typeof MULTICLASS_METRICS)[number];

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

export const distinct = (xs: ArrayLike<Label>): number => new Set(Array.from(xs)).size;

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

export const ones = (n: number): number[] => new Array<number>(n).fill(1);
export const zeros = (n: number): number[] => new Array<number>(n).fill(0);

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

export function metricResult(estimated: number | null, realized: number | null, band: Band, components: SamplingComponents, n: number, limits: { lower: number; upper: number }): MetricResult {
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

export function fitCalibrator(yTrue: ArrayLike<number>, proba: ArrayLike<number>, mode: Calibration): [CalibrationCheck | null, IsotonicModel | null] {
  const check = mode === 'auto' ? calibrationCheck(yTrue, proba) : null;
  return [check, mode === 'always' || check?.needsCalibration ? fitIsotonic(proba, yTrue) : null];
}

const slice = (xs: ArrayLike<number>, c: Chunk): number[] => Array.prototype.slice.call(xs, c.start, c.end) as number[];

export function bandsOf<M extends string>(metrics: readonly M[], realized: Record<M, number | null>[]): Record<M, Band> {
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
