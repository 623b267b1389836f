import type { TensorSpec } from './manifest.js';

/** A default example is made only while it stays this small (MNIST's 1×1×28×28 = 784 fits). */
export const MAX_DEFAULT_EXAMPLE_ELEMENTS = 4096;

const NUMERIC = new Set([
  'float16', 'bfloat16', 'float32', 'float64',
  'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
]);

/**
 * An input example of zeros (`false` for bool), as a JSON object from input name to nested arrays of the input's
 * shape, when every input is a numeric or bool tensor whose dimensions are all fixed positive numbers, and the
 * inputs hold at most MAX_DEFAULT_EXAMPLE_ELEMENTS elements in all. Otherwise undefined: a string, a symbolic
 * batch or a large tensor has no value we could pick that means anything, so the manifest says nothing.
 * Zeros are a shape check (does the deployed model accept and run a well-formed request), not a realistic input.
 */
export function defaultInputExample(inputs: readonly TensorSpec[]): Record<string, unknown> | undefined {
  if (inputs.length === 0) return undefined;
  let total = 0;
  for (const t of inputs) {
    if (!NUMERIC.has(t.dtype) && t.dtype !== 'bool') return undefined;
    if (t.shape === null || !t.shape.every((d): d is number => typeof d === 'number' && d > 0)) return undefined;
    total += t.shape.reduce<number>((n, d) => n * (d as number), 1);
    if (total > MAX_DEFAULT_EXAMPLE_ELEMENTS) return undefined;
  }
  const example: Record<string, unknown> = {};
  for (const t of inputs) example[t.name] = filled(t.shape as number[], t.dtype === 'bool' ? false : 0);
  return example;
}

function filled(shape: readonly number[], value: number | boolean): unknown {
  const [first, ...rest] = shape;
  if (first === undefined) return value;
  return Array.from({ length: first }, () => filled(rest, value));
}
