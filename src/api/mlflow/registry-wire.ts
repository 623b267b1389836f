import type { LoggedModel, ModelVersion, RegisteredModel, Tag } from '../../store/index.js';
import { jsonDouble } from './wire.js';

/**
 * Registry records → MLflow's protobuf-JSON (`model_registry.proto`, `service.proto` LoggedModel): versions are
 * strings, timestamps numbers, enums by name, empty lists omitted, `status` always present (a client that does not
 * see READY polls for five minutes). Pitwall's additions (`manifest`, `card`) ride along; MLflow clients ignore them.
 */

const tags = (t: Tag[]) => (t.length ? { tags: t.map(({ key, value }) => ({ key, value })) } : {});

export function modelVersionJson(v: ModelVersion, opts: { aliases?: boolean; pitwall?: boolean } = {}) {
  return {
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTime,
    last_updated_timestamp: v.lastUpdatedTime,
    ...(v.userId ? { user_id: v.userId } : {}),
    current_stage: v.currentStage,
    description: v.description,
    source: v.source,
    run_id: v.runId,
    status: v.status,
    ...(v.statusMessage ? { status_message: v.statusMessage } : {}),
    ...tags(v.tags),
    run_link: v.runLink,
    ...(opts.aliases !== false && v.aliases.length ? { aliases: v.aliases } : {}),
    ...(v.modelId ? { model_id: v.modelId } : {}),
    ...(opts.pitwall !== false ? { storage_location: v.storageLocation, ...(v.manifest ? { manifest: v.manifest } : {}), card: cardJson(v) } : {}),
  };
}

function cardJson(v: ModelVersion) {
  return {
    intended_use: v.card.intendedUse,
    evaluation_scores: v.card.evaluationScores,
    known_failure_modes: v.card.knownFailureModes,
    limitations: v.card.limitations,
  };
}

export function registeredModelJson(m: RegisteredModel) {
  return {
    name: m.name,
    creation_timestamp: m.creationTime,
    last_updated_timestamp: m.lastUpdatedTime,
    ...(m.description ? { description: m.description } : {}),
    ...(m.latestVersions.length ? { latest_versions: m.latestVersions.map((v) => modelVersionJson(v, { aliases: false, pitwall: false })) } : {}),
    ...tags(m.tags),
    ...(m.aliases.length ? { aliases: m.aliases.map((a) => ({ alias: a.alias, version: a.version })) } : {}),
    ...(m.protectedAliases.length ? { protected_aliases: m.protectedAliases } : {}),
  };
}

export function loggedModelJson(m: LoggedModel) {
  return {
    info: {
      model_id: m.modelId,
      experiment_id: m.experimentId,
      name: m.name,
      creation_timestamp_ms: m.creationTimestamp,
      last_updated_timestamp_ms: m.lastUpdatedTimestamp,
      artifact_uri: m.artifactLocation,
      status: m.status,
      ...(m.modelType ? { model_type: m.modelType } : {}),
      ...(m.sourceRunId ? { source_run_id: m.sourceRunId } : {}),
      ...(m.statusMessage ? { status_message: m.statusMessage } : {}),
      ...tags(m.tags),
    },
    data: {
      ...(m.params.length ? { params: m.params.map(({ key, value }) => ({ key, value })) } : {}),
      ...(m.metrics.length
        ? {
            metrics: m.metrics.map((x) => ({
              key: x.key,
              value: jsonDouble(x.value),
              timestamp: x.timestamp,
              step: x.step,
              model_id: x.modelId,
              ...(x.runId ? { run_id: x.runId } : {}),
              ...(x.datasetName ? { dataset_name: x.datasetName } : {}),
              ...(x.datasetDigest ? { dataset_digest: x.datasetDigest } : {}),
            })),
          }
        : {}),
    },
  };
}
