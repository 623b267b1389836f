import { type Transaction, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * Curve pyramid: for each level, the step axis is cut into buckets of `LEVEL_WIDTHS[level]` steps and each bucket
 * keeps the minimum and maximum finite value (with their step and timestamp) and a count. A downsampled read of
 * any range then touches at most ~16 rows per output point instead of every raw value.
 */
export const LEVEL_WIDTHS = [256, 4096, 65536, 1048576, 16777216, 268435456] as const;

interface Row {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

interface Bucket {
  key: string;
  level: number;
  bucket: number;
  n: number;
  min_value: number;
  min_step: number;
  min_ts: number;
  max_value: number;
  max_step: number;
  max_ts: number;
}

/** Folds newly inserted rows into the pyramid: aggregates in memory, then one upsert per touched bucket. */
export async function updateBuckets(trx: Transaction<Database>, runId: string, rows: Row[]): Promise<void> {
  const acc = new Map<string, Bucket>();
  for (const r of rows) {
    if (r.is_nan || !Number.isFinite(r.value)) continue;
    for (let level = 0; level < LEVEL_WIDTHS.length; level++) {
      const bucket = Math.floor(r.step / LEVEL_WIDTHS[level]!);
      const id = `${r.key}\u0000${level}\u0000${bucket}`;
      const b = acc.get(id);
      if (!b) {
        acc.set(id, { key: r.key, level, bucket, n: 1, min_value: r.value, min_step: r.step, min_ts: r.timestamp, max_value: r.value, max_step: r.step, max_ts: r.timestamp });
        continue;
      }
      b.n++;
      if (r.value < b.min_value) Object.assign(b, { min_value: r.value, min_step: r.step, min_ts: r.timestamp });
      if (r.value > b.max_value) Object.assign(b, { max_value: r.value, max_step: r.step, max_ts: r.timestamp });
    }
  }
  if (acc.size === 0) return;
  const values = [...acc.values()].map((b) => ({ run_uuid: runId, ...b }));
  for (let i = 0; i < values.length; i += 500) {
    await trx
      .insertInto('metric_buckets')
      .values(values.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['run_uuid', 'key', 'level', 'bucket']).doUpdateSet({
          n: sql`metric_buckets.n + excluded.n`,
          min_step: sql`CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_step ELSE metric_buckets.min_step END`,
          min_ts: sql`CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_ts ELSE metric_buckets.min_ts END`,
          min_value: sql`CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_value ELSE metric_buckets.min_value END`,
          max_step: sql`CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_step ELSE metric_buckets.max_step END`,
          max_ts: sql`CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_ts ELSE metric_buckets.max_ts END`,
          max_value: sql`CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_value ELSE metric_buckets.max_value END`,
        }),
      )
      .execute();
  }
}
