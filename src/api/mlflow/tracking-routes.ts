import type { FastifyInstance } from 'fastify';
import type { ExperimentService, RunService } from '../../tracking/index.js';
import { mlflowRoute } from './route.js';
import { TRACKING_SCHEMAS as S } from './tracking-schemas.js';
import { experimentJson, metricJson, metricWithRunJson, runInfoJson, runJson } from './wire.js';

const EXP = ['MLflow experiments'];
const RUN = ['MLflow runs'];
const MET = ['MLflow metrics'];

/** MLflow's tracking service (`service.proto`): experiments, runs, metrics, params, tags, inputs, outputs. */
export function registerTrackingRoutes(app: FastifyInstance, s: { experiments: ExperimentService; runs: RunService }): void {
  const e = s.experiments;
  const r = s.runs;
  mlflowRoute(app, 'POST', '/experiments/create', { summary: 'Create an experiment', tags: EXP, request: S.createExperiment }, async (q) => ({ experiment_id: await e.create(q) }));
  mlflowRoute(app, 'GET', '/experiments/get', { summary: 'Get an experiment', tags: EXP, request: S.getExperiment }, async (q) => ({ experiment: experimentJson(await e.get(q)) }));
  mlflowRoute(app, 'GET', '/experiments/get-by-name', { summary: 'Get an experiment by name', tags: EXP, request: S.getExperimentByName }, async (q) => ({ experiment: experimentJson(await e.getByName(q)) }));
  const searchExperiments = async (q: Record<string, unknown>) => {
    const res = await e.search(q);
    return { experiments: res.experiments.map(experimentJson), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  };
  const searchDoc = { summary: 'Search experiments', tags: EXP, request: S.searchExperiments };
  mlflowRoute(app, 'POST', '/experiments/search', searchDoc, searchExperiments);
  mlflowRoute(app, 'GET', '/experiments/search', searchDoc, searchExperiments);
  mlflowRoute(app, 'POST', '/experiments/update', { summary: 'Rename an experiment', tags: EXP, request: S.updateExperiment }, async (q) => e.update(q));
  mlflowRoute(app, 'POST', '/experiments/delete', { summary: 'Delete an experiment and its runs', tags: EXP, request: S.experimentRef }, async (q) => e.delete(q));
  mlflowRoute(app, 'POST', '/experiments/restore', { summary: 'Restore a deleted experiment', tags: EXP, request: S.experimentRef }, async (q) => e.restore(q));
  mlflowRoute(app, 'POST', '/experiments/set-experiment-tag', { summary: 'Set an experiment tag', tags: EXP, request: S.setExperimentTag }, async (q) => e.setTag(q));
  mlflowRoute(app, 'POST', '/experiments/delete-experiment-tag', { summary: 'Delete an experiment tag', tags: EXP, request: S.deleteExperimentTag }, async (q) => e.deleteTag(q));

  mlflowRoute(app, 'POST', '/runs/create', { summary: 'Create a run', tags: RUN, request: S.createRun }, async (q) => ({ run: runJson(await r.create(q)) }));
  mlflowRoute(app, 'GET', '/runs/get', { summary: 'Get a run with its latest metrics, params, tags and inputs', tags: RUN, request: S.getRun }, async (q) => ({ run: runJson(await r.get(q)) }));
  mlflowRoute(app, 'POST', '/runs/update', { summary: 'Update status, end time or name', tags: RUN, request: S.updateRun }, async (q) => ({ run_info: runInfoJson(await r.update(q)) }));
  mlflowRoute(app, 'POST', '/runs/delete', { summary: 'Delete a run', tags: RUN, request: S.runRef }, async (q) => r.delete(q));
  mlflowRoute(app, 'POST', '/runs/restore', { summary: 'Restore a deleted run', tags: RUN, request: S.runRef }, async (q) => r.restore(q));
  mlflowRoute(app, 'POST', '/runs/log-metric', { summary: 'Log one metric value', tags: RUN, request: S.logMetric }, async (q) => r.logMetric(q));
  mlflowRoute(app, 'POST', '/runs/log-parameter', { summary: 'Log a param (immutable once set)', tags: RUN, request: S.logParam }, async (q) => r.logParam(q));
  mlflowRoute(app, 'POST', '/runs/set-tag', { summary: 'Set a run tag', tags: RUN, request: S.setTag }, async (q) => r.setTag(q));
  mlflowRoute(app, 'POST', '/runs/delete-tag', { summary: 'Delete a run tag', tags: RUN, request: S.deleteTag }, async (q) => r.deleteTag(q));
  mlflowRoute(app, 'POST', '/runs/log-batch', { summary: 'Log up to 1000 metrics, 100 params and 100 tags at once', tags: RUN, request: S.logBatch }, async (q) => r.logBatch(q));
  mlflowRoute(app, 'POST', '/runs/log-inputs', { summary: 'Log dataset inputs', tags: RUN, request: S.logInputs }, async (q) => r.logInputs(q));
  mlflowRoute(app, 'POST', '/runs/outputs', { summary: 'Log model outputs', tags: RUN, request: S.logOutputs }, async (q) => r.logOutputs(q));
  mlflowRoute(app, 'POST', '/runs/log-model', { summary: 'Record a logged model (MLflow 2)', tags: RUN, request: S.logModel }, async (q) => r.logModel(q));
  const searchRuns = async (q: Record<string, unknown>) => {
    const res = await r.search(q);
    return { runs: res.runs.map(runJson), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  };
  mlflowRoute(app, 'POST', '/runs/search', { summary: 'Search runs with the MLflow filter grammar', tags: RUN, request: S.searchRuns }, searchRuns);

  mlflowRoute(app, 'GET', '/metrics/get-history', { summary: 'Every value of one metric (paged)', tags: MET, request: S.getMetricHistory }, async (q) => {
    const res = await r.metricHistory(q);
    return { metrics: res.metrics.map(metricJson), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  });
  mlflowRoute(app, 'GET', '/metrics/get-history-bulk-interval', { summary: 'Sampled history of one metric over several runs and a step range', tags: MET, request: S.getMetricHistoryBulkInterval }, async (q) => ({
    metrics: (await r.historyBulkInterval(q)).map(metricWithRunJson),
  }));
}
