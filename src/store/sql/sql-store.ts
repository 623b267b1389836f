import { type Kysely, Migrator } from 'kysely';
import { type Clock, systemClock } from '../../core/clock.js';
import { migrationProvider } from '../migrations/index.js';
import type { Store } from '../store.js';
import type { ChangeFeed } from '../changes/change-feed.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { RejectNulPlugin } from './reject-nul-plugin.js';
import { SqlDeploymentStore } from './deployments-sql.js';
import { SqlMonitorStore } from './monitors-sql.js';
import { SqlReviewStore } from './reviews-sql.js';
import { SqlPredictionStore } from './predictions-sql.js';
import { SqlExperimentStore } from './experiments-sql.js';
import { SqlLoggedModelStore } from './logged-models-sql.js';
import { SqlMetricStore } from './metrics-sql.js';
import { SqlRegistryStore } from './registry-sql.js';
import { SqlRunStore } from './runs-sql.js';
import type { Database } from './schema.js';

const OPTIMIZE_EVERY_MS = 60 * 60 * 1000;

export interface SqlStoreOptions {
  clock?: Clock;
  /** Prefix for new experiments' artifact locations, e.g. `mlflow-artifacts:/`. */
  defaultArtifactRoot: string;
}

/** The one SQL implementation of the store contract; dialect differences live in the adapter. */
export class SqlStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly experiments: SqlExperimentStore;
  readonly runs: SqlRunStore;
  readonly metrics: SqlMetricStore;
  readonly registry: SqlRegistryStore;
  readonly loggedModels: SqlLoggedModelStore;
  readonly deployments: SqlDeploymentStore;
  readonly monitors: SqlMonitorStore;
  readonly reviews: SqlReviewStore;
  readonly predictions: SqlPredictionStore;
  readonly changes: ChangeFeed;
  /** Migrations that `open` applied (empty when the database was already current). */
  migrationsApplied: string[] = [];
  private optimizeTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly db: Kysely<Database>,
    readonly adapter: DialectAdapter,
    opts: SqlStoreOptions,
  ) {
    const clock = opts.clock ?? systemClock;
    this.dialect = adapter.name;
    this.experiments = new SqlExperimentStore(db, adapter, clock, opts.defaultArtifactRoot);
    this.runs = new SqlRunStore(db, clock, this.experiments, adapter.metricWriter());
    this.metrics = new SqlMetricStore(db);
    this.changes = adapter.changeFeed(db);
    this.registry = new SqlRegistryStore(db, adapter, clock, this.changes);
    this.loggedModels = new SqlLoggedModelStore(db, clock, this.experiments);
    this.deployments = new SqlDeploymentStore(db, adapter, clock, this.changes);
    this.monitors = new SqlMonitorStore(db, adapter, clock);
    this.reviews = new SqlReviewStore(db);
    this.predictions = new SqlPredictionStore(db, adapter.predictionInserter(), adapter.predictionWriter?.());
  }

  /** Opens the database, runs pending migrations and makes sure experiment 0 exists. */
  static async open(adapter: DialectAdapter, opts: SqlStoreOptions): Promise<SqlStore> {
    const db = adapter.open().withPlugin(new RejectNulPlugin());
    const store = new SqlStore(db, adapter, opts);
    try {
      store.migrationsApplied = await store.migrate();
      await store.experiments.ensureDefault();
      await adapter.optimize(db, true);
      // Planner statistics go stale as runs and metrics pile up; SQLite recommends re-checking every few hours.
      store.optimizeTimer = setInterval(() => void adapter.optimize(db, false).catch(() => undefined), OPTIMIZE_EVERY_MS).unref();
    } catch (e) {
      await db.destroy();
      throw e;
    }
    return store;
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider(this.adapter) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw new Error(`Migration failed: ${(error as Error).message ?? String(error)}`, { cause: error });
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async close(): Promise<void> {
    clearInterval(this.optimizeTimer);
    await this.predictions.close();
    await this.changes.close();
    await this.adapter.optimize(this.db, false).catch(() => undefined);
    await this.db.destroy();
  }
}
