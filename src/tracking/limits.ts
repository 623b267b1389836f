/** MLflow's validation limits (`mlflow/utils/validation.py`), with the same numbers. */
export const LIMITS = {
  maxMetricsPerBatch: 1000,
  maxParamsTagsPerBatch: 100,
  maxEntitiesPerBatch: 1000,
  maxDatasetsPerBatch: 1000,
  maxEntityKeyLength: 250,
  maxParamValueLength: 6000,
  maxTagValueLength: 8000,
  maxExperimentNameLength: 500,
  maxExperimentTagKeyLength: 250,
  maxExperimentTagValueLength: 5000,
  maxDatasetNameLength: 500,
  maxDatasetDigestLength: 36,
  maxDatasetSourceLength: 65535,
  maxDatasetSchemaLength: 1048575,
  maxDatasetProfileLength: 16777215,
  maxInputTagKeyLength: 255,
  maxInputTagValueLength: 500,
  maxRunNameLength: 250,
  /** Column widths of MLflow's schema (`runs.user_id`, `datasets.dataset_source_type`, `inputs.source_id`). */
  maxUserIdLength: 256,
  maxDatasetSourceTypeLength: 36,
  maxModelIdLength: 36,
  /**
   * Values bound in one search statement: experiment ids, and the items of all `IN (...)` lists of a filter. SQLite
   * refuses statements with more than 32,766 bound values (PostgreSQL 65,535); MLflow has no limit and fails with a 500.
   */
  searchMaxExperimentIds: 10000,
  searchMaxListValues: 10000,
  /** Clauses per filter and per order_by list: each is a subquery or a join (SQLite joins at most 64 tables). */
  searchMaxFilterClauses: 100,
  searchMaxOrderBy: 50,
  searchRunsDefault: 1000,
  searchRunsMax: 50000,
  searchExperimentsDefault: 1000,
  searchExperimentsMax: 50000,
  bulkIntervalMaxRuns: 100,
  bulkIntervalMaxResults: 2500,
  bulkIntervalDefault: 2500,
  curvePointsDefault: 1000,
  curvePointsMax: 20000,
} as const;
