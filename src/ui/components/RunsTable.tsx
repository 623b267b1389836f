import type { Run } from '../../sdk/types.js';
import { formatDuration, formatTime, formatValue, runDuration } from '../format.js';
import { collectKeys, latestMetrics, metricColumn, paramColumn, paramMap, runLabel, type SortState } from '../run-columns.js';
import { Link } from './Link.js';
import { SortHeader } from './SortHeader.js';
import { StatusBadge } from './StatusBadge.js';

interface Props {
  readonly runs: readonly Run[];
  readonly sort: SortState | null;
  readonly onSort: (column: string) => void;
  readonly selected: ReadonlyMap<string, string>;
  readonly onToggle: (run: Run, checked: boolean) => void;
  readonly onToggleAll: (runs: readonly Run[], checked: boolean) => void;
  readonly busy: boolean;
}

/**
 * One server page of runs. Metric and param columns are the union of keys present on this page only, so a page of
 * 100 runs stays cheap to render however many runs the experiment has.
 */
export function RunsTable({ runs, sort, onSort, selected, onToggle, onToggleAll, busy }: Props) {
  const { metricKeys, paramKeys } = collectKeys(runs);
  const allChecked = runs.length > 0 && runs.every((r) => selected.has(r.info.run_id));
  const someChecked = runs.some((r) => selected.has(r.info.run_id));
  return (
    <div className={busy ? 'table-scroll busy' : 'table-scroll'}>
      <table className="table runs-table" data-testid="runs-table">
        <thead>
          <tr className="group-row">
            <th colSpan={5} />
            {metricKeys.length > 0 && (
              <th colSpan={metricKeys.length} className="group group-metrics">
                Metrics
              </th>
            )}
            {paramKeys.length > 0 && (
              <th colSpan={paramKeys.length} className="group group-params">
                Params
              </th>
            )}
          </tr>
          <tr>
            <th className="col-check">
              <input
                type="checkbox"
                aria-label="Select all runs on this page"
                data-testid="select-all"
                checked={allChecked}
                ref={(el) => {
                  if (el) el.indeterminate = someChecked && !allChecked;
                }}
                onChange={(e) => onToggleAll(runs, e.target.checked)}
              />
            </th>
            <SortHeader column="attributes.run_name" label="Run" sort={sort} onSort={onSort} />
            <SortHeader column="attributes.status" label="Status" sort={sort} onSort={onSort} />
            <SortHeader column="attributes.start_time" label="Started" sort={sort} onSort={onSort} />
            <th title="end − start">Duration</th>
            {metricKeys.map((k) => (
              <SortHeader key={`m:${k}`} column={metricColumn(k)} label={k} sort={sort} onSort={onSort} className="num metric-col" />
            ))}
            {paramKeys.map((k) => (
              <SortHeader key={`p:${k}`} column={paramColumn(k)} label={k} sort={sort} onSort={onSort} className="param-col" />
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const id = run.info.run_id;
            const metrics = latestMetrics(run);
            const params = paramMap(run);
            const checked = selected.has(id);
            return (
              <tr key={id} data-testid="run-row" data-run-id={id} className={checked ? 'selected' : undefined}>
                <td className="col-check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${runLabel(run)}`}
                    data-testid="run-checkbox"
                    checked={checked}
                    onChange={(e) => onToggle(run, e.target.checked)}
                  />
                </td>
                <td className="run-name">
                  <Link to={`/runs/${encodeURIComponent(id)}`} data-testid="run-link">
                    {runLabel(run)}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={run.info.status} />
                </td>
                <td className="nowrap">{formatTime(run.info.start_time)}</td>
                <td className="nowrap num">{formatDuration(runDuration(run.info.start_time, run.info.end_time, run.info.status))}</td>
                {metricKeys.map((k) => {
                  const m = metrics.get(k);
                  return (
                    <td key={`m:${k}`} className="num" data-col={metricColumn(k)} title={m ? `${m.value} @ step ${m.step}` : undefined}>
                      {m ? formatValue(m.value) : ''}
                    </td>
                  );
                })}
                {paramKeys.map((k) => (
                  <td key={`p:${k}`} data-col={paramColumn(k)} className="param-cell" title={params.get(k)}>
                    {params.get(k) ?? ''}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
