import { type AppError, invalidParam } from '../../core/errors/index.js';
import type { Dim, OnnxFacts, TensorSpec } from './manifest.js';
import { type Field, ProtobufReader, WIRE_LEN, WIRE_VARINT, WireError } from './protobuf-wire.js';

/**
 * Reads the signature and the model-level facts of an ONNX `ModelProto` (onnx/onnx.proto):
 *
 *   ModelProto      ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8, metadata_props 14
 *   GraphProto      node 1, initializer 5, input 11, output 12, sparse_initializer 15
 *   NodeProto       domain 7            TensorProto  name 8        SparseTensorProto  values 1
 *   ValueInfoProto  name 1, type 2      OperatorSetIdProto  domain 1, version 2
 *   TypeProto       tensor_type 1, sequence_type 4, map_type 5, opaque_type 7, sparse_tensor_type 8, optional_type 9
 *   TypeProto.Tensor / SparseTensor  elem_type 1, shape 2;  Sequence / Optional  elem_type 1;  Map  key_type 1, value_type 2
 *   TensorShapeProto  dim 1 → Dimension  dim_value 1 | dim_param 2
 *
 * Graph inputs that are also initializers are weights, not model inputs (IR < 4 had to list them as inputs).
 */

export interface OnnxReadResult {
  onnx: OnnxFacts;
  signature: { inputs: TensorSpec[]; outputs: TensorSpec[] };
}

/** TensorProto.DataType numbers → numpy-style names. */
const DATA_TYPES: readonly string[] = [
  'undefined', 'float32', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool', 'float16',
  'float64', 'uint32', 'uint64', 'complex64', 'complex128', 'bfloat16', 'float8e4m3fn', 'float8e4m3fnuz',
  'float8e5m2', 'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1', 'float8e8m0', 'uint2', 'int2', 'float6e2m3',
  'float6e3m2',
];

export function onnxDataTypeName(code: number): string {
  return DATA_TYPES[code] ?? `type_${code}`;
}

const DEFAULT_DOMAIN = 'ai.onnx';
const normDomain = (d: string): string => (d === '' ? DEFAULT_DOMAIN : d);
/** TypeProto nests (sequence of map of sequence …); real models use two or three levels. */
const MAX_TYPE_DEPTH = 16;

interface GraphParts {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  initializers: Set<string>;
  nodeDomains: Set<string>;
}

/**
 * Decodes a serialized ModelProto. Throws `INVALID_PARAMETER_VALUE` (field `file`) naming what is wrong for
 * anything that is not a complete ONNX model; never reads outside `bytes`.
 */
export function readOnnxManifest(bytes: Uint8Array, label = 'file'): OnnxReadResult {
  const fail = (why: string): AppError => invalidParam(`${label} is not a valid ONNX model: ${why}`, 'file');
  if (bytes.length === 0) throw fail('it is empty');
  try {
    return decodeModel(new ProtobufReader(bytes), fail);
  } catch (e) {
    if (e instanceof WireError) throw fail(e.message);
    throw e;
  }
}

function decodeModel(r: ProtobufReader, fail: (why: string) => AppError): OnnxReadResult {
  let irVersion: bigint | undefined;
  let producerName = '';
  let producerVersion = '';
  let hasGraph = false;
  const opsets: { domain: string; version: number }[] = [];
  const metadata: Record<string, string> = {};
  const graph: GraphParts = { inputs: [], outputs: [], initializers: new Set(), nodeDomains: new Set() };

  while (!r.atEnd()) {
    const f = r.tag();
    if (f.field === 1) {
      r.expect(f, WIRE_VARINT, 'ir_version');
      irVersion = r.int64();
    } else if (f.field === 2) {
      r.expect(f, WIRE_LEN, 'producer_name');
      producerName = r.string();
    } else if (f.field === 3) {
      r.expect(f, WIRE_LEN, 'producer_version');
      producerVersion = r.string();
    } else if (f.field === 7) {
      r.expect(f, WIRE_LEN, 'graph');
      decodeGraph(r.message(), graph); // a repeated embedded message merges, as protobuf parsers do
      hasGraph = true;
    } else if (f.field === 8) {
      r.expect(f, WIRE_LEN, 'opset_import');
      opsets.push(decodeOpset(r.message()));
    } else if (f.field === 14) {
      r.expect(f, WIRE_LEN, 'metadata_props');
      const [k, v] = decodeStringPair(r.message());
      metadata[k] = v;
    } else {
      r.skip(f.wire);
    }
  }

  if (irVersion === undefined) throw fail('it has no ir_version');
  if (irVersion < 1n || irVersion > 0x7fffffffn) throw fail(`ir_version ${irVersion} is out of range`);
  if (!hasGraph) throw fail('it has no graph');
  const ir = Number(irVersion);
  if (ir >= 3) {
    if (opsets.length === 0) throw fail(`IR version ${ir} requires opset_import, and there is none`);
    const imported = new Set(opsets.map((o) => o.domain));
    for (const d of graph.nodeDomains) {
      if (!imported.has(d)) throw fail(`the graph uses operator domain '${d}' but imports no opset for it`);
    }
  }
  for (const [i, v] of [...graph.inputs, ...graph.outputs].entries()) {
    if (v.name === '') throw fail(`graph input/output #${i} has no name`);
  }

  const inputs = graph.inputs.filter((v) => !graph.initializers.has(v.name));
  const onnx: OnnxFacts = {
    irVersion: ir,
    opsets,
    ...(producerName === '' ? {} : { producerName }),
    ...(producerVersion === '' ? {} : { producerVersion }),
    ...(Object.keys(metadata).length === 0 ? {} : { metadata }),
    batchDimension: batchDimensionOf(inputs),
  };
  return { onnx, signature: { inputs, outputs: graph.outputs } };
}

function decodeGraph(r: ProtobufReader, g: GraphParts): void {
  while (!r.atEnd()) {
    const f = r.tag();
    if (f.field === 1 && f.wire === WIRE_LEN) {
      const domain = fieldString(r.message(), 7);
      g.nodeDomains.add(normDomain(domain ?? ''));
    } else if (f.field === 5 && f.wire === WIRE_LEN) {
      const name = fieldString(r.message(), 8);
      if (name !== undefined) g.initializers.add(name);
    } else if (f.field === 15 && f.wire === WIRE_LEN) {
      const values = fieldMessage(r.message(), 1);
      const name = values === undefined ? undefined : fieldString(values, 8);
      if (name !== undefined) g.initializers.add(name);
    } else if ((f.field === 11 || f.field === 12) && f.wire === WIRE_LEN) {
      (f.field === 11 ? g.inputs : g.outputs).push(decodeValueInfo(r.message()));
    } else {
      if ([1, 5, 11, 12, 15].includes(f.field)) throw new WireError(`graph field ${f.field} has wire type ${f.wire}`);
      r.skip(f.wire);
    }
  }
}

function decodeValueInfo(r: ProtobufReader): TensorSpec {
  let name = '';
  let type: Omit<TensorSpec, 'name'> = { dtype: 'unknown', shape: null };
  while (!r.atEnd()) {
    const f = r.tag();
    if (f.field === 1) {
      r.expect(f, WIRE_LEN, 'ValueInfoProto.name');
      name = r.string();
    } else if (f.field === 2) {
      r.expect(f, WIRE_LEN, 'ValueInfoProto.type');
      type = decodeType(r.message(), 0);
    } else {
      r.skip(f.wire);
    }
  }
  return { name, ...type };
}

function decodeType(r: ProtobufReader, depth: number): Omit<TensorSpec, 'name'> {
  if (depth > MAX_TYPE_DEPTH) throw new WireError(`type nesting deeper than ${MAX_TYPE_DEPTH}`);
  let out: Omit<TensorSpec, 'name'> = { dtype: 'unknown', shape: null };
  while (!r.atEnd()) {
    const f = r.tag();
    if (f.wire !== WIRE_LEN || ![1, 4, 5, 7, 8, 9].includes(f.field)) {
      r.skip(f.wire);
      continue;
    }
    const m = r.message();
    if (f.field === 1 || f.field === 8) {
      const t = decodeTensorType(m);
      out = f.field === 1 ? t : { dtype: `sparse_tensor<${t.dtype}>`, shape: t.shape };
    } else if (f.field === 4 || f.field === 9) {
      const elem = fieldMessage(m, 1);
      const inner = elem === undefined ? 'unknown' : decodeType(elem, depth + 1).dtype;
      out = { dtype: `${f.field === 4 ? 'sequence' : 'optional'}<${inner}>`, shape: [] };
    } else if (f.field === 5) {
      let key = 'unknown';
      let value = 'unknown';
      while (!m.atEnd()) {
        const g = m.tag();
        if (g.field === 1 && g.wire === WIRE_VARINT) key = onnxDataTypeName(m.uint());
        else if (g.field === 2 && g.wire === WIRE_LEN) value = decodeType(m.message(), depth + 1).dtype;
        else m.skip(g.wire);
      }
      out = { dtype: `map<${key},${value}>`, shape: [] };
    } else {
      out = { dtype: 'opaque', shape: [] };
    }
  }
  return out;
}

function decodeTensorType(r: ProtobufReader): Omit<TensorSpec, 'name'> {
  let elem = 0;
  let shape: Dim[] | null = null;
  while (!r.atEnd()) {
    const f = r.tag();
    if (f.field === 1 && f.wire === WIRE_VARINT) elem = r.uint();
    else if (f.field === 2 && f.wire === WIRE_LEN) shape = [...(shape ?? []), ...decodeShape(r.message())];
    else r.skip(f.wire);
  }
  return { dtype: onnxDataTypeName(elem), shape };
}

function decodeShape(r: ProtobufReader): Dim[] {
  const dims: Dim[] = [];
  while (!r.atEnd()) {
    const f = r.tag();
    if (f.field !== 1 || f.wire !== WIRE_LEN) {
      r.skip(f.wire);
      continue;
    }
    const d = r.message();
    let dim: Dim = null;
    while (!d.atEnd()) {
      const g = d.tag();
      if (g.field === 1 && g.wire === WIRE_VARINT) {
        const v = d.int64();
        dim = v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null; // -1 is some exporters' "unknown"
      } else if (g.field === 2 && g.wire === WIRE_LEN) {
        const p = d.string();
        dim = p === '' ? null : p;
      } else d.skip(g.wire);
    }
    dims.push(dim);
  }
  return dims;
}

function decodeOpset(r: ProtobufReader): { domain: string; version: number } {
  let domain = '';
  let version: bigint | undefined;
  while (!r.atEnd()) {
    const f = r.tag();
    if (f.field === 1 && f.wire === WIRE_LEN) domain = r.string();
    else if (f.field === 2 && f.wire === WIRE_VARINT) version = r.int64();
    else r.skip(f.wire);
  }
  if (version === undefined || version < 1n || version > 0x7fffffffn) {
    throw new WireError(`opset_import for domain '${domain}' has no valid version`);
  }
  return { domain: normDomain(domain), version: Number(version) };
}

function decodeStringPair(r: ProtobufReader): [string, string] {
  let key = '';
  let value = '';
  while (!r.atEnd()) {
    const f = r.tag();
    if (f.field === 1 && f.wire === WIRE_LEN) key = r.string();
    else if (f.field === 2 && f.wire === WIRE_LEN) value = r.string();
    else r.skip(f.wire);
  }
  return [key, value];
}

/** The last occurrence of a string field in a message (protobuf's rule for a singular field). */
function fieldString(r: ProtobufReader, field: number): string | undefined {
  let out: string | undefined;
  while (!r.atEnd()) {
    const f: Field = r.tag();
    if (f.field === field && f.wire === WIRE_LEN) out = r.string();
    else r.skip(f.wire);
  }
  return out;
}

function fieldMessage(r: ProtobufReader, field: number): ProtobufReader | undefined {
  let out: ProtobufReader | undefined;
  while (!r.atEnd()) {
    const f = r.tag();
    if (f.field === field && f.wire === WIRE_LEN) out = r.message();
    else r.skip(f.wire);
  }
  return out;
}

/** See `OnnxFacts.batchDimension`. */
export function batchDimensionOf(inputs: readonly TensorSpec[]): OnnxFacts['batchDimension'] {
  let ranked = 0;
  for (const t of inputs) {
    if (t.shape === null) {
      ranked++; // unknown rank: the batch, if any, is not fixed
      continue;
    }
    if (t.shape.length === 0) continue;
    ranked++;
    if (typeof t.shape[0] === 'number') return 'fixed';
  }
  return ranked === 0 ? 'none' : 'dynamic';
}
