import { type Kysely, type Transaction, sql } from 'kysely';
import type { BucketRow, MetricRow } from './metric-buckets.js';
import type { Database } from './schema.js';

/**
 * The ingest hot path. The SQL is shared (standard `ON CONFLICT`); a dialect may run it through its own prepared
 * statements (SQLite does) instead of building it with Kysely per request.
 */
export interface MetricWriter {
  /** Inserts rows and returns the ones that were new; a row identical to a stored one is skipped (client retries). */
  insert(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<MetricRow[]>;
  /** Moves each key's latest value forward when the given row is later (step, then timestamp, then value). */
  upsertLatest(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<void>;
  /** Widens each bucket's extremes and adds to its count. */
  upsertBuckets(trx: Transaction<Database>, runId: string, buckets: BucketRow[]): Promise<void>;
}

export const INSERT_METRIC_SQL =
  'INSERT INTO metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING';

export const UPSERT_LATEST_SQL = `INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND (excluded.timestamp > latest_metrics.timestamp
  OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))`;

export const UPSERT_BUCKET_SQL = `INSERT INTO metric_buckets (run_uuid, key, level, bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run_uuid, key, level, bucket) DO UPDATE SET
  n = metric_buckets.n + excluded.n,
  min_step = CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_step ELSE metric_buckets.min_step END,
  min_ts = CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_ts ELSE metric_buckets.min_ts END,
  min_value = CASE WHEN excluded.min_value < metric_buckets.min_value THEN excluded.min_value ELSE metric_buckets.min_value END,
  max_step = CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_step ELSE metric_buckets.max_step END,
  max_ts = CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_ts ELSE metric_buckets.max_ts END,
  max_value = CASE WHEN excluded.max_value > metric_buckets.max_value THEN excluded.max_value ELSE metric_buckets.max_value END`;

export const bucketParams = (runId: string, b: BucketRow): unknown[] => [
  runId, b.key, b.level, b.bucket, b.n, b.min_value, b.min_step, b.min_ts, b.max_value, b.max_step, b.max_ts,
];

/** Portable writer: multi-row statements built with Kysely (`RETURNING` tells which rows were new). */
export class KyselyMetricWriter implements MetricWriter {
  async insert(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<MetricRow[]> {
    const out: MetricRow[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000).map((r) => ({ run_uuid: runId, ...r }));
      const inserted = await trx.insertInto('metrics').values(chunk).onConflict((oc) => oc.doNothing()).returning(['key', 'value', 'timestamp', 'step', 'is_nan']).execute();
      for (const r of inserted) out.push({ key: r.key, value: Number(r.value), timestamp: Number(r.timestamp), step: Number(r.step), is_nan: Number(r.is_nan) });
    }
    return out;
  }

  async upsertLatest(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<void> {
    for (const r of rows) await run(trx, UPSERT_LATEST_SQL, [runId, r.key, r.value, r.timestamp, r.step, r.is_nan]);
  }

  async upsertBuckets(trx: Transaction<Database>, runId: string, buckets: BucketRow[]): Promise<void> {
    for (const b of buckets) await run(trx, UPSERT_BUCKET_SQL, bucketParams(runId, b));
  }
}

/** Runs a `?`-placeholder statement through Kysely (placeholders become the dialect's own). */
async function run(db: Kysely<Database> | Transaction<Database>, text: string, params: unknown[]): Promise<void> {
  const parts = text.split('?');
  const frag = sql.join(
    parts.map((p, i) => (i < params.length ? sql`${sql.raw(p)}${params[i]}` : sql.raw(p))),
    sql.raw(''),
  );
  await frag.execute(db);
}
