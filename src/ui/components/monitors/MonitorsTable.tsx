import { errorMessage } from '../../client.js';
import { deploymentPath } from '../../deployment-format.js';
import { formatTime } from '../../format.js';
import type { MonitorRow } from '../../hooks/useMonitors.js';
import { driftedOfTested, monitorPath, monitorRunPath, referenceKind, scheduleText, statusLabel } from '../../monitor-format.js';
import { Link } from '../Link.js';
import { StatusBadge } from '../StatusBadge.js';

/**
 * Monitors by name: state (unknown until the first tested check, then ok or drifted), schedule, the newest check with
 * its drifted / tested columns, and the reference. The deployment column is left out where the page is the deployment's.
 */
export function MonitorsTable({ rows, showDeployment = true, busy = false }: { rows: readonly MonitorRow[]; showDeployment?: boolean; busy?: boolean }) {
  return (
    <div className={busy ? 'table-scroll busy' : 'table-scroll'}>
      <table className="table" data-testid="monitors-table">
        <thead>
          <tr>
            <th>Name</th>
            {showDeployment && <th>Deployment</th>}
            <th>State</th>
            <th>Schedule</th>
            <th>Last check</th>
            <th className="num" title="In the last check: columns drifted / tested, chunks alerting / judged, or signals degraded / tested">
              Drifted / tested
            </th>
            <th>Reference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ monitor: m, last, lastError }) => (
            <tr key={m.name} data-testid="monitor-row" data-name={m.name}>
              <td className="run-name">
                <Link to={monitorPath(m.name)} data-testid="monitor-link">
                  {m.name}
                </Link>
                {m.type !== 'data' && <span className="flavor">{m.type}</span>}
              </td>
              {showDeployment && (
                <td>
                  {m.current ? (
                    <span className="muted">dataset {m.current.path}</span>
                  ) : (
                    <Link to={deploymentPath(m.deployment)} data-testid="monitor-deployment">
                      {m.deployment}
                    </Link>
                  )}
                </td>
              )}
              <td>
                <StatusBadge status={m.state} testId="monitor-state" />
              </td>
              <td className="mono nowrap" data-testid="monitor-schedule">
                {scheduleText(m)}
              </td>
              <td className="nowrap" data-testid="monitor-last">
                {last ? (
                  <Link to={monitorRunPath(m.name, last.id)} title={last.error ?? statusLabel(last.status)}>
                    {formatTime(last.time)}
                  </Link>
                ) : lastError !== undefined ? (
                  <span className="warn" title={errorMessage(lastError)}>
                    unknown
                  </span>
                ) : (
                  <span className="muted">no checks yet</span>
                )}
                {last && (
                  <>
                    {' '}
                    <StatusBadge status={last.status} label={statusLabel(last.status)} testId="monitor-last-status" />
                  </>
                )}
              </td>
              <td className="num" data-testid="monitor-drifted">
                {last ? driftedOfTested(last) : '—'}
              </td>
              <td className={m.reference ? undefined : 'muted'} data-testid="monitor-reference">
                {referenceKind(m.reference)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
