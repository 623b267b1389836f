/**
 * A performance report drawn as NannyML draws it: x is the chunk index (the reference's chunks first, then the current
 * window's, a divider between), y the metric; the reference's values as a line, the current realized values solid,
 * CBPE's estimates dashed inside their shaded confidence interval, the band's lower and upper thresholds dashed across,
 * alerting chunks marked. Pure SVG geometry, so it runs under node:test.
 */
import { linePath, type PlotPoint, rangeScale } from './chart-scale.js';
import type { Rect, Tick } from './distribution-geometry.js';
import { formatMetric, isErrorMetric, type PerformanceChunk, type PerformanceReport } from './performance-report.js';

export interface ChunkPoint {
  /** Index on the x axis: reference chunks 0…n−1, then the current ones. */
  readonly index: number;
  readonly x: number;
  /** y of the value the verdict rests on (realized, else estimated); null when the chunk has none. */
  readonly y: number | null;
  readonly chunk: PerformanceChunk;
}

export interface ErrorBar {
  readonly x: number;
  readonly y1: number;
  readonly y2: number;
}

export interface PerformanceGeometry {
  readonly width: number;
  readonly height: number;
  readonly plot: Rect;
  readonly yTicks: Tick[];
  readonly xTicks: Tick[];
  /** x of the line between the reference's chunks and the current ones; null when either side has none. */
  readonly divider: number | null;
  /** Where the reference and current labels go above the plot (centres of each side). */
  readonly sides: { readonly reference: number | null; readonly current: number | null };
  readonly lower: number | null;
  readonly upper: number | null;
  readonly mean: number;
  readonly reference: { readonly d: string; readonly dots: PlotPoint[] };
  readonly realized: { readonly d: string; readonly dots: PlotPoint[] };
  readonly estimated: { readonly d: string; readonly dots: PlotPoint[] };
  /** The confidence interval of runs of estimated chunks, as closed areas; and a bar at every estimated chunk. */
  readonly ciArea: string;
  readonly ciBars: ErrorBar[];
  readonly current: ChunkPoint[];
}

const M = { top: 20, right: 16, bottom: 26, left: 54 };
const r1 = (v: number) => Math.round(v * 10) / 10;

/** The y range to show: every value, estimate, interval and threshold, within what the metric can take. */
function valueRange(r: PerformanceReport): { min: number; max: number; ticks: number[] } {
  const vs: number[] = [r.reference.band.mean];
  const push = (v: number | null | undefined) => {
    if (v !== null && v !== undefined && Number.isFinite(v)) vs.push(v);
  };
  r.reference.chunks.forEach(push);
  push(r.reference.band.lower);
  push(r.reference.band.upper);
  for (const c of r.chunks) [c.realized, c.estimated, c.lowerConfidence, c.upperConfidence].forEach(push);
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const pad = (hi - lo) * 0.08;
  return rangeScale(lo - pad, hi + pad, 4, isErrorMetric(r.metric) ? { min: 0 } : { min: 0, max: 1 });
}

/** Closed areas between `hi` and `lo` over each run of consecutive points that have both. */
function areaPath(points: readonly ({ x: number; lo: number; hi: number } | null)[]): string {
  let d = '';
  let run: { x: number; lo: number; hi: number }[] = [];
  const flush = () => {
    if (run.length > 1) d += `M${run.map((p) => `${r1(p.x)},${r1(p.hi)}`).join('L')}L${[...run].reverse().map((p) => `${r1(p.x)},${r1(p.lo)}`).join('L')}Z`;
    run = [];
  };
  for (const p of points) {
    if (p === null) flush();
    else run.push(p);
  }
  flush();
  return d;
}

/** Every `k`-th chunk index as a tick, so that labels stay about 36 px apart. */
function indexTicks(n: number, x: (i: number) => number, plotW: number): Tick[] {
  if (n === 0) return [];
  const k = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / 36))));
  const out: Tick[] = [];
  for (let i = 0; i < n; i += k) out.push({ at: r1(x(i)), label: String(i) });
  return out;
}

export function performanceGeometry(r: PerformanceReport, width: number, height: number): PerformanceGeometry {
  const plot = { x: M.left, y: M.top, width: Math.max(10, width - M.left - M.right), height: Math.max(10, height - M.top - M.bottom) };
  const nRef = r.reference.chunks.length;
  const n = nRef + r.chunks.length;
  const step = plot.width / Math.max(1, n);
  const x = (i: number) => plot.x + (i + 0.5) * step;
  const scale = valueRange(r);
  const span = scale.max - scale.min || 1;
  const y = (v: number) => r1(plot.y + plot.height - ((v - scale.min) / span) * plot.height);
  const yOr = (v: number | null) => (v === null || !Number.isFinite(v) ? null : y(v));
  const at = (i: number, v: number | null) => (v === null || !Number.isFinite(v) ? null : { x: r1(x(i)), y: y(v) });

  const current = r.chunks.map((c, j): ChunkPoint => ({ index: nRef + j, x: r1(x(nRef + j)), y: yOr(c.value), chunk: c }));
  const ci = r.chunks.map((c, j) => (c.estimated !== null && c.lowerConfidence !== null && c.upperConfidence !== null ? { x: x(nRef + j), lo: y(c.lowerConfidence), hi: y(c.upperConfidence) } : null));
  return {
    width,
    height,
    plot,
    yTicks: scale.ticks.map((v) => ({ at: y(v), label: formatMetric(v) })),
    xTicks: indexTicks(n, x, plot.width),
    divider: nRef > 0 && r.chunks.length > 0 ? r1(plot.x + nRef * step) : null,
    sides: { reference: nRef > 0 ? r1(plot.x + (nRef * step) / 2) : null, current: r.chunks.length > 0 ? r1(plot.x + nRef * step + (r.chunks.length * step) / 2) : null },
    lower: yOr(r.reference.band.lower),
    upper: yOr(r.reference.band.upper),
    mean: y(r.reference.band.mean),
    reference: linePath(r.reference.chunks.map((v, i) => at(i, v))),
    realized: linePath(r.chunks.map((c, j) => at(nRef + j, c.realized))),
    estimated: linePath(r.chunks.map((c, j) => at(nRef + j, c.estimated))),
    ciArea: areaPath(ci),
    ciBars: ci.filter((p): p is NonNullable<typeof p> => p !== null).map((p) => ({ x: r1(p.x), y1: p.hi, y2: p.lo })),
    current,
  };
}
