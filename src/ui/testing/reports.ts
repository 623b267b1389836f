/** Test-only: check reports of performance and quality monitors, and checks holding them, for the UI's unit tests. */
import type { MonitorRun } from '../monitors-client.js';
import type { PerformanceChunk, PerformanceReport } from '../performance-report.js';
import type { QualityReport, RateSignal } from '../quality-report.js';

export const chunk = (over: Partial<PerformanceChunk> = {}): PerformanceChunk => ({
  start: 0,
  end: 12,
  size: 12,
  labelled: 12,
  realized: 0.25,
  estimated: 0.8,
  lowerConfidence: 0.7,
  upperConfidence: 0.9,
  value: 0.25,
  basis: 'realized',
  alert: true,
  ...over,
});

export const report = (chunks: PerformanceChunk[], over: Partial<PerformanceReport> = {}): PerformanceReport => ({
  type: 'performance',
  metric: 'accuracy',
  chunkSize: 12,
  chunkMinutes: null,
  reference: { rows: 72, chunks: [0.75, 0.83, 0.8, 0.79, 0.84, 0.77], band: { lower: 0.7, upper: 0.9, mean: 0.797, std: 0.03 }, calibrated: true },
  current: { rows: 36, labelled: 24 },
  chunks,
  ...over,
});

export const signal = (name: RateSignal['name'], over: Partial<RateSignal> = {}): RateSignal => ({
  name,
  status: 'tested',
  count: 12,
  rate: 10 / 12,
  interval: { low: 0.552, high: 0.953 },
  threshold: name === 'thumbs_down_rate' ? 0.2 : 0.7,
  direction: name === 'thumbs_down_rate' ? 'above' : 'below',
  degraded: true,
  ...over,
});

export const qualityReport = (signals: RateSignal[], over: Partial<QualityReport> = {}): QualityReport => ({
  type: 'llm_quality',
  predictions: 12,
  gradable: 12,
  feedback: { up: 2, down: 10, scored: 0, meanScore: null },
  judge: { deployment: 'stories', judgedNow: 12, graded: 12, meanScore: 2.5, errors: [] },
  human: { queuedNow: 4, graded: 0, pending: 4, meanScore: null },
  agreement: null,
  signals,
  confidence: 0.95,
  ...over,
});

/** A check at `time` holding `report` (null: it failed before making one), its counts as the server sets them. */
export function checkOf(time: number, report: PerformanceReport | QualityReport | null, counts: { tested: number; drifted: number }): MonitorRun {
  return {
    id: `r${time}`,
    monitor: 'm',
    time,
    windowFrom: time - 3600_000,
    windowTo: time,
    status: report === null ? 'error' : counts.tested === 0 ? 'insufficient_data' : counts.drifted > 0 ? 'drifted' : 'ok',
    referenceRows: 0,
    currentRows: 0,
    ...counts,
    share: counts.tested > 0 ? counts.drifted / counts.tested : null,
    error: report === null ? 'failed' : null,
    alert: null,
    alertError: null,
    report,
  };
}
