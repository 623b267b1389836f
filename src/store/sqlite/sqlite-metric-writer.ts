import type BetterSqlite3 from 'better-sqlite3';
import type { BucketRow, MetricRow } from '../sql/metric-buckets.js';
import { INSERT_METRIC_SQL, PhasedMetricWriter, UPSERT_BUCKET_SQL, UPSERT_LATEST_SQL, bucketParams } from '../sql/metric-writer.js';

/**
 * The shared metric SQL run through better-sqlite3 prepared statements, prepared once per connection. Safe inside a
 * Kysely transaction: SQLite has one connection per process here and Kysely holds it for the transaction's length.
 */
export class SqliteMetricWriter extends PhasedMetricWriter {
  private prepared: { ins: BetterSqlite3.Statement; latest: BetterSqlite3.Statement; bucket: BetterSqlite3.Statement } | undefined;

  constructor(private readonly db: BetterSqlite3.Database) {
    super();
  }

  /** Prepared on first use: the tables exist only once migrations ran. */
  private get stmts() {
    return (this.prepared ??= {
      ins: this.db.prepare(INSERT_METRIC_SQL),
      latest: this.db.prepare(UPSERT_LATEST_SQL),
      bucket: this.db.prepare(UPSERT_BUCKET_SQL),
    });
  }

  async insert(_trx: unknown, runId: string, rows: MetricRow[]): Promise<MetricRow[]> {
    const out: MetricRow[] = [];
    const ins = this.stmts.ins;
    for (const r of rows) {
      if (ins.run(runId, r.key, r.value, r.timestamp, r.step, r.is_nan).changes > 0) out.push(r);
    }
    return out;
  }

  async upsertLatest(_trx: unknown, runId: string, rows: MetricRow[]): Promise<void> {
    for (const r of rows) this.stmts.latest.run(runId, r.key, r.value, r.timestamp, r.step, r.is_nan);
  }

  async upsertBuckets(_trx: unknown, runId: string, buckets: BucketRow[]): Promise<void> {
    for (const b of buckets) this.stmts.bucket.run(...bucketParams(runId, b));
  }
}
