import { useMemo, useState } from 'react';
import type { Run } from '../../sdk/types.js';
import { client } from '../client.js';
import { ArtifactBrowser } from '../components/ArtifactBrowser.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { KeyValueTable } from '../components/KeyValueTable.js';
import { Link } from '../components/Link.js';
import { MetricPanel, type PanelRun } from '../components/MetricPanel.js';
import { Spinner } from '../components/Spinner.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatDuration, formatTime, runDuration } from '../format.js';
import { useAsync } from '../hooks/useAsync.js';
import { navigate, withQuery } from '../navigation.js';
import { seriesColor } from '../palette.js';
import { runLabel } from '../run-columns.js';

/** `/runs/:runId[?artifact=path]`: a run's info, one chart per metric, params, tags, datasets and artifacts. */
export function RunPage({ runId, search = '' }: { runId: string; search?: string }) {
  const run = useAsync(() => client.getRun(runId), [runId]);
  const experimentId = run.data?.info.experiment_id;
  const experiment = useAsync(
    () => (experimentId === undefined ? Promise.resolve(undefined) : client.getExperiment(experimentId)),
    [experimentId],
  );

  if (run.error !== undefined && !run.data) {
    return (
      <div className="page">
        <Breadcrumbs items={[{ label: 'Experiments', to: '/' }, { label: runId }]} />
        <ErrorMessage error={run.error} onRetry={run.reload} />
      </div>
    );
  }
  if (!run.data) {
    return (
      <div className="page">
        <Breadcrumbs items={[{ label: 'Experiments', to: '/' }, { label: '…' }]} />
        <Spinner />
      </div>
    );
  }
  const r = run.data;
  const expName = experiment.data?.name ?? r.info.experiment_id;
  const expPath = `/experiments/${encodeURIComponent(r.info.experiment_id)}`;
  return (
    <div className="page">
      <Breadcrumbs items={[{ label: 'Experiments', to: '/' }, { label: expName, to: expPath }, { label: runLabel(r) }]} />
      <div className="page-head">
        <h1 data-testid="run-name">{runLabel(r)}</h1>
        <StatusBadge status={r.info.status} />
      </div>
      <RunInfoCard run={r} experimentName={expName} experimentPath={expPath} />
      <MetricsSection run={r} />
      <div className="two-col">
        <section className="card">
          <h2>Parameters</h2>
          <KeyValueTable rows={r.data.params ?? []} testId="params-table" empty="No parameters logged." />
        </section>
        <TagsSection run={r} />
      </div>
      <DatasetsSection run={r} />
      <section className="card" id="artifacts">
        <h2>Artifacts</h2>
        <ArtifactBrowser
          runId={r.info.run_id}
          selected={new URLSearchParams(search).get('artifact') ?? undefined}
          onSelect={(artifact) => navigate(withQuery(`/runs/${encodeURIComponent(runId)}`, { artifact }), { replace: true })}
        />
      </section>
    </div>
  );
}

function RunInfoCard({ run, experimentName, experimentPath }: { run: Run; experimentName: string; experimentPath: string }) {
  const i = run.info;
  return (
    <section className="card">
      <dl className="info-grid" data-testid="run-info">
        <dt>Run ID</dt>
        <dd className="mono">{i.run_id}</dd>
        <dt>Experiment</dt>
        <dd>
          <Link to={experimentPath}>{experimentName}</Link>
        </dd>
        <dt>Status</dt>
        <dd>{i.status}</dd>
        <dt>User</dt>
        <dd>{i.user_id || '—'}</dd>
        <dt>Started</dt>
        <dd>{formatTime(i.start_time)}</dd>
        <dt>Ended</dt>
        <dd>{formatTime(i.end_time)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(runDuration(i.start_time, i.end_time, i.status))}</dd>
        <dt>Artifacts</dt>
        <dd className="mono break">{i.artifact_uri}</dd>
      </dl>
    </section>
  );
}

function MetricsSection({ run }: { run: Run }) {
  const keys = useMemo(
    () => [...new Set((run.data.metrics ?? []).map((m) => m.key))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })),
    [run],
  );
  const panelRuns = useMemo<PanelRun[]>(() => [{ runId: run.info.run_id, label: runLabel(run), color: seriesColor(0) }], [run]);
  return (
    <section className="section">
      <h2>Metrics</h2>
      {keys.length === 0 ? (
        <p className="muted">No metrics logged.</p>
      ) : (
        <div className="chart-grid">
          {keys.map((k) => (
            <MetricPanel key={k} metricKey={k} runs={panelRuns} />
          ))}
        </div>
      )}
    </section>
  );
}

const SYSTEM_TAG = 'mlflow.';

function TagsSection({ run }: { run: Run }) {
  const [showSystem, setShowSystem] = useState(false);
  const tags = run.data.tags ?? [];
  const system = tags.filter((t) => t.key.startsWith(SYSTEM_TAG)).length;
  const rows = showSystem ? tags : tags.filter((t) => !t.key.startsWith(SYSTEM_TAG));
  return (
    <section className="card">
      <div className="card-head">
        <h2>Tags</h2>
        {system > 0 && (
          <label className="control">
            <input type="checkbox" data-testid="system-tags-toggle" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} />
            Show {system} system tag{system === 1 ? '' : 's'} (mlflow.*)
          </label>
        )}
      </div>
      <KeyValueTable rows={rows} testId="tags-table" empty={system > 0 ? 'Only system tags.' : 'No tags.'} />
    </section>
  );
}

function DatasetsSection({ run }: { run: Run }) {
  const inputs = run.inputs?.dataset_inputs ?? [];
  if (inputs.length === 0) return null;
  return (
    <section className="card">
      <h2>Datasets</h2>
      <div className="table-scroll">
        <table className="table" data-testid="datasets-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Context</th>
              <th>Digest</th>
              <th>Source type</th>
              <th>Source</th>
            </tr>
          </thead>
          <tbody>
            {inputs.map((d, i) => (
              <tr key={`${d.dataset.name}:${d.dataset.digest}:${i}`}>
                <td>{d.dataset.name}</td>
                <td>{d.tags?.find((t) => t.key === 'mlflow.data.context')?.value ?? ''}</td>
                <td className="mono">{d.dataset.digest}</td>
                <td>{d.dataset.source_type}</td>
                <td className="mono break">{d.dataset.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
