/**
 * A drift report column's two distributions as SVG geometry: a histogram (the reference as bars, the current as
 * lighter bars under an outlined step line, over the same bins) or grouped bars per category (reference, current).
 * Shares are fractions of each side. Pure, so it runs under node:test.
 */
import { niceScale } from './chart-scale.js';
import { formatValue } from './format.js';
import type { Distribution } from './monitors-client.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Tick {
  /** x of an x tick, y of a y tick. */
  readonly at: number;
  readonly label: string;
}

export interface BinGeometry {
  /** `[10, 20)` or the category. */
  readonly label: string;
  readonly referenceShare: number;
  readonly currentShare: number;
  readonly reference: Rect;
  readonly current: Rect;
}

export interface CategoryLabel {
  readonly x: number;
  readonly text: string;
  /** The whole category when `text` is cut. */
  readonly full: string;
}

export interface DistributionGeometry {
  readonly type: Distribution['type'];
  readonly width: number;
  readonly height: number;
  readonly plot: Rect;
  readonly bins: BinGeometry[];
  /** The current side's outline over a histogram's bins (empty for bars). */
  readonly currentStep: string;
  readonly xTicks: Tick[];
  readonly yTicks: Tick[];
  /** Category names under bars (none for histograms); slanted when `slanted`. */
  readonly labels: CategoryLabel[];
  readonly slanted: boolean;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** A share as an axis label: `0%`, `2.5%`, `40%`. */
export function percentTick(v: number): string {
  return `${Number((v * 100).toPrecision(3))}%`;
}

/** Round ticks inside [lo, hi]: steps of 1, 2, 2.5 or 5 × 10ⁿ, at most `max` of them. */
export function linearTicks(lo: number, hi: number, max: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, max);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  const out: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Cuts text to `n` characters with an ellipsis. */
function cut(s: string, n: number): string {
  const chars = Array.from(s);
  return chars.length <= n ? s : `${chars.slice(0, Math.max(1, n - 1)).join('')}…`;
}

/** The geometry of a chart `width` × `height` px (axes included). */
export function distributionGeometry(d: Distribution, width: number, height: number): DistributionGeometry {
  const n = d.type === 'histogram' ? d.edges.length - 1 : d.categories.length;
  const left = 44;
  const right = 10;
  const top = 8;
  const slotGuess = (width - left - right) / Math.max(1, n);
  const slanted = d.type === 'bars' && slotGuess < 56;
  const bottom = d.type === 'histogram' ? 22 : slanted ? 58 : 22;
  const plot: Rect = { x: left, y: top, width: Math.max(10, width - left - right), height: Math.max(10, height - top - bottom) };
  const peak = Math.max(0, ...d.reference, ...d.current);
  const scale = niceScale(peak);
  const base = plot.y + plot.height;
  const y = (v: number) => base - (Math.max(0, v) / scale.max) * plot.height;
  const bar = (x: number, w: number, v: number): Rect => ({ x: r1(x), y: r1(y(v)), width: r1(Math.max(0, w)), height: r1(base - y(v)) });
  const yTicks = scale.ticks.map((v) => ({ at: r1(y(v)), label: percentTick(v) }));

  if (d.type === 'histogram') {
    const lo = d.edges[0]!;
    const hi = d.edges[d.edges.length - 1]!;
    const span = hi - lo || 1;
    const x = (v: number) => plot.x + ((v - lo) / span) * plot.width;
    const bins: BinGeometry[] = [];
    let step = '';
    for (let i = 0; i < n; i++) {
      const x0 = x(d.edges[i]!);
      const x1 = x(d.edges[i + 1]!);
      const gap = x1 - x0 > 4 ? 1 : 0;
      const ref = d.reference[i] ?? 0;
      const cur = d.current[i] ?? 0;
      const last = i === n - 1;
      bins.push({
        label: `[${formatValue(d.edges[i]!)}, ${formatValue(d.edges[i + 1]!)}${last ? ']' : ')'}`,
        referenceShare: ref,
        currentShare: cur,
        reference: bar(x0 + gap / 2, x1 - x0 - gap, ref),
        current: bar(x0 + gap / 2, x1 - x0 - gap, cur),
      });
      step += `${i === 0 ? `M${r1(x0)},${r1(base)}` : ''}L${r1(x0)},${r1(y(cur))}L${r1(x1)},${r1(y(cur))}`;
    }
    if (n > 0) step += `L${r1(x(hi))},${r1(base)}`;
    const xTicks = linearTicks(lo, hi, Math.max(2, Math.floor(plot.width / 70))).map((v) => ({ at: r1(x(v)), label: formatValue(v) }));
    return { type: d.type, width, height, plot, bins, currentStep: step, xTicks, yTicks, labels: [], slanted: false };
  }

  const slot = plot.width / Math.max(1, n);
  const pad = slot * 0.15;
  const w = (slot - 2 * pad) / 2;
  const maxChars = slanted ? 12 : Math.max(2, Math.floor(slot / 7));
  const bins = d.categories.map((c, i) => {
    const x0 = plot.x + i * slot + pad;
    return { label: c, referenceShare: d.reference[i] ?? 0, currentShare: d.current[i] ?? 0, reference: bar(x0, w, d.reference[i] ?? 0), current: bar(x0 + w, w, d.current[i] ?? 0) };
  });
  const labels = d.categories.map((c, i) => ({ x: r1(plot.x + (i + 0.5) * slot), text: cut(c, maxChars), full: c }));
  return { type: d.type, width, height, plot, bins, currentStep: '', xTicks: [], yTicks, labels, slanted };
}
