import type { ColumnValues } from './column-values.js';
import type { Column } from './dataset.js';

/** What one side of a column holds, for the report's table. */
export interface SideSummary {
  count: number;
  missing: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  distinct?: number;
}

/**
 * Both sides drawn over each other: shares of each side per bin of common edges (numerical), or per category (the
 * most frequent 20 over both sides, the rest as one "other" bar).
 */
export type Distribution = { type: 'histogram'; edges: number[]; reference: number[]; current: number[] } | { type: 'bars'; categories: string[]; reference: number[]; current: number[] };

export const MAX_BARS = 20;
const MAX_BINS = 30;

export function summaryOf(c: Column): SideSummary {
  const count = c.length - c.missing;
  if (!c.numbers) {
    const distinct = c.strings ? new Set(c.strings.filter((s) => s !== null)).size : undefined;
    return { count, missing: c.missing, ...(distinct !== undefined ? { distinct } : {}) };
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of c.numbers) {
    if (Number.isNaN(x)) continue;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (count === 0) return { count, missing: c.missing };
  const mean = sum / count;
  let ss = 0;
  for (const x of c.numbers) if (!Number.isNaN(x)) ss += (x - mean) ** 2;
  return { count, missing: c.missing, mean, std: count > 1 ? Math.sqrt(ss / (count - 1)) : 0, min, max };
}

/** How many values of sorted `xs` are below `x`. */
function below(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Shares of sorted `xs` per bin of `edges`: [e0, e1), [e1, e2), …, the last bin closed, as numpy's histogram. */
function shares(xs: Float64Array, edges: number[]): number[] {
  const out: number[] = [];
  let before = below(xs, edges[0]!);
  for (let i = 1; i < edges.length; i++) {
    const upto = i === edges.length - 1 ? xs.length : below(xs, edges[i]!);
    out.push(xs.length === 0 ? 0 : (upto - before) / xs.length);
    before = upto;
  }
  return out;
}

/** The column drawn: a histogram for numbers (Sturges' bin count, at most 30), bars for categories and texts' words aside. */
export function distributionOf(v: ColumnValues): Distribution | undefined {
  if (v.kind === 'text' || v.kind === 'embedding') return undefined;
  if (v.numeric) {
    const a = v.sortedReference();
    const b = v.sortedCurrent();
    const lo = Math.min(a[0]!, b[0]!);
    const hi = Math.max(a[a.length - 1]!, b[b.length - 1]!);
    const bins = lo === hi ? 1 : Math.min(MAX_BINS, Math.ceil(Math.log2(a.length + b.length)) + 1);
    const edges = Array.from({ length: bins + 1 }, (_, i) => (lo === hi ? lo - 0.5 + i : lo + ((hi - lo) * i) / bins));
    return { type: 'histogram', edges, reference: shares(a, edges), current: shares(b, edges) };
  }
  const counts = [...v.counts()].sort((x, y) => y[1][0] + y[1][1] - (x[1][0] + x[1][1]) || (x[0] < y[0] ? -1 : 1));
  const top = counts.slice(0, MAX_BARS);
  const rest = counts.slice(MAX_BARS);
  const categories = top.map(([k]) => k);
  const reference = top.map(([, c]) => c[0] / v.referenceCount);
  const current = top.map(([, c]) => c[1] / v.currentCount);
  if (rest.length > 0) {
    categories.push(`other (${rest.length})`);
    reference.push(rest.reduce((s, [, c]) => s + c[0], 0) / v.referenceCount);
    current.push(rest.reduce((s, [, c]) => s + c[1], 0) / v.currentCount);
  }
  return { type: 'bars', categories, reference, current };
}
