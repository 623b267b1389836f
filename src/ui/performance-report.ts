/**
 * A `performance` monitor's check report (`PerformanceReport` of `src/drift/performance/performance-check.ts`, stored
 * camelCase), typed for display, with the words the pages use about it. Pure, so it runs under node:test.
 */
import type { MonitorRun } from './monitors-client.js';
import { formatPercent } from './monitoring-format.js';

export type PerformanceMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'mae' | 'rmse';

export interface PerformanceChunk {
  key?: string;
  start: number;
  end: number;
  size: number;
  labelled: number;
  realized: number | null;
  estimated: number | null;
  lowerConfidence: number | null;
  upperConfidence: number | null;
  value: number | null;
  basis: 'realized' | 'estimated' | null;
  alert: boolean;
}

export interface PerformanceBand {
  lower: number | null;
  upper: number | null;
  mean: number;
  std: number;
}

export interface PerformanceReport {
  type: 'performance';
  metric: PerformanceMetric;
  chunkSize: number;
  chunkMinutes?: number | null;
  reference: { rows: number; chunks: (number | null)[]; band: PerformanceBand; calibrated: boolean | null };
  current: { rows: number; labelled: number };
  chunks: PerformanceChunk[];
}

type Obj = Record<string, unknown>;

/** The report of a check when it is a performance report; undefined otherwise. */
export function performanceReportOf(run: Pick<MonitorRun, 'report'>): PerformanceReport | undefined {
  const r = run.report as Obj | null | undefined;
  if (!r || typeof r !== 'object' || r.type !== 'performance' || !Array.isArray(r.chunks)) return undefined;
  const ref = r.reference as Obj | undefined;
  return ref && Array.isArray(ref.chunks) && ref.band && typeof ref.band === 'object' ? (r as unknown as PerformanceReport) : undefined;
}

const TITLES: Record<PerformanceMetric, string> = { accuracy: 'accuracy', precision: 'precision', recall: 'recall', f1: 'F1', roc_auc: 'ROC AUC', mae: 'MAE', rmse: 'RMSE' };

/** The metric's name in text: `accuracy`, `F1`, `ROC AUC`, `MAE`. */
export const metricTitle = (m: string): string => TITLES[m as PerformanceMetric] ?? m;

/** Whether the metric is an error (lower is better, unbounded) rather than a score in [0, 1]. */
export const isErrorMetric = (m: string): boolean => m === 'mae' || m === 'rmse';

/** A metric value: 3 significant digits (`0.812`, `12.3`), a dash for none. */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3)));
}

/** The band in text: `0.712–0.883 (mean 0.798)`; an open side is `−∞` / `∞`. */
export function bandText(b: PerformanceBand): string {
  const lo = b.lower === null ? '−∞' : formatMetric(b.lower);
  const hi = b.upper === null ? '∞' : formatMetric(b.upper);
  return `${lo}–${hi} (mean ${formatMetric(b.mean)})`;
}

/** An estimate with its confidence interval: `0.81 (0.74–0.88)`; a dash when there is none. */
export function estimateText(c: Pick<PerformanceChunk, 'estimated' | 'lowerConfidence' | 'upperConfidence'>): string {
  if (c.estimated === null) return '—';
  if (c.lowerConfidence === null || c.upperConfidence === null) return formatMetric(c.estimated);
  return `${formatMetric(c.estimated)} (${formatMetric(c.lowerConfidence)}–${formatMetric(c.upperConfidence)})`;
}

/** The current window's rows and labelled share: `38 rows, 38 labelled (100%)`. */
export function currentText(c: PerformanceReport['current']): string {
  const share = c.rows > 0 ? ` (${formatPercent(c.labelled / c.rows)})` : '';
  return `${c.rows.toLocaleString('en-US')} rows, ${c.labelled.toLocaleString('en-US')} labelled${share}`;
}

/** Whether CBPE's calibrator applies: `calibrated`, `not calibrated`, or no estimates at all. */
export function calibrationText(calibrated: boolean | null): string {
  if (calibrated === null) return 'no estimates (needs a binary classifier with probabilities)';
  return calibrated ? 'estimates calibrated' : 'estimates not calibrated';
}

/** The verdict in one line: `2 of 4 chunks outside the band` or `All 4 chunks within the band`. */
export function performanceHeadline(r: Pick<PerformanceReport, 'chunks'>): { headline: string; alerting: boolean } {
  const valued = r.chunks.filter((c) => c.value !== null).length;
  const alerts = r.chunks.filter((c) => c.alert).length;
  if (valued === 0) return { headline: 'No chunk could be judged', alerting: false };
  if (alerts === 0) return { headline: `All ${valued} chunk${valued === 1 ? '' : 's'} within the band`, alerting: false };
  return { headline: `${alerts} of ${valued} chunk${valued === 1 ? '' : 's'} outside the band`, alerting: true };
}
