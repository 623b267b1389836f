import { emaSmooth } from './smoothing.js';

/** One run's curve as the chart receives it. */
export interface CurveInput {
  readonly points: readonly { readonly step: number; readonly value: number | string }[];
}

/** A y column aligned to `steps`: `undefined` where that curve has no point (bridged), `null` for a gap. */
export type AlignedColumn = (number | null | undefined)[];

export interface ChartData {
  /** Sorted union of every curve's steps. */
  readonly steps: number[];
  /** Per curve, the raw values aligned to `steps`. */
  readonly raw: AlignedColumn[];
  /** Per curve, the smoothed values aligned to `steps`, or null when smoothing is off. */
  readonly smoothed: AlignedColumn[] | null;
  /** Points left out because the log scale cannot show values ≤ 0. */
  readonly hiddenNonPositive: number;
}

export interface ChartDataOptions {
  /** EMA weight in [0, 1); 0 turns smoothing off. */
  readonly smoothing: number;
  readonly logScale: boolean;
}

function toNumber(v: number | string): number | null {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Turns per-run curves into uPlot's aligned columns: smooths each curve on its own points, hides values a log
 * scale cannot show (≤ 0, non-finite) as gaps, and aligns all curves on the union of their steps.
 */
export function buildChartData(curves: readonly CurveInput[], opts: ChartDataOptions): ChartData {
  const stepSet = new Set<number>();
  for (const c of curves) for (const p of c.points) stepSet.add(p.step);
  const steps = Array.from(stepSet).sort((a, b) => a - b);
  const index = new Map<number, number>();
  steps.forEach((s, i) => index.set(s, i));

  let hidden = 0;
  const visible = (v: number | null): number | null => {
    if (v === null) return null;
    if (opts.logScale && v <= 0) return null;
    return v;
  };
  const align = (c: CurveInput, values: readonly (number | null)[]): AlignedColumn => {
    const col: AlignedColumn = new Array<number | null | undefined>(steps.length).fill(undefined);
    c.points.forEach((p, i) => {
      const at = index.get(p.step);
      if (at !== undefined) col[at] = visible(values[i] ?? null);
    });
    return col;
  };

  const smoothing = opts.smoothing > 0;
  const raw: AlignedColumn[] = [];
  const smoothed: AlignedColumn[] = [];
  for (const c of curves) {
    const values = c.points.map((p) => toNumber(p.value));
    if (opts.logScale) hidden += values.filter((v) => v !== null && v <= 0).length;
    raw.push(align(c, values));
    if (smoothing) smoothed.push(align(c, emaSmooth(values, opts.smoothing)));
  }
  return { steps, raw, smoothed: smoothing ? smoothed : null, hiddenNonPositive: hidden };
}
