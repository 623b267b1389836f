import type { DatasetInput, Experiment, Metric, MetricWithRun, Run, RunInfo, Tag } from '../../store/index.js';

/** Domain records → MLflow's protobuf-JSON shapes (snake_case, int64 as numbers, non-finite doubles as strings). */

export function jsonDouble(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

const tagsJson = (tags: Tag[]) => tags.map((t) => ({ key: t.key, value: t.value }));

export function experimentJson(e: Experiment) {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    ...(e.tags.length ? { tags: tagsJson(e.tags) } : {}),
  };
}

export function runInfoJson(i: RunInfo) {
  return {
    run_uuid: i.runId,
    run_id: i.runId,
    run_name: i.runName,
    experiment_id: i.experimentId,
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
    ...(i.endTime !== null ? { end_time: i.endTime } : {}),
    artifact_uri: i.artifactUri,
    lifecycle_stage: i.lifecycleStage,
  };
}

export function metricJson(m: Metric) {
  return { key: m.key, value: jsonDouble(m.value), timestamp: m.timestamp, step: m.step };
}

export function metricWithRunJson(m: MetricWithRun) {
  return { ...metricJson(m), run_id: m.runId };
}

function datasetInputJson(d: DatasetInput) {
  return {
    ...(d.tags.length ? { tags: tagsJson(d.tags) } : {}),
    dataset: {
      name: d.dataset.name,
      digest: d.dataset.digest,
      source_type: d.dataset.sourceType,
      source: d.dataset.source,
      ...(d.dataset.schema !== undefined ? { schema: d.dataset.schema } : {}),
      ...(d.dataset.profile !== undefined ? { profile: d.dataset.profile } : {}),
    },
  };
}

export function runJson(r: Run) {
  const data = {
    ...(r.data.metrics.length ? { metrics: r.data.metrics.map(metricJson) } : {}),
    ...(r.data.params.length ? { params: r.data.params.map((p) => ({ key: p.key, value: p.value })) } : {}),
    ...(r.data.tags.length ? { tags: tagsJson(r.data.tags) } : {}),
  };
  const inputs = {
    ...(r.inputs.datasetInputs.length ? { dataset_inputs: r.inputs.datasetInputs.map(datasetInputJson) } : {}),
    ...(r.inputs.modelInputs.length ? { model_inputs: r.inputs.modelInputs.map((m) => ({ model_id: m.modelId })) } : {}),
  };
  const outputs = r.outputs.modelOutputs.length ? { model_outputs: r.outputs.modelOutputs.map((m) => ({ model_id: m.modelId, step: m.step })) } : {};
  return { info: runInfoJson(r.info), data, inputs, outputs };
}
