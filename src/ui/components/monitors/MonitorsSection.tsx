import { MONITORS_REFRESH_MS, useMonitors } from '../../hooks/useMonitors.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { Spinner } from '../Spinner.js';
import { CreateMonitorHint } from './CreateMonitorHint.js';
import { MonitorsTable } from './MonitorsTable.js';

/** A deployment page's drift monitors, each linking to its page, re-read every 10 s. */
export function MonitorsSection({ deployment }: { deployment: string }) {
  const live = useMonitors(deployment);
  const rows = live.data ?? [];
  return (
    <section className="card" data-testid="deployment-monitors">
      <div className="card-head">
        <h2>Drift monitors</h2>
        <span className="muted small">this deployment's traffic against a reference · refreshed every {MONITORS_REFRESH_MS / 1000} s</span>
      </div>
      {live.error !== undefined && <ErrorMessage error={live.error} testId="monitors-error" onRetry={live.reload} />}
      {!live.data ? live.loading && <Spinner label="Loading drift monitors…" /> : rows.length === 0 ? <CreateMonitorHint deployment={deployment} testId="monitors-empty" /> : <MonitorsTable rows={rows} showDeployment={false} />}
    </section>
  );
}
