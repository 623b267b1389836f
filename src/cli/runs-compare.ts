import type { PitwallClient, Run } from '../sdk/index.js';
import type { Command } from './args.js';
import { formatNumber, formatTime, runDuration, shortId, toJson } from './format.js';
import type { CliIo } from './io.js';
import { fetchRun } from './resolve.js';
import { formatTable } from './table.js';

type CompareCommand = Extract<Command, { kind: 'runs compare' }>;

export interface Comparison {
  runs: Array<{ run_id: string; run_name: string; experiment_id: string; status: string; start_time: number; end_time?: number }>;
  /** One row per param key of any run; `values[i]` belongs to `runs[i]` (null when that run lacks it). */
  params: Array<{ key: string; values: Array<string | null>; differs: boolean }>;
  /** Latest value of each metric key of any run. */
  metrics: Array<{ key: string; values: Array<number | null>; differs: boolean }>;
}

function allKeys(runs: Run[], pick: (r: Run) => Array<{ key: string }> | undefined): string[] {
  return [...new Set(runs.flatMap((r) => (pick(r) ?? []).map((x) => x.key)))].sort((a, b) => a.localeCompare(b));
}

function differs<T>(values: T[]): boolean {
  return new Set(values.map((v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v))).size > 1;
}

/** Lines up params and latest metrics of `runs`; a key a run lacks counts as a difference. */
export function compareRuns(runs: Run[]): Comparison {
  const params = allKeys(runs, (r) => r.data.params).map((key) => {
    const values = runs.map((r) => r.data.params?.find((p) => p.key === key)?.value ?? null);
    return { key, values, differs: differs(values) };
  });
  const metrics = allKeys(runs, (r) => r.data.metrics).map((key) => {
    const values = runs.map((r) => r.data.metrics?.find((m) => m.key === key)?.value ?? null);
    return { key, values, differs: differs(values) };
  });
  return {
    runs: runs.map((r) => {
      const { run_id, run_name, experiment_id, status, start_time, end_time } = r.info;
      return end_time === undefined
        ? { run_id, run_name, experiment_id, status, start_time }
        : { run_id, run_name, experiment_id, status, start_time, end_time };
    }),
    params,
    metrics,
  };
}

/** The side-by-side table: a marker column ('*' = the param differs), the key, then one column per run. */
export function renderComparison(c: Comparison, runs: Run[], now: number): string {
  const header = ['', '', ...runs.map((r) => shortId(r.info.run_id))];
  const width = [1, 40, ...runs.map(() => 24)];
  const info: string[][] = [
    ['', 'name', ...runs.map((r) => r.info.run_name)],
    ['', 'status', ...runs.map((r) => r.info.status)],
    ['', 'start', ...runs.map((r) => formatTime(r.info.start_time))],
    ['', 'duration', ...runs.map((r) => runDuration(r.info, now))],
  ];
  const rows: string[][] = [...info];
  rows.push([], ['', `PARAMS (${c.params.length})`]);
  for (const p of c.params) rows.push([p.differs ? '*' : '', p.key, ...p.values.map((v) => v ?? '-')]);
  rows.push([], ['', `METRICS (${c.metrics.length}, latest)`]);
  for (const m of c.metrics) rows.push(['', m.key, ...m.values.map((v) => (v === null ? '-' : formatNumber(v)))]);
  const table = formatTable(rows, { header, maxWidth: width, gap: 2 });
  const ndiff = c.params.filter((p) => p.differs).length;
  return `${table}\n\n${ndiff === 0 ? 'All params are equal.' : `* ${ndiff} param${ndiff === 1 ? '' : 's'} differ${ndiff === 1 ? 's' : ''}.`}`;
}

/** `pitwall runs compare RUN_ID RUN_ID [...]`. */
export async function runsCompare(cmd: CompareCommand, client: PitwallClient, io: CliIo): Promise<void> {
  const runs = await Promise.all(cmd.runIds.map((id) => fetchRun(client, id)));
  const comparison = compareRuns(runs);
  if (cmd.json) io.out(toJson(comparison));
  else io.out(renderComparison(comparison, runs, io.now?.() ?? Date.now()));
}
