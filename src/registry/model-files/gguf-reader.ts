import { type AppError, invalidParam } from '../../core/errors/index.js';
import { FileCursor } from './file-cursor.js';
import { fileTypeName, guessFileType, tensorTypeLayout } from './gguf-file-types.js';
import type { GgufFacts } from './manifest.js';

/**
 * Reads the header of a GGUF file (llama.cpp's `gguf.cpp`, little-endian, versions 2 and 3):
 *   'GGUF' u32 version, u64 tensor_count, u64 kv_count,
 *   kv_count × (string key, u32 type, value), tensor_count × (string name, u32 n_dims, u64 dims[n_dims],
 *   u32 ggml_type, u64 offset), then the tensor data from the first multiple of `general.alignment` (32).
 * A string is u64 length + UTF-8 bytes; an array is u32 element type, u64 count, elements.
 *
 * The file is read forward through a bounded window; arrays (the vocabulary, its scores and merges) are skipped
 * without being held. Every count and length is checked against the bytes left in the file, and the tensors'
 * declared data must fit in the file, so a truncated upload is refused here rather than by the server later.
 */

const T_U8 = 0, T_I8 = 1, T_U16 = 2, T_I16 = 3, T_U32 = 4, T_I32 = 5, T_F32 = 6, T_BOOL = 7;
const T_STRING = 8, T_ARRAY = 9, T_U64 = 10, T_I64 = 11, T_F64 = 12;
/** Bytes of each fixed-size value type; strings take at least 8 and arrays at least 12. */
const FIXED_SIZE: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const minSize = (type: number): number => FIXED_SIZE[type] ?? (type === T_STRING ? 8 : 12);

const MAX_KEY_BYTES = 64 * 1024;
/** String values kept whole (the chat template can be tens of KiB); others are kept up to METADATA_STRING_MAX. */
const FULL_STRINGS = new Set(['general.architecture', 'general.name', 'tokenizer.chat_template']);
const MAX_FULL_STRING = 16 * 1024 * 1024;
const METADATA_STRING_MAX = 4096;
const MAX_TOKEN_BYTES = 1024;
const MAX_ARRAY_DEPTH = 4;
const GGML_MAX_DIMS = 4;

/** True for the four bytes every GGUF file starts with, 'GGUF'. */
export function isGgufMagic(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46;
}

type Scalar = string | number | bigint | boolean;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readGgufManifest(path: string, label = 'file'): Promise<GgufFacts> {
  const fail = (why: string): AppError => invalidParam(`${label} is not a valid GGUF model: ${why}`, 'file');
  const c = await FileCursor.open(path, fail);
  try {
    return await readHeader(c, fail);
  } finally {
    await c.close();
  }
}

async function readHeader(c: FileCursor, fail: (why: string) => AppError): Promise<GgufFacts> {
  if (c.size < 24) throw fail(`it is ${c.size} bytes, shorter than a GGUF header`);
  await c.need(24, 'the header');
  if (!isGgufMagic(c.bytes(4))) throw fail('it does not start with the GGUF magic');
  const version = c.u32();
  if ((version & 0xffff) === 0 && version !== 0) throw fail('big-endian GGUF files are not supported');
  if (version !== 2 && version !== 3) throw fail(`GGUF version ${version} is not supported (2 and 3 are)`);
  const tensorCount = c.u64();
  const kvCount = c.u64();
  if (kvCount * 13n + tensorCount * 24n > BigInt(c.remaining)) {
    throw fail(`it declares ${kvCount} key/value pairs and ${tensorCount} tensors, more than its ${c.size} bytes hold`);
  }

  const kv = new Map<string, Scalar>();
  let tokens: { offset: number; count: number } | undefined;
  for (let i = 0n; i < kvCount; i++) {
    const key = await readString(c, MAX_KEY_BYTES, 'a key', fail);
    if (key === undefined) throw fail(`key #${i} is longer than ${MAX_KEY_BYTES} bytes`);
    if (kv.has(key)) throw fail(`duplicate key '${key}'`);
    await c.need(4, `the type of '${key}'`);
    const type = c.u32();
    if (type === T_ARRAY) {
      const { elemType, count } = await arrayHead(c, key, fail);
      if (key === 'tokenizer.ggml.tokens' && elemType === T_STRING) tokens = { offset: c.position, count: Number(count) };
      await skipArray(c, elemType, count, 1, key, fail);
    } else {
      const max = FULL_STRINGS.has(key) ? MAX_FULL_STRING : METADATA_STRING_MAX;
      const value = await readScalar(c, type, max, key, fail);
      if (value !== undefined) kv.set(key, value);
    }
  }

  const tensorTypes: number[] = [];
  let parameters = 0n;
  const extents: { offset: bigint; bytes: bigint | undefined }[] = [];
  for (let i = 0n; i < tensorCount; i++) {
    const name = await readString(c, MAX_KEY_BYTES, `the name of tensor #${i}`, fail);
    if (name === undefined) throw fail(`the name of tensor #${i} is longer than ${MAX_KEY_BYTES} bytes`);
    await c.need(4, `tensor '${name}'`);
    const nDims = c.u32();
    if (nDims > GGML_MAX_DIMS) throw fail(`tensor '${name}' has ${nDims} dimensions, more than ${GGML_MAX_DIMS}`);
    await c.need(8 * nDims + 12, `tensor '${name}'`);
    let elements = 1n;
    let first = 1n;
    for (let d = 0; d < nDims; d++) {
      const n = c.u64();
      if (d === 0) first = n;
      elements *= n;
    }
    const type = c.u32();
    const offset = c.u64();
    const layout = tensorTypeLayout(type);
    if (layout !== undefined && first % BigInt(layout.block) !== 0n) {
      throw fail(`tensor '${name}' has rows of ${first} elements, not whole blocks of ${layout.block}`);
    }
    tensorTypes.push(type);
    parameters += elements;
    extents.push({ offset, bytes: layout && (elements / BigInt(layout.block)) * BigInt(layout.bytes) });
  }

  const alignment = kv.get('general.alignment') ?? 32;
  if (typeof alignment !== 'number' || !Number.isInteger(Math.log2(alignment))) {
    throw fail(`general.alignment ${String(alignment)} is not a power of two`);
  }
  const dataStart = BigInt(Math.ceil(c.position / alignment) * alignment);
  for (const [i, t] of extents.entries()) {
    if (t.offset % BigInt(alignment) !== 0n) throw fail(`tensor #${i} has offset ${t.offset}, not aligned`);
    const end = dataStart + t.offset + (t.bytes ?? 0n);
    if (end > BigInt(c.size)) throw fail(`truncated: tensor #${i}'s data ends at byte ${end}, the file at ${c.size}`);
  }

  const facts = buildFacts(kv, version, Number(tensorCount), tensorTypes, parameters);
  if (tokens === undefined) return facts;
  await addTokenTexts(c, tokens, facts, fail);
  const { metadata, ...rest } = facts;
  return { ...rest, metadata }; // the long list last, for people reading the JSON
}

function buildFacts(
  kv: ReadonlyMap<string, Scalar>,
  version: number,
  tensorCount: number,
  tensorTypes: readonly number[],
  parameters: bigint,
): GgufFacts {
  const str = (k: string): string | undefined => {
    const v = kv.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  const int = (k: string): number | undefined => {
    const v = kv.get(k);
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  };
  const architecture = str('general.architecture') ?? 'unknown';
  const metadata: Record<string, string | number | boolean> = {};
  for (const [k, v] of kv) {
    if (k === 'tokenizer.chat_template' || (typeof v === 'string' && v.length > METADATA_STRING_MAX)) continue;
    metadata[k] = typeof v === 'bigint' ? v.toString() : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  }
  const facts: Omit<GgufFacts, 'metadata'> = { version, architecture, tensorCount };
  const set = <K extends keyof typeof facts>(k: K, v: GgufFacts[K] | undefined): void => {
    if (v !== undefined) facts[k] = v;
  };
  set('name', str('general.name'));
  set('contextLength', int(`${architecture}.context_length`));
  set('embeddingLength', int(`${architecture}.embedding_length`));
  set('blockCount', int(`${architecture}.block_count`));
  const fileType = int('general.file_type');
  set('fileType', fileType);
  if (fileType !== undefined) {
    set('quantization', fileTypeName(fileType));
    if (facts.quantization !== undefined) facts.quantizationSource = 'file_type';
  } else {
    const guessed = guessFileType(tensorTypes);
    set('quantization', guessed === undefined ? undefined : fileTypeName(guessed));
    if (facts.quantization !== undefined) facts.quantizationSource = 'tensor_types';
  }
  set('chatTemplate', str('tokenizer.chat_template'));
  if (parameters <= BigInt(Number.MAX_SAFE_INTEGER)) facts.parameterCount = Number(parameters);
  set('bosTokenId', int('tokenizer.ggml.bos_token_id'));
  set('eosTokenId', int('tokenizer.ggml.eos_token_id'));
  return { ...facts, metadata }; // the long list last, for people reading the JSON
}

/** Second, bounded walk over `tokenizer.ggml.tokens` up to the largest wanted id (already validated once). */
async function addTokenTexts(
  c: FileCursor,
  tokens: { offset: number; count: number },
  facts: GgufFacts,
  fail: (why: string) => AppError,
): Promise<void> {
  const wanted = [facts.bosTokenId, facts.eosTokenId].filter((id): id is number => id !== undefined && id < tokens.count);
  if (wanted.length === 0) return;
  const last = Math.max(...wanted);
  c.seek(tokens.offset);
  for (let id = 0; id <= last; id++) {
    if (!wanted.includes(id)) {
      if (!c.has(8)) await c.need(8, 'a token');
      c.skip(Number(c.u64()), 'a token');
      continue;
    }
    const text = await readString(c, MAX_TOKEN_BYTES, 'a token', fail);
    if (text === undefined) continue;
    if (id === facts.bosTokenId) facts.bosToken = text;
    if (id === facts.eosTokenId) facts.eosToken = text;
  }
}

/** A GGUF string; undefined (and skipped) when longer than `max` bytes. */
async function readString(c: FileCursor, max: number, what: string, fail: (why: string) => AppError): Promise<string | undefined> {
  if (!c.has(8)) await c.need(8, what);
  const len = c.u64();
  if (len > BigInt(c.remaining)) throw fail(`truncated: ${what} of ${len} bytes at offset ${c.position} runs past the end`);
  const n = Number(len);
  if (n > max) {
    c.skip(n, what);
    return undefined;
  }
  if (!c.has(n)) await c.need(n, what);
  try {
    return utf8.decode(c.bytes(n));
  } catch {
    throw fail(`${what} at offset ${c.position - n} is not UTF-8`);
  }
}

async function readScalar(
  c: FileCursor,
  type: number,
  maxString: number,
  key: string,
  fail: (why: string) => AppError,
): Promise<Scalar | undefined> {
  if (type === T_STRING) return readString(c, maxString, `the value of '${key}'`, fail);
  const size = FIXED_SIZE[type];
  if (size === undefined) throw fail(`'${key}' has unknown value type ${type}`);
  if (!c.has(size)) await c.need(size, `the value of '${key}'`);
  switch (type) {
    case T_U8: return c.u8();
    case T_I8: return (c.u8() << 24) >> 24;
    case T_U16: return c.u16();
    case T_I16: return c.i16();
    case T_U32: return c.u32();
    case T_I32: return c.i32();
    case T_F32: return c.f32();
    case T_BOOL: return c.u8() !== 0;
    case T_U64: return safe(c.u64());
    case T_I64: return safe(c.i64());
    default: return c.f64(); // T_F64
  }
}

const safe = (v: bigint): number | bigint =>
  v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;

async function arrayHead(c: FileCursor, key: string, fail: (why: string) => AppError): Promise<{ elemType: number; count: bigint }> {
  await c.need(12, `the array '${key}'`);
  const elemType = c.u32();
  const count = c.u64();
  if (FIXED_SIZE[elemType] === undefined && elemType !== T_STRING && elemType !== T_ARRAY) {
    throw fail(`array '${key}' has unknown element type ${elemType}`);
  }
  if (count * BigInt(minSize(elemType)) > BigInt(c.remaining)) {
    throw fail(`truncated: array '${key}' declares ${count} elements, more than the ${c.remaining} bytes left`);
  }
  return { elemType, count };
}

async function skipArray(
  c: FileCursor,
  elemType: number,
  count: bigint,
  depth: number,
  key: string,
  fail: (why: string) => AppError,
): Promise<void> {
  const fixed = FIXED_SIZE[elemType];
  if (fixed !== undefined) return c.skip(Number(count) * fixed, `the array '${key}'`);
  if (elemType === T_ARRAY && depth >= MAX_ARRAY_DEPTH) throw fail(`array '${key}' nests deeper than ${MAX_ARRAY_DEPTH}`);
  const n = Number(count); // bounded by the file size above
  for (let i = 0; i < n; i++) {
    if (elemType === T_STRING) {
      if (!c.has(8)) await c.need(8, `the array '${key}'`);
      const len = c.u64();
      if (len > BigInt(c.remaining)) throw fail(`truncated: element ${i} of '${key}' runs past the end`);
      c.skip(Number(len));
    } else {
      const inner = await arrayHead(c, key, fail);
      await skipArray(c, inner.elemType, inner.count, depth + 1, key, fail);
    }
  }
}
