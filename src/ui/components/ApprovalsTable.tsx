import type { Approval } from '../../sdk/registry-types.js';
import { formatTime } from '../format.js';
import { DecisionBadge } from './DecisionBadge.js';

/** Reviews of a version, newest first; the first row is the decision that counts. */
export function ApprovalsTable({ approvals, name, version }: { approvals: readonly Approval[]; name: string; version: string }) {
  if (approvals.length === 0) {
    return (
      <p className="muted" data-testid="approvals-empty">
        Not reviewed yet. Approve with <span className="mono">pitwall models approve {name}/{version}</span> or{' '}
        <span className="mono">POST /api/v1/models/{encodeURIComponent(name)}/versions/{version}/approvals</span>.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="approvals-table">
        <thead>
          <tr>
            <th>Decision</th>
            <th>Approver</th>
            <th>Comment</th>
            <th>When</th>
          </tr>
        </thead>
        <tbody>
          {approvals.map((a) => (
            <tr key={a.id} data-testid="approval-row">
              <td>
                <DecisionBadge approval={a} />
              </td>
              <td>{a.approver}</td>
              <td className="prose">{a.comment || <span className="muted">—</span>}</td>
              <td className="nowrap">{formatTime(a.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
