import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { LocalChangeFeed } from '../changes/local-change-feed.js';
import type { DialectAdapter } from '../sql/dialect-adapter.js';
import type { MetricWriter } from '../sql/metric-writer.js';
import { INSERT_PREDICTION_SQL, PREDICTION_COLUMNS, type PredictionInserter } from '../sql/prediction-writer.js';
import type { Database } from '../sql/schema.js';
import { SqliteMetricWriter } from './sqlite-metric-writer.js';
import { SqlitePredictionWriter } from './sqlite-prediction-writer.js';

export interface SqliteOptions {
  /** File path, or `:memory:`. */
  file: string;
  synchronous: 'NORMAL' | 'FULL';
}

/**
 * SQLite through better-sqlite3: one connection per process (Kysely serialises use of it), WAL journal,
 * `busy_timeout` so that other processes on the same file (the CLI, a second server) wait instead of failing,
 * and case-sensitive LIKE as MLflow sets it.
 */
export class SqliteAdapter implements DialectAdapter {
  readonly name = 'sqlite' as const;
  /** The raw connection, for benchmarks that measure the engine underneath. */
  raw: BetterSqlite3.Database | undefined;

  constructor(private readonly opts: SqliteOptions) {}

  autoIncrementPk() {
    return { type: 'integer' as const, build: (c: import('kysely').ColumnDefinitionBuilder) => c.autoIncrement() };
  }

  isUniqueViolation(err: unknown): boolean {
    const code = (err as { code?: string } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  async optimize(db: Kysely<Database>, atOpen: boolean): Promise<void> {
    // Through Kysely, so it waits for any open transaction on the one connection.
    await sql.raw(atOpen ? 'PRAGMA optimize = 0x10002' : 'PRAGMA optimize').execute(db);
  }

  metricWriter(): MetricWriter {
    if (!this.raw) throw new Error('SqliteAdapter.metricWriter() needs open() first');
    return new SqliteMetricWriter(this.raw);
  }

  /**
   * One prepared INSERT per row, on the raw connection, inside the caller's Kysely transaction (which holds the one
   * connection for its length, as the metric writer relies on too).
   */
  predictionInserter(): PredictionInserter {
    const raw = this.raw;
    if (!raw) throw new Error('SqliteAdapter.predictionInserter() needs open() first');
    let stmt: BetterSqlite3.Statement | undefined;
    return async (_trx, rows) => {
      stmt ??= raw.prepare(INSERT_PREDICTION_SQL);
      for (const r of rows) stmt.run(PREDICTION_COLUMNS.map((c) => r[c]));
    };
  }

  /** A worker thread with its own connection, for a database file (an in-memory database has only the one connection). */
  predictionWriter(): SqlitePredictionWriter | undefined {
    return this.opts.file === ':memory:' ? undefined : new SqlitePredictionWriter({ file: this.opts.file, synchronous: this.opts.synchronous });
  }

  changeFeed(): LocalChangeFeed {
    return new LocalChangeFeed();
  }

  open(): Kysely<Database> {
    if (this.opts.file !== ':memory:') mkdirSync(path.dirname(path.resolve(this.opts.file)), { recursive: true });
    const db = new BetterSqlite3(this.opts.file);
    applyPragmas(db, this.opts.synchronous);
    this.raw = db;
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
  }
}

export function applyPragmas(db: BetterSqlite3.Database, synchronous: 'NORMAL' | 'FULL'): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('case_sensitive_like = ON');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
}
