import { type TSchema, Type } from '@sinclair/typebox';

/**
 * JSON-schema building blocks (TypeBox) for request validation and the OpenAPI document. They check types only;
 * MLflow's limits and messages (lengths, batch sizes, key characters) are checked in `tracking/`, so that a request
 * breaking them gets MLflow's wording.
 */

/** An optional field that may also be sent as JSON null. */
export const Opt = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));

export const Int64 = Type.Union([Type.Integer(), Type.String({ pattern: '^\\s*-?\\d+\\s*$' })], {
  description: 'int64: a JSON number or a decimal string',
});

export const Double = Type.Union([Type.Number(), Type.String()], {
  description: 'a number, or "NaN", "Infinity", "-Infinity"',
});

/** Experiment ids are strings; integers are accepted as MLflow's parse_dict stringifies them. */
export const ExperimentId = Type.Union([Type.String(), Type.Integer()], { description: 'experiment id (a decimal string)' });

/** A query-string value that may repeat (`run_ids=a&run_ids=b`), or a JSON list. */
export const StringList = Type.Union([Type.String(), Type.Array(Type.String())], { description: 'a list of strings (repeat the key in a query string)' });

export const Tag = Type.Object({ key: Type.String(), value: Opt(Type.String()) });

export const Param = Type.Object({ key: Type.String(), value: Opt(Type.Union([Type.String(), Type.Number(), Type.Boolean()])) });

/** A metric; MLflow 3 adds `model_id` (and the dataset it was computed on) to also record it on a logged model. */
export const Metric = Type.Object({
  key: Type.String(),
  value: Double,
  timestamp: Int64,
  step: Opt(Int64),
  model_id: Opt(Type.String()),
  dataset_name: Opt(Type.String()),
  dataset_digest: Opt(Type.String()),
  run_id: Opt(Type.String()),
});

export const ViewType = Type.Union([Type.String(), Type.Integer()], { description: 'ACTIVE_ONLY | DELETED_ONLY | ALL' });
