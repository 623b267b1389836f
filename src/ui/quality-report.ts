/**
 * An `llm_quality` monitor's check report (`QualityReport` of `src/drift/quality/quality-check.ts`, stored camelCase),
 * typed for display, with the words the pages use about it. Pure, so it runs under node:test.
 */
import { formatScore } from './monitor-format.js';
import type { MonitorRun } from './monitors-client.js';
import { formatPercent } from './monitoring-format.js';

export type SignalName = 'thumbs_down_rate' | 'judge_pass_rate' | 'human_pass_rate';

export interface RateSignal {
  name: SignalName;
  status: 'tested' | 'insufficient_data';
  count: number;
  rate: number | null;
  interval: { low: number; high: number } | null;
  threshold: number;
  direction: 'above' | 'below';
  degraded: boolean;
}

export interface QualityAgreement {
  pairs: number;
  exact: number;
  withinOne: number;
  kappa: number;
  quadraticKappa: number;
}

export interface QualityReport {
  type: 'llm_quality';
  predictions: number;
  gradable: number;
  feedback: { up: number; down: number; scored: number; meanScore: number | null };
  judge: { deployment: string; judgedNow: number; graded: number; meanScore: number | null; errors: string[] } | null;
  human: { queuedNow: number; graded: number; pending: number; meanScore: number | null };
  agreement: QualityAgreement | { error: string } | null;
  signals: RateSignal[];
  confidence: number;
}

type Obj = Record<string, unknown>;

/** The report of a check when it is a quality report; undefined otherwise. */
export function qualityReportOf(run: Pick<MonitorRun, 'report'>): QualityReport | undefined {
  const r = run.report as Obj | null | undefined;
  if (!r || typeof r !== 'object' || r.type !== 'llm_quality' || !Array.isArray(r.signals)) return undefined;
  return r.feedback && r.human && typeof r.feedback === 'object' && typeof r.human === 'object' ? (r as unknown as QualityReport) : undefined;
}

const TITLES: Record<SignalName, string> = { thumbs_down_rate: 'Thumbs-down rate', judge_pass_rate: 'Judge pass rate', human_pass_rate: 'Human pass rate' };

/** `Thumbs-down rate`, `Judge pass rate`, `Human pass rate`; any other name as it is. */
export const signalTitle = (name: string): string => TITLES[name as SignalName] ?? name.replace(/_/g, ' ');

/** When a signal degrades: `> 20%` for the thumbs-down rate, `< 70%` for pass rates. */
export const signalThresholdText = (s: Pick<RateSignal, 'direction' | 'threshold'>): string => `${s.direction === 'above' ? '>' : '<'} ${formatPercent(s.threshold)}`;

/** The signal's badge: degraded, ok, or not enough votes or grades (with how many there were). */
export function signalVerdict(s: Pick<RateSignal, 'status' | 'degraded'>): { status: string; label: string } {
  if (s.status !== 'tested') return { status: 'insufficient_data', label: 'insufficient data' };
  return s.degraded ? { status: 'drifted', label: 'degraded' } : { status: 'ok', label: 'ok' };
}

/** A rate with its interval: `83.3% (55.2–95.3%)`; without an interval the rate alone; a dash for none. */
export function rateText(s: Pick<RateSignal, 'rate' | 'interval'>): string {
  if (s.rate === null) return '—';
  if (!s.interval) return formatPercent(s.rate);
  return `${formatPercent(s.rate)} (${formatPercent(s.interval.low).replace('%', '')}–${formatPercent(s.interval.high)})`;
}

/** A mean grade of 1–5: `3.42`, a dash for none. */
export const meanGradeText = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : String(Number(v.toFixed(2))));

/** The verdict in one line: `1 of 2 signals degraded` / `No signal degraded (2 tested)` / `Nothing could be tested`. */
export function qualityHeadline(r: Pick<QualityReport, 'signals'>): { headline: string; degraded: boolean } {
  const tested = r.signals.filter((s) => s.status === 'tested').length;
  const degraded = r.signals.filter((s) => s.degraded).length;
  if (tested === 0) return { headline: 'Nothing could be tested: too few votes and grades', degraded: false };
  if (degraded === 0) return { headline: `No signal degraded (${tested} tested)`, degraded: false };
  return { headline: `${degraded} of ${tested} signal${tested === 1 ? '' : 's'} degraded`, degraded: true };
}

/** Agreement facts, or the reason there are none: label and text pairs. */
export function agreementFacts(a: QualityReport['agreement']): { error: string } | [string, string][] {
  if (a === null) return { error: 'no answer has both a human and a judge grade yet' };
  if ('error' in a && typeof a.error === 'string') return { error: a.error };
  const g = a as QualityAgreement;
  return [
    ['Pairs', String(g.pairs)],
    ['Exact', formatPercent(g.exact)],
    ['Within one', formatPercent(g.withinOne)],
    ['Kappa', formatScore(g.kappa)],
    ['Quadratic kappa', formatScore(g.quadraticKappa)],
  ];
}
