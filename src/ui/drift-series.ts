/**
 * A monitor's checks shaped for its charts: the drift share per check with the dataset threshold, and each column's
 * score per check with its threshold. One point per check at the time it ran (checks are not evenly spaced: "Check
 * now" adds some between scheduled ones). Pure, so it runs under node:test.
 */
import { type ColumnDrift, driftReportOf, type MonitorRun } from './monitors-client.js';

const HALF_HOUR = 30 * 60_000;
export const DEFAULT_DRIFT_SHARE = 0.5;

export interface CheckSeries {
  /** Check times, oldest first. */
  readonly times: number[];
  /** The time axis: the checks with a little room on each side. */
  readonly from: number;
  readonly to: number;
}

export interface ShareSeries extends CheckSeries {
  /** drifted / tested per check; null for a check that tested nothing (an error, too little data). */
  readonly values: (number | null)[];
  /** Checks that found dataset drift. */
  readonly marks: boolean[];
  /** The dataset drift share of the newest report (the dashed line), 0.5 when no check made one. */
  readonly driftShare: number;
}

export interface ColumnSeries {
  readonly column: string;
  readonly derivedFrom: string | undefined;
  readonly testTitle: string;
  readonly scoreKind: ColumnDrift['scoreKind'];
  /** The newest report's threshold for the column. */
  readonly threshold: number;
  /** The column's score per check (the adjusted p-value where a correction applied: what the verdict read); null where it was not tested. */
  readonly values: (number | null)[];
  readonly marks: boolean[];
}

/** The axis of checks at `times` (sorted): padded by 4 % of their span, or ±30 min around a single check. */
export function checkAxis(times: readonly number[], now: number): { from: number; to: number } {
  if (times.length === 0) return { from: now - 2 * HALF_HOUR, to: now };
  const first = times[0]!;
  const last = times[times.length - 1]!;
  if (last - first < 60_000) return { from: first - HALF_HOUR, to: last + HALF_HOUR };
  const pad = (last - first) * 0.04;
  return { from: first - pad, to: last + pad };
}

/** Checks oldest first (the API lists them newest first). */
export function oldestFirst(runs: readonly MonitorRun[]): MonitorRun[] {
  return [...runs].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
}

/** The drift share of every check over time, drifted checks marked, with the threshold of the newest report. */
export function shareSeries(runs: readonly MonitorRun[], now = Date.now()): ShareSeries {
  const sorted = oldestFirst(runs);
  const times = sorted.map((r) => r.time);
  const newest = [...sorted].reverse().map(driftReportOf).find((r) => r !== undefined);
  return {
    times,
    ...checkAxis(times, now),
    values: sorted.map((r) => (r.tested > 0 && r.share !== null ? r.share : null)),
    marks: sorted.map((r) => r.status === 'drifted'),
    driftShare: newest?.driftShare ?? DEFAULT_DRIFT_SHARE,
  };
}

/**
 * Each column's score over the checks, for the columns tested in the checks' reports: in the newest report's order,
 * then any only older reports have. Threshold, test and kind of score are the newest report's for that column.
 */
export function columnSeries(runs: readonly MonitorRun[]): ColumnSeries[] {
  const sorted = oldestFirst(runs);
  const reports = sorted.map((r) => driftReportOf(r));
  const latest = new Map<string, ColumnDrift>();
  for (let i = reports.length - 1; i >= 0; i--) {
    for (const c of reports[i]?.columns ?? []) {
      if (c.status === 'tested' && c.score !== undefined && !latest.has(c.column)) latest.set(c.column, c);
    }
  }
  return [...latest.values()].map((c) => {
    const at = reports.map((r) => r?.columns.find((x) => x.column === c.column && x.status === 'tested' && x.score !== undefined));
    return {
      column: c.column,
      derivedFrom: c.derivedFrom,
      testTitle: c.testTitle ?? c.test ?? '',
      scoreKind: c.scoreKind,
      threshold: c.threshold ?? 0,
      values: at.map((x) => (x ? (x.adjustedScore ?? x.score!) : null)),
      marks: at.map((x) => x?.drifted === true),
    };
  });
}
