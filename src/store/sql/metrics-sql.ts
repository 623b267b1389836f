import type { Kysely } from 'kysely';
import type { MetricStore } from '../store.js';
import type { CurvePoint, DownsampledHistory, Metric, MetricWithRun, Page } from '../types.js';
import { runNotFound } from '../errors.js';
import { LEVEL_WIDTHS } from './metric-buckets.js';
import { metricFromRow } from './rows.js';
import type { Database } from './schema.js';

export class SqlMetricStore implements MetricStore {
  constructor(private readonly db: Kysely<Database>) {}

  private async assertRun(runId: string): Promise<void> {
    const r = await this.db.selectFrom('runs').select('run_uuid').where('run_uuid', '=', runId).executeTakeFirst();
    if (!r) throw runNotFound(runId);
  }

  async history(runId: string, key: string, page: { maxResults: number; offset: number }): Promise<Page<Metric>> {
    await this.assertRun(runId);
    const rows = await this.db
      .selectFrom('metrics')
      .select(['key', 'value', 'timestamp', 'step', 'is_nan'])
      .where('run_uuid', '=', runId)
      .where('key', '=', key)
      .orderBy('step')
      .orderBy('timestamp')
      .orderBy('value')
      .limit(page.maxResults + 1)
      .offset(page.offset)
      .execute();
    const items = rows.slice(0, page.maxResults).map(metricFromRow);
    return rows.length > page.maxResults ? { items, nextOffset: page.offset + page.maxResults } : { items };
  }

  async historyBulkInterval(runIds: string[], key: string, q: { startStep?: number; endStep?: number; maxResults: number }): Promise<MetricWithRun[]> {
    const ids = [...new Set(runIds)];
    const perRun: number[][] = [];
    for (const runId of ids) {
      await this.assertRun(runId);
      const rows = await this.db.selectFrom('metrics').select('step').distinct().where('run_uuid', '=', runId).where('key', '=', key).orderBy('step').execute();
      perRun.push(rows.map((r) => Number(r.step)));
    }
    const steps = bulkIntervalSteps(perRun, q.maxResults, q.startStep, q.endStep);
    const out: MetricWithRun[] = [];
    if (steps.length === 0) return out;
    for (const runId of ids) {
      const rows: Parameters<typeof metricFromRow>[0][] = [];
      for (let i = 0; i < steps.length && rows.length < MAX_BULK_VALUES_PER_RUN; i += 500) {
        const chunk = await this.db
          .selectFrom('metrics')
          .select(['key', 'value', 'timestamp', 'step', 'is_nan'])
          .where('run_uuid', '=', runId)
          .where('key', '=', key)
          .where('step', 'in', steps.slice(i, i + 500))
          .orderBy('step')
          .orderBy('timestamp')
          .execute();
        rows.push(...chunk);
      }
      for (const r of rows.slice(0, MAX_BULK_VALUES_PER_RUN)) out.push({ ...metricFromRow(r), runId });
    }
    return out;
  }

  async downsampled(runId: string, key: string, q: { points: number; startStep?: number; endStep?: number }): Promise<DownsampledHistory> {
    await this.assertRun(runId);
    const points = Math.max(2, q.points);
    // The step range comes from the metrics index (min/max on an index prefix are single seeks); the count from the
    // coarsest level of the pyramid (a handful of rows).
    const edge = (dir: 'asc' | 'desc') =>
      this.db.selectFrom('metrics').select('step').where('run_uuid', '=', runId).where('key', '=', key).orderBy('step', dir).limit(1).executeTakeFirst();
    const [first, last, top] = await Promise.all([
      edge('asc'),
      edge('desc'),
      this.db
        .selectFrom('metric_buckets')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('run_uuid', '=', runId)
        .where('key', '=', key)
        .where('level', '=', LEVEL_WIDTHS.length - 1)
        .executeTakeFirst(),
    ]);
    const hasBuckets = top?.n !== null && top?.n !== undefined && Number(top.n) > 0;
    const lo = q.startStep ?? (first ? Number(first.step) : undefined);
    const hi = q.endStep ?? (last ? Number(last.step) : undefined);
    const span = lo !== undefined && hi !== undefined ? hi - lo + 1 : 0;
    // Pick the finest level with at most 8 buckets per output point; ranges under 32 steps per point read raw rows.
    let level = -1;
    for (let l = 0; l < LEVEL_WIDTHS.length; l++) {
      if (span / LEVEL_WIDTHS[l]! <= points * 8) {
        level = l;
        break;
      }
    }
    if (level < 0) level = LEVEL_WIDTHS.length - 1;
    if (!hasBuckets || span <= points * 32) return this.rawDownsample(runId, key, points, q.startStep, q.endStep);
    const width = LEVEL_WIDTHS[level]!;
    const rows = await this.db
      .selectFrom('metric_buckets')
      .select(['n', 'min_value', 'min_step', 'min_ts', 'max_value', 'max_step', 'max_ts'])
      .where('run_uuid', '=', runId)
      .where('key', '=', key)
      .where('level', '=', level)
      .where('bucket', '>=', Math.floor(lo! / width))
      .where('bucket', '<=', Math.floor(hi! / width))
      .orderBy('bucket')
      .execute();
    const candidates: CurvePoint[] = [];
    let total = 0;
    // True while every bucket's values are all among the candidates (sparse histories): nothing was left out.
    let whole = true;
    for (const r of rows) {
      total += Number(r.n);
      candidates.push({ step: Number(r.min_step), value: Number(r.min_value), timestamp: Number(r.min_ts) });
      const two = r.max_step !== r.min_step || r.max_value !== r.min_value;
      if (two) candidates.push({ step: Number(r.max_step), value: Number(r.max_value), timestamp: Number(r.max_ts) });
      if (Number(r.n) > (two ? 2 : 1)) whole = false;
    }
    const inRange = candidates.filter((p) => p.step >= lo! && p.step <= hi!).sort((a, b) => a.step - b.step);
    const out = minMaxBuckets(inRange, lo!, hi!, points);
    // When every value is a candidate, the in-range ones can be counted exactly (edge buckets may reach past the range).
    return { runId, key, total: whole ? inRange.length : total, downsampled: !whole || out.length < inRange.length, minStep: lo!, maxStep: hi!, points: out };
  }

  private async rawDownsample(runId: string, key: string, points: number, startStep?: number, endStep?: number): Promise<DownsampledHistory> {
    let query = this.db.selectFrom('metrics').select(['value', 'timestamp', 'step', 'is_nan']).where('run_uuid', '=', runId).where('key', '=', key);
    if (startStep !== undefined) query = query.where('step', '>=', startStep);
    if (endStep !== undefined) query = query.where('step', '<=', endStep);
    const rows = await query.orderBy('step').orderBy('timestamp').execute();
    const all = rows.filter((r) => !r.is_nan && Number.isFinite(r.value)).map((r) => ({ step: Number(r.step), value: Number(r.value), timestamp: Number(r.timestamp) }));
    const lo = all.length ? all[0]!.step : null;
    const hi = all.length ? all[all.length - 1]!.step : null;
    // `total` counts finite values, as the pyramid does (it skips NaN and infinities), so both paths agree.
    if (all.length <= points) return { runId, key, total: all.length, downsampled: false, minStep: lo, maxStep: hi, points: all };
    return { runId, key, total: all.length, downsampled: true, minStep: lo, maxStep: hi, points: minMaxBuckets(all, lo!, hi!, points) };
  }
}

/** Min/max per bucket over `points / 2` equal step buckets; output in step order, at most `points` long. */
export function minMaxBuckets(sorted: CurvePoint[], lo: number, hi: number, points: number): CurvePoint[] {
  if (sorted.length <= points) return sorted;
  const nb = Math.max(1, Math.floor(points / 2));
  const width = (hi - lo + 1) / nb;
  const out: CurvePoint[] = [];
  let i = 0;
  for (let b = 0; b < nb && i < sorted.length; b++) {
    const end = b === nb - 1 ? Infinity : lo + (b + 1) * width;
    let mn: CurvePoint | undefined;
    let mx: CurvePoint | undefined;
    for (; i < sorted.length && sorted[i]!.step < end; i++) {
      const p = sorted[i]!;
      if (!mn || p.value < mn.value) mn = p;
      if (!mx || p.value > mx.value) mx = p;
    }
    if (!mn || !mx) continue;
    if (mn === mx) out.push(mn);
    else if (mn.step <= mx.step) out.push(mn, mx);
    else out.push(mx, mn);
  }
  return out;
}

/** MLflow caps the values one run contributes to a bulk-interval answer (`MAX_RESULTS_GET_METRIC_HISTORY`). */
const MAX_BULK_VALUES_PER_RUN = 25000;

/**
 * The steps MLflow's get-history-bulk-interval samples (`handlers.get_metric_history_bulk_interval_impl`): over the
 * union of all runs' steps in `[start, end]` (default `[0, last step]`), `maxResults` evenly spaced picks plus the
 * last step, plus every run's own first and last step inside the range, so no curve loses its ends.
 */
export function bulkIntervalSteps(perRun: number[][], maxResults: number, startStep?: number, endStep?: number): number[] {
  const all = [...new Set(perRun.flat())].sort((a, b) => a - b);
  const start = startStep ?? 0;
  const end = endStep ?? (all.length ? all[all.length - 1]! : 0);
  const picked = new Set<number>();
  for (const run of perRun) {
    for (const edge of run.length ? [run[0]!, run[run.length - 1]!] : []) if (edge >= start && edge <= end) picked.add(edge);
  }
  const lo = lowerBound(all, start);
  const hi = lowerBound(all, end + 1);
  if (hi - lo <= maxResults) {
    for (let i = lo; i < hi; i++) picked.add(all[i]!);
  } else {
    const interval = (hi - lo) / maxResults;
    for (let i = 0; i < maxResults; i++) picked.add(all[lo + Math.floor(i * interval)]!);
    picked.add(all[hi - 1]!);
  }
  return [...picked].sort((a, b) => a - b);
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
