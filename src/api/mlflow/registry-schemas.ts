import { Type } from '@sinclair/typebox';
import { Int64, Opt, StringList, Tag } from '../schemas.js';

/** Request schemas of MLflow's model-registry RPCs (`model_registry.proto`) and logged models (`service.proto`). */

const Name = { name: Type.String({ description: 'registered model name' }) };
const Version = Type.Union([Type.String(), Type.Integer()], { description: 'model version number (a decimal string)' });
const NameVersion = { ...Name, version: Version };
const Search = {
  filter: Opt(Type.String()),
  max_results: Opt(Int64),
  order_by: Opt(StringList),
  page_token: Opt(Type.String()),
};
const Bool = Type.Union([Type.Boolean(), Type.String()], { description: 'true or false' });

export const REGISTRY_SCHEMAS = {
  createModel: Type.Object({ ...Name, tags: Opt(Type.Array(Tag)), description: Opt(Type.String()), deployment_job_id: Opt(Type.String()) }),
  renameModel: Type.Object({ ...Name, new_name: Type.String() }),
  updateModel: Type.Object({ ...Name, description: Opt(Type.String()), deployment_job_id: Opt(Type.String()) }),
  modelRef: Type.Object(Name),
  searchModels: Type.Object(Search),
  latestVersions: Type.Object({ ...Name, stages: Opt(StringList) }),
  setModelTag: Type.Object({ ...Name, key: Type.String(), value: Opt(Type.String()) }),
  deleteModelTag: Type.Object({ ...Name, key: Type.String() }),
  setAlias: Type.Object({ ...Name, alias: Type.String(), version: Version }),
  aliasRef: Type.Object({ ...Name, alias: Type.String() }),

  createVersion: Type.Object({
    ...Name,
    source: Type.String({ description: 'runs:/<run>/<path>, models:/m-<id>, models:/<name>/<v>, or an mlflow-artifacts:/ URI inside the artifact store' }),
    run_id: Opt(Type.String()),
    tags: Opt(Type.Array(Tag)),
    run_link: Opt(Type.String()),
    description: Opt(Type.String()),
    model_id: Opt(Type.String()),
  }),
  versionRef: Type.Object(NameVersion),
  updateVersion: Type.Object({ ...NameVersion, description: Opt(Type.String()) }),
  transitionStage: Type.Object({ ...NameVersion, stage: Type.String({ description: 'None | Staging | Production | Archived (deprecated: use aliases)' }), archive_existing_versions: Opt(Bool) }),
  searchVersions: Type.Object(Search),
  setVersionTag: Type.Object({ ...NameVersion, key: Type.String(), value: Opt(Type.String()) }),
  deleteVersionTag: Type.Object({ ...NameVersion, key: Type.String() }),

  createLoggedModel: Type.Object({
    experiment_id: Type.Union([Type.String(), Type.Integer()]),
    name: Opt(Type.String()),
    model_type: Opt(Type.String()),
    source_run_id: Opt(Type.String()),
    params: Opt(Type.Array(Tag)),
    tags: Opt(Type.Array(Tag)),
  }),
  loggedModelRef: Type.Object({ model_id: Opt(Type.String()), allow_deleted: Opt(Bool) }),
  finalizeLoggedModel: Type.Object({ model_id: Opt(Type.String()), status: Type.Union([Type.String(), Type.Integer()]) }),
  searchLoggedModels: Type.Object({
    experiment_ids: Opt(StringList),
    filter: Opt(Type.String()),
    datasets: Opt(Type.Array(Type.Object({ dataset_name: Type.String(), dataset_digest: Opt(Type.String()) }))),
    max_results: Opt(Int64),
    order_by: Opt(Type.Array(Type.Union([Type.String(), Type.Object({ field_name: Type.String(), ascending: Opt(Bool), dataset_name: Opt(Type.String()), dataset_digest: Opt(Type.String()) })]))),
    page_token: Opt(Type.String()),
  }),
  setLoggedModelTags: Type.Object({ model_id: Opt(Type.String()), tags: Opt(Type.Array(Tag)) }),
  logLoggedModelParams: Type.Object({ model_id: Opt(Type.String()), params: Opt(Type.Array(Tag)) }),
  listLoggedModelArtifacts: Type.Object({ artifact_directory_path: Opt(Type.String()), page_token: Opt(Type.String()) }),
  listRunArtifacts: Type.Object({ run_id: Opt(Type.String()), run_uuid: Opt(Type.String()), path: Opt(Type.String()), page_token: Opt(Type.String()) }),
};
