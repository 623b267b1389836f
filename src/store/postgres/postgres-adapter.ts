import type { ColumnDefinitionBuilder } from 'kysely';
import { Kysely, PostgresDialect } from 'kysely';
import type * as PgModule from 'pg';
import { PostgresChangeFeed } from '../changes/postgres-change-feed.js';
import type { DialectAdapter } from '../sql/dialect-adapter.js';
import { PostgresMetricWriter } from './postgres-metric-writer.js';
import { type PredictionInserter, kyselyPredictionInserter } from '../sql/prediction-writer.js';
import type { Database } from '../sql/schema.js';

export interface PostgresOptions {
  /** `postgres://user:pass@host:port/db?…`, as libpq takes it. */
  uri: string;
  /** Connections in the pool of this process. */
  poolSize: number;
}

type Pg = typeof PgModule;

/** int8 and numeric arrive as strings from `pg`; every value we store fits a double (steps and times are < 2^53). */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * PostgreSQL through `pg` (imported only when a postgres store is opened): a pool per process, READ COMMITTED
 * transactions, bigints parsed as numbers on this pool only (no global type-parser change).
 */
export class PostgresAdapter implements DialectAdapter {
  readonly name = 'postgres' as const;
  pool: PgModule.Pool | undefined;

  constructor(
    private readonly pg: Pg,
    private readonly opts: PostgresOptions,
  ) {}

  /** Loads `pg` lazily, so the SQLite default never pays for it. */
  static async load(opts: PostgresOptions): Promise<PostgresAdapter> {
    const pg = (await import('pg')).default as unknown as Pg;
    return new PostgresAdapter(pg, opts);
  }

  autoIncrementPk() {
    return { type: 'serial' as const, build: (c: ColumnDefinitionBuilder) => c };
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: string } | null)?.code === '23505';
  }

  async optimize(): Promise<void> {
    // autovacuum keeps planner statistics fresh.
  }

  metricWriter(): PostgresMetricWriter {
    return new PostgresMetricWriter();
  }

  predictionInserter(): PredictionInserter {
    return kyselyPredictionInserter;
  }

  /** A pool config with our type parsers: shared by the store pool and by one-off clients (listeners, doctor). */
  clientConfig(): PgModule.PoolConfig {
    const parsers = this.pg.types;
    return {
      connectionString: this.opts.uri,
      application_name: 'pitwall',
      // Without it a request waits forever for a connection while the database is unreachable or the pool is full.
      connectionTimeoutMillis: 10_000,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
          return parsers.getTypeParser(oid, format as 'text');
        }) as PgModule.CustomTypesConfig['getTypeParser'],
      },
    };
  }

  changeFeed(db: Kysely<Database>): PostgresChangeFeed {
    // TCP keepalive: a half-open socket (NAT timeout, failover) is noticed and reconnected instead of going silent.
    return new PostgresChangeFeed(db, () => new this.pg.Client({ ...this.clientConfig(), application_name: 'pitwall-listen', keepAlive: true, keepAliveInitialDelayMillis: 10_000 }));
  }

  open(): Kysely<Database> {
    const pool = new this.pg.Pool({ ...this.clientConfig(), max: this.opts.poolSize, idleTimeoutMillis: 30_000 });
    // An idle client that loses its connection (server restart) emits here; without a listener it would crash us.
    pool.on('error', () => undefined);
    // A client that is checked out (a query or transaction in flight) when the connection dies emits 'error' too,
    // and pg-pool listens only on idle ones: without this, a database outage during any query crashed the process
    // (seen: the prediction log's retention running as the database went away). The query itself fails with the
    // error, and the pool discards the broken client when it is released.
    pool.on('connect', (client) => client.on('error', () => undefined));
    this.pool = pool;
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
}
