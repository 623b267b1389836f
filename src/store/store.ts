import type { ChangeFeed } from './changes/change-feed.js';
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
import type {
  Approval,
  LineageEdge,
  LineageNode,
  LoggedModel,
  LoggedModelMetric,
  LoggedModelStatus,
  ModelCard,
  ModelStage,
  ModelVersion,
  RegisteredModel,
} from './registry-types.js';
import type { Deployment, DeploymentConfig, DeploymentTarget } from './deployment-types.js';
import type { Feedback, Label, Prediction, PredictionQuery } from './prediction-types.js';
import type { RollupDelta, RollupPoint } from './rollup-types.js';
import type { Monitor, MonitorRun, MonitorSpec, MonitorState } from './monitor-types.js';
import type { Review, ReviewQuery } from './review-types.js';

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

export interface SearchPage {
  filter: FilterClause[];
  orderBy: OrderByClause[];
  maxResults: number;
  offset: number;
}

/**
 * Registered models, versions, aliases, cards, approvals (MLflow's model registry plus Pitwall's governance).
 * Errors: unknown model or version → RESOURCE_DOES_NOT_EXIST (field `name` / `version`); a duplicate model name →
 * RESOURCE_ALREADY_EXISTS; an alias naming a missing version → RESOURCE_DOES_NOT_EXIST.
 * Version numbers are 1, 2, 3… per model, assigned atomically and never reused after a delete.
 */
export interface RegistryStore {
  createModel(input: { name: string; description?: string; tags?: Tag[] }): Promise<RegisteredModel>;
  getModel(name: string): Promise<RegisteredModel>;
  /** Renames the model; its versions, tags, aliases, approvals and lineage follow. */
  renameModel(name: string, newName: string): Promise<RegisteredModel>;
  updateModel(name: string, patch: { description?: string; protectedAliases?: string[] }): Promise<RegisteredModel>;
  /** Deletes the model with all its versions, tags, aliases and approvals. */
  deleteModel(name: string): Promise<void>;
  /** Clauses from `parseEntityFilter(…, REGISTERED_MODEL_SEARCH)`; default order `name ASC`. */
  searchModels(q: SearchPage): Promise<Page<RegisteredModel>>;
  setModelTag(name: string, tag: Tag): Promise<void>;
  /** Deleting an absent tag is not an error (as MLflow's registry). */
  deleteModelTag(name: string, key: string): Promise<void>;
  /**
   * Points `alias` at `version` (moving it if it pointed elsewhere), atomically. `guard`, when given, runs inside
   * the same transaction with whether the alias is protected and the version's latest review, and may throw to
   * refuse the move (so a rejection recorded concurrently cannot slip through).
   */
  setAlias(name: string, alias: string, version: string, guard?: (ctx: { protected: boolean; latestReview: Approval | undefined }) => void): Promise<void>;
  /** Deleting an absent alias is not an error (as MLflow). */
  deleteAlias(name: string, alias: string): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion>;

  createVersion(input: {
    name: string;
    source: string;
    storageLocation: string;
    runId?: string;
    runLink?: string;
    description?: string;
    userId?: string;
    modelId?: string;
    tags?: Tag[];
    manifest?: Record<string, unknown> | null;
    card?: Partial<ModelCard>;
  }): Promise<ModelVersion>;
  getVersion(name: string, version: string): Promise<ModelVersion>;
  updateVersion(name: string, version: string, patch: { description?: string; card?: Partial<ModelCard>; manifest?: Record<string, unknown> }): Promise<ModelVersion>;
  /** Moves the version to `stage`; with `archiveExisting`, other versions in that stage move to `Archived`. */
  transitionStage(name: string, version: string, stage: ModelStage, archiveExisting: boolean): Promise<ModelVersion>;
  /** Deletes the version, its tags and the aliases pointing at it. */
  deleteVersion(name: string, version: string): Promise<void>;
  /** Clauses from `parseEntityFilter(…, MODEL_VERSION_SEARCH)`; default order `last_updated_timestamp DESC, name ASC, version DESC`. */
  searchVersions(q: SearchPage): Promise<Page<ModelVersion>>;
  /** The highest version per stage (all stages when `stages` is empty). */
  latestVersions(name: string, stages: ModelStage[]): Promise<ModelVersion[]>;
  setVersionTag(name: string, version: string, tag: Tag): Promise<void>;
  /** Deleting an absent tag is not an error (as MLflow's registry). */
  deleteVersionTag(name: string, version: string, key: string): Promise<void>;

  addApproval(input: { name: string; version: string; approver: string; comment: string; decision: Approval['decision'] }): Promise<Approval>;
  /** Newest first. */
  listApprovals(name: string, version?: string): Promise<Approval[]>;

  /** Records edges; an edge already recorded is kept once. */
  addLineage(edges: Omit<LineageEdge, 'createdAt'>[]): Promise<void>;
  /** Every edge reachable from `node` following edges either way, at most `depth` hops. */
  lineageAround(node: LineageNode, depth: number): Promise<LineageEdge[]>;
}

/**
 * MLflow 3 logged models (`m-<32 hex>` ids). Errors: unknown id → RESOURCE_DOES_NOT_EXIST (field `model_id`).
 */
export interface LoggedModelStore {
  create(input: {
    experimentId: string;
    name: string;
    modelType?: string;
    sourceRunId?: string;
    tags?: Tag[];
    params?: Param[];
  }): Promise<LoggedModel>;
  /** A deleted model is RESOURCE_DOES_NOT_EXIST unless `allowDeleted`. */
  get(modelId: string, opts?: { allowDeleted?: boolean }): Promise<LoggedModel>;
  /** Sets the status (`LOGGED_MODEL_READY` or `LOGGED_MODEL_UPLOAD_FAILED`). */
  finalize(modelId: string, status: LoggedModelStatus): Promise<LoggedModel>;
  delete(modelId: string): Promise<void>;
  /**
   * Clauses from `parseEntityFilter(…, LOGGED_MODEL_SEARCH)`; default order `creation_timestamp DESC, model_id ASC`.
   * `datasets` (MLflow's): metric clauses and metric ordering look only at metrics computed on those datasets (a
   * digest narrows a name); with no metric clause, a model must have some metric on one of them.
   */
  search(q: SearchPage & { experimentIds: string[]; datasets?: { name: string; digest?: string }[] }): Promise<Page<LoggedModel>>;
  setTags(modelId: string, tags: Tag[]): Promise<void>;
  deleteTag(modelId: string, key: string): Promise<void>;
  logParams(modelId: string, params: Param[]): Promise<void>;
  logMetrics(metrics: LoggedModelMetric[]): Promise<void>;
}

/**
 * Deployments (`src/serving/`). Names are unique; errors: unknown name → RESOURCE_DOES_NOT_EXIST (field `name`);
 * a duplicate → RESOURCE_ALREADY_EXISTS (field `name`); an `expectedRevision` that is not the stored one →
 * RESOURCE_CONFLICT (field `revision`). Every committed write is published on the change feed
 * (`{ entity: 'deployment', action, name }`). The store checks no model exists: the service does.
 */
export interface DeploymentStore {
  create(input: { name: string; description: string; targets: DeploymentTarget[]; config: DeploymentConfig }): Promise<Deployment>;
  get(name: string): Promise<Deployment>;
  /** Ordered by name (byte order). */
  list(page: { maxResults: number; offset: number }): Promise<Page<Deployment>>;
  /** Replaces the given fields, bumps `revision` and `updatedAt`, atomically. */
  update(name: string, patch: { description?: string; targets?: DeploymentTarget[]; config?: DeploymentConfig }, expectedRevision?: number): Promise<Deployment>;
  delete(name: string): Promise<void>;
}

/**
 * The prediction log (`src/monitoring/`): rows are written in batches by the log's writer, read newest first, and
 * removed by retention. Feedback and labels attach to a stored prediction by id.
 */
export interface PredictionStore {
  /** Stores a batch; an id already stored is skipped (a retried batch). */
  insert(rows: Prediction[]): Promise<void>;
  /** Newest first (time, then id, descending); `next` continues after the last item when there may be more. */
  list(q: PredictionQuery): Promise<{ items: Prediction[]; next?: { time: number; id: string } }>;
  /** RESOURCE_DOES_NOT_EXIST (field `prediction_id`) when it is not in the log. */
  get(id: string): Promise<Prediction>;
  /** Ids of the predictions stored among `ids`. */
  existing(ids: string[]): Promise<Set<string>>;
  /** The latest prediction about `entityKey` at or before `time` (epoch ms), if any. */
  latestForEntity(entityKey: string, time: number): Promise<{ id: string } | undefined>;
  /** Deletes predictions (with their feedback and labels) older than `time`; returns how many. */
  deleteBefore(time: number): Promise<number>;
  /** Deletes the oldest predictions beyond the newest `maxRows`; returns how many. */
  keepNewest(maxRows: number): Promise<number>;
  count(): Promise<number>;
  addFeedback(f: Feedback): Promise<void>;
  feedbackFor(predictionIds: string[]): Promise<Feedback[]>;
  /** Sets (or replaces) the label of each prediction. */
  setLabels(labels: Label[]): Promise<void>;
  labelsFor(predictionIds: string[]): Promise<Label[]>;
  /** The predictions stored among `ids`. */
  getMany(ids: string[]): Promise<Prediction[]>;
  /** Deletes minute roll-ups before epoch minute `minute` and hourly ones before `hourlyMinute`; returns how many rows. */
  deleteRollupsBefore(minute: number, hourlyMinute: number): Promise<number>;
  /** Adds each delta to its minute's roll-up row (creating it), in one transaction: replicas add up. */
  addRollups(deltas: RollupDelta[]): Promise<void>;
  /**
   * A deployment's roll-ups from minute `from` (inclusive) to `to` (exclusive), summed per model version over steps
   * of `stepMinutes` aligned to multiples of it, ordered by step. When the step, `from` and `to` are whole hours the
   * hourly roll-ups answer (the same sums, 60 times fewer rows).
   */
  rollupSeries(q: { deployment: string; from: number; to: number; stepMinutes: number }): Promise<RollupPoint[]>;
}

/**
 * Drift monitors (`src/drift/monitors/`). Names are unique: a duplicate → RESOURCE_ALREADY_EXISTS, an unknown name →
 * RESOURCE_DOES_NOT_EXIST (field `name`). Deleting a monitor deletes its checks.
 */
export interface MonitorStore {
  create(spec: MonitorSpec): Promise<Monitor>;
  get(name: string): Promise<Monitor>;
  /** Ordered by name. */
  list(q?: { deployment?: string }): Promise<Monitor[]>;
  /** Replaces the spec (not the alert state). */
  replace(spec: MonitorSpec): Promise<Monitor>;
  setState(name: string, state: MonitorState): Promise<void>;
  delete(name: string): Promise<void>;
  addRun(run: MonitorRun): Promise<void>;
  /** Newest first; `report` is null unless `withReports`. */
  listRuns(monitor: string, q: { limit: number; before?: number; withReports?: boolean }): Promise<MonitorRun[]>;
  /** RESOURCE_DOES_NOT_EXIST (field `run_id`) when the monitor has no such check. */
  getRun(monitor: string, id: string): Promise<MonitorRun>;
}

/**
 * Quality reviews (`src/drift/quality/`). One judge review and one human review at most per prediction: adding
 * another of the same source for a prediction is skipped. Grading an unknown id → RESOURCE_DOES_NOT_EXIST (`review_id`).
 */
export interface ReviewStore {
  /** Adds the reviews; those for a prediction that already has one of the same source are skipped. Answers the added ones. */
  add(reviews: Review[]): Promise<Review[]>;
  get(id: string): Promise<Review>;
  /** Newest created first, or latest graded first with `order: 'graded'`. */
  list(q: ReviewQuery): Promise<Review[]>;
  /** Sets the grade of a review (`done` or `skipped`). */
  grade(id: string, g: { state: 'done' | 'skipped'; score: number | null; comment: string | null; reviewer: string | null; gradedAt: number }): Promise<Review>;
  /** Which of `predictionIds` already have a review of `source`. */
  reviewed(predictionIds: string[], source: Review['source']): Promise<Set<string>>;
}

/** The store contract. One SQL implementation (`sql/`) with SQLite and PostgreSQL dialects. */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Committed changes, published by the store itself, heard by every process on the same database. */
  readonly changes: ChangeFeed;
  readonly experiments: ExperimentStore;
  readonly runs: RunStore;
  readonly metrics: MetricStore;
  readonly registry: RegistryStore;
  readonly loggedModels: LoggedModelStore;
  readonly deployments: DeploymentStore;
  readonly predictions: PredictionStore;
  readonly monitors: MonitorStore;
  readonly reviews: ReviewStore;
  close(): Promise<void>;
}
