import type { MetricBucketsTable } from './schema.js';

/**
 * Curve pyramid: for each level, the step axis is cut into buckets of `LEVEL_WIDTHS[level]` steps and each bucket
 * keeps the minimum and maximum finite value (with their step and timestamp) and a count. A downsampled read of
 * any range then touches at most ~8 rows per output point instead of every raw value.
 */
export const LEVEL_WIDTHS = [256, 4096, 65536, 1048576, 16777216, 268435456] as const;

export interface MetricRow {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

/** One bucket of the pyramid, as `metric_buckets` stores it (without the run id). */
export type BucketRow = Omit<MetricBucketsTable, 'run_uuid'>;

/** Folds rows into per-(key, level, bucket) extremes, in memory; the writer upserts one row per touched bucket. */
export function aggregateBuckets(rows: MetricRow[]): BucketRow[] {
  const byKey = new Map<string, MetricRow[]>();
  for (const r of rows) {
    if (r.is_nan || !Number.isFinite(r.value)) continue;
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  const out: BucketRow[] = [];
  for (const [key, list] of byKey) {
    for (let level = 0; level < LEVEL_WIDTHS.length; level++) {
      const width = LEVEL_WIDTHS[level]!;
      const open = new Map<number, BucketRow>();
      for (const r of list) {
        const bucket = Math.floor(r.step / width);
        const b = open.get(bucket);
        if (!b) {
          open.set(bucket, { key, level, bucket, n: 1, min_value: r.value, min_step: r.step, min_ts: r.timestamp, max_value: r.value, max_step: r.step, max_ts: r.timestamp });
          continue;
        }
        b.n++;
        if (r.value < b.min_value) {
          b.min_value = r.value;
          b.min_step = r.step;
          b.min_ts = r.timestamp;
        }
        if (r.value > b.max_value) {
          b.max_value = r.value;
          b.max_step = r.step;
          b.max_ts = r.timestamp;
        }
      }
      for (const b of open.values()) out.push(b);
    }
  }
  return out;
}

/** Latest row per key in a set of rows: max step, then max timestamp, then max value (MLflow's rule). */
export function latestPerKey(rows: MetricRow[]): MetricRow[] {
  const latest = new Map<string, MetricRow>();
  for (const r of rows) {
    const cur = latest.get(r.key);
    if (!cur || r.step > cur.step || (r.step === cur.step && (r.timestamp > cur.timestamp || (r.timestamp === cur.timestamp && r.value > cur.value)))) {
      latest.set(r.key, r);
    }
  }
  return [...latest.values()];
}
