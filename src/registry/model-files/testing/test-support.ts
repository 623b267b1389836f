/**
 * Test support for the model-file readers: where the shared real models are, the reference facts that
 * scripts/model-files/make-reference.py wrote with the `onnx` and `gguf` Python packages, and tiny encoders to
 * build protobuf and GGUF bytes for cases no real file shows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { AppError } from '../../../core/errors/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../fixtures');
/** The repository root (this file is src/registry/model-files/testing/). */
export const repoRoot = path.resolve(here, '../../../..');
/** `shared/` sits beside the repository. */
export const sharedModel = (rel: string): string => path.resolve(repoRoot, '../shared/models', rel);

export const MNIST = 'mnist/mnist-8.onnx';
export const TITANIC = 'sklearn-titanic/pipeline_titanic_nozipmap.onnx';
export const STORIES = 'stories260K/stories260K.gguf';

export interface OnnxReference {
  file: { size: number; sha256: string };
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  metadata: Record<string, string>;
  graphInputsIncludingInitializers: number;
  initializerCount: number;
  inputs: { name: string; dtype: string; shape: (number | string | null)[] | null }[];
  outputs: { name: string; dtype: string; shape: (number | string | null)[] | null }[];
  nodeDomains: string[];
}
export interface GgufReference {
  file: { size: number; sha256: string };
  version: number;
  tensorCount: number;
  kvCount: number;
  architecture: string;
  name: string | null;
  contextLength: number | null;
  embeddingLength: number | null;
  blockCount: number | null;
  fileType: number | null;
  tensorTypeCounts: Record<string, number>;
  quantization: string;
  quantizationSource: 'file_type' | 'tensor_types';
  chatTemplate: string | null;
  parameterCount: number;
  bosTokenId: number | null;
  eosTokenId: number | null;
  bosToken: string | null;
  eosToken: string | null;
  dataOffset: number;
  scalarMetadata: Record<string, string | number | boolean>;
}
export const reference = JSON.parse(readFileSync(path.join(fixtures, 'reference.json'), 'utf8')) as {
  onnx: Record<string, OnnxReference>;
  gguf: Record<string, GgufReference>;
};

/** Asserts that `err` is the clean 400 a bad upload must produce, with a message matching `message`. */
export function assertBadFile(err: unknown, message: RegExp): true {
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.code, 'INVALID_PARAMETER_VALUE');
  assert.equal(err.httpStatus, 400);
  assert.equal(err.field, 'file');
  assert.match(err.message, message);
  return true;
}

// --- protobuf encoding ---------------------------------------------------------------------------------------

export function varint(v: number | bigint): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}
/** A varint field. */
export const pbInt = (field: number, v: number | bigint): number[] => [...varint(field * 8), ...varint(v)];
/** A length-delimited field holding bytes, a string, or an encoded message (number[]). */
export function pbLen(field: number, payload: number[] | string): number[] {
  const bytes = typeof payload === 'string' ? [...Buffer.from(payload, 'utf8')] : payload;
  return [...varint(field * 8 + 2), ...varint(bytes.length), ...bytes];
}
export const pbMsg = (...fields: number[][]): number[] => fields.flat();

/** ValueInfoProto of a tensor; dims: number → dim_value, string → dim_param, null → empty Dimension. */
export function tensorValueInfo(name: string, elemType: number, dims?: (number | string | null)[]): number[] {
  const shape =
    dims === undefined
      ? []
      : [pbLen(2, pbMsg(...dims.map((d) => pbLen(1, d === null ? [] : typeof d === 'number' ? pbInt(1, d) : pbLen(2, d)))))];
  return pbMsg(pbLen(1, name), pbLen(2, pbLen(1, pbMsg(pbInt(1, elemType), ...shape))));
}

/** A ModelProto: ir_version 8, opset ai.onnx 17 unless given, a graph of the given fields. */
export function onnxModel(graph: number[][], extra: number[][] = [], opsets: [string, number][] = [['', 17]]): Uint8Array {
  return Uint8Array.from(
    pbMsg(
      pbInt(1, 8),
      pbLen(2, 'test'),
      pbLen(7, pbMsg(...graph)),
      ...opsets.map(([d, v]) => pbLen(8, pbMsg(pbLen(1, d), pbInt(2, v)))),
      ...extra,
    ),
  );
}

// --- GGUF encoding -------------------------------------------------------------------------------------------

export type GgufValue =
  | { t: 'u32' | 'i32' | 'u8'; v: number }
  | { t: 'u64' | 'i64'; v: bigint }
  | { t: 'f32'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  | { t: 'arr-str'; v: string[] }
  | { t: 'arr-u32'; v: number[] };

export interface GgufTensor {
  name: string;
  dims: bigint[];
  type: number;
  offset: bigint;
}

/** Bytes of a GGUF v3 header (magic … tensor infos), without padding or data. */
export function ggufHeader(kvs: [string, GgufValue][], tensors: GgufTensor[] = [], version = 3): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number): void => void parts.push(Buffer.from(new Uint32Array([n]).buffer));
  const u64 = (n: bigint): void => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(n);
    parts.push(b);
  };
  const str = (s: string): void => {
    const b = Buffer.from(s, 'utf8');
    u64(BigInt(b.length));
    parts.push(b);
  };
  parts.push(Buffer.from('GGUF'));
  u32(version);
  u64(BigInt(tensors.length));
  u64(BigInt(kvs.length));
  for (const [key, val] of kvs) {
    str(key);
    switch (val.t) {
      case 'u8': u32(0); parts.push(Buffer.from([val.v])); break;
      case 'u32': u32(4); u32(val.v); break;
      case 'i32': u32(5); parts.push(Buffer.from(new Int32Array([val.v]).buffer)); break;
      case 'f32': u32(6); parts.push(Buffer.from(new Float32Array([val.v]).buffer)); break;
      case 'bool': u32(7); parts.push(Buffer.from([val.v ? 1 : 0])); break;
      case 'str': u32(8); str(val.v); break;
      case 'u64': u32(10); u64(val.v); break;
      case 'i64': { u32(11); const b = Buffer.alloc(8); b.writeBigInt64LE(val.v); parts.push(b); break; }
      case 'arr-str': u32(9); u32(8); u64(BigInt(val.v.length)); val.v.forEach(str); break;
      case 'arr-u32': u32(9); u32(4); u64(BigInt(val.v.length)); val.v.forEach(u32); break;
    }
  }
  for (const t of tensors) {
    str(t.name);
    u32(t.dims.length);
    t.dims.forEach(u64);
    u32(t.type);
    u64(t.offset);
  }
  return Buffer.concat(parts);
}

/** The header padded to 32 bytes (the default alignment): where tensor data starts. */
export function padded(header: Buffer, alignment = 32): Buffer {
  const pad = (alignment - (header.length % alignment)) % alignment;
  return Buffer.concat([header, Buffer.alloc(pad)]);
}
