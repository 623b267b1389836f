import type { Run } from '../sdk/types.js';

/** A sortable column of the runs table, named by its MLflow search identifier (`metrics.loss`, `attributes.status`). */
export interface SortState {
  readonly column: string;
  readonly desc: boolean;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `loss` → `loss`; `f1 score` → `` `f1 score` ``, as the filter and order-by grammar wants. */
export function quoteKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : `\`${key.replace(/`/g, '')}\``;
}

export const metricColumn = (key: string): string => `metrics.${quoteKey(key)}`;
export const paramColumn = (key: string): string => `params.${quoteKey(key)}`;

/** The `order_by` clause for a sort, e.g. `metrics.loss ASC`. */
export function orderByClause(sort: SortState): string {
  return `${sort.column} ${sort.desc ? 'DESC' : 'ASC'}`;
}

/** Parses the `sort` query parameter (`-metrics.loss` = descending). */
export function parseSort(raw: string | null): SortState | null {
  if (!raw) return null;
  return raw.startsWith('-') ? { column: raw.slice(1), desc: true } : { column: raw, desc: false };
}

export function formatSort(sort: SortState | null): string | undefined {
  if (!sort) return undefined;
  return (sort.desc ? '-' : '') + sort.column;
}

/** Clicking a header: first ascending, then descending, then back to the server's default order. */
export function nextSort(current: SortState | null, column: string): SortState | null {
  if (!current || current.column !== column) return { column, desc: false };
  if (!current.desc) return { column, desc: true };
  return null;
}

/** The union of metric keys and of param keys present on these runs, each sorted. */
export function collectKeys(runs: readonly Run[]): { metricKeys: string[]; paramKeys: string[] } {
  const m = new Set<string>();
  const p = new Set<string>();
  for (const r of runs) {
    for (const x of r.data.metrics ?? []) m.add(x.key);
    for (const x of r.data.params ?? []) p.add(x.key);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
  return { metricKeys: [...m].sort(byName), paramKeys: [...p].sort(byName) };
}

/** Latest value of each metric of a run (the run payload carries only the latest one per key). */
export function latestMetrics(run: Run): Map<string, { value: number; step: number }> {
  const out = new Map<string, { value: number; step: number }>();
  for (const x of run.data.metrics ?? []) {
    const prev = out.get(x.key);
    if (!prev || x.step >= prev.step) out.set(x.key, { value: x.value, step: x.step });
  }
  return out;
}

export function paramMap(run: Run): Map<string, string> {
  return new Map((run.data.params ?? []).map((p) => [p.key, p.value]));
}

/** A run's display name: its name, or the start of its id. */
export function runLabel(run: Run): string {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}
