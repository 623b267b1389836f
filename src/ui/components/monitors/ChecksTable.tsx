import { formatTime } from '../../format.js';
import { alertText, checkWording, driftedOfTested, formatRange, monitorRunPath, statusLabel } from '../../monitor-format.js';
import type { MonitorRun, MonitorType } from '../../monitors-client.js';
import { Link } from '../Link.js';
import { StatusBadge } from '../StatusBadge.js';

/** A monitor's checks, newest first, each linking to its report; what they counted in the type's terms. */
export function ChecksTable({ name, runs, type = 'data' }: { name: string; runs: readonly MonitorRun[]; type?: MonitorType }) {
  const w = checkWording(type);
  return (
    <div className="table-scroll">
      <table className="table" data-testid="checks-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Window</th>
            <th>Status</th>
            <th className="num" title={w.headerTitle}>
              {w.header}
            </th>
            <th className="num">Current rows</th>
            <th>Alert sent</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid="check-row" data-id={r.id} data-status={r.status}>
              <td className="nowrap">
                <Link to={monitorRunPath(name, r.id)} data-testid="check-link">
                  {formatTime(r.time)}
                </Link>
              </td>
              <td className="nowrap muted">{formatRange(r.windowFrom, r.windowTo)}</td>
              <td>
                <StatusBadge status={r.status} label={statusLabel(r.status)} testId="check-status" />
              </td>
              <td className="num" data-testid="check-drifted">
                {driftedOfTested(r)}
              </td>
              <td className="num">{r.currentRows.toLocaleString('en-US')}</td>
              <td className="nowrap" data-testid="check-alert">
                {r.alert ? <span className={`status status-${r.alert === 'drift' ? 'drifted' : 'ok'}`}>{alertText(r.alert)}</span> : <span className="muted">—</span>}
                {r.alertError && (
                  <span className="warn small" title={r.alertError}>
                    {' '}
                    webhook failed
                  </span>
                )}
              </td>
              <td className="description-cell" title={r.error ?? undefined} data-testid="check-error">
                {r.error ?? <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
