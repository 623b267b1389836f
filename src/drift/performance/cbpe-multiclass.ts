// Multiclass Confidence-Based Performance Estimation, as NannyML's CBPE(problem_type='classification_multiclass')
// does it: one-vs-rest calibration per class, each row normalised to sum to 1, and macro-averaged estimates.
import { invalidInput } from '../../stats/errors.js';
import { chunk, METRIC_LIMITS, meanStd, npSum, type Band, type Chunking, type SamplingComponents } from './bands.js';
import { checkProba, predictIsotonic, type CalibrationCheck, type IsotonicModel } from './calibration.js';
import {
  bandsOf,
  distinct,
  estimateBinary,
  fitCalibrator,
  metricResult,
  MULTICLASS_METRICS,
  ones,
  zeros,
  type CbpeOptions,
  type ChunkResult,
  type MetricResult,
  type MulticlassMetric,
} from './cbpe.js';
import { accuracy, f1, precision, recall, sortLabels, type Label } from './metrics.js';

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
