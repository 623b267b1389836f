import type { FilterClause, OrderByClause } from '../tracking/search/filter-types.js';
import type {
  DatasetInput,
  DownsampledHistory,
  Experiment,
  Metric,
  MetricWithRun,
  ModelInput,
  ModelOutput,
  Page,
  Param,
  Run,
  RunInfo,
  RunStatus,
  Tag,
  ViewType,
} from './types.js';

/**
 * Experiments. Ids are decimal strings; experiment `0` ("Default") always exists.
 * Errors: unknown ids → RESOURCE_DOES_NOT_EXIST; a duplicate name → RESOURCE_ALREADY_EXISTS.
 */
export interface ExperimentStore {
  /** Creates an experiment; `artifactLocation` defaults to `<defaultArtifactRoot>/<id>`. Returns its id. */
  create(input: { name: string; artifactLocation?: string; tags?: Tag[] }): Promise<string>;
  get(experimentId: string): Promise<Experiment>;
  /** Null when no experiment (active or deleted) has that name. */
  getByName(name: string): Promise<Experiment | null>;
  /**
   * Filter clauses come from `parseExperimentFilter` (attributes `name`, `creation_time`, `last_update_time`;
   * `tags.*`). Order defaults to `creation_time DESC, experiment_id ASC`. Paging is by offset.
   */
  search(q: { filter: FilterClause[]; orderBy: OrderByClause[]; viewType: ViewType; maxResults: number; offset: number }): Promise<Page<Experiment>>;
  rename(experimentId: string, newName: string): Promise<void>;
  /**
   * Marks the experiment and all its runs deleted. Deleting experiment 0 is allowed, as in MLflow. Deleting an
   * already deleted experiment → INVALID_PARAMETER_VALUE.
   */
  delete(experimentId: string): Promise<void>;
  /** Restores a deleted experiment and the runs deleted with it (not runs deleted before it). Active → INVALID_PARAMETER_VALUE. */
  restore(experimentId: string): Promise<void>;
  setTag(experimentId: string, tag: Tag): Promise<void>;
  /** RESOURCE_DOES_NOT_EXIST when the tag is absent. */
  deleteTag(experimentId: string, key: string): Promise<void>;
}

export interface RunSearchQuery {
  experimentIds: string[];
  /**
   * Clauses from `parseRunFilter`: `metrics.*` compare the latest value (a NaN latest value matches no comparison),
   * `params.*`, `tags.*`, `attributes.*` (a missing `end_time` matches no comparison), `datasets.*` (some dataset
   * input of the run matches).
   */
  filter: FilterClause[];
  /**
   * Default order: `start_time DESC, run_id ASC`; with explicit clauses, ties still break on those two. Missing
   * values sort last in either direction; for metrics NaN sorts after numbers and before missing values.
   */
  orderBy: OrderByClause[];
  viewType: ViewType;
  maxResults: number;
  offset: number;
}

/**
 * Runs with their params, tags, latest metrics, inputs and outputs.
 * Errors: unknown run or experiment → RESOURCE_DOES_NOT_EXIST; writing to a deleted run → INVALID_PARAMETER_VALUE;
 * re-logging a param with a different value → INVALID_PARAMETER_VALUE (same value is a no-op).
 */
export interface RunStore {
  create(input: { experimentId: string; userId: string; startTime: number; runName: string; tags: Tag[] }): Promise<Run>;
  get(runId: string): Promise<Run>;
  /** Lightweight existence/state check used on every write. */
  getInfo(runId: string): Promise<RunInfo>;
  update(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo>;
  delete(runId: string): Promise<void>;
  restore(runId: string): Promise<void>;
  /** Writes everything in one transaction; identical metric rows are stored once. */
  logBatch(runId: string, batch: { metrics: Metric[]; params: Param[]; tags: Tag[] }): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  logInputs(runId: string, datasets: DatasetInput[], models: ModelInput[]): Promise<void>;
  logOutputs(runId: string, models: ModelOutput[]): Promise<void>;
  search(q: RunSearchQuery): Promise<Page<Run>>;
}

/** Metric histories. Unknown runs → RESOURCE_DOES_NOT_EXIST. */
export interface MetricStore {
  /** Every value of one metric ordered by step, then timestamp. */
  history(runId: string, key: string, page: { maxResults: number; offset: number }): Promise<Page<Metric>>;
  /**
   * MLflow's get-history-bulk-interval: over the union of the runs' distinct steps in `[startStep, endStep]` (default
   * `[0, last step]`), `maxResults` evenly spaced steps plus the last one, plus each run's own first and last step when
   * they fall in the range; every value of each run at those steps, ordered by step then timestamp (≤ 25,000 per run). Repeated
   * run ids count once.
   */
  historyBulkInterval(runIds: string[], key: string, q: { startStep?: number; endStep?: number; maxResults: number }): Promise<MetricWithRun[]>;
  /**
   * At most `points` (≥ 2) finite values keeping the curve's shape: the step range is cut into `points / 2` buckets
   * and each bucket contributes its minimum and its maximum (in step order). Ranges with no more than `points`
   * values are returned whole. NaN and infinite values are skipped.
   */
  downsampled(runId: string, key: string, q: { points: number; startStep?: number; endStep?: number }): Promise<DownsampledHistory>;
}

/** The store contract. One SQL implementation (`sql/`) with SQLite and PostgreSQL dialects. */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly experiments: ExperimentStore;
  readonly runs: RunStore;
  readonly metrics: MetricStore;
  close(): Promise<void>;
}
