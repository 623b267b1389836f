import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { CreateMonitorHint } from '../components/monitors/CreateMonitorHint.js';
import { MonitorsTable } from '../components/monitors/MonitorsTable.js';
import { Spinner } from '../components/Spinner.js';
import { MONITORS_REFRESH_MS, useMonitors } from '../hooks/useMonitors.js';

/** `/monitors`: every drift monitor by name with its state and newest check, refreshed in the background. */
export function MonitorsPage() {
  const live = useMonitors();
  const rows = live.data ?? [];
  const drifted = rows.filter((r) => r.monitor.state === 'drifted').length;
  return (
    <div className="page">
      <Breadcrumbs items={[{ label: 'Monitors' }]} />
      <div className="page-head">
        <h1>Monitors</h1>
      </div>
      <div className="toolbar">
        {!live.data && live.loading ? (
          <Spinner inline label="Loading monitors…" />
        ) : (
          rows.length > 0 && (
            <span className="muted" data-testid="monitors-count">
              {rows.length} monitor{rows.length === 1 ? '' : 's'}
              {drifted > 0 && `, ${drifted} drifted`} · refreshed every {MONITORS_REFRESH_MS / 1000} s
            </span>
          )
        )}
      </div>
      {live.error !== undefined && <ErrorMessage error={live.error} onRetry={live.reload} />}
      {live.data && rows.length === 0 ? <CreateMonitorHint testId="monitors-empty" /> : rows.length > 0 && <MonitorsTable rows={rows} />}
    </div>
  );
}
