import { type RawBuilder, type Transaction, sql } from 'kysely';
import { aggregateBuckets, type BucketRow, latestPerKey, type MetricRow } from '../sql/metric-buckets.js';
import { PhasedMetricWriter, UPSERT_BUCKET_SET, UPSERT_LATEST_SET } from '../sql/metric-writer.js';
import type { Database } from '../sql/schema.js';

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const byPoint = (a: MetricRow, b: MetricRow) => byKey(a, b) || a.step - b.step || a.timestamp - b.timestamp || a.value - b.value;
const byBucket = (a: BucketRow, b: BucketRow) => byKey(a, b) || a.level - b.level || a.bucket - b.bucket;

/** Rows as parallel arrays for `unnest`: one statement and a handful of parameters however many rows. */
const points = (rows: MetricRow[]) =>
  sql`SELECT k, v, t, s, n FROM unnest(${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.value)}::float8[], ${rows.map((r) => r.timestamp)}::int8[], ${rows.map((r) => r.step)}::int8[], ${rows.map((r) => r.is_nan)}::int4[]) AS u(k, v, t, s, n)`;

function bucketRows(buckets: BucketRow[]): RawBuilder<unknown> {
  const col = <K extends keyof BucketRow>(k: K) => buckets.map((b) => b[k]);
  return sql`SELECT * FROM unnest(${col('key')}::text[], ${col('level')}::int4[], ${col('bucket')}::int8[], ${col('n')}::int8[],
    ${col('min_value')}::float8[], ${col('min_step')}::int8[], ${col('min_ts')}::int8[], ${col('max_value')}::float8[], ${col('max_step')}::int8[], ${col('max_ts')}::int8[])`;
}

const insertPoints = (runId: string, rows: MetricRow[]) =>
  sql`INSERT INTO metrics (run_uuid, key, value, timestamp, step, is_nan) SELECT ${runId}, * FROM (${points(rows)}) p`;
const upsertLatest = (runId: string, rows: MetricRow[]) =>
  sql`INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) SELECT ${runId}, * FROM (${points(rows)}) p ${sql.raw(UPSERT_LATEST_SET)}`;
const upsertBuckets = (runId: string, buckets: BucketRow[]) =>
  sql`INSERT INTO metric_buckets (run_uuid, key, level, bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts)
    SELECT ${runId}, * FROM (${bucketRows(buckets)}) b ${sql.raw(UPSERT_BUCKET_SET)}`;

/**
 * PostgreSQL's ingest path. Rows go as `unnest` arrays (a 1,000-value batch is one statement, not a thousand rows of
 * parameters), sorted so that concurrent writers to one run take row locks in the same order and cannot deadlock.
 *
 * The usual batch is all new values, so `write` first sends everything as ONE statement under a savepoint — the
 * plain insert of the values with the latest-value and bucket upserts as data-modifying CTEs, computed from all the
 * rows. Only when a value is already stored (a client retrying a batch) does the insert fail; then it rolls back to
 * the savepoint and takes the phased path, whose `ON CONFLICT DO NOTHING RETURNING` tells which rows were new.
 */
export class PostgresMetricWriter extends PhasedMetricWriter {
  override async write(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    const sorted = [...rows].sort(byPoint);
    const latest = latestPerKey(sorted).sort(byKey);
    const buckets = aggregateBuckets(sorted).sort(byBucket);
    // The savepoint ends with the transaction: releasing it would cost a round trip.
    await sql`SAVEPOINT metrics_write`.execute(trx);
    try {
      await sql`WITH latest AS (${upsertLatest(runId, latest)}), buckets AS (${upsertBuckets(runId, buckets)}) ${insertPoints(runId, sorted)}`.execute(trx);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '23505') throw e;
      await sql`ROLLBACK TO SAVEPOINT metrics_write`.execute(trx);
    }
    await super.write(trx, runId, sorted);
  }

  async insert(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<MetricRow[]> {
    const res = await sql<MetricRow>`${insertPoints(runId, [...rows].sort(byPoint))} ON CONFLICT DO NOTHING RETURNING key, value, timestamp, step, is_nan`.execute(trx);
    return res.rows.map((r) => ({ key: r.key, value: Number(r.value), timestamp: Number(r.timestamp), step: Number(r.step), is_nan: Number(r.is_nan) }));
  }

  async upsertLatest(trx: Transaction<Database>, runId: string, rows: MetricRow[]): Promise<void> {
    await upsertLatest(runId, [...rows].sort(byKey)).execute(trx);
  }

  async upsertBuckets(trx: Transaction<Database>, runId: string, buckets: BucketRow[]): Promise<void> {
    await upsertBuckets(runId, [...buckets].sort(byBucket)).execute(trx);
  }
}
