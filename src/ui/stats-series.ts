/**
 * A deployment's stats (`client.monitoring.stats`) shaped for the charts: the time ranges and their steps, one line
 * per model version (and per quantity, e.g. p95 and p50), and the charts worth drawing. Pure, so it runs under node:test.
 */
import type { StatsPoint, VersionStats } from '../sdk/monitoring-client.js';
import { formatLatencyMs, formatNumber, formatPercent, formatPerSecond, formatUsd } from './monitoring-format.js';
import { seriesColor } from './palette.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type RangeKey = '15m' | '1h' | '6h' | '24h' | '7d';

export interface StatsRange {
  readonly key: RangeKey;
  /** `15 min`, `1 h`… as in "last 1 h". */
  readonly label: string;
  readonly ms: number;
  /** The step asked of the server: per minute up to an hour, then ~70-170 points. */
  readonly step: string;
  readonly stepMs: number;
  readonly stepLabel: string;
}

export const STATS_RANGES: readonly StatsRange[] = [
  { key: '15m', label: '15 min', ms: 15 * MINUTE, step: '1m', stepMs: MINUTE, stepLabel: '1 min' },
  { key: '1h', label: '1 h', ms: HOUR, step: '1m', stepMs: MINUTE, stepLabel: '1 min' },
  { key: '6h', label: '6 h', ms: 6 * HOUR, step: '5m', stepMs: 5 * MINUTE, stepLabel: '5 min' },
  { key: '24h', label: '24 h', ms: 24 * HOUR, step: '15m', stepMs: 15 * MINUTE, stepLabel: '15 min' },
  { key: '7d', label: '7 d', ms: 7 * 24 * HOUR, step: '1h', stepMs: HOUR, stepLabel: '1 h' },
];

export const DEFAULT_RANGE: RangeKey = '1h';

export function statsRange(key: RangeKey): StatsRange {
  return STATS_RANGES.find((r) => r.key === key) ?? STATS_RANGES[1]!;
}

/** The query of a range ending now (the server widens it to whole steps). */
export function statsWindow(key: RangeKey, now: number): { from: number; to: number; step: string } {
  const r = statsRange(key);
  return { from: now - r.ms, to: now, step: r.step };
}

type VersionId = Pick<VersionStats, 'model' | 'version'>;

export const versionKey = (v: VersionId): string => `${v.model}\u0000${v.version}`;

/** `titanic v2`; requests refused before a version was chosen (a 429 at admission) have none. */
export function versionLabel(v: VersionId): string {
  if (v.model === '' && v.version === '') return 'no version (refused)';
  return v.version === '' ? v.model : `${v.model} v${v.version}`;
}

/** Versions by model, then version number, so that a version keeps its colour from one refresh to the next. */
export function sortVersions<T extends VersionId>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version, 'en', { numeric: true }));
}

export interface StatsLine {
  /** After the version in the legend: `p95`, `thumbs down`; empty for the chart's one quantity. */
  readonly suffix: string;
  readonly dashed: boolean;
  /** The value at a step; null (no traffic, no feedback, no label) is a gap in the line. */
  readonly get: (p: StatsPoint) => number | null;
}

export interface StatsChart {
  readonly id: string;
  readonly title: string;
  readonly format: (v: number) => string;
  readonly lines: readonly StatsLine[];
  /** Why the chart has nothing to show in this window, when it has not. */
  readonly empty?: string;
}

const one = (get: StatsLine['get']): StatsLine[] => [{ suffix: '', dashed: false, get }];
const any = (versions: readonly VersionStats[], f: (t: StatsPoint) => boolean) => versions.some((v) => f(v.totals));

/**
 * The charts of a window: request rate, error rate, latency p95/p50, cost per step, tokens/s, feedback, and the
 * performance of labelled predictions (accuracy, MAE / RMSE, or a chart saying how to send labels). Charts whose
 * quantity is absent from the whole window (no cost configured, no tokens, no feedback) say so instead of a flat line.
 */
export function statsCharts(versions: readonly VersionStats[], stepLabel: string): StatsChart[] {
  const charts: StatsChart[] = [
    { id: 'requests', title: 'Requests / s', format: formatPerSecond, lines: one((p) => p.requestRate) },
    { id: 'error-rate', title: 'Error rate (5xx)', format: formatPercent, lines: one((p) => p.errorRate) },
    {
      id: 'latency',
      title: 'Latency p95 / p50',
      format: formatLatencyMs,
      lines: [
        { suffix: 'p95', dashed: false, get: (p) => p.latencyMs.p95 },
        { suffix: 'p50', dashed: true, get: (p) => p.latencyMs.p50 },
      ],
    },
    {
      id: 'cost',
      title: `Cost (USD per ${stepLabel})`,
      format: formatUsd,
      lines: one((p) => p.costUsd),
      ...(any(versions, (t) => t.costUsd > 0) ? {} : { empty: 'No cost in this window: price requests with cost_per_request, cost_per_1k_input_tokens, cost_per_1k_output_tokens or cost_per_compute_second in the deployment config.' }),
    },
    {
      id: 'tokens',
      title: 'Tokens / s (generated)',
      format: formatPerSecond,
      lines: one((p) => p.tokensPerSecond),
      ...(any(versions, (t) => t.completionTokens > 0) ? {} : { empty: 'No tokens generated in this window (only LLMs count tokens).' }),
    },
    {
      id: 'feedback',
      title: 'Feedback rate / thumbs-down rate',
      format: formatPercent,
      lines: [
        { suffix: 'feedback', dashed: false, get: (p) => p.feedback.rate },
        { suffix: 'thumbs down', dashed: true, get: (p) => p.feedback.thumbsDownRate },
      ],
      ...(any(versions, (t) => t.feedback.count > 0) ? {} : { empty: 'No feedback in this window: 👍 or 👎 a prediction below, or POST /api/v1/feedback.' }),
    },
  ];
  const accuracy = any(versions, (t) => t.performance.accuracy !== null);
  const regression = any(versions, (t) => t.performance.mae !== null);
  if (accuracy || !regression) {
    charts.push({
      id: 'accuracy',
      title: 'Accuracy (labelled predictions)',
      format: formatPercent,
      lines: one((p) => p.performance.accuracy),
      ...(accuracy ? {} : { empty: 'No labelled predictions in this window: POST /api/v1/labels with a prediction_id or entity_key and the true label.' }),
    });
  }
  if (regression) {
    charts.push({
      id: 'regression-error',
      title: 'MAE / RMSE (labelled predictions)',
      format: formatNumber,
      lines: [
        { suffix: 'MAE', dashed: false, get: (p) => p.performance.mae },
        { suffix: 'RMSE', dashed: true, get: (p) => p.performance.rmse },
      ],
    });
  }
  return charts;
}

export interface ChartLine {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly values: readonly (number | null)[];
}

/** One line per version and quantity of a chart; a version's colour is its place in `versions` (sorted). */
export function chartLines(versions: readonly VersionStats[], chart: StatsChart): ChartLine[] {
  return versions.flatMap((v, i) =>
    chart.lines.map((l) => ({
      key: `${versionKey(v)}\u0000${l.suffix}`,
      label: l.suffix ? `${versionLabel(v)} ${l.suffix}` : versionLabel(v),
      color: seriesColor(i),
      dashed: l.dashed,
      values: v.points.map((p) => {
        const x = l.get(p);
        return x !== null && Number.isFinite(x) ? x : null;
      }),
    })),
  );
}

/** The step start times of the window (every version has a point per step). */
export function stepTimes(versions: readonly VersionStats[]): number[] {
  return versions[0]?.points.map((p) => p.time) ?? [];
}
