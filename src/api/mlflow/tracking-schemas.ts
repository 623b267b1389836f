import { Type } from '@sinclair/typebox';
import { ExperimentId, Int64, Metric, Opt, Param, StringList, Tag, ViewType } from '../schemas.js';

/** Request schemas of MLflow's tracking RPCs (`service.proto`), by route. */

const RunRef = { run_id: Opt(Type.String()), run_uuid: Opt(Type.String({ description: 'deprecated alias of run_id' })) };

const SearchExperiments = Type.Object({
  max_results: Opt(Int64),
  page_token: Opt(Type.String()),
  filter: Opt(Type.String({ description: "e.g. name LIKE 'bert%' and tags.team = 'nlp'" })),
  order_by: Opt(StringList),
  view_type: Opt(ViewType),
});

const Dataset = Type.Object({
  name: Type.String(),
  digest: Type.String(),
  source_type: Type.String(),
  source: Type.String(),
  schema: Opt(Type.String()),
  profile: Opt(Type.String()),
});

export const TRACKING_SCHEMAS = {
  createExperiment: Type.Object({ name: Type.String(), artifact_location: Opt(Type.String()), tags: Opt(Type.Array(Tag)) }),
  getExperiment: Type.Object({ experiment_id: Type.String() }),
  getExperimentByName: Type.Object({ experiment_name: Type.String() }),
  searchExperiments: SearchExperiments,
  updateExperiment: Type.Object({ experiment_id: ExperimentId, new_name: Opt(Type.String()) }),
  experimentRef: Type.Object({ experiment_id: ExperimentId }),
  setExperimentTag: Type.Object({ experiment_id: ExperimentId, key: Type.String(), value: Opt(Type.String()) }),
  deleteExperimentTag: Type.Object({ experiment_id: ExperimentId, key: Type.String() }),

  createRun: Type.Object({
    experiment_id: Opt(ExperimentId),
    user_id: Opt(Type.String()),
    run_name: Opt(Type.String()),
    start_time: Opt(Int64),
    tags: Opt(Type.Array(Tag)),
  }),
  getRun: Type.Object(RunRef),
  updateRun: Type.Object({
    ...RunRef,
    status: Opt(Type.String({ description: 'RUNNING | SCHEDULED | FINISHED | FAILED | KILLED' })),
    end_time: Opt(Int64),
    run_name: Opt(Type.String()),
  }),
  runRef: Type.Object({ run_id: Type.String() }),
  logMetric: Type.Object({ ...RunRef, ...Metric.properties }),
  logParam: Type.Object({ ...RunRef, key: Type.String(), value: Opt(Type.Union([Type.String(), Type.Number(), Type.Boolean()])) }),
  setTag: Type.Object({ ...RunRef, key: Type.String(), value: Opt(Type.String()) }),
  deleteTag: Type.Object({ run_id: Type.String(), key: Type.String() }),
  logBatch: Type.Object({ run_id: Type.String(), metrics: Opt(Type.Array(Metric)), params: Opt(Type.Array(Param)), tags: Opt(Type.Array(Tag)) }),
  logInputs: Type.Object({
    run_id: Type.String(),
    datasets: Opt(Type.Array(Type.Object({ tags: Opt(Type.Array(Tag)), dataset: Dataset }))),
    models: Opt(Type.Array(Type.Object({ model_id: Type.String() }))),
  }),
  logOutputs: Type.Object({ run_id: Type.String(), models: Type.Array(Type.Object({ model_id: Type.String(), step: Opt(Int64) })) }),
  logModel: Type.Object({ run_id: Type.String(), model_json: Type.String() }),
  searchRuns: Type.Object({
    experiment_ids: Opt(Type.Union([Type.Array(ExperimentId), ExperimentId])),
    filter: Opt(Type.String({ description: "e.g. metrics.loss < 0.5 and params.lr = '0.01'" })),
    run_view_type: Opt(ViewType),
    max_results: Opt(Int64),
    order_by: Opt(StringList),
    page_token: Opt(Type.String()),
  }),

  getMetricHistory: Type.Object({ ...RunRef, metric_key: Type.String(), max_results: Opt(Int64), page_token: Opt(Type.String()) }),
  getMetricHistoryBulkInterval: Type.Object({
    run_ids: StringList,
    metric_key: Type.String(),
    start_step: Opt(Int64),
    end_step: Opt(Int64),
    max_results: Opt(Int64),
  }),
} as const;

/** Pitwall's curve endpoints. */
export const CURVE_SCHEMAS = {
  curve: Type.Object({ run_id: Type.String(), key: Type.String(), points: Opt(Int64), start_step: Opt(Int64), end_step: Opt(Int64) }),
  curves: Type.Object({ run_ids: StringList, key: Type.String(), points: Opt(Int64), start_step: Opt(Int64), end_step: Opt(Int64) }),
};

