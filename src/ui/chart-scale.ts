/** Scales and paths of the SVG time-series charts. Pure, so they run under node:test as well. */

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** A value axis from 0: its top and evenly spaced round ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ). An empty axis spans 0–1. */
export function niceScale(max: number, count = 4): { max: number; ticks: number[] } {
  const top0 = Number.isFinite(max) && max > 0 ? max : 1;
  const raw = top0 / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  const n = Math.max(1, Math.ceil(top0 / step - 1e-9));
  const ticks = Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { max: ticks[n]!, ticks };
}

/**
 * A value axis over [lo, hi] that need not start at 0 (a metric around 0.8): round ends and evenly spaced round ticks,
 * within `limits` when given (a score cannot leave [0, 1]). An empty range is widened around its value.
 */
export function rangeScale(lo: number, hi: number, count = 4, limits: { min?: number; max?: number } = {}): { min: number; max: number; ticks: number[] } {
  let a = Number.isFinite(lo) ? lo : 0;
  let b = Number.isFinite(hi) ? hi : 1;
  if (b < a) [a, b] = [b, a];
  if (b - a < 1e-12) {
    const pad = Math.abs(a) > 0 ? Math.abs(a) * 0.1 : 0.5;
    a -= pad;
    b += pad;
  }
  const raw = (b - a) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  let min = Math.floor(a / step + 1e-9) * step;
  let max = Math.ceil(b / step - 1e-9) * step;
  if (limits.min !== undefined) min = Math.max(min, limits.min);
  if (limits.max !== undefined) max = Math.min(max, limits.max);
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return { min: Number(min.toPrecision(12)), max: Number(max.toPrecision(12)), ticks };
}

/** Tick spacings of a time axis: the first that gives at most `maxTicks` ticks is used. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080].map((m) => m * MINUTE);

export interface TimeTick {
  readonly time: number;
  readonly label: string;
}

/**
 * Ticks of a time axis over [from, to] at round local times (`tzOffsetMinutes` east of UTC, as `-getTimezoneOffset()`):
 * `HH:MM`, and `MM-DD` at midnight or when ticks are a day or more apart.
 */
export function timeTicks(from: number, to: number, maxTicks: number, tzOffsetMinutes = 0): TimeTick[] {
  if (!(to > from)) return [];
  const span = to - from;
  const step = TIME_STEPS.find((s) => span / s <= Math.max(1, maxTicks)) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const off = tzOffsetMinutes * MINUTE;
  const pad = (x: number) => String(x).padStart(2, '0');
  const ticks: TimeTick[] = [];
  for (let t = Math.ceil((from + off) / step) * step - off; t <= to; t += step) {
    const local = new Date(t + off);
    const midnight = local.getUTCHours() === 0 && local.getUTCMinutes() === 0;
    const label = step >= DAY || (midnight && span > 6 * 60 * MINUTE) ? `${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` : `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
    ticks.push({ time: t, label });
  }
  return ticks;
}

export interface PlotPoint {
  readonly x: number;
  readonly y: number;
}

const r = (v: number) => Math.round(v * 10) / 10;

/**
 * An SVG path through the points, broken where a point is missing (`null`: no data, drawn as a gap, never as 0). A
 * point with no neighbour cannot be a line: it is returned as a dot.
 */
export function linePath(points: readonly (PlotPoint | null)[]): { d: string; dots: PlotPoint[] } {
  let d = '';
  const dots: PlotPoint[] = [];
  let run: PlotPoint[] = [];
  const flush = () => {
    if (run.length === 1) dots.push(run[0]!);
    else if (run.length > 1) d += `M${run.map((p) => `${r(p.x)},${r(p.y)}`).join('L')}`;
    run = [];
  };
  for (const p of points) {
    if (p === null) flush();
    else run.push(p);
  }
  flush();
  return { d, dots };
}

/** The step holding time `t` (steps of `stepMs` from `first`), clamped to the `n` steps there are; -1 when there are none. */
export function stepIndex(t: number, first: number, stepMs: number, n: number): number {
  if (n <= 0 || !(stepMs > 0)) return -1;
  return Math.min(n - 1, Math.max(0, Math.floor((t - first) / stepMs)));
}

/** The index of the time in sorted `times` nearest to `t`; -1 when there are none. For points not evenly spaced. */
export function nearestIndex(t: number, times: readonly number[]): number {
  if (times.length === 0) return -1;
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && t - times[lo - 1]! <= times[lo]! - t ? lo - 1 : lo;
}
