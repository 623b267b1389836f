import type { Approval } from '../../sdk/registry-types.js';

/** A version's review status: its latest decision, or "not reviewed". */
export function DecisionBadge({ approval }: { approval: Approval | undefined }) {
  if (!approval) return <span className="status status-unreviewed" data-testid="decision">not reviewed</span>;
  return (
    <span className={`status status-${approval.decision}`} data-testid="decision" title={`${approval.decision} by ${approval.approver}`}>
      {approval.decision}
    </span>
  );
}
