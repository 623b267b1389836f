import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StatsError } from '../errors.js';
import { mulberry32 } from '../../core/prng.js';

/** A fixture written by `scripts/stats/make_distance_fixtures.py` (`src/stats/fixtures/<name>.json`). */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
}

type Recipe =
  | { gen: 'values'; values: (number | string)[] }
  | { gen: 'const'; n: number; value: number }
  | { gen: 'counts'; counts: [number | string, number][] }
  | { gen: 'normal'; seed: number; n: number; loc: number; scale: number }
  | { gen: 'ints'; seed: number; n: number; k: number; offset: number }
  | { gen: 'choice'; seed: number; n: number; pool: string[] }
  | { gen: 'vectors'; seed: number; n: number; dim: number; loc: number; scale: number };

let recipes: Record<string, Recipe> | undefined;

/**
 * A sample of `distance-samples.json`, made exactly as the Python script makes it: recipes over mulberry32 use only
 * +, -, * and floor, so every value is the same double in both languages.
 */
function materialize(name: string): (number | string | number[])[] {
  recipes ??= fixture<{ samples: Record<string, Recipe> }>('distance-samples').samples;
  const r = recipes[name];
  if (!r) throw new Error(`no sample ${name} in distance-samples.json`);
  switch (r.gen) {
    case 'values':
      return r.values;
    case 'const':
      return new Array<number>(r.n).fill(r.value);
    case 'counts':
      return r.counts.flatMap(([v, c]) => new Array<number | string>(c).fill(v));
  }
  const rand = mulberry32(r.seed);
  const normal = (loc: number, scale: number) => {
    let s = 0;
    for (let i = 0; i < 12; i++) s += rand();
    return loc + scale * (s - 6);
  };
  switch (r.gen) {
    case 'normal':
      return Array.from({ length: r.n }, () => normal(r.loc, r.scale));
    case 'ints':
      return Array.from({ length: r.n }, () => r.offset + Math.floor(rand() * r.k));
    case 'choice':
      return Array.from({ length: r.n }, () => r.pool[Math.floor(rand() * r.pool.length)]!);
    case 'vectors':
      return Array.from({ length: r.n }, () => Array.from({ length: r.dim }, () => normal(r.loc, r.scale)));
  }
}

/** A numeric sample as a Float64Array (a fresh copy each call). */
export function numbers(name: string): Float64Array {
  const xs = materialize(name);
  if (typeof xs[0] !== 'number') throw new Error(`sample ${name} is not numeric`);
  return Float64Array.from(xs as number[]);
}

/** A column as the binned scores take it: strings stay strings, numbers become a Float64Array. */
export function column(name: string): Float64Array | string[] {
  const xs = materialize(name);
  return typeof xs[0] === 'string' ? (xs as string[]) : numbers(name);
}

/** Rows of a vector sample, or a numeric sample as one-element rows. */
export function vectors(name: string): number[][] {
  const xs = materialize(name);
  return Array.isArray(xs[0]) ? (xs as number[][]) : (xs as number[]).map((x) => [x]);
}

/** A fixture number: JSON cannot hold Infinity, so the script writes it as a string. */
export function num(x: number | string): number {
  return typeof x === 'number' ? x : Number(x);
}

/** Asserts |actual − expected| <= max(abs, rel · |expected|); infinities must match exactly. */
export function close(actual: number, expected: number | string, rel = 1e-6, abs = 1e-12, what = ''): void {
  const e = num(expected);
  if (!Number.isFinite(e)) return assert.equal(actual, e, what);
  assert.ok(Math.abs(actual - e) <= Math.max(abs, rel * Math.abs(e)), `${what}: ${actual} is not within ${rel} of ${e}`);
}

export function closeArrays(actual: ArrayLike<number>, expected: readonly (number | string)[], what = '', rel = 1e-6, abs = 1e-12): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) close(actual[i]!, expected[i]!, rel, abs, `${what}[${i}]`);
}

/** Asserts that `fn` throws a StatsError with `code`. */
export function throwsCode(fn: () => unknown, code: StatsError['code']): void {
  assert.throws(fn, (e: unknown) => e instanceof StatsError && e.code === code);
}
