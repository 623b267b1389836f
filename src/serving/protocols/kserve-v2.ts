/**
 * The Open Inference Protocol (KServe V2) over REST/JSON: request parsing and response building, with no HTTP.
 *
 * Sources: `kserve/kserve:docs/predict-api/v2/required_api.md` (the HTTP/REST section: `$inference_request`,
 * `$request_input`, `$request_output`, `$inference_response`, `$metadata_model_response`, `$metadata_server_response`,
 * "Tensor Data", "Parameters") and Triton's `docs/protocol/extension_binary_data.md`.
 *
 * - Tensor data is row-major and may be flat or nested in its natural shape (`[[1, 2], [4, 5]]` ≡ `[1, 2, 4, 5]`). Nested
 *   data must be rectangular; when it is nested as deep as the declared rank, its dimensions must equal the declared
 *   shape (so a transposed `[[1, 2, 3], [4, 5, 6]]` for shape `[3, 2]` is refused); otherwise only its element count must
 *   fill the shape, as KServe (numpy reshape) and Triton (flatten) accept. BYTES elements are JSON strings, BOOL are JSON
 *   booleans; the spec lets a server refuse other element types, and this one does, with a 400.
 * - `$parameters` values are a string, number or boolean (the spec's `$parameter`); anything else is a 400.
 * - Triton's binary tensor data extension (`binary_data_size` on an input, `binary_data` on an output,
 *   `binary_data_output` on the request), its shared-memory extension (`shared_memory_region`) and its classification
 *   extension (`classification` on an output) are refused with a 400 saying so: read as plain JSON they would be
 *   mis-read (an input without `data`, an answer in a form the client did not ask for). The HTTP layer should likewise
 *   refuse a request carrying an `Inference-Header-Content-Length` header. `serverMetadata` never lists
 *   `binary_tensor_data`.
 * - Errors are {@link AppError}s (400, `INVALID_PARAMETER_VALUE`) with a `field`: structural faults name the position
 *   (`inputs[0].shape`, `outputs[1].parameters.binary_data`), faults against the model name the tensor (`inputs[age]`,
 *   `outputs[score]`), as `validateInputs` does. The OIP error body is `{error}` ({@link v2Error}).
 * - An empty `outputs` list is read as "all outputs", as an absent one is.
 */
import { invalidParam } from '../../core/errors/index.js';
import { DATATYPES, type Datatype, type ModelSignature, type Tensor, type TensorSpec } from '../engine.js';
import { validateInputs } from '../tensor-validation.js';
import { MAX_RANK, describe, fitsIntegerType, flattenNested, isIntegerType, isPlainObject } from './json-tensors.js';

export type V2Parameter = string | number | boolean;
export type V2Parameters = Record<string, V2Parameter>;

export interface V2InferRequest {
  id?: string;
  /** Checked with `validateInputs` against the model's signature; data flattened row-major. */
  inputs: Tensor[];
  /** The outputs asked for, in the order asked; absent means all. */
  outputs?: string[];
  parameters: V2Parameters;
}

export interface V2TensorMetadata {
  name: string;
  datatype: Datatype;
  shape: number[];
}

export interface V2ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: V2TensorMetadata[];
  outputs: V2TensorMetadata[];
}

export interface V2ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

export interface V2ResponseOutput {
  name: string;
  datatype: Datatype;
  shape: number[];
  /** Flat, row-major. FP NaN/Infinity have no JSON form: `JSON.stringify` writes them as `null`. */
  data: Tensor['data'];
}

export interface V2InferResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: V2Parameters;
  outputs: V2ResponseOutput[];
}

export interface V2ErrorBody {
  error: string;
}

/** The platform Triton reports for ONNX models (the KServe spec's list says `onnx_onnxv1`; clients see Triton's). */
export const ONNX_PLATFORM = 'onnxruntime_onnx';
export const SERVER_NAME = 'pitwall';

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function parseParameters(v: unknown, field: string): V2Parameters {
  if (v === undefined) return {};
  if (!isPlainObject(v)) throw invalidParam(`"${field}" must be an object of name → string, number or boolean, got ${describe(v)}`, field);
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
      throw invalidParam(`Parameter '${k}' must be a string, number or boolean, got ${describe(x)}`, `${field}.${k}`);
    }
  }
  // fromEntries defines own properties, so a "__proto__" key stays a plain key.
  return Object.fromEntries(Object.entries(v)) as V2Parameters;
}

const BINARY = 'Binary tensor data (the binary_tensor_data extension) is not supported';
const SHM = 'Shared-memory tensors (the shared-memory extensions) are not supported';

function refuseExtensions(params: V2Parameters, field: string, where: 'request' | 'input' | 'output'): void {
  if (where === 'request' && params.binary_data_output === true) {
    throw invalidParam(`${BINARY}: outputs are answered as JSON "data"; drop "binary_data_output"`, `${field}.binary_data_output`);
  }
  if (where === 'input' && hasOwn(params, 'binary_data_size')) {
    throw invalidParam(`${BINARY}: send the input's values as JSON in "data"`, `${field}.binary_data_size`);
  }
  if (where === 'output' && params.binary_data === true) {
    throw invalidParam(`${BINARY}: outputs are answered as JSON "data"; drop "binary_data"`, `${field}.binary_data`);
  }
  if (where === 'output' && hasOwn(params, 'classification')) {
    throw invalidParam('The classification extension is not supported: ask for the raw output tensor and rank it yourself', `${field}.classification`);
  }
  if (where !== 'request' && hasOwn(params, 'shared_memory_region')) throw invalidParam(`${SHM}: send tensor data as JSON`, `${field}.shared_memory_region`);
}

const dims = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function parseInput(raw: unknown, i: number): Tensor {
  const at = `inputs[${i}]`;
  if (!isPlainObject(raw)) throw invalidParam(`${at} must be an object {name, shape, datatype, data}, got ${describe(raw)}`, at);
  const { name, shape, datatype, data } = raw;
  if (typeof name !== 'string' || name === '') throw invalidParam(`${at}.name must be a non-empty string`, `${at}.name`);
  refuseExtensions(parseParameters(raw.parameters, `${at}.parameters`), `${at}.parameters`, 'input');
  if (typeof datatype !== 'string' || !(DATATYPES as readonly string[]).includes(datatype)) {
    throw invalidParam(`Input '${name}': datatype must be one of ${DATATYPES.join(', ')}, got ${describe(datatype)}`, `${at}.datatype`);
  }
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw invalidParam(`Input '${name}': shape must be a list of at most ${MAX_RANK} non-negative integers`, `${at}.shape`);
  }
  if (data === undefined) throw invalidParam(`Input '${name}' has no "data": give its values as a JSON array`, `${at}.data`);
  if (!Array.isArray(data)) throw invalidParam(`Input '${name}': "data" must be an array (flat, or nested in row-major order), got ${describe(data)}`, `${at}.data`);
  const flat = flattenNested(data, (why) => invalidParam(`Input '${name}': data ${why}`, `${at}.data`));
  const declared = shape as number[];
  if (flat.shape.length > 1 && flat.shape.length === declared.length && flat.shape.some((d, k) => d !== declared[k])) {
    throw invalidParam(`Input '${name}': data is nested as ${dims(flat.shape)} but its shape is ${dims(declared)}`, `${at}.data`);
  }
  return { name, datatype: datatype as Datatype, shape: [...declared], data: flat.data as Tensor['data'] };
}

function parseOutputs(raw: unknown, signature: ModelSignature): string[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw invalidParam(`"outputs" must be a list of {name, parameters?}, got ${describe(raw)}`, 'outputs');
  const names: string[] = [];
  raw.forEach((o, i) => {
    const at = `outputs[${i}]`;
    if (!isPlainObject(o)) throw invalidParam(`${at} must be an object {name, parameters?}, got ${describe(o)}`, at);
    if (typeof o.name !== 'string' || o.name === '') throw invalidParam(`${at}.name must be a non-empty string`, `${at}.name`);
    refuseExtensions(parseParameters(o.parameters, `${at}.parameters`), `${at}.parameters`, 'output');
    const name = o.name;
    if (!signature.outputs.some((s) => s.name === name)) {
      throw invalidParam(`Unknown output '${name}': the model produces ${signature.outputs.map((s) => s.name).join(', ')}`, `outputs[${name}]`);
    }
    if (names.includes(name)) throw invalidParam(`Output '${name}' is requested twice`, `outputs[${name}]`);
    names.push(name);
  });
  return names.length === 0 ? undefined : names;
}

/** Integer data outside its datatype's range would wrap silently in the runtime: refused here instead. */
function checkIntegerRanges(t: Tensor): void {
  if (!isIntegerType(t.datatype)) return;
  const data = t.data as number[];
  for (let i = 0; i < data.length; i++) {
    if (!fitsIntegerType(t.datatype, data[i]!)) throw invalidParam(`Input '${t.name}': data[${i}] = ${data[i]} is out of range for ${t.datatype}`, `inputs[${t.name}]`);
  }
}

/**
 * Reads an inference request body (`$inference_request`) for a model with `signature`: checks its structure, flattens
 * nested data, refuses unsupported extensions and unknown requested outputs, then checks the tensors with
 * `validateInputs`. Every refusal is a 400 naming the field.
 */
export function parseInferRequest(body: unknown, signature: ModelSignature): V2InferRequest {
  if (!isPlainObject(body)) throw invalidParam(`The request body must be a JSON object {id?, parameters?, inputs, outputs?}, got ${describe(body)}`, 'body');
  if (body.id !== undefined && typeof body.id !== 'string') throw invalidParam(`"id" must be a string, got ${describe(body.id)}`, 'id');
  const parameters = parseParameters(body.parameters, 'parameters');
  refuseExtensions(parameters, 'parameters', 'request');
  if (!Array.isArray(body.inputs)) throw invalidParam(`"inputs" must be a list of tensors {name, shape, datatype, data}, got ${describe(body.inputs)}`, 'inputs');
  const inputs = body.inputs.map(parseInput);
  const outputs = parseOutputs(body.outputs, signature);
  validateInputs(signature, inputs);
  inputs.forEach(checkIntegerRanges);
  const req: V2InferRequest = { inputs, parameters };
  if (body.id !== undefined) req.id = body.id as string;
  if (outputs !== undefined) req.outputs = outputs;
  return req;
}

/**
 * Builds `$inference_response`. `requested` (from {@link parseInferRequest}) keeps only those outputs, in that order.
 * `model_version`, `id` and `parameters` appear only when given.
 */
export function inferResponse(
  modelName: string,
  modelVersion: string | undefined,
  id: string | undefined,
  outputs: readonly Tensor[],
  requested?: readonly string[],
  parameters?: V2Parameters,
): V2InferResponse {
  const chosen =
    requested === undefined
      ? outputs
      : requested.map((n) => {
          const t = outputs.find((o) => o.name === n);
          if (!t) throw new Error(`the engine produced no output '${n}'`);
          return t;
        });
  return {
    model_name: modelName,
    ...(modelVersion !== undefined && modelVersion !== '' ? { model_version: modelVersion } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(parameters !== undefined && Object.keys(parameters).length > 0 ? { parameters } : {}),
    outputs: chosen.map((t) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape], data: t.data })),
  };
}

const tensorMetadata = (s: TensorSpec): V2TensorMetadata => ({ name: s.name, datatype: s.datatype, shape: [...s.shape] });

/** `$metadata_model_response`; `-1` marks a variable dimension. Pass {@link ONNX_PLATFORM} for ONNX models. */
export function modelMetadata(name: string, versions: readonly string[], platform: string, signature: ModelSignature): V2ModelMetadata {
  return { name, versions: [...versions], platform, inputs: signature.inputs.map(tensorMetadata), outputs: signature.outputs.map(tensorMetadata) };
}

/**
 * `$metadata_server_response`. `extensions` lists only what the server really implements (Triton's names, e.g.
 * `schedule_policy`); it defaults to none, and never includes `binary_tensor_data`, which this codec refuses.
 */
export function serverMetadata(version: string, extensions: readonly string[] = []): V2ServerMetadata {
  return { name: SERVER_NAME, version, extensions: [...extensions] };
}

/** The OIP error body (`$inference_error_response`, `$metadata_*_error_response`). */
export function v2Error(message: string): V2ErrorBody {
  return { error: message };
}
