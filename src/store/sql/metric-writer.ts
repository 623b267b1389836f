import type { Transaction } from 'kysely';
import { aggregateBuckets, type BucketRow, latestPerKey, type MetricRow } from './metric-buckets.js';
import type { Database } from './schema.js';

/**
 * The ingest hot path, one per dialect: SQLite runs the shared SQL below through prepared statements, PostgreSQL
 * sends each phase as one statement over arrays. Both share the conflict clauses, so they store the same thing.
 */
export interface MetricWriter {
  /**
   * Stores metric values: rows identical to stored ones are skipped (client retries), and only the new ones move
   * each key's latest value forward and fold into the curve buckets.
   */
  write(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<void>;
}

/** The three phases every writer goes through; a dialect supplies each phase's statements. */
export abstract class PhasedMetricWriter implements MetricWriter {
  /** Inserts rows and returns the ones that were new. */
  abstract insert(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<MetricRow[]>;
  /** Moves each key's latest value forward when the given row is later (step, then timestamp, then value). */
  abstract upsertLatest(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<void>;
  /** Widens each bucket's extremes and adds to its count. */
  abstract upsertBuckets(trx: Transaction<Database>, runId: string, buckets: BucketRow[]): Promise<void>;

  async write(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<void> {
    const inserted = await this.insert(trx, runId, rows);
    if (inserted.length === 0) return;
    await this.upsertLatest(trx, runId, latestPerKey(inserted));
    await this.upsertBuckets(trx, runId, aggregateBuckets(inserted));
  }
}

export const INSERT_METRIC_SQL =
  'INSERT INTO metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING';

/** A key's latest value moves only forward: a later step, then a later timestamp, then a larger value. */
export const UPSERT_LATEST_SET = `ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND (excluded.timestamp > latest_metrics.timestamp
  OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))`;

export const UPSERT_LATEST_SQL = `INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)
${UPSERT_LATEST_SET}`;

/** A bucket's count adds up; its extremes widen, keeping the step and time where each was reached. */
export const UPSERT_BUCKET_SET = `ON CONFLICT (run_uuid, key, level, bucket) DO UPDATE SET
  n = metric_buckets.n + excluded.n,
  min_step = CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_step ELSE metric_buckets.min_step END,
  min_ts = CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_ts ELSE metric_buckets.min_ts END,
  min_value = CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_value ELSE metric_buckets.min_value END,
  max_step = CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_step ELSE metric_buckets.max_step END,
  max_ts = CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_ts ELSE metric_buckets.max_ts END,
  max_value = CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_value ELSE metric_buckets.max_value END`;

export const UPSERT_BUCKET_SQL = `INSERT INTO metric_buckets (run_uuid, key, level, bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
${UPSERT_BUCKET_SET}`;

export const bucketParams = (runId: string, b: BucketRow): unknown[] => [
  runId, b.key, b.level, b.bucket, b.n, b.min_value, b.min_step, b.min_ts, b.max_value, b.max_step, b.max_ts,
];
