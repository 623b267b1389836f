/**
 * The checks of `performance` and `llm_quality` monitors shaped for their history charts, one point per check at the
 * time it ran (as `drift-series.ts` does for data monitors): the share of alerting chunks or degraded signals, the
 * metric of each check's latest chunk against the band, and each quality signal's rate against its threshold. Pure,
 * so it runs under node:test.
 */
import { type CheckSeries, checkAxis, oldestFirst } from './drift-series.js';
import type { MonitorRun } from './monitors-client.js';
import { type PerformanceChunk, performanceReportOf } from './performance-report.js';
import { qualityReportOf, type RateSignal } from './quality-report.js';

export interface ShareOfChecks extends CheckSeries {
  /** Alerting chunks / judged chunks, or degraded / tested signals, per check; null when nothing was judged. */
  readonly values: (number | null)[];
  /** Checks that alerted (status drifted). */
  readonly marks: boolean[];
}

export interface PerformanceSeries extends CheckSeries {
  /** The newest report's metric (`accuracy`…); undefined when no check made a report. */
  readonly metric: string | undefined;
  /** The value of each check's latest chunk that has one (realized, else estimated). */
  readonly values: (number | null)[];
  /** Whether that chunk alerted. */
  readonly marks: boolean[];
  /** The band of each check's reference. */
  readonly lower: (number | null)[];
  readonly upper: (number | null)[];
}

export interface SignalSeries {
  readonly name: RateSignal['name'];
  readonly direction: RateSignal['direction'];
  /** The newest report's threshold. */
  readonly threshold: number;
  /** The rate per check where it was tested (enough votes or grades); null elsewhere. */
  readonly values: (number | null)[];
  readonly marks: boolean[];
}

function axis(runs: readonly MonitorRun[], now: number): { sorted: MonitorRun[] } & CheckSeries {
  const sorted = oldestFirst(runs);
  const times = sorted.map((r) => r.time);
  return { sorted, times, ...checkAxis(times, now) };
}

/** The share of a check's chunks or signals that alerted (the run's `drifted / tested`), alerting checks marked. */
export function shareOfChecks(runs: readonly MonitorRun[], now = Date.now()): ShareOfChecks {
  const { sorted, ...a } = axis(runs, now);
  return { ...a, values: sorted.map((r) => (r.tested > 0 && r.share !== null ? r.share : null)), marks: sorted.map((r) => r.status === 'drifted') };
}

/** The latest chunk of each performance check against the band of its reference. */
export function performanceSeries(runs: readonly MonitorRun[], now = Date.now()): PerformanceSeries {
  const { sorted, ...a } = axis(runs, now);
  const reports = sorted.map(performanceReportOf);
  const latest = reports.map((r) => [...(r?.chunks ?? [])].reverse().find((c: PerformanceChunk) => c.value !== null));
  return {
    ...a,
    metric: [...reports].reverse().find((r) => r !== undefined)?.metric,
    values: latest.map((c) => c?.value ?? null),
    marks: latest.map((c) => c?.alert === true),
    lower: reports.map((r) => r?.reference.band.lower ?? null),
    upper: reports.map((r) => r?.reference.band.upper ?? null),
  };
}

/** Each signal of the quality checks, in the newest report's order, with its rate per check. */
export function signalSeries(runs: readonly MonitorRun[]): SignalSeries[] {
  const reports = oldestFirst(runs).map(qualityReportOf);
  const latest = new Map<RateSignal['name'], RateSignal>();
  for (let i = reports.length - 1; i >= 0; i--) for (const s of reports[i]?.signals ?? []) if (!latest.has(s.name)) latest.set(s.name, s);
  return [...latest.values()].map((s) => {
    const at = reports.map((r) => r?.signals.find((x) => x.name === s.name && x.status === 'tested'));
    return { name: s.name, direction: s.direction, threshold: s.threshold, values: at.map((x) => x?.rate ?? null), marks: at.map((x) => x?.degraded === true) };
  });
}
