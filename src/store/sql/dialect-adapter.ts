import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { ChangeFeed } from '../changes/change-feed.js';
import type { MetricWriter } from './metric-writer.js';
import type { PredictionInserter, PredictionOffThreadWriter } from './prediction-writer.js';
import type { Database } from './schema.js';

/** What differs between SQL dialects. Everything else is shared SQL in `sql/`. */
export interface DialectAdapter {
  readonly name: 'sqlite' | 'postgres';
  /** Column type and builder for an auto-incrementing integer primary key. */
  autoIncrementPk(): { type: 'integer' | 'serial'; build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder };
  /** True when `err` is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  /** Opens the Kysely instance (connection pool, pragmas). */
  open(): Kysely<Database>;
  /**
   * Refreshes the query planner's statistics where they are stale (SQLite's `PRAGMA optimize`; PostgreSQL's
   * autovacuum does this itself). `atOpen` is the cheaper variant SQLite recommends right after opening.
   */
  optimize(db: Kysely<Database>, atOpen: boolean): Promise<void>;
  /** The ingest hot path for metrics (prepared statements where the driver allows). */
  metricWriter(): MetricWriter;
  /** The ingest hot path for the prediction log: off the event loop where the dialect can (`predictionWriter`), else in a transaction. */
  predictionInserter(): PredictionInserter;
  predictionWriter?(): PredictionOffThreadWriter | undefined;
  /** How processes sharing this database hear about each other's changes. */
  changeFeed(db: Kysely<Database>): ChangeFeed;
}
