import assert from 'node:assert/strict';
import { AppError, type ErrorCode } from '../../core/errors/index.js';
import type { Comparator, EntityType, FilterClause, OrderByClause } from '../../tracking/search/filter-types.js';
import type { Store } from '../store.js';
import type { Metric, Run, Tag } from '../types.js';

/** Opens a fresh, empty store (only experiment 0 in it). Every conformance case calls it once. */
export type OpenStore = () => Promise<Store>;

/** Runs `fn` against a fresh store and closes the store afterwards, whatever happens. */
export async function withStore<T>(open: OpenStore, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Asserts that `p` rejects with an AppError of `code` (and, when given, a message matching `message`). */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

export const clause = (type: EntityType, key: string, comparator: Comparator, value: FilterClause['value'] = null): FilterClause => ({
  type,
  key,
  comparator,
  value,
});

export const order = (type: EntityType, key: string, ascending: boolean): OrderByClause => ({ type, key, ascending });

export const metric = (key: string, value: number, step: number, timestamp: number): Metric => ({ key, value, step, timestamp });

export const tagOf = (run: Run, key: string): string | undefined => run.data.tags.find((t) => t.key === key)?.value;
export const paramOf = (run: Run, key: string): string | undefined => run.data.params.find((p) => p.key === key)?.value;
export const latestOf = (run: Run, key: string): Metric | undefined => run.data.metrics.find((m) => m.key === key);

/** Tags as a plain object, for deepEqual. */
export const tagMap = (tags: Tag[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.key, t.value]));

export { prng } from '../../core/testing/prng.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Asserts the list holds no duplicates and exactly the expected members, in any order. */
export function assertSameMembers<T>(actual: T[], expected: T[], what: string): void {
  assert.equal(new Set(actual).size, actual.length, `${what}: duplicates in ${JSON.stringify(actual)}`);
  assert.deepEqual([...actual].sort(), [...expected].sort(), what);
}

/**
 * Compares strings by code unit. Fixtures only order strings that sort the same under a byte-wise collation
 * (SQLite) and a locale collation (PostgreSQL's default): one case class, no punctuation at differing positions.
 */
export const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
