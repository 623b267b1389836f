/**
 * A quality report's rate signals as SVG geometry: one row per signal on a shared 0–100 % axis, the rate a point with
 * its confidence interval as a bar, the threshold a tick across the row; degraded rows red, rows with too few votes or
 * grades greyed with their count. Pure, so it runs under node:test.
 */
import type { Rect, Tick } from './distribution-geometry.js';
import { percentTick } from './distribution-geometry.js';
import type { RateSignal } from './quality-report.js';

export type SignalState = 'degraded' | 'ok' | 'insufficient';

export interface SignalRow {
  readonly name: string;
  readonly state: SignalState;
  /** Centre line of the row. */
  readonly y: number;
  readonly point: number | null;
  readonly bar: { readonly x1: number; readonly x2: number } | null;
  readonly threshold: number;
  /** The row's half height, for the threshold tick. */
  readonly half: number;
  readonly signal: RateSignal;
}

export interface IntervalGeometry {
  readonly width: number;
  readonly height: number;
  readonly plot: Rect;
  readonly xTicks: Tick[];
  readonly rows: SignalRow[];
}

export const ROW_HEIGHT = 34;
const M = { top: 8, right: 18, bottom: 24, left: 150 };
const r1 = (v: number) => Math.round(v * 10) / 10;

export const signalState = (s: Pick<RateSignal, 'status' | 'degraded'>): SignalState => (s.status !== 'tested' ? 'insufficient' : s.degraded ? 'degraded' : 'ok');

export function intervalGeometry(signals: readonly RateSignal[], width: number): IntervalGeometry {
  const plot = { x: M.left, y: M.top, width: Math.max(10, width - M.left - M.right), height: Math.max(1, signals.length) * ROW_HEIGHT };
  const x = (v: number) => r1(plot.x + Math.min(1, Math.max(0, v)) * plot.width);
  const rows = signals.map((s, i): SignalRow => ({
    name: s.name,
    state: signalState(s),
    y: r1(plot.y + (i + 0.5) * ROW_HEIGHT),
    point: s.rate === null ? null : x(s.rate),
    bar: s.interval ? { x1: x(s.interval.low), x2: x(s.interval.high) } : null,
    threshold: x(s.threshold),
    half: ROW_HEIGHT / 2 - 5,
    signal: s,
  }));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((v) => ({ at: x(v), label: percentTick(v) }));
  return { width, height: plot.y + plot.height + M.bottom, plot, xTicks: ticks, rows };
}
