/**
 * JSON ↔ tensor helpers shared by the protocol codecs (KServe V2, MLflow scoring): flattening nested arrays without
 * recursion, nesting flat data back by a shape, integer ranges, and error-safe descriptions of client values.
 *
 * Nothing here recurses over client data: a 100k-deep array is refused at depth {@link MAX_RANK} with a 400, and no
 * client value is ever passed to `JSON.stringify` (which recurses) in an error message.
 */
import type { AppError } from '../../core/errors/index.js';
import type { Datatype } from '../engine.js';

/** The deepest nesting accepted for tensor data and the largest rank of a shape: far beyond a real tensor's rank. */
export const MAX_RANK = 32;

export type JsonScalar = number | string | boolean | null;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isScalar = (v: unknown): v is JsonScalar => v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** A JSON value described for an error message, briefly and without serialising it (it may be huge or deep). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  switch (typeof v) {
    case 'string':
      return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}…` : JSON.stringify(v);
    case 'number':
    case 'boolean':
      return String(v);
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

/** Python's repr of a list of strings (`['a', 'b']`), as MLflow's messages print them; long lists are cut. */
export function pyList(items: readonly string[], max = 20): string {
  const shown = items.slice(0, max).map((s) => `'${s.length > 60 ? `${s.slice(0, 60)}…` : s}'`);
  if (items.length > max) shown.push(`… ${items.length - max} more`);
  return `[${shown.join(', ')}]`;
}

/**
 * Flattens a JSON value nested in row-major order: `[[1, 2], [3, 4]]` → shape `[2, 2]`, data `[1, 2, 3, 4]`; a scalar
 * is shape `[]`. Breadth-first and iterative. Refuses (through `fail`) ragged nesting, arrays mixed with values at one
 * depth, nesting deeper than {@link MAX_RANK}, and objects as values.
 */
export function flattenNested(value: unknown, fail: (why: string) => AppError): { shape: number[]; data: JsonScalar[] } {
  if (!Array.isArray(value)) {
    if (isScalar(value)) return { shape: [], data: [value] };
    throw fail(`is ${describe(value)}; values must be numbers, strings or booleans`);
  }
  const shape: number[] = [];
  let level: unknown[][] = [value];
  for (;;) {
    if (shape.length >= MAX_RANK) throw fail(`is nested deeper than ${MAX_RANK} levels`);
    const len = level[0]!.length;
    shape.push(len);
    const next: unknown[] = [];
    for (const a of level) {
      if (a.length !== len) throw fail(`is ragged: arrays at depth ${shape.length} have lengths ${len} and ${a.length}`);
      for (const v of a) next.push(v);
    }
    if (next.length === 0) return { shape, data: [] };
    if (Array.isArray(next[0])) {
      if (!next.every(Array.isArray)) throw fail(`is ragged: depth ${shape.length + 1} mixes arrays and values`);
      level = next as unknown[][];
      continue;
    }
    for (const v of next) {
      if (Array.isArray(v)) throw fail(`is ragged: depth ${shape.length + 1} mixes arrays and values`);
      if (!isScalar(v)) throw fail(`holds ${describe(v)}; values must be numbers, strings or booleans`);
    }
    return { shape, data: next as JsonScalar[] };
  }
}

export const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Nests flat row-major data by `shape` (the inverse of {@link flattenNested}); shape `[]` gives the scalar. */
export function nest(data: ArrayLike<unknown>, shape: readonly number[]): unknown {
  if (shape.length === 0) return data[0];
  let level: unknown[] = Array.from(data);
  for (let d = shape.length - 1; d >= 1; d--) {
    const size = shape[d]!;
    const groups = product(shape.slice(0, d));
    const next: unknown[] = new Array(groups);
    for (let g = 0; g < groups; g++) next[g] = level.slice(g * size, (g + 1) * size);
    level = next;
  }
  return level;
}

/**
 * The integers each integer datatype holds. 64-bit types travel as JS numbers, so they are held to the safe-integer
 * range: beyond it a JSON number has already lost digits, and refusing beats running on a silently different value.
 */
const INTEGER_RANGE: Partial<Record<Datatype, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
};

export const isIntegerType = (dt: Datatype): boolean => INTEGER_RANGE[dt] !== undefined;

/** Whether `x` (already known to be an integer) fits `dt`; true for non-integer datatypes. */
export function fitsIntegerType(dt: Datatype, x: number): boolean {
  const r = INTEGER_RANGE[dt];
  return r === undefined || (x >= r[0] && x <= r[1]);
}
