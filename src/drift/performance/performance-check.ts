import { predictedValues } from '../../monitoring/label-scoring.js';
import { insufficient } from '../../stats/errors.js';
import type { Prediction, PerformanceSpec, Store } from '../../store/index.js';
import { type Band, bands, type Chunk, chunkByPeriod, chunkBySize, confidenceBounds, METRIC_LIMITS, type SamplingComponents, samplingError } from './bands.js';
import { predictIsotonic, type IsotonicModel } from './calibration.js';
import { type BinaryMetric, binarySamplingComponents, estimateBinary, fitCalibrator } from './cbpe.js';
import { accuracy, f1, mae, precision, recall, rmse, rocAuc } from './metrics.js';

/** One row of a classifier's or regressor's traffic: what it predicted, its probability of the positive class, and the label when it has come. */
export interface PerformanceRow {
  /** Arrival, epoch ms (rows of a reference file have none). */
  time?: number;
  yPred: number | string;
  proba: number | null;
  yTrue: number | string | null;
}

export interface ChunkOutcome {
  /** The period's start (ISO 8601) when chunked by time, else the rows `[first:last]`. */
  key: string;
  start: number;
  end: number;
  size: number;
  /** Rows with a label. */
  labelled: number;
  /** The metric on the labelled rows (all rows must be labelled), else null. */
  realized: number | null;
  /** CBPE's estimate (binary classifiers with probabilities), else null. */
  estimated: number | null;
  lowerConfidence: number | null;
  upperConfidence: number | null;
  /** The value the verdict rests on: realized when the chunk is labelled, else the estimate. */
  value: number | null;
  basis: 'realized' | 'estimated' | null;
  alert: boolean;
}

export interface PerformanceReport {
  type: 'performance';
  metric: PerformanceSpec['metric'];
  chunkSize: number;
  chunkMinutes: number | null;
  /** `calibrated`: whether CBPE calibrates the probabilities (null when it cannot estimate); `estimateError`: why not. */
  reference: { rows: number; chunks: (number | null)[]; band: Band; calibrated: boolean | null; estimateError?: string };
  current: { rows: number; labelled: number };
  chunks: ChunkOutcome[];
}

const norm = (v: unknown): number | string => (v === true || v === 'true' ? 1 : v === false || v === 'false' ? 0 : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : (v as number | string));

/** The probabilities of each row of a logged V2 or MLflow answer (`probabilities` / `output_probability` / `predict_proba`), the positive class's. */
function probabilities(p: Prediction, rows: number, positiveIndex: number): (number | null)[] {
  try {
    const out = JSON.parse(p.outputs ?? 'null') as unknown;
    const tensors = Array.isArray(out) ? (out as { name?: string; shape?: number[]; data?: unknown[] }[]) : [];
    const t = tensors.find((o) => o && /prob/i.test(o.name ?? '') && Array.isArray(o.data));
    if (t?.data && t.data.length % rows === 0) {
      const per = t.data.length / rows;
      return Array.from({ length: rows }, (_, i) => {
        const v = t.data![i * per + (per === 1 ? 0 : positiveIndex)];
        return typeof v === 'number' ? v : null;
      });
    }
    if (out && typeof out === 'object' && !Array.isArray(out)) {
      const col = Object.entries(out).find(([k]) => /prob/i.test(k))?.[1];
      if (Array.isArray(col) && col.length === rows) return col.map((v) => (Array.isArray(v) ? (typeof v[positiveIndex] === 'number' ? (v[positiveIndex] as number) : null) : typeof v === 'number' ? v : null));
    }
  } catch {
    // unreadable: no probabilities
  }
  return new Array<number | null>(rows).fill(null);
}

/** The rows of the logged predictions with their labels (a label is one value, or one per row), oldest first. */
export async function performanceRows(store: Store, predictions: Prediction[], spec: PerformanceSpec): Promise<PerformanceRow[]> {
  const ordered = [...predictions].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
  const labels = new Map<string, unknown>();
  for (let i = 0; i < ordered.length; i += 500) {
    for (const l of await store.predictions.labelsFor(ordered.slice(i, i + 500).map((p) => p.id))) labels.set(l.predictionId, JSON.parse(l.label) as unknown);
  }
  const out: PerformanceRow[] = [];
  for (const p of ordered) {
    const pred = predictedValues(p);
    if (!pred) continue;
    const proba = probabilities(p, pred.values.length, spec.positiveIndex);
    const label = labels.get(p.id);
    const ys = label === undefined ? [] : Array.isArray(label) ? label : [label];
    pred.values.forEach((v, i) => out.push({ time: p.time, yPred: norm(v), proba: proba[i] ?? null, yTrue: ys.length === pred.values.length ? norm(ys[i]) : null }));
  }
  return out;
}

function realized(metric: PerformanceSpec['metric'], rows: PerformanceRow[], positive: number | string): number | null {
  if (rows.length === 0 || rows.some((r) => r.yTrue === null)) return null;
  const yTrue = rows.map((r) => r.yTrue!);
  const yPred = rows.map((r) => r.yPred);
  try {
    switch (metric) {
      case 'accuracy':
        return accuracy(yTrue, yPred);
      case 'precision':
        return precision(yTrue, yPred, { positive });
      case 'recall':
        return recall(yTrue, yPred, { positive });
      case 'f1':
        return f1(yTrue, yPred, { positive });
      case 'roc_auc':
        return rows.some((r) => r.proba === null) ? null : rocAuc(yTrue, rows.map((r) => r.proba!), positive);
      case 'mae':
        return mae(yTrue.map(Number), yPred.map(Number));
      case 'rmse':
        return rmse(yTrue.map(Number), yPred.map(Number));
    }
  } catch {
    return null;
  }
}

const CBPE_METRIC = { accuracy: 'accuracy', precision: 'precision', recall: 'recall', f1: 'f1', roc_auc: 'rocAuc' } as const;

interface Estimator {
  calibrator: IsotonicModel | null;
  components: Record<BinaryMetric, SamplingComponents>;
}

/**
 * What CBPE needs from the reference, as NannyML's `CBPE.fit`: the isotonic calibrator (when its calibration check
 * says the probabilities need it) and the sampling-error components. The band is the realized metric's, made above.
 */
function fitEstimator(labelledRef: PerformanceRow[], positive: number | string): Estimator {
  const r = cbpeRows(labelledRef, positive);
  if (!r) throw new Error('CBPE needs a probability on every reference row (a probabilities output of a binary classifier)');
  const yTrue = r.yTrue.map((y) => y!);
  const [, calibrator] = fitCalibrator(yTrue, r.proba, 'auto');
  return { calibrator, components: binarySamplingComponents(yTrue, r.yPred, r.proba) };
}

/** A binary classifier with a probability on every row, 0/1 predictions and labels: CBPE can estimate its metric. */
function cbpeRows(rows: PerformanceRow[], positive: number | string) {
  if (rows.some((r) => r.proba === null)) return undefined;
  const bin = (v: number | string) => (v === positive || String(v) === String(positive) ? 1 : 0);
  return { yPred: rows.map((r) => bin(r.yPred)), proba: rows.map((r) => r.proba!), yTrue: rows.map((r) => (r.yTrue === null ? null : bin(r.yTrue))) };
}

const MIN_CHUNK_ROWS = 10;

/** Chunks of `rows` by time period (`byTime`: the reference's rows all have times and `chunkMinutes` is set), else by size. */
function chunksOf(rows: PerformanceRow[], spec: PerformanceSpec, side: 'reference' | 'current', byTime: boolean): Chunk[] {
  if (byTime && rows.every((r) => r.time !== undefined)) return chunkByPeriod(rows.map((r) => r.time!), spec.chunkMinutes! * 60_000, { minSize: MIN_CHUNK_ROWS });
  if (side === 'reference') return chunkBySize(rows.length, spec.chunkSize, { incomplete: 'drop' });
  return chunkBySize(rows.length, spec.chunkSize, { incomplete: 'keep', minSize: Math.min(spec.chunkSize, Math.max(MIN_CHUNK_ROWS, Math.floor(spec.chunkSize / 2))) });
}

/**
 * Performance of a model over time against its reference, as NannyML does: the reference (labelled rows, oldest
 * first) cut into chunks of `chunkSize` rows gives the metric's band (mean ± 3 standard deviations over its chunks);
 * each chunk of the current window is judged on its realized metric when all its rows have labels, and otherwise —
 * for a binary classifier with probabilities, labels or not — on CBPE's estimate from isotonic-calibrated confidence,
 * so a drop shows before the labels arrive. A chunk outside the band alerts.
 */
export function performanceReport(reference: PerformanceRow[], current: PerformanceRow[], spec: PerformanceSpec): PerformanceReport {
  const labelledRef = reference.filter((r) => r.yTrue !== null);
  const byTime = Boolean(spec.chunkMinutes) && labelledRef.every((r) => r.time !== undefined);
  if (!byTime && labelledRef.length < spec.chunkSize * 2) throw insufficient(`the reference has ${labelledRef.length} labelled rows; at least 2 chunks of ${spec.chunkSize} are needed for a band`);
  const refChunks = chunksOf(labelledRef, spec, 'reference', byTime).filter((c) => !c.tooSmall);
  if (refChunks.length < 2) throw insufficient(`the reference makes ${refChunks.length} chunk${refChunks.length === 1 ? '' : 's'} of at least ${MIN_CHUNK_ROWS} labelled rows per ${spec.chunkMinutes} minutes; a band needs at least 2`);
  const refValues = refChunks.map((c) => realized(spec.metric, labelledRef.slice(c.start, c.end), spec.positiveLabel));
  const limits = METRIC_LIMITS[spec.metric === 'roc_auc' ? 'rocAuc' : spec.metric];
  const band = bands(refValues, limits);
  const cbpeMetric = spec.metric in CBPE_METRIC ? CBPE_METRIC[spec.metric as keyof typeof CBPE_METRIC] : undefined;
  let estimator: Estimator | undefined;
  let estimateError: string | undefined;
  if (cbpeMetric && spec.estimate) {
    try {
      estimator = fitEstimator(labelledRef, spec.positiveLabel);
    } catch (e) {
      estimateError = (e as Error).message;
    }
  }
  const curChunks = current.length === 0 ? [] : chunksOf(current, spec, 'current', byTime).filter((c) => !c.tooSmall);
  const chunks = curChunks.map((c): ChunkOutcome => {
    const rows = current.slice(c.start, c.end);
    const real = realized(spec.metric, rows, spec.positiveLabel);
    let estimated: number | null = null;
    let lowerConfidence: number | null = null;
    let upperConfidence: number | null = null;
    const cr = estimator && cbpeMetric ? cbpeRows(rows, spec.positiveLabel) : undefined;
    if (estimator && cbpeMetric && cr) {
      const calibrated = estimator.calibrator ? predictIsotonic(estimator.calibrator, cr.proba) : cr.proba;
      estimated = estimateBinary(cr.yPred, calibrated, cr.proba)[cbpeMetric];
      const se = estimated === null ? null : samplingError(estimator.components[cbpeMetric], rows.length);
      if (estimated !== null && se !== null) ({ lower: lowerConfidence, upper: upperConfidence } = confidenceBounds(estimated, se, METRIC_LIMITS[cbpeMetric]));
    }
    const value = real ?? estimated;
    const alert = value !== null && ((band.lower !== null && value < band.lower) || (band.upper !== null && value > band.upper));
    return { key: c.key, start: c.start, end: c.end, size: c.size, labelled: rows.filter((r) => r.yTrue !== null).length, realized: real, estimated, lowerConfidence, upperConfidence, value, basis: real !== null ? 'realized' : estimated !== null ? 'estimated' : null, alert };
  });
  return {
    type: 'performance',
    metric: spec.metric,
    chunkSize: spec.chunkSize,
    chunkMinutes: byTime ? spec.chunkMinutes! : null,
    reference: { rows: labelledRef.length, chunks: refValues, band, calibrated: estimator ? estimator.calibrator !== null : null, ...(estimateError ? { estimateError } : {}) },
    current: { rows: current.length, labelled: current.filter((r) => r.yTrue !== null).length },
    chunks,
  };
}
