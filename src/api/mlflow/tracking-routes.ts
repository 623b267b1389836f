import type { FastifyInstance } from 'fastify';
import type { ExperimentService, RunService } from '../../tracking/index.js';
import { mlflowRoute } from './route.js';
import { experimentJson, metricJson, metricWithRunJson, runInfoJson, runJson } from './wire.js';

const EXP = ['MLflow experiments'];
const RUN = ['MLflow runs'];
const MET = ['MLflow metrics'];

/** MLflow's tracking service (`service.proto`): experiments, runs, metrics, params, tags, inputs, outputs. */
export function registerTrackingRoutes(app: FastifyInstance, s: { experiments: ExperimentService; runs: RunService }): void {
  const e = s.experiments;
  const r = s.runs;
  mlflowRoute(app, 'POST', '/experiments/create', { summary: 'Create an experiment', tags: EXP, fields: { name: 'unique name', artifact_location: 'optional artifact root', tags: 'list of {key, value}' } }, async (q) => ({ experiment_id: await e.create(q) }));
  mlflowRoute(app, 'GET', '/experiments/get', { summary: 'Get an experiment', tags: EXP, fields: { experiment_id: 'id' } }, async (q) => ({ experiment: experimentJson(await e.get(q)) }));
  mlflowRoute(app, 'GET', '/experiments/get-by-name', { summary: 'Get an experiment by name', tags: EXP, fields: { experiment_name: 'name' } }, async (q) => ({ experiment: experimentJson(await e.getByName(q)) }));
  const searchExperiments = async (q: Record<string, unknown>) => {
    const res = await e.search(q);
    return { experiments: res.experiments.map(experimentJson), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  };
  const searchDoc = { summary: 'Search experiments', tags: EXP, fields: { max_results: 'page size (≤ 50,000)', page_token: 'from next_page_token', filter: "e.g. name LIKE 'bert%'", order_by: 'list, e.g. "name ASC"', view_type: 'ACTIVE_ONLY | DELETED_ONLY | ALL' } };
  mlflowRoute(app, 'POST', '/experiments/search', searchDoc, searchExperiments);
  mlflowRoute(app, 'GET', '/experiments/search', searchDoc, searchExperiments);
  mlflowRoute(app, 'POST', '/experiments/update', { summary: 'Rename an experiment', tags: EXP, fields: { experiment_id: 'id', new_name: 'new name' } }, async (q) => e.update(q));
  mlflowRoute(app, 'POST', '/experiments/delete', { summary: 'Delete an experiment and its runs', tags: EXP, fields: { experiment_id: 'id' } }, async (q) => e.delete(q));
  mlflowRoute(app, 'POST', '/experiments/restore', { summary: 'Restore a deleted experiment', tags: EXP, fields: { experiment_id: 'id' } }, async (q) => e.restore(q));
  mlflowRoute(app, 'POST', '/experiments/set-experiment-tag', { summary: 'Set an experiment tag', tags: EXP, fields: { experiment_id: 'id', key: 'tag key', value: 'tag value' } }, async (q) => e.setTag(q));
  mlflowRoute(app, 'POST', '/experiments/delete-experiment-tag', { summary: 'Delete an experiment tag', tags: EXP, fields: { experiment_id: 'id', key: 'tag key' } }, async (q) => e.deleteTag(q));

  mlflowRoute(app, 'POST', '/runs/create', { summary: 'Create a run', tags: RUN, fields: { experiment_id: 'id', user_id: 'user', run_name: 'name', start_time: 'epoch ms', tags: 'list of {key, value}' } }, async (q) => ({ run: runJson(await r.create(q)) }));
  mlflowRoute(app, 'GET', '/runs/get', { summary: 'Get a run with its latest metrics, params, tags and inputs', tags: RUN, fields: { run_id: 'id' } }, async (q) => ({ run: runJson(await r.get(q)) }));
  mlflowRoute(app, 'POST', '/runs/update', { summary: 'Update status, end time or name', tags: RUN, fields: { run_id: 'id', status: 'RUNNING | FINISHED | FAILED | KILLED | SCHEDULED', end_time: 'epoch ms', run_name: 'name' } }, async (q) => ({ run_info: runInfoJson(await r.update(q)) }));
  mlflowRoute(app, 'POST', '/runs/delete', { summary: 'Delete a run', tags: RUN, fields: { run_id: 'id' } }, async (q) => r.delete(q));
  mlflowRoute(app, 'POST', '/runs/restore', { summary: 'Restore a deleted run', tags: RUN, fields: { run_id: 'id' } }, async (q) => r.restore(q));
  mlflowRoute(app, 'POST', '/runs/log-metric', { summary: 'Log one metric value', tags: RUN, fields: { run_id: 'id', key: 'metric key', value: 'double', timestamp: 'epoch ms (required)', step: 'int64, default 0' } }, async (q) => r.logMetric(q));
  mlflowRoute(app, 'POST', '/runs/log-parameter', { summary: 'Log a param (immutable once set)', tags: RUN, fields: { run_id: 'id', key: 'param key', value: 'string ≤ 6000 chars (longer is truncated)' } }, async (q) => r.logParam(q));
  mlflowRoute(app, 'POST', '/runs/set-tag', { summary: 'Set a run tag', tags: RUN, fields: { run_id: 'id', key: 'tag key', value: 'string ≤ 8000 chars' } }, async (q) => r.setTag(q));
  mlflowRoute(app, 'POST', '/runs/delete-tag', { summary: 'Delete a run tag', tags: RUN, fields: { run_id: 'id', key: 'tag key' } }, async (q) => r.deleteTag(q));
  mlflowRoute(app, 'POST', '/runs/log-batch', { summary: 'Log up to 1000 metrics, 100 params and 100 tags at once', tags: RUN, fields: { run_id: 'id', metrics: 'list of {key, value, timestamp, step}', params: 'list of {key, value}', tags: 'list of {key, value}' } }, async (q) => r.logBatch(q));
  mlflowRoute(app, 'POST', '/runs/log-inputs', { summary: 'Log dataset inputs', tags: RUN, fields: { run_id: 'id', datasets: 'list of {tags, dataset: {name, digest, source_type, source, schema, profile}}', models: 'list of {model_id}' } }, async (q) => r.logInputs(q));
  mlflowRoute(app, 'POST', '/runs/outputs', { summary: 'Log model outputs', tags: RUN, fields: { run_id: 'id', models: 'list of {model_id, step}' } }, async (q) => r.logOutputs(q));
  mlflowRoute(app, 'POST', '/runs/log-model', { summary: 'Record a logged model (MLflow 2)', tags: RUN, fields: { run_id: 'id', model_json: 'MLmodel as JSON' } }, async (q) => r.logModel(q));
  const searchRuns = async (q: Record<string, unknown>) => {
    const res = await r.search(q);
    return { runs: res.runs.map(runJson), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  };
  mlflowRoute(app, 'POST', '/runs/search', { summary: 'Search runs with the MLflow filter grammar', tags: RUN, fields: { experiment_ids: 'list of ids', filter: "e.g. metrics.loss < 0.5 and params.lr = '0.01'", run_view_type: 'ACTIVE_ONLY | DELETED_ONLY | ALL', max_results: '≤ 50,000 (default 1000)', order_by: 'list, e.g. "metrics.loss ASC"', page_token: 'from next_page_token' } }, searchRuns);

  mlflowRoute(app, 'GET', '/metrics/get-history', { summary: 'Every value of one metric (paged)', tags: MET, fields: { run_id: 'id', metric_key: 'key', max_results: 'page size', page_token: 'from next_page_token' } }, async (q) => {
    const res = await r.metricHistory(q);
    return { metrics: res.metrics.map(metricJson), ...(res.nextPageToken ? { next_page_token: res.nextPageToken } : {}) };
  });
  mlflowRoute(app, 'GET', '/metrics/get-history-bulk-interval', { summary: 'Sampled history of one metric over several runs and a step range', tags: MET, fields: { run_ids: 'repeated, ≤ 100', metric_key: 'key', start_step: 'int', end_step: 'int', max_results: 'sampled steps, ≤ 2500 (default 2500)' } }, async (q) => ({
    metrics: (await r.historyBulkInterval(q)).map(metricWithRunJson),
  }));
}
