import { type Transaction, sql } from 'kysely';
import type { BucketRow, MetricRow } from '../sql/metric-buckets.js';
import { UPSERT_BUCKET_SET, UPSERT_LATEST_SET, type MetricWriter } from '../sql/metric-writer.js';
import type { Database } from '../sql/schema.js';

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const byPoint = (a: MetricRow, b: MetricRow) => byKey(a, b) || a.step - b.step || a.timestamp - b.timestamp || a.value - b.value;
const byBucket = (a: BucketRow, b: BucketRow) => byKey(a, b) || a.level - b.level || a.bucket - b.bucket;

/** The rows as parallel arrays for `unnest`: one statement and a handful of parameters however many rows. */
const pointArrays = (rows: MetricRow[]) =>
  sql`unnest(${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.value)}::float8[], ${rows.map((r) => r.timestamp)}::int8[], ${rows.map((r) => r.step)}::int8[], ${rows.map((r) => r.is_nan)}::int4[]) AS u(k, v, t, s, n)`;

/**
 * PostgreSQL's ingest path: each phase of a batch is one statement over `unnest` arrays (a 1,000-value batch is
 * three statements instead of about eighty), and rows are sorted so that concurrent writers to one run take row
 * locks in the same order and cannot deadlock. The metrics insert is first tried as a plain INSERT under a
 * savepoint — cheaper than `ON CONFLICT`'s speculative insertion — and only when a row already exists (a client
 * retrying a batch) does it fall back to `ON CONFLICT DO NOTHING RETURNING`, which tells which rows were new.
 */
export class PostgresMetricWriter implements MetricWriter {
  async insert(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<MetricRow[]> {
    if (rows.length === 0) return [];
    const sorted = [...rows].sort(byPoint);
    await sql`SAVEPOINT metrics_insert`.execute(trx);
    try {
      await sql`INSERT INTO metrics (run_uuid, key, value, timestamp, step, is_nan) SELECT ${runId}, k, v, t, s, n FROM ${pointArrays(sorted)}`.execute(trx);
      await sql`RELEASE SAVEPOINT metrics_insert`.execute(trx);
      return sorted;
    } catch (e) {
      if ((e as { code?: string }).code !== '23505') throw e;
      await sql`ROLLBACK TO SAVEPOINT metrics_insert`.execute(trx);
    }
    const res = await sql<MetricRow>`INSERT INTO metrics (run_uuid, key, value, timestamp, step, is_nan) SELECT ${runId}, k, v, t, s, n FROM ${pointArrays(sorted)}
      ON CONFLICT DO NOTHING RETURNING key, value, timestamp, step, is_nan`.execute(trx);
    return res.rows.map((r) => ({ key: r.key, value: Number(r.value), timestamp: Number(r.timestamp), step: Number(r.step), is_nan: Number(r.is_nan) }));
  }

  async upsertLatest(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    const sorted = [...rows].sort(byKey);
    await sql`INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) SELECT ${runId}, k, v, t, s, n FROM ${pointArrays(sorted)}
      ${sql.raw(UPSERT_LATEST_SET)}`.execute(trx);
  }

  async upsertBuckets(trx: Transaction<Database>, runId: string, buckets: BucketRow[]): Promise<void> {
    if (buckets.length === 0) return;
    const s = [...buckets].sort(byBucket);
    const col = <K extends keyof BucketRow>(k: K) => s.map((b) => b[k]);
    await sql`INSERT INTO metric_buckets (run_uuid, key, level, bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts)
      SELECT ${runId}, * FROM unnest(${col('key')}::text[], ${col('level')}::int4[], ${col('bucket')}::int8[], ${col('n')}::int8[],
        ${col('min_value')}::float8[], ${col('min_step')}::int8[], ${col('min_ts')}::int8[], ${col('max_value')}::float8[], ${col('max_step')}::int8[], ${col('max_ts')}::int8[])
      ${sql.raw(UPSERT_BUCKET_SET)}`.execute(trx);
  }
}
