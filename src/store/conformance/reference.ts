import { likeToRegExp } from './like.js';
import type { Comparator, FilterClause, OrderByClause } from '../../tracking/search/filter-types.js';
import type { Experiment, LifecycleStage, RunInfo, ViewType } from '../types.js';
import { cmpStr } from './helpers.js';

/**
 * In-memory reference semantics of the search grammar, used to compute what a store must return for generated
 * data. Deliberately naive: one value at a time, no SQL.
 */

/** `actual <comparator> target`; a missing actual value matches nothing (as a SQL comparison with NULL). */
export function compareValue(actual: string | number | null | undefined, comparator: Comparator, target: FilterClause['value']): boolean {
  if (actual === undefined || actual === null) return false;
  if (typeof actual === 'number' && Number.isNaN(actual)) return false;
  switch (comparator) {
    case '=':
      return actual === target;
    case '!=':
      return actual !== target;
    case '<':
      return (actual as number) < (target as number);
    case '<=':
      return (actual as number) <= (target as number);
    case '>':
      return (actual as number) > (target as number);
    case '>=':
      return (actual as number) >= (target as number);
    case 'LIKE':
      return likeToRegExp(target as string, false).test(String(actual));
    case 'ILIKE':
      return likeToRegExp(target as string, true).test(String(actual));
    case 'IN':
      return (target as string[]).includes(String(actual));
    case 'NOT IN':
      return !(target as string[]).includes(String(actual));
    default:
      throw new Error(`reference: comparator ${comparator} is handled by the caller`);
  }
}

export function inView(stage: LifecycleStage, viewType: ViewType): boolean {
  return viewType === 'ALL' || (viewType === 'ACTIVE_ONLY' ? stage === 'active' : stage === 'deleted');
}

function keyValue(map: Record<string, string>, c: FilterClause): boolean {
  const present = Object.hasOwn(map, c.key);
  if (c.comparator === 'IS NULL') return !present;
  if (c.comparator === 'IS NOT NULL') return present;
  return present && compareValue(map[c.key], c.comparator, c.value);
}

// ---------------------------------------------------------------------------------------------------------------
// Experiments
// ---------------------------------------------------------------------------------------------------------------

export function experimentMatches(e: Experiment, filter: FilterClause[]): boolean {
  const tags = Object.fromEntries(e.tags.map((t) => [t.key, t.value]));
  return filter.every((c) => {
    if (c.type === 'tag') return keyValue(tags, c);
    const v = c.key === 'name' ? e.name : c.key === 'creation_time' ? e.creationTime : c.key === 'last_update_time' ? e.lastUpdateTime : undefined;
    if (v === undefined) throw new Error(`reference: experiment attribute ${c.key}`);
    return compareValue(v, c.comparator, c.value);
  });
}

export function experimentKey(e: Experiment, key: string): string | number {
  switch (key) {
    case 'name':
      return e.name;
    case 'experiment_id':
      return Number(e.experimentId);
    case 'creation_time':
      return e.creationTime;
    case 'last_update_time':
      return e.lastUpdateTime;
    default:
      throw new Error(`reference: experiment order key ${key}`);
  }
}

const cmpAny = (a: string | number, b: string | number): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : cmpStr(String(a), String(b));

/** The contract's default experiment order: creation_time DESC, experiment_id ASC. */
export function defaultExperimentOrder(a: Experiment, b: Experiment): number {
  return b.creationTime - a.creationTime || Number(a.experimentId) - Number(b.experimentId);
}

export function experimentCmp(key: string, ascending: boolean): (a: Experiment, b: Experiment) => number {
  return (a, b) => (ascending ? 1 : -1) * cmpAny(experimentKey(a, key), experimentKey(b, key));
}

// ---------------------------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------------------------

export interface DatasetRef {
  name: string;
  digest: string;
  context?: string;
}

/** What the test generated for one run, with the latest value of each metric worked out. */
export interface RunModel extends Omit<RunInfo, 'artifactUri'> {
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Latest value per metric key (NaN allowed). */
  latest: Record<string, number>;
  datasets: DatasetRef[];
}

function runAttribute(r: RunModel, key: string): string | number | null {
  switch (key) {
    case 'run_id':
      return r.runId;
    case 'run_name':
      return r.runName;
    case 'status':
      return r.status;
    case 'user_id':
      return r.userId;
    case 'start_time':
      return r.startTime;
    case 'end_time':
      return r.endTime;
    default:
      throw new Error(`reference: run attribute ${key}`);
  }
}

export function runMatches(r: RunModel, filter: FilterClause[]): boolean {
  return filter.every((c) => {
    switch (c.type) {
      case 'metric':
        return Object.hasOwn(r.latest, c.key) && compareValue(r.latest[c.key], c.comparator, c.value);
      case 'param':
        return keyValue(r.params, c);
      case 'tag':
        return keyValue(r.tags, c);
      case 'attribute':
        return compareValue(runAttribute(r, c.key), c.comparator, c.value);
      case 'dataset':
        return r.datasets.some((d) => compareValue(c.key === 'context' ? d.context : c.key === 'name' ? d.name : d.digest, c.comparator, c.value));
      default:
        throw new Error(`reference: entity ${String(c.type)}`);
    }
  });
}

/** Sort rank and value of a run for one order_by clause: rank 0 = has a value, then (metrics) 1 = NaN, 2 = missing. */
function orderValue(r: RunModel, o: OrderByClause): { rank: number; value: string | number } {
  if (o.type === 'metric') {
    if (!Object.hasOwn(r.latest, o.key)) return { rank: 2, value: 0 };
    const v = r.latest[o.key]!;
    return Number.isNaN(v) ? { rank: 1, value: 0 } : { rank: 0, value: v };
  }
  if (o.type === 'param' || o.type === 'tag') {
    const map = o.type === 'param' ? r.params : r.tags;
    return Object.hasOwn(map, o.key) ? { rank: 0, value: map[o.key]! } : { rank: 2, value: '' };
  }
  const v = runAttribute(r, o.key);
  return v === null ? { rank: 2, value: 0 } : { rank: 0, value: v };
}

/** The contract's run order: each clause (missing values last either way), then start_time DESC, run_id ASC. */
export function runCmp(orderBy: OrderByClause[]): (a: RunModel, b: RunModel) => number {
  return (a, b) => {
    for (const o of orderBy) {
      const va = orderValue(a, o);
      const vb = orderValue(b, o);
      if (va.rank !== vb.rank) return va.rank - vb.rank;
      if (va.rank === 0) {
        const d = cmpAny(va.value, vb.value);
        if (d !== 0) return o.ascending ? d : -d;
      }
    }
    return b.startTime - a.startTime || cmpStr(a.runId, b.runId);
  };
}

/** The latest value of a history: the value at the highest step, then the highest timestamp (then the highest value). */
export function latestValue(history: { value: number; step: number; timestamp: number }[]): number {
  let best = history[0]!;
  for (const m of history.slice(1)) {
    const later = m.step > best.step || (m.step === best.step && (m.timestamp > best.timestamp || (m.timestamp === best.timestamp && m.value > best.value)));
    if (later) best = m;
  }
  return best.value;
}
