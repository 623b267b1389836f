/** Decoders from the registry's snake_case wire to the SDK's camelCase types. Tolerant: missing fields get defaults. */
import type {
  Approval,
  ArtifactFile,
  LineageGraph,
  LoggedModel,
  ModelCard,
  ModelManifest,
  ModelVersion,
  RegisteredModel,
} from './registry-types.js';
import type { Param, Tag } from './types.js';
import { decodeMetricValue } from './wire.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
function int(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return 0;
}
const tags = (v: unknown): Tag[] => list(v).map((t) => ({ key: str(obj(t).key), value: str(obj(t).value) }));

function decodeCard(raw: unknown): ModelCard | null {
  if (raw === undefined || raw === null) return null;
  const c = obj(raw);
  return {
    intendedUse: str(c.intended_use),
    evaluationScores: list(c.evaluation_scores).map((s) => {
      const o = obj(s);
      return { metric: str(o.metric), value: decodeMetricValue(o.value), ...(o.dataset ? { dataset: str(o.dataset) } : {}) };
    }),
    knownFailureModes: list(c.known_failure_modes).map(str),
    limitations: str(c.limitations),
  };
}

export function decodeModelVersion(raw: unknown): ModelVersion {
  const v = obj(raw);
  return {
    name: str(v.name),
    version: str(v.version),
    creationTimestamp: int(v.creation_timestamp),
    lastUpdatedTimestamp: int(v.last_updated_timestamp),
    userId: str(v.user_id),
    currentStage: str(v.current_stage) || 'None',
    description: str(v.description),
    source: str(v.source),
    runId: str(v.run_id),
    runLink: str(v.run_link),
    status: str(v.status) || 'READY',
    statusMessage: str(v.status_message),
    tags: tags(v.tags),
    aliases: list(v.aliases).map(str),
    modelId: str(v.model_id),
    storageLocation: str(v.storage_location),
    manifest: v.manifest && typeof v.manifest === 'object' ? (v.manifest as ModelManifest) : null,
    card: decodeCard(v.card),
  };
}

export function decodeRegisteredModel(raw: unknown): RegisteredModel {
  const m = obj(raw);
  return {
    name: str(m.name),
    creationTimestamp: int(m.creation_timestamp),
    lastUpdatedTimestamp: int(m.last_updated_timestamp),
    description: str(m.description),
    latestVersions: list(m.latest_versions).map(decodeModelVersion),
    tags: tags(m.tags),
    aliases: list(m.aliases).map((a) => ({ alias: str(obj(a).alias), version: str(obj(a).version) })),
    protectedAliases: list(m.protected_aliases).map(str),
  };
}

export function decodeApproval(raw: unknown): Approval {
  const a = obj(raw);
  return {
    id: str(a.id),
    name: str(a.name),
    version: str(a.version),
    approver: str(a.approver),
    comment: str(a.comment),
    decision: a.decision === 'rejected' ? 'rejected' : 'approved',
    createdAt: int(a.created_at),
  };
}

export function decodeLineage(raw: unknown): LineageGraph {
  const g = obj(raw);
  return {
    root: str(g.root),
    nodes: list(g.nodes).map((n) => {
      const o = obj(n);
      const detail: Record<string, string> = {};
      for (const [k, v] of Object.entries(obj(o.detail))) detail[k] = str(v);
      return { key: str(o.key) || `${str(o.type)}:${str(o.id)}`, type: str(o.type), id: str(o.id), label: str(o.label), detail };
    }),
    edges: list(g.edges).map((e) => ({ from: str(obj(e).from), to: str(obj(e).to), relation: str(obj(e).relation) })),
  };
}

export function decodeLoggedModel(raw: unknown): LoggedModel {
  const info = obj(obj(raw).info);
  const data = obj(obj(raw).data);
  const modelId = str(info.model_id);
  return {
    modelId,
    experimentId: str(info.experiment_id),
    name: str(info.name),
    artifactUri: str(info.artifact_uri),
    creationTimestamp: int(info.creation_timestamp_ms),
    lastUpdatedTimestamp: int(info.last_updated_timestamp_ms),
    status: str(info.status),
    statusMessage: str(info.status_message),
    modelType: str(info.model_type),
    sourceRunId: str(info.source_run_id),
    tags: tags(info.tags),
    params: tags(data.params) as Param[],
    metrics: list(data.metrics).map((m) => {
      const o = obj(m);
      return {
        key: str(o.key),
        value: decodeMetricValue(o.value),
        timestamp: int(o.timestamp),
        step: int(o.step),
        modelId: str(o.model_id) || modelId,
        ...(o.run_id ? { runId: str(o.run_id) } : {}),
        ...(o.dataset_name ? { datasetName: str(o.dataset_name) } : {}),
        ...(o.dataset_digest ? { datasetDigest: str(o.dataset_digest) } : {}),
      };
    }),
  };
}

/** A `FileInfo`; `prefix` is joined in front of its path (the proxy lists basenames). */
export function decodeArtifactFile(raw: unknown, prefix = ''): ArtifactFile {
  const f = obj(raw);
  const own = str(f.path);
  const path = prefix === '' ? own : `${prefix}/${own}`;
  const size = f.file_size;
  return {
    path,
    name: path.slice(path.lastIndexOf('/') + 1),
    isDir: f.is_dir === true || f.is_dir === 'true',
    ...(size !== undefined && size !== null && !(f.is_dir === true) ? { fileSize: int(size) } : {}),
  };
}
