import { useMemo, useState } from 'react';
import type { Run } from '../../sdk/types.js';
import { client } from '../client.js';
import { Breadcrumbs, type Crumb } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Link } from '../components/Link.js';
import { MetricPanel, type PanelRun } from '../components/MetricPanel.js';
import { Spinner } from '../components/Spinner.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatDuration, formatTime, formatValue, runDuration } from '../format.js';
import { useAsync } from '../hooks/useAsync.js';
import { seriesColor } from '../palette.js';
import { collectKeys, latestMetrics, paramMap, runLabel } from '../run-columns.js';

/** `/compare?runs=a,b,…`: params and latest metrics side by side, and every metric's curves overlaid. */
export function ComparePage({ search }: { search: string }) {
  const ids = useMemo(
    () => [...new Set((new URLSearchParams(search).get('runs') ?? '').split(',').map((s) => s.trim()).filter(Boolean))],
    [search],
  );
  const runs = useAsync(() => Promise.all(ids.map((id) => client.getRun(id))), [ids.join(',')]);
  const experimentIds = [...new Set((runs.data ?? []).map((r) => r.info.experiment_id))];
  const soleExperiment = experimentIds.length === 1 ? experimentIds[0] : undefined;
  const experiment = useAsync(
    () => (soleExperiment === undefined ? Promise.resolve(undefined) : client.getExperiment(soleExperiment)),
    [soleExperiment],
  );

  const crumbs: Crumb[] = [{ label: 'Experiments', to: '/' }];
  if (soleExperiment !== undefined) {
    crumbs.push({ label: experiment.data?.name ?? soleExperiment, to: `/experiments/${encodeURIComponent(soleExperiment)}` });
  }
  crumbs.push({ label: `Compare ${ids.length} runs` });

  let body;
  if (ids.length < 2) body = <p className="empty">Select two or more runs in an experiment's run table to compare them.</p>;
  else if (runs.error !== undefined) body = <ErrorMessage error={runs.error} onRetry={runs.reload} />;
  else if (!runs.data) body = <Spinner />;
  else body = <Comparison runs={runs.data} />;

  return (
    <div className="page">
      <Breadcrumbs items={crumbs} />
      <div className="page-head">
        <h1>Compare runs</h1>
      </div>
      {body}
    </div>
  );
}

function Comparison({ runs }: { runs: readonly Run[] }) {
  const [onlyDiff, setOnlyDiff] = useState(false);
  const panelRuns = useMemo<PanelRun[]>(
    () => runs.map((r, i) => ({ runId: r.info.run_id, label: runLabel(r), color: seriesColor(i) })),
    [runs],
  );
  const { metricKeys, paramKeys } = useMemo(() => collectKeys(runs), [runs]);
  const params = useMemo(() => runs.map(paramMap), [runs]);
  const metrics = useMemo(() => runs.map(latestMetrics), [runs]);
  // Per metric, the runs that logged it; memoised so the charts are not rebuilt when unrelated state changes.
  const runsByMetric = useMemo(
    () => new Map(metricKeys.map((k) => [k, panelRuns.filter((_, i) => metrics[i]?.has(k))])),
    [metricKeys, panelRuns, metrics],
  );

  const paramRows = paramKeys
    .map((k) => {
      const values = params.map((p) => p.get(k));
      return { key: k, values, differs: new Set(values).size > 1 };
    })
    .filter((r) => !onlyDiff || r.differs);

  const header = (
    <thead>
      <tr>
        <th />
        {panelRuns.map((r) => (
          <th key={r.runId} data-testid="compare-run-name">
            <span className="legend-swatch" style={{ background: r.color }} />
            <Link to={`/runs/${encodeURIComponent(r.runId)}`}>{r.label}</Link>
          </th>
        ))}
      </tr>
    </thead>
  );

  return (
    <>
      <section className="card">
        <h2>Runs</h2>
        <div className="table-scroll">
          <table className="table compare-table" data-testid="compare-runs">
            {header}
            <tbody>
              <tr>
                <th scope="row">Status</th>
                {runs.map((r) => (
                  <td key={r.info.run_id}>
                    <StatusBadge status={r.info.status} />
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">Started</th>
                {runs.map((r) => (
                  <td key={r.info.run_id}>{formatTime(r.info.start_time)}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Duration</th>
                {runs.map((r) => (
                  <td key={r.info.run_id}>{formatDuration(runDuration(r.info.start_time, r.info.end_time, r.info.status))}</td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <div className="two-col">
        <section className="card">
          <div className="card-head">
            <h2>Parameters</h2>
            <label className="control">
              <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} data-testid="only-diff" />
              Only differences
            </label>
          </div>
          {paramKeys.length === 0 ? (
            <p className="muted">No parameters logged.</p>
          ) : (
            <div className="table-scroll">
              <table className="table compare-table" data-testid="compare-params">
                {header}
                <tbody>
                  {paramRows.map((row) => (
                    <tr key={row.key} className={row.differs ? 'diff' : undefined} data-testid="compare-param-row" data-differs={row.differs}>
                      <th scope="row">{row.key}</th>
                      {row.values.map((v, i) => (
                        <td key={i}>{v ?? <span className="muted">—</span>}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="card">
          <h2>Latest metrics</h2>
          {metricKeys.length === 0 ? (
            <p className="muted">No metrics logged.</p>
          ) : (
            <div className="table-scroll">
              <table className="table compare-table" data-testid="compare-metrics">
                {header}
                <tbody>
                  {metricKeys.map((k) => (
                    <tr key={k}>
                      <th scope="row">{k}</th>
                      {metrics.map((m, i) => {
                        const v = m.get(k);
                        return (
                          <td key={i} className="num" title={v ? `step ${v.step}` : undefined}>
                            {v ? formatValue(v.value) : <span className="muted">—</span>}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>

      {metricKeys.length > 0 && (
        <section className="section">
          <h2>Metric curves</h2>
          <div className="chart-grid">
            {metricKeys.map((k) => (
              <MetricPanel key={k} metricKey={k} runs={runsByMetric.get(k) ?? panelRuns} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}
