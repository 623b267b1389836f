import { type AppError, invalidParam } from '../../core/errors/index.js';
import { FileCursor } from './file-cursor.js';
import { type OnnxReadResult, readOnnxManifest } from './onnx-reader.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, encodeVarint } from './protobuf-wire.js';

/**
 * `readOnnxManifest` for a file on disk, without loading the weights: an ONNX file can hold up to 2 GB of
 * initializers and Constant nodes. One streaming pass copies only the fields the reader looks at (model-level
 * fields, graph inputs and outputs, initializer names, node domains) into a small ModelProto of the same
 * layout, which `readOnnxManifest` then decodes. Everything else is skipped by its length, each length bounded
 * by the enclosing message and the file.
 */

/** Which fields of a message to keep: copy the field whole, or keep a pruned copy of the embedded message. */
type Keep = ReadonlyMap<number, 'copy' | Keep>;

const TENSOR_NAME: Keep = new Map([[8, 'copy']]);
const GRAPH: Keep = new Map<number, 'copy' | Keep>([
  [1, new Map([[7, 'copy']])], // node → domain
  [5, TENSOR_NAME], // initializer → name
  [11, 'copy'], // input
  [12, 'copy'], // output
  [15, new Map([[1, TENSOR_NAME]])], // sparse_initializer → values → name
]);
const MODEL: Keep = new Map<number, 'copy' | Keep>([
  [1, 'copy'],
  [2, 'copy'],
  [3, 'copy'],
  [7, GRAPH],
  [8, 'copy'],
  [14, 'copy'],
]);

/** A single kept field larger than this is refused rather than loaded (no real ValueInfo or metadata is). */
const MAX_COPIED_FIELD = 64 * 1024 * 1024;

export async function readOnnxManifestFile(path: string, label = 'file'): Promise<OnnxReadResult> {
  const fail = (why: string): AppError => invalidParam(`${label} is not a valid ONNX model: ${why}`, 'file');
  const cursor = await FileCursor.open(path, fail);
  let pruned: Uint8Array;
  try {
    if (cursor.size === 0) throw fail('it is empty');
    pruned = concat(await prune(cursor, cursor.size, MODEL, fail));
  } finally {
    await cursor.close();
  }
  return readOnnxManifest(pruned, label);
}

async function prune(c: FileCursor, end: number, keep: Keep, fail: (why: string) => AppError): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  while (c.position < end) {
    const at = c.position;
    const tag = await varint(c, end, fail);
    if (tag > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(`field tag too large at byte ${at}`);
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (field === 0) throw fail(`field number 0 at byte ${at}`);
    const rule = keep.get(field);
    const head = encodeVarint(Number(tag));
    if (wire === WIRE_VARINT) {
      const v = await varint(c, end, fail);
      if (rule !== undefined) out.push(head, encodeBigVarint(v));
    } else if (wire === WIRE_FIXED64 || wire === WIRE_FIXED32) {
      const n = wire === WIRE_FIXED64 ? 8 : 4;
      if (n > end - c.position) throw fail(`fixed field at byte ${c.position} runs past its message`);
      if (rule !== undefined) {
        await c.need(n);
        out.push(head, c.bytes(n));
      } else c.skip(n);
    } else if (wire === WIRE_LEN) {
      const lenBig = await varint(c, end, fail);
      if (lenBig > BigInt(end - c.position)) {
        throw fail(`length ${lenBig} at byte ${c.position} runs past the end (${end - c.position} bytes left)`);
      }
      const len = Number(lenBig);
      if (rule === undefined) {
        c.skip(len);
      } else if (rule === 'copy') {
        if (len > MAX_COPIED_FIELD) throw fail(`field ${field} at byte ${at} is ${len} bytes, more than is read`);
        await c.need(len);
        out.push(head, encodeVarint(len), c.bytes(len));
      } else {
        const inner = await prune(c, c.position + len, rule, fail);
        out.push(head, encodeVarint(byteLength(inner)), ...inner);
      }
    } else {
      throw fail(`unsupported wire type ${wire} at byte ${at}`);
    }
  }
  if (c.position !== end) throw fail(`a field runs past the end of its message at byte ${end}`);
  return out;
}

async function varint(c: FileCursor, end: number, fail: (why: string) => AppError): Promise<bigint> {
  const avail = Math.min(10, end - c.position);
  if (!c.has(avail)) await c.need(avail);
  let value = 0n;
  for (let i = 0; i < avail; i++) {
    const b = c.u8();
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) return BigInt.asUintN(64, value);
  }
  throw fail(avail < 10 ? `truncated varint at byte ${c.position}` : `varint longer than 10 bytes at ${c.position}`);
}

function encodeBigVarint(v: bigint): Uint8Array {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return Uint8Array.from(out);
}

const byteLength = (parts: readonly Uint8Array[]): number => parts.reduce((n, p) => n + p.length, 0);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(byteLength(parts));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
