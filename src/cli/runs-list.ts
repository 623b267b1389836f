import type { PitwallClient, Run } from '../sdk/index.js';
import type { Command } from './args.js';
import { formatNumber, formatTime, runDuration, shortId, toJson } from './format.js';
import type { CliIo } from './io.js';
import { resolveExperiment } from './resolve.js';
import { formatTable } from './table.js';

type ListCommand = Extract<Command, { kind: 'runs list' }>;

const MAX_METRIC_COLUMNS = 4;
const MAX_PARAM_COLUMNS = 3;
const PAGE = 1000;

/** The key an `--order-by` names for one entity kind (`metrics.loss ASC` → `loss`). */
export function orderByKeys(orderBy: string[], entity: 'metrics' | 'params'): string[] {
  const aliases = entity === 'metrics' ? ['metric', 'metrics'] : ['param', 'params', 'parameter', 'parameters'];
  const keys: string[] = [];
  for (const o of orderBy) {
    const m = /^\s*([a-z]+)\.(`[^`]+`|"[^"]+"|\S+)/i.exec(o);
    if (!m || !aliases.includes(m[1]!)) continue;
    keys.push(m[2]!.replace(/^[`"]|[`"]$/g, ''));
  }
  return keys;
}

/**
 * Which metric / param columns to show: those the ordering names first, then for params the ones whose values
 * differ between the runs, then the most common keys. System metrics are left to `runs show`.
 */
export function pickColumns(runs: Run[], orderBy: string[]): { metrics: string[]; params: string[] } {
  const count = (lists: Array<Array<{ key: string }> | undefined>): Map<string, number> => {
    const m = new Map<string, number>();
    for (const l of lists) for (const { key } of l ?? []) m.set(key, (m.get(key) ?? 0) + 1);
    return m;
  };
  const byFrequency = (m: Map<string, number>): string[] => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);

  const metricCounts = count(runs.map((r) => r.data.metrics));
  const metrics = unique([...orderByKeys(orderBy, 'metrics'), ...byFrequency(metricCounts).filter((k) => !k.startsWith('system/'))]);

  const paramCounts = count(runs.map((r) => r.data.params));
  const differing = byFrequency(paramCounts).filter((k) => new Set(runs.map((r) => paramOf(r, k))).size > 1);
  const params = unique([...orderByKeys(orderBy, 'params'), ...differing, ...byFrequency(paramCounts)]);
  return { metrics: metrics.slice(0, MAX_METRIC_COLUMNS), params: params.slice(0, MAX_PARAM_COLUMNS) };
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}

function paramOf(run: Run, key: string): string | undefined {
  return run.data.params?.find((p) => p.key === key)?.value;
}

function metricOf(run: Run, key: string): number | undefined {
  return run.data.metrics?.find((m) => m.key === key)?.value;
}

/** `pitwall runs list`: a table of runs with their key metrics and params. */
export async function runsList(cmd: ListCommand, client: PitwallClient, io: CliIo): Promise<void> {
  const experimentIds: string[] = [];
  for (const x of cmd.experiments) experimentIds.push((await resolveExperiment(client, x)).experiment_id);

  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.searchRuns({
      experimentIds,
      runViewType: cmd.view,
      orderBy: cmd.orderBy,
      maxResults: Math.min(PAGE, cmd.max + 1 - runs.length),
      ...(cmd.filter !== undefined ? { filter: cmd.filter } : {}),
      ...(pageToken !== undefined ? { pageToken } : {}),
    });
    runs.push(...page.runs);
    pageToken = page.next_page_token;
  } while (pageToken && runs.length <= cmd.max);
  const more = runs.length > cmd.max;
  const shown = runs.slice(0, cmd.max);

  if (cmd.json) {
    io.out(toJson({ runs: shown }));
    return;
  }
  if (shown.length === 0) {
    io.out('No runs found.');
    return;
  }
  const now = io.now?.() ?? Date.now();
  const cols = pickColumns(shown, cmd.orderBy);
  const header = ['RUN ID', 'NAME', 'STATUS', 'START', 'DURATION', ...cols.metrics.map((k) => `metrics.${k}`), ...cols.params.map((k) => `params.${k}`)];
  const rows = shown.map((r) => [
    shortId(r.info.run_id),
    r.info.run_name,
    r.info.status,
    formatTime(r.info.start_time),
    runDuration(r.info, now),
    ...cols.metrics.map((k) => {
      const v = metricOf(r, k);
      return v === undefined ? '' : formatNumber(v);
    }),
    ...cols.params.map((k) => paramOf(r, k) ?? ''),
  ]);
  const align = header.map((_, i) => (i === 4 || (i >= 5 && i < 5 + cols.metrics.length) ? 'right' : 'left') as 'left' | 'right');
  io.out(formatTable(rows, { header, align, maxWidth: [8, 32, 9, 19, 10, ...cols.metrics.map(() => 16), ...cols.params.map(() => 20)] }));
  if (more) io.out(`(showing the first ${cmd.max} runs; use --max to see more)`);
}
